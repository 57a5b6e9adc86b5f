"""The leader's brief (``collect … --brief BRIEF.docx``, or ``.html`` by its extension).

One or two pages in the house style of the report (report/docx.py: GB/T 9704 page, fonts and
styles): the submissions by status with the agencies missing and late named; the region's 表三
and 表四 figures beside earlier years' with the change; 公开率 and 纠错率 and the agencies outside
their peers' range (the ``peer-*`` findings of collect/peers.py, which compare only groups with
enough cases); a 督办清单 naming each agency and what it must do (the most urgent first, the rest
counted); the government's own report beside the roll-up when it is in the batch (three more
columns of the figures table); the charts (plots.py), three to a row. For a batch of 40 agencies it
prints on two A4 pages (tests/test_brief_pages.py). Every figure comes from the
collection the summary was written from (``Region``), and the brief names that summary.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path
from typing import Any

from ..report.figures import FINEST, correction_rate, disclosure_rate, headline_specs, whole
from .region import Region

MAX_NAMES = 30  # agencies named in one sentence; the rest counted
MAX_OUTLIERS = 3  # agencies off their peers' range, one note each; the rest counted
MAX_TASKS = 8  # rows of the 督办清单 (the most urgent first); the rest counted, so that the brief keeps to two pages
PEER_RULES = {"peer-disclosure-rate": "公开率", "peer-correction-rate": "纠错率", "peer-all-zero": "全为0"}


def names_text(names: list[str]) -> str:
    shown = "、".join(names[:MAX_NAMES])
    return shown + (f"等{len(names)}个" if len(names) > MAX_NAMES else "")


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1%}"


def number(v: Any) -> str:
    if v is None:
        return "—"
    v = whole(v)
    return f"{v:,}" if isinstance(v, int) else f"{v:,.{FINEST}f}".rstrip("0").rstrip(".")


def change(now: float, before: float | None) -> tuple[str, str]:
    if before is None:
        return "—", "—"
    d = whole(now - before)
    sign = "+" if d > 0 else ""
    rate = "—" if not before else f"{sign}{(now - before) / before:.1%}"
    return f"{sign}{number(d)}", rate


def brief_context(region: Region, summary: Path) -> dict[str, Any]:
    """The brief as plain data (every number computed here, from the collection)."""
    from .run import STATUS_ERRORS, STATUS_MISSING, STATUS_OK, STATUS_SUPERSEDED, STATUS_UNREADABLE, STATUS_WARNINGS

    col = region.col
    rows = [r for r in col.rows() if r["status"] != STATUS_SUPERSEDED]
    counts = col.counts()
    by_status: dict[str, list[str]] = {}
    for r in rows:
        by_status.setdefault(r["status"], []).append(r["agency"] or Path(r["file"]).name)
    late = [r["agency"] for r in rows if "逾期" in (r["notes"] or "")]
    year = region.year
    place = region.government_name or ""
    title = f"{place}{year or ''}年度政府信息公开年报收集情况简报"
    status_line = "，".join(f"{s}{counts[s]}份" for s in (STATUS_OK, STATUS_WARNINGS, STATUS_ERRORS,
                                                          STATUS_UNREADABLE, STATUS_MISSING) if counts.get(s))
    paragraphs = [f"本次收集共{sum(counts[s] for s in counts if s != STATUS_SUPERSEDED)}行：{status_line or '无'}"
                  + (f"；另有{counts[STATUS_SUPERSEDED]}份已被重新报送的文件替换" if counts.get(STATUS_SUPERSEDED) else "")
                  + f"；逾期{len(late)}份。"]
    named = [f"{what}：{names_text(by_status[status])}" for status, what in
             ((STATUS_MISSING, "未报送"), (STATUS_UNREADABLE, "文件无法读取"), (STATUS_ERRORS, "有错误"))
             if by_status.get(status)]
    named += [f"逾期报送：{names_text(late)}"] if late else []
    if named:  # one paragraph: the brief keeps to two pages
        paragraphs.append("；".join(named) + "。")
    ctx: dict[str, Any] = {
        "title": title, "agency": place, "year": year,
        "source": f"数据来源：汇总表“{summary.name}”。本简报中的数字均取自该汇总表所依据的同一次收集。",
        "status": {"paragraphs": paragraphs, "counts": {s: counts.get(s, 0) for s in counts}},
    }
    current = region.current
    ctx["figures"] = _figures(region) if current else None
    ctx["rates"] = _rates(region) if current else None
    ctx["tasks"] = _tasks(region, rows)
    ctx["government"] = _government(region, ctx["figures"]) if current and region.government else None
    ctx["charts"] = _chart_list(region, counts)
    return ctx


def _figures(region: Region) -> dict[str, Any]:
    """表三 and 表四's headline figures, one column per year, with the change against last year."""
    years = region.years
    current = region.current
    last = region.last
    head = ["指标", *[f"{y.year}年" for y in years], "比上年增减", "增减幅度"]
    rows = []
    for spec in headline_specs(current.form):
        values = [y.figure(spec.label) for y in years]
        now = values[-1]
        before = last.figure(spec.label) if last is not None else None
        rows.append([spec.label, *[number(v) for v in values], *change(now, before)])
    sources = [f"{y.year}年：{y.source}" for y in years]
    return {"head": head, "rows": rows, "note": "；".join(sources) + "。"}


def _rates(region: Region) -> dict[str, Any]:
    current = region.current
    form, values = current.form, current.values
    h = {s.label: s.value(values) for s in headline_specs(form)}
    t4_total = h["行政复议"] + h["行政诉讼"]
    t4_corrected = h["复议纠正"] + h["诉讼纠正"]
    text = (f"全部报告中，公开率（予以公开和部分公开{number(h['予以公开'] + h['部分公开'])}件占办结"
            f"{number(h['办结总计'])}件）为{percent(disclosure_rate(form, values))}，纠错率（行政复议、行政诉讼中被纠正"
            f"{number(t4_corrected)}件占{number(t4_total)}件）为{percent(correction_rate(form, values))}")
    last = region.last
    if last is not None:
        text += (f"；上年分别为{percent(disclosure_rate(last.form, last.values))}和"
                 f"{percent(correction_rate(last.form, last.values))}")
    text += "。"
    outliers = [{"agency": agency, "what": PEER_RULES[rule], "message": message}
                for agency, rule, message in peer_findings(region) if rule != "peer-all-zero"]
    more = len(outliers) - MAX_OUTLIERS
    if more > 0:  # the rest counted (they are in the 督办清单's count and the summary's 问题清单)
        outliers = outliers[:MAX_OUTLIERS] + [{"agency": f"另有{more}项", "what": "",
                                               "message": "见汇总表“问题清单”（peer-开头的规则）。"}]
    if outliers:
        text += "与同类机关相比明显偏离的机关（只比较办结或复议诉讼10件以上、同类5个以上的机关）："
    else:
        text += "与同类机关相比，没有公开率或纠错率明显偏离的机关（只比较办结或复议诉讼10件以上、同类5个以上的机关）。"
    return {"text": text, "outliers": outliers}


def peer_findings(region: Region) -> list[tuple[str, str, str]]:
    """(agency, rule, message) of the batch's peer-* findings, in file order (by the rule index)."""
    found = region.col.store.db.execute(
        f"SELECT x.idx, f.agency, x.rule, x.message FROM findings x JOIN files f ON f.idx = x.idx"
        f" WHERE x.rule IN ({', '.join('?' * len(PEER_RULES))})", tuple(PEER_RULES)).fetchall()
    return [(agency, rule, message) for _, agency, rule, message in sorted(found, key=lambda r: (r[0], r[2]))]


def _tasks(region: Region, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """督办清单: each agency and what it must do."""
    from .run import STATUS_ERRORS, STATUS_MISSING, STATUS_UNREADABLE, STATUS_WARNINGS

    peers: dict[str, list[str]] = {}
    for agency, rule, _ in peer_findings(region):
        peers.setdefault(agency, []).append(PEER_RULES[rule])
    urgency = {STATUS_MISSING: 0, STATUS_UNREADABLE: 1, STATUS_ERRORS: 2}
    tasks = []
    for k, r in enumerate(rows):
        todo = []
        name = r["agency"] or Path(r["file"]).name
        if r["status"] == STATUS_MISSING:
            todo.append("尽快报送年度报告工作簿")
        elif r["status"] == STATUS_UNREADABLE:
            todo.append(f"文件无法读取，重新保存后报送（{(r['notes'] or '').split('；')[0]}）")
        elif r["status"] == STATUS_ERRORS:
            todo.append(f"改正{r['errors']}项错误后重新报送")
        elif r["status"] == STATUS_WARNINGS:
            todo.append(f"核实{r['warnings']}项警告，无误的写明理由")
        late = "逾期" in (r["notes"] or "")
        if late:
            todo.append("说明逾期原因")
        for what in peers.get(r["agency"], []):
            todo.append("核实是否漏报（表三、表四全为0）" if what == "全为0" else f"核实{what}（与同类机关相比明显偏离）")
        if todo:  # the most urgent first: not sent, unreadable, errors, then late or off their peers, then warnings
            rank = urgency.get(r["status"], 3 if late or r["agency"] in peers else 4)
            tasks.append((rank, k, [name, r["status"], "；".join(todo)]))
    tasks.sort(key=lambda t: t[:2])
    shown = [t[2] for t in tasks[:MAX_TASKS]]
    rest = [t[2] for t in tasks[MAX_TASKS:]]
    by_status: dict[str, int] = {}
    for t in rest:
        by_status[t[1]] = by_status.get(t[1], 0) + 1
    note = (f"另有{len(rest)}个机关（{'，'.join(f'{s}{n}个' for s, n in by_status.items())}）须办事项见汇总表"
            "“报送情况”和“问题清单”；核实警告的，数字无误即在工作簿“校验结果”表“说明”栏写明理由。") if rest else ""
    return {"head": ["序号", "机关", "状态", "须办事项"], "rows": [[str(i), *t] for i, t in enumerate(shown, 1)],
            "note": note, "count": len(tasks)}


def _government(region: Region, figures: dict[str, Any]) -> dict[str, Any]:
    """The government's own workbook beside the sum of the others (the roll-up) and the difference:
    three more columns of the figures table (same rows), and the sentence saying what they are."""
    current = region.current
    name, own = region.government
    sums, count, _ = region.rollup
    figures["head"] += ["本级政府报告", f"其余{count}份之和", "差额"]
    for row, spec in zip(figures["rows"], headline_specs(current.form)):
        a, b = spec.value(own), spec.value(sums)
        row += [number(a), number(b), number(a - b) if a != b else "0"]
    return {"text": f"“本级政府报告”为“{name}”自己的报告，“其余{count}份之和”即 --rollup 生成的汇总报告的数字，"
                    f"两者之和为{region.year}年栏；差额为前者减后者。由本办决定公布哪一份。"}


def _chart_list(region: Region, counts: Any) -> list[Any]:
    from ..report.graphic import charts_of
    from ..report.plots import Chart
    from .charts import status_order

    charts = [Chart("bar", "报送情况", status_order(dict(counts)), [("份数", [counts.get(s, 0) for s in
                                                                     status_order(dict(counts))])], unit="份")]
    current = region.current
    if current is not None:
        charts += charts_of(current.form, current.values)
        years = region.years
        if len(years) > 1:
            labels = ["本年新收申请", "办结总计", "行政复议", "行政诉讼"]
            charts.append(Chart("line", "历年情况", [f"{y.year}年" for y in years],
                                [(label, [y.figure(label) for y in years]) for label in labels]))
    return charts


def chart_image(ctx: dict[str, Any], fmt: str = "png") -> bytes:
    from ..report.plots import Page, render

    # three to a row, printed across the text width (156 mm): the charts take a third of a page
    return render(Page(ctx["charts"], columns=3, width_in=8.4, chart_height_in=1.7), fmt)


# --------------------------------------------------------------------------- rendering


def render_docx(ctx: dict[str, Any], image: bytes) -> bytes:
    import docx
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Mm

    from ..report import docx as house

    doc = docx.Document()
    house._setup_styles(doc)
    _tighten(doc)
    house._setup_page(doc)
    house._setup_footers(doc)
    house._set_core_properties(doc, {"title": ctx["title"], "agency": ctx["agency"], "year": ctx["year"]})
    doc.core_properties.subject = "政府信息公开工作年度报告收集情况简报"
    house._drop_thumbnail(doc)
    house._clear_body(doc)
    house._add_title(doc, ctx["title"], ctx["agency"])
    doc.add_paragraph(ctx["source"], style=house.STYLE_NOTE)
    doc.add_paragraph("一、报送情况", style="Heading 1")
    for text in ctx["status"]["paragraphs"]:
        doc.add_paragraph(text, style="Normal")
    if ctx["figures"]:
        doc.add_paragraph("二、依申请公开和行政复议、行政诉讼情况", style="Heading 1")
        _table(doc, ctx["figures"]["head"], ctx["figures"]["rows"])
        doc.add_paragraph(ctx["figures"]["note"], style=house.STYLE_NOTE)
        if ctx["government"]:
            doc.add_paragraph(ctx["government"]["text"], style=house.STYLE_NOTE)
        doc.add_paragraph("三、公开率和纠错率", style="Heading 1")
        doc.add_paragraph(ctx["rates"]["text"], style="Normal")
        for o in ctx["rates"]["outliers"]:
            doc.add_paragraph(f"{o['agency']}：{o['message']}", style=house.STYLE_NOTE)
    doc.add_paragraph("四、督办清单", style="Heading 1")
    if ctx["tasks"]["rows"]:
        _table(doc, ctx["tasks"]["head"], ctx["tasks"]["rows"], widths=(8, 40, 16, 92))
        if ctx["tasks"]["note"]:
            doc.add_paragraph(ctx["tasks"]["note"], style=house.STYLE_NOTE)
    else:
        doc.add_paragraph("没有需要督办的机关。", style="Normal")
    doc.add_paragraph("五、图表", style="Heading 1")
    if not image:
        doc.add_paragraph(ctx.get("charts_missing") or "（图表未生成）", style="Normal")
    else:
        doc.add_picture(io.BytesIO(image), width=Mm(house.TEXT_WIDTH_MM))
        picture = doc.paragraphs[-1]  # the body's fixed 28 pt line would clip the picture to one line
        picture.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        picture.paragraph_format.first_line_indent = 0
    out = io.BytesIO()
    doc.save(out)
    return house._normalise_zip(out.getvalue())


BRIEF_PT, BRIEF_LINE_PT = 14, 22  # 四号 on 22 pt lines (the report's body: 三号 on 28 pt): two pages


def _tighten(doc: Any) -> None:
    """The brief's body and headings a size smaller than the report's, in the same fonts."""
    from ..report import docx as house

    styles = doc.styles
    ppr = dict(first=house.BODY_INDENT_CHARS, font_pt=BRIEF_PT, line_pt=BRIEF_LINE_PT)
    house._restyle(styles["Normal"], house._ppr(**ppr), house._rpr(house.FANGSONG, BRIEF_PT))
    house._restyle(styles["Heading 1"], house._ppr(**ppr, keep_next=True, outline=0, before_pt=4),
                   house._rpr(house.HEITI, BRIEF_PT))


def _table(doc: Any, head: list[str], rows: list[list[str]], widths: tuple[float, ...] | None = None) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT

    from ..report import docx as house

    table = doc.add_table(rows=len(rows) + 1, cols=len(head))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    total = house.TEXT_WIDTH_MM
    first = 0.28 if len(head) <= 5 else 0.19  # the label column; with the government's columns, narrower
    mm = list(widths) if widths else [total * first] + [total * (1 - first) / (len(head) - 1)] * (len(head) - 1)
    house._set_table_properties(table, [round(w / 25.4 * 1440) for w in mm])
    style_id = doc.styles[house.STYLE_TABLE_SMALL].style_id
    cells = table._cells
    for c, text in enumerate(head):
        house._fill_cell(cells[c], {"text": text, "header": True, "role": "col"}, style_id)
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            house._fill_cell(cells[r * len(head) + c], {"text": text, "role": "row" if c == 0 or
                                                        (widths and c == len(head) - 1) else "data"}, style_id)


def render_html(ctx: dict[str, Any], svg: bytes) -> bytes:
    e = html.escape

    def table(head: list[str], rows: list[list[str]]) -> str:
        return ("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr></thead><tbody>"
                + "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
                + "</tbody></table>")

    parts = [f"<h1>{e(ctx['title'])}</h1>", f"<p class=\"note\">{e(ctx['source'])}</p>", "<h2>一、报送情况</h2>"]
    parts += [f"<p>{e(t)}</p>" for t in ctx["status"]["paragraphs"]]
    if ctx["figures"]:
        parts += ["<h2>二、依申请公开和行政复议、行政诉讼情况</h2>", table(ctx["figures"]["head"], ctx["figures"]["rows"]),
                  f"<p class=\"note\">{e(ctx['figures']['note'])}</p>",
                  *([f"<p class=\"note\">{e(ctx['government']['text'])}</p>"] if ctx["government"] else []),
                  "<h2>三、公开率和纠错率</h2>",
                  f"<p>{e(ctx['rates']['text'])}</p>"]
        parts += [f"<p class=\"note\">{e(o['agency'])}：{e(o['message'])}</p>" for o in ctx["rates"]["outliers"]]
    parts.append("<h2>四、督办清单</h2>")
    if ctx["tasks"]["rows"]:
        parts.append(table(ctx["tasks"]["head"], ctx["tasks"]["rows"]))
        if ctx["tasks"]["note"]:
            parts.append(f"<p class=\"note\">{e(ctx['tasks']['note'])}</p>")
    else:
        parts.append("<p>没有需要督办的机关。</p>")
    image = base64.b64encode(svg).decode("ascii")
    parts.append("<h2>五、图表</h2>")
    parts.append(f'<img class="charts" alt="图表" src="data:image/svg+xml;base64,{image}">' if svg else
                 f"<p>{e(ctx.get('charts_missing') or '（图表未生成）')}</p>")
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(ctx['title'])}</title>
<style>
body {{ font-family: "FangSong", "仿宋_GB2312", "仿宋", "Noto Serif CJK SC", serif; max-width: 46em; margin: 2em auto;
  padding: 0 1em; line-height: 1.75; font-size: 16px; }}
h1 {{ font-family: "方正小标宋简体", "SimSun", "Noto Serif CJK SC", serif; text-align: center; font-size: 1.6em; }}
h2 {{ font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; font-size: 1.05em; margin: 1.2em 0 .4em; }}
p {{ text-indent: 2em; margin: .3em 0; }} p.note {{ font-size: .85em; color: #404040; text-indent: 0; }}
table {{ border-collapse: collapse; width: 100%; font-size: .85em; display: block; overflow-x: auto; }}
th, td {{ border: 1px solid #000; padding: .15em .4em; text-align: center; }} td:first-child {{ text-align: left; }}
img.charts {{ width: 100%; height: auto; }}
</style></head><body>
{chr(10).join(parts)}
</body></html>
"""
    return page.encode("utf-8")


def write_brief(region: Region, path: Path, summary: Path) -> str:
    """Write the brief; returns '' or why its charts are missing (no Chinese font: the brief is
    written without them, saying so where they would be)."""
    from ..files.atomic import write_bytes_atomic
    from ..report.plots import NoCJKFont

    ctx = brief_context(region, summary)
    fmt = "png" if path.suffix.lower() == ".docx" else "svg"
    try:
        image = chart_image(ctx, fmt)
        missing = ""
    except NoCJKFont as e:
        image, missing = b"", f"简报“{path}”中的图表未生成。{e}"
    ctx["charts_missing"] = missing
    write_bytes_atomic(path, render_docx(ctx, image) if fmt == "png" else render_html(ctx, image))
    return missing

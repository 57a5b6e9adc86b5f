"""The plain-data context every report renderer is fed (never live objects).

``build_context(report)`` turns a ValidationReport into dicts, lists and
strings only: title, opening paragraph, the six parts with the clerk's text,
the statutory tables as grids (with rowspan/colspan, derived from the same
layout as the workbook) and flat tables for Markdown, the closing and, when
the data has 错误, a draft banner.  Every number is computed here, none typed.
"""

from __future__ import annotations

from typing import Any, Iterator, Sequence

from ..checks.findings import ValidationReport, chinese_date
from ..forms import get_form
from ..forms.data import flat_values
from ..forms.model import Form, Severity, cell_index
from ..template.layout import Layout, SheetLayout
from .words import WORDS, label_units

PART_TABLES = {"二": "table2", "三": "table3", "四": "table4"}
SHORT_TEXT = 60  # a 依申请公开 aspect shorter than this gets the generated paragraph


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").replace("\r", "\n").split("\n") if p.strip()]


def is_long_label(text: str) -> bool:
    """Running text rather than a label of listed words: a label with a character of no word in
    ``words.WORDS`` (none of the statutory labels) may wrap anywhere."""
    return any(len(u) == 1 and "\u4e00" <= u <= "\u9fff" and u not in WORDS for u in label_units(text))


def grid(sl: SheetLayout, values: dict[str, Any], form: Form) -> dict[str, Any]:
    """A table sheet's layout as rows of cells (title and status rows left out).

    Each cell: text, rowspan, colspan, header (a label), numeric (a data cell),
    role (caption | col | row | data) and the defined name of a data cell."""
    specs = cell_index(form)
    placed: dict[tuple[int, int], dict[str, Any]] = {}
    covered: set[tuple[int, int]] = set()
    role = {"caption": "caption", "header": "col", "note": "col", "rowlabel": "row"}
    items = [(lab.area, lab.text, role[lab.style], "") for lab in sl.labels if lab.style != "title"]
    items += [(area, specs[name].kind.format(values.get(name)), "data", name)
              for name, area in sl.cells.items()]
    for area, text, kind, name in items:
        placed[(area.row, area.col)] = {
            "text": text, "rowspan": area.last_row - area.row + 1, "colspan": area.last_col - area.col + 1,
            "header": kind != "data", "numeric": kind == "data", "role": kind, "name": name,
            "units": [] if kind == "data" or is_long_label(text) else label_units(text),  # break points
        }
        covered |= {(r, c) for r in range(area.row, area.last_row + 1)
                    for c in range(area.col, area.last_col + 1)} - {(area.row, area.col)}
    first = min(r for r, _ in placed)
    last_row = max(r + cell["rowspan"] - 1 for (r, _), cell in placed.items())
    ncols = max(c + cell["colspan"] for (_, c), cell in placed.items())
    rows = []
    for r in range(first, last_row + 1):
        row = [placed[(r, c)] for c in range(ncols) if (r, c) in placed]
        rows.append(row)
    head = sl.header_rows[1] - first + 1 if sl.header_rows else 0
    return {"columns": ncols, "header_rows": head, "rows": rows}


def place_cells(rows: Sequence[Sequence[dict[str, Any]]], columns: int) -> Iterator[tuple[int, int, dict[str, Any]]]:
    """(row, column, cell) for HTML-style rows: each cell at the next column not covered by a span."""
    taken = [[False] * columns for _ in rows]
    for r, row in enumerate(rows):
        col = 0
        for cell in row:
            while col < columns and taken[r][col]:
                col += 1
            if col >= columns:
                raise ValueError(f"row {r} has more cells than {columns} columns")
            for rr in range(r, min(r + cell["rowspan"], len(rows))):
                for cc in range(col, min(col + cell["colspan"], columns)):
                    taken[rr][cc] = True
            yield r, col, cell
            col += cell["colspan"]


def _flat_tables(form: Form, values: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Tables without merged cells, for Markdown and plain text."""
    specs = cell_index(form)

    def v(name: str) -> str:
        return specs[name].kind.format(values.get(name))

    t2 = [{"caption": b.caption,
           "header": [form.table2.content_label] + [c.label for c in b.columns],
           "rows": [[r.label] + [v(b.cell_name(r, c)) for c in b.columns] for r in b.rows]}
          for b in form.table2.blocks]
    t3 = [_flat_table3(form, v)]
    t4f = form.table4
    group = {g.key: (t4f.review_label if not g.under_suit else f"{t4f.suit_label}（{g.label}）") for g in t4f.groups}
    t4 = [{"caption": "",
           "header": [f"{group[g.key]}：{c.label}" for g in t4f.groups for c in t4f.columns],
           "rows": [[v(t4f.cell_name(g, c)) for g in t4f.groups for c in t4f.columns]]}]
    return {"table2": t2, "table3": t3, "table4": t4}


INDENT = "\u3000"  # a full-width space: a row under its group label is set in by one character


def _flat_table3(form: Form, v: Any) -> dict[str, Any]:
    """表三 for Markdown: the applicant columns as the header (法人或其他组织's five named in the
    caption), each group label on a row of its own (bold) with its rows set in under it, and the
    勾稽 note under the table."""
    t3f = form.table3
    org = [c.label for c in t3f.columns[1:-1]]
    figures = [c for c in t3f.columns]
    rows: list[list[str]] = []
    strong: list[int] = []

    def add(label: str, row: Any, depth: int) -> None:
        rows.append([INDENT * depth + label] + [v(t3f.cell_name(row, c)) for c in figures])

    def group(label: str, depth: int) -> None:
        strong.append(len(rows))
        rows.append([INDENT * depth + label] + [""] * len(figures))

    for r in t3f.head_rows:
        add(r.label, r, 0)
    group(t3f.results_label, 0)
    for g in t3f.results:
        if g.rows:
            group(g.label, 1)
            for r in g.rows:
                add(r.label, r, 2)
        else:
            add(g.label, g, 1)
    add(t3f.results_total.label, t3f.results_total, 1)
    for r in t3f.tail_rows:
        add(r.label, r, 0)
    caption = (f"{t3f.applicant_label}：{figures[0].label}；{t3f.org_label}（{'、'.join(org)}）；"
               f"{figures[-1].label}")
    return {"caption": caption, "header": [""] + [c.label for c in figures], "rows": rows, "strong": strong,
            "note": "注：" + t3f.balance_note.strip("（）") + "。"}


def request_paragraph(form: Form, data: dict[str, Any]) -> str:
    """The 依申请公开 paragraph, every number computed from table 三 and table 四."""
    t3 = data["table3"]
    col = "total"
    new, carried = t3["new"][col] or 0, t3["carried_over"][col] or 0
    done, carry = t3["total"][col] or 0, t3["carry_forward"][col] or 0
    t4 = data["table4"]
    review = t4["review"]["total"] or 0
    suits = (t4["suit_direct"]["total"] or 0) + (t4["suit_after_review"]["total"] or 0)
    if new + carried == 0:
        text = "本年度未收到政府信息公开申请，无上年结转申请。"
    else:
        text = f"本年度新收政府信息公开申请{new}件，上年结转{carried}件，办结{done}件"
        outcomes = []
        for g in form.table3.results:
            keys = [r.key for r in g.rows] or [g.key]
            n = sum(t3[k][col] or 0 for k in keys)
            if n:
                name = g.label[3:].split("（")[0]  # （二）部分公开（…） -> 部分公开
                share = f"，占{n / done * 100:.1f}%" if done else ""
                outcomes.append(f"{name}{n}件{share}")
        if outcomes:
            text += "，其中" + "；".join(outcomes)
        text += f"；结转下年度继续办理{carry}件。"
    if review or suits:
        text += f"因政府信息公开工作被申请行政复议{review}件、提起行政诉讼{suits}件。"
    else:
        text += "未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
    return text


TO_WRITE = "【待填写：本部分由本级政府撰写】"
NUMERALS = dict(enumerate("零一二三四五六七八九十"))


def build_context(report: ValidationReport) -> dict[str, Any]:
    form = get_form(report.form)
    layout = Layout.of(form)
    data = report.data
    info, text = data["info"], data["text"]
    year = report.year or info.get("year")
    values = flat_values(form, data)
    agency = report.agency or "（机关名称未填写）"
    title = f"{agency}{year}年政府信息公开工作年度报告"
    notice_title = form.notice_title.replace("《", "〈").replace("》", "〉")
    parts_list = "".join(f"“{p.title}”" for p in form.parts)
    opening = (
        f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《{notice_title}》"
        f"（{form.notice}）要求编制，全文包括{parts_list}{NUMERALS[len(form.parts)]}个部分。"
        f"本报告所列数据的统计期限为{year}年1月1日至{year}年12月31日。"
    )
    if info.get("website"):
        opening += f"本报告电子版可在{info['website']}查阅。"
    contact = [f"{label}：{info[key]}" for key, label in
               (("address", "地址"), ("postcode", "邮编"), ("phone", "电话")) if info.get(key)]
    if info.get("contact_dept") or contact:
        who = info.get("contact_dept") or agency
        opening += f"如对本报告有疑问，请与{who}联系" + (f"（{'，'.join(contact)}）" if contact else "") + "。"

    fields = {f.key: f for f in form.text_fields}
    parts = []
    for p in form.parts:
        part: dict[str, Any] = {"number": p.number, "heading": p.heading, "title": p.title,
                                "paragraphs": [], "subsections": [], "table": PART_TABLES.get(p.number, "")}
        section = next((keys for t, keys in form.text_sections if t == p.title), ())
        for key in section:
            f = fields[key]
            body = paragraphs(text.get(key, ""))
            generated = False
            if key == "part1_request" and len("".join(body)) < SHORT_TEXT:
                body.append(request_paragraph(form, data))
                generated = True
            if not body and key in report.to_write:  # a roll-up's part the office writes (checks/rollupdraft.py)
                body = [TO_WRITE]
            if f.label.startswith("（"):
                part["subsections"].append({"title": f.label, "paragraphs": body, "generated": generated})
            else:
                part["paragraphs"].extend(body)
        parts.append(part)
    errors = [{"where": f.where, "rule": f.rule, "message": f.message, "explanation": f.explanation}
              for f in report.sorted_findings() if f.severity is Severity.ERROR]
    explained = [{"where": f.where, "rule": f.rule, "severity": f.severity.value, "message": f.message,
                  "explanation": f.explanation}
                 for f in report.sorted_findings() if f.severity is not Severity.ERROR and f.explanation]
    return {
        "title": title,
        "agency": agency,
        "year": year,
        "form": form.id,
        "notice": form.notice,
        "date": "【成文日期待填写】" if "date" in report.to_write and not info.get("date") else chinese_date(info.get("date")),
        "opening": opening,
        "parts": parts,
        "tables": {key: grid(layout.sheets[key], values, form) for key in ("table2", "table3", "table4")},
        "flat_tables": _flat_tables(form, values),
        "table_notes": {"table2": [f"注：{b.caption}“{c.label}”单位为{c.kind.unit}。"
                                   for b in form.table2.blocks for c in b.columns
                                   if c.kind.money and c.kind.unit not in c.label]},
        "draft": bool(errors),
        "errors": errors,
        "explained": explained,  # warnings and hints the clerk explained (shown in the draft banner)
    }

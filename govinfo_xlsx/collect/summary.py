"""Write the coordinator's SUMMARY.xlsx with xlsxwriter."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any, Iterable

from ..files.atomic import atomic_path
from ..files.celltext import write_value
from ..files.sheetrows import MAX_ROWS, continued
from ..forms import get_form
from ..template.layout import Layout
from ..report.context import grid, place_cells
from .resubmit import SHEET as REPLACED_SHEET
from .resubmit import describe_changes, replaced
from .review import DECISIONS, show_value
from .rounds import summed
from .run import STATUS_ERRORS, STATUS_MISSING, STATUS_OK, STATUS_SUPERSEDED, STATUS_UNREADABLE, STATUS_WARNINGS, Collection

FONT = "宋体"
LIST_LIMIT = 500  # 汇总 lists the summed reports up to this many (a county's or a city's round)
STATUS_COLOURS = {  # a fill of its own for every status
    STATUS_MISSING: ("#E4DFEC", "#5B3A7A"),
    STATUS_UNREADABLE: ("#C00000", "#FFFFFF"),
    STATUS_ERRORS: ("#FFC7CE", "#9C0006"),
    STATUS_WARNINGS: ("#FFE0B2", "#7A4B00"),
    STATUS_OK: ("#C6EFCE", "#006100"),
    STATUS_SUPERSEDED: ("#EDEDED", "#7F7F7F"),
}
ROW_COLUMNS = [("序号", 6), ("机关名称", 30), ("状态", 10), ("备注", 50), ("错误", 6), ("警告", 6), ("提示", 6),
               ("格式", 10), ("年度", 7), ("新收", 7), ("办结", 7), ("结转", 7), ("复议", 7), ("诉讼", 7), ("文件", 50), ("计入汇总", 8),
               ("重复率", 36)]
ROW_KEYS = [None, "agency", "status", "notes", "errors", "warnings", "hints", "form", "year", "new", "done", "carry",
            "review", "suit", "file", "summed", "repetition"]
WRAPPED_ROW_KEYS = {"notes"}
# what the reviewer works with first; the file, the rule and the review key (工作表, 单元格, 填写值, 文件指纹) to the right
FINDING_COLUMNS = [("机关", 24), ("级别", 6), ("位置", 30), ("问题", 60), ("机关的说明", 30), ("审核意见", 10),
                   ("状态", 8), ("文件", 40), ("规则编号", 24), ("工作表", 12), ("单元格", 8), ("填写值", 12),
                   ("文件指纹", 18)]
FINDING_KEYS = ["agency", "severity", "where", "message", "explanation", "review", "state", "file", "rule", "sheet",
                "cell", "value", "fingerprint"]
WRAPPED_FINDING_KEYS = {"where", "message", "explanation"}
REPLACED_COLUMNS = [("机关名称", 28), ("已替换的文件", 45), ("其成文日期", 12), ("以此为准的文件", 45),
                    ("改动的单元格数", 10), ("改动的单元格（原值 → 新值）", 100)]


def build_summary(col: Collection) -> bytes:
    """The summary workbook's bytes."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "summary.xlsx"
        _write(col, path)
        return path.read_bytes()


def write_summary(col: Collection, path: Path, region: Any = None) -> None:
    """Write the summary beside its target and rename it into place (atomic); ``region``: the
    region's figures for the 图表 sheet (collect/region.py; made from ``col`` when None)."""
    with atomic_path(Path(path), suffix=".xlsx") as tmp:
        _write(col, tmp, region)


def _streamed_sheet_class() -> type:
    from xlsxwriter.worksheet import Worksheet

    class StreamedWorksheet(Worksheet):
        """A sheet written row by row through a temporary file: xlsxwriter's constant_memory mode for this
        sheet only (汇总 needs merged cells spanning rows, which that mode cannot write), so the lists of
        a batch of any size never sit in memory, strings included (they are written inline)."""

        def _initialize(self, init_data: dict[str, Any]) -> None:
            super()._initialize({**init_data, "constant_memory": True})

    return StreamedWorksheet


def _write(col: Collection, target: Path, region: Any = None) -> None:
    import xlsxwriter

    from .charts import add_chart_sheet
    from .region import Region

    with tempfile.TemporaryDirectory(prefix="govinfo-summary-") as tmpdir:
        wb = xlsxwriter.Workbook(str(target), {"default_format_properties": {"font_name": FONT}, "tmpdir": tmpdir})
        wb.set_properties({"title": "政府信息公开工作年度报告收集汇总", "author": "govinfo-xlsx",
                           "created": dt.datetime(2000, 1, 1)})
        head = wb.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "align": "center",
                              "valign": "vcenter", "text_wrap": True, "font_name": FONT})
        cell = wb.add_format({"border": 1, "valign": "vcenter", "font_name": FONT})
        streamed = _streamed_sheet_class()
        wrap = wb.add_format({"border": 1, "valign": "top", "text_wrap": True, "font_name": FONT})
        rows = ([i + 1] + [r[k] for k in ROW_KEYS[1:]] for i, r in enumerate(col.rows()))
        ws = wb.add_worksheet("报送情况", worksheet_class=streamed)
        n = _table_sheet(ws, ROW_COLUMNS, rows, head, cell, wrapped={ROW_KEYS.index(k) for k in WRAPPED_ROW_KEYS},
                         wrap=wrap, printed=ROW_KEYS.index("suit") + 1)
        for status, (bg, fg) in STATUS_COLOURS.items():
            ws.conditional_format(1, 2, max(1, n), 2, {
                "type": "cell", "criteria": "==", "value": f'"{status}"',
                "format": wb.add_format({"bg_color": bg, "font_color": fg})})
        findings = (finding_row(f) for f in col.findings())
        for issues, n in continued(lambda name: wb.add_worksheet(name, worksheet_class=streamed), "问题清单", findings,
                                   lambda ws, rows: _table_sheet(ws, FINDING_COLUMNS, rows, head, cell, wrapped={
                                       FINDING_KEYS.index(k) for k in WRAPPED_FINDING_KEYS}, wrap=wrap, frozen_cols=1,
                                       printed=FINDING_KEYS.index("state") + 1),  # the file and the rule: on screen only
                                   lambda text: [text]):
            _review_column(issues, n)
        cells_at: dict[str, dict[str, tuple[int, int]]] = {}  # form -> defined name -> its cell on 汇总
        _totals_sheet(wb, col, head, cell, cells_at)
        _table_sheet(wb.add_worksheet(REPLACED_SHEET, worksheet_class=streamed), REPLACED_COLUMNS,
                     ([r["agency"], r["file"], r["date"], r["submission"], len(r["changes"]),
                       describe_changes(r["changes"])] for r in replaced(col.store)), head, cell)
        _table_sheet(wb.add_worksheet("规则统计"), [("规则编号", 30), ("级别", 6), ("说明", 70), ("未通过的文件数", 14)],
                     ([s["rule"], s["severity"], s["description"], s["files"]] for s in col.rule_stats()), head, cell)
        add_chart_sheet(wb, region if region is not None else Region(col), cells_at, head, cell,
                        ROW_KEYS.index("status"))
        if getattr(col, "scoring", None) is not None:
            from ..checks.scoring import batch_scores, write_sheet

            scores = batch_scores(col.scoring, col.rows(), col.findings(), STATUS_MISSING,
                                  (STATUS_SUPERSEDED, STATUS_UNREADABLE))
            write_sheet(wb, scores, head, cell, col.scoring.start, write_value)
        wb.close()


def _review_column(ws: Any, n: int) -> None:
    review_column(ws, n, FINDING_KEYS.index("review"))


def review_column(ws: Any, n: int, c: int) -> None:
    """The 审核意见 column ``c``, ready to fill: a list of the two decisions (the next round's --review reads it)."""
    ws.data_validation(1, c, min(max(n, 1) + 1000, MAX_ROWS), c, {
        "validate": "list", "source": list(DECISIONS), "ignore_blank": True,
        "input_title": "审核意见", "input_message": "已核实：接受，无需修改；需修改：退回机关修改。留空：未审核。"
                                                    "下一轮 collect --review 本表即沿用。",
        "error_title": "审核意见", "error_message": "请选择“已核实”或“需修改”，或留空。"})


def where(f: dict[str, Any]) -> str:
    """A finding's place as a reviewer reads it: 表三 依申请公开!D6（一、本年新收／自然人）."""
    place = "!".join(x for x in (f.get("sheet"), f.get("cell")) if x)
    labels = "／".join(x for x in (f.get("row_label"), f.get("col_label")) if x)
    return f"{place}（{labels}）" if place and labels else place or labels


def finding_row(f: dict[str, Any]) -> list[Any]:
    """One row of 问题清单, in FINDING_KEYS' order."""
    return [{**f, "value": show_value(f["actual"]), "where": where(f)}.get(k) for k in FINDING_KEYS]


def _table_sheet(ws: Any, columns: list[tuple[str, int]], rows: Iterable[list[Any]], head: Any, cell: Any,
                 wrapped: set[int] = frozenset(), wrap: Any = None, frozen_cols: int = 0,
                 printed: int | None = None) -> int:
    """A list with a header row, filters and frozen header (and ``frozen_cols`` first columns), the
    ``wrapped`` columns' text wrapped (each row as tall as its longest text), written in row order;
    printed landscape, fit to the page's width (the first ``printed`` columns only, when given), the
    header on every page. Returns the number of rows."""
    for c, (label, width) in enumerate(columns):
        ws.set_column(c, c, width)
        ws.write_string(0, c, label, head)
    n = 0
    for n, row in enumerate(rows, start=1):
        lines = max((text_lines(row[c], columns[c][1]) for c in wrapped if c < len(row)), default=1)
        if lines > 1:  # no application measures a row of wrapped text when it opens the file
            ws.set_row(n, ROW_HEIGHT * lines)
        for c, v in enumerate(row):
            write_value(ws, n, c, v, wrap if c in wrapped else cell)
    ws.autofilter(0, 0, max(n, 1), len(columns) - 1)
    ws.freeze_panes(1, frozen_cols)
    _print_setup(ws)
    ws.repeat_rows(0)
    if printed:
        ws.print_area(0, 0, max(n, 1), printed - 1)
    return n


ROW_HEIGHT = 14.4  # points per line of 11-point text
MAX_LINES = 12


def text_lines(v: Any, width: int) -> int:
    """How many lines a text takes in a column ``width`` characters wide (a Chinese character is two)."""
    if not isinstance(v, str) or not v:
        return 1
    units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in v)
    return min(MAX_LINES, -(-units // max(1, int(width * 0.8))))


def _print_setup(ws: Any) -> None:
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)


def _totals_sheet(wb: Any, col: Collection, head: Any, cell: Any,
                  cells_at: dict[str, dict[str, tuple[int, int]]] | None = None) -> None:
    ws = wb.add_worksheet("汇总")
    _print_setup(ws)
    title = wb.add_format({"bold": True, "font_size": 13, "font_name": FONT})
    num = wb.add_format({"border": 1, "align": "center", "valign": "vcenter", "font_name": FONT})
    label = wb.add_format({"border": 1, "valign": "vcenter", "text_wrap": True, "font_name": FONT})
    ws.set_column(0, 0, 14)
    ws.set_column(1, 1, 16)
    ws.set_column(2, 2, 40)
    ws.set_column(3, 14, 10)
    ws.write_string(0, 0, round_title(col), title)
    ws.freeze_panes(1, 0)
    r = 2
    if not col.totals:
        ws.write_string(r, 0, "没有可汇总的报告（只汇总可以读取且没有错误的报告）。", title)
        return
    for form_id in sorted(col.totals):
        form = get_form(form_id)
        entry = col.totals[form_id]
        ws.write_string(r, 0, f"{form.notice}格式：{entry['count']}份无错误报告之和" + _counting_note(entry), title)
        r += 2
        layout = Layout.of(form)
        for key in ("table2", "table3", "table4"):
            sl = layout.sheets[key]
            ws.write_string(r, 0, next(lab.text for lab in sl.labels if lab.style == "title"), title)
            r += 1
            g = grid(sl, entry["values"], form)
            for rr, cc, c in place_cells(g["rows"], g["columns"]):
                fmt = num if c["numeric"] else (head if c["role"] in ("col", "caption") else label)
                value: Any = c["text"]
                if c["numeric"]:
                    if cells_at is not None:
                        cells_at.setdefault(form_id, {})[c["name"]] = (r + rr, cc)
                    v = entry["values"].get(c["name"])
                    # a sum of floats to its cell's own decimals (0.038万元 stays 0.038), float noise gone
                    value = round(v, layout.specs[c["name"]].kind.decimals) if isinstance(v, float) else v
                if c["rowspan"] > 1 or c["colspan"] > 1:
                    ws.merge_range(r + rr, cc, r + rr + c["rowspan"] - 1, cc + c["colspan"] - 1, "", fmt)
                if isinstance(value, (int, float)):
                    ws.write_number(r + rr, cc, value, fmt)
                else:
                    ws.write_string(r + rr, cc, str(value), fmt)
            r += len(g["rows"]) + 1
    r += 1
    count = sum(entry["count"] for entry in col.totals.values())
    if count > LIST_LIMIT:  # a province's batch: the list would hold every path in memory
        ws.write_string(r, 0, f"计入汇总的报告（{count}份）：见“报送情况”表“计入汇总”列为“是”的行。", title)
        return
    ws.write_string(r, 0, f"计入汇总的报告（{count}份，另见“报送情况”表“计入汇总”列）", title)
    r += 1
    for c, text in enumerate(("序号", "机关", "文件")):
        ws.write_string(r, c, text, head)
    for i, (agency, source) in enumerate(summed(col.store), start=1):
        ws.write_number(r + i, 0, i, cell)
        ws.write_string(r + i, 1, agency or "", cell)
        ws.write_string(r + i, 2, file_name(source), cell)


def file_name(label: str) -> str:
    """A file's name without the folders above it (an archive's member keeps its archive's name)."""
    head, sep, member = label.partition("!")
    return head.replace("\\", "/").rsplit("/", 1)[-1] + sep + member


def round_title(col: Collection) -> str:
    """The round's year and where it came from, as the 汇总 sheet's first line states it."""
    if col.year is None:
        return "报告年度：未指定，本批文件的年度不一（请用 --year 或本办配置的 year 指定）"
    basis = {"指定": "", "报送名单": "（按报送名单）", "本批多数文件": "（未指定，按本批多数文件的年度）"}
    return f"{col.year}年度政府信息公开工作年度报告汇总{basis.get(col.year_basis, '')}"


def _counting_note(entry: dict[str, Any]) -> str:
    note = "（内容完全相同的重复文件只计一次"
    if entry.get("agencies_twice"):
        note += f"；有{entry['agencies_twice']}个机关报送了多份内容不同的报告，均已计入，请核实"
    return note + "）"

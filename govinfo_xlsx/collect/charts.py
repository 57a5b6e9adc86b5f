"""The 图表 sheet of SUMMARY.xlsx: native charts drawn from the 汇总 and 报送情况 cells.

Charts need contiguous ranges and the 汇总 sheet keeps the statutory layout, so the sheet holds a
small data block (columns A–F) whose cells are formulas over the 汇总 cells (and COUNTIF over the
报送情况 status column), each with the value it computes cached; the charts' series point at the
block. Excel, WPS and LibreOffice therefore draw them from the 汇总 figures and redraw them when
those change. Earlier years (``--history``, ``--prior-dir``) are numbers: they are not in this
workbook.
"""

from __future__ import annotations

from typing import Any

from ..template.layout import a1, quote_sheet
from ..report.figures import (FigureSpec, applicant_specs, outcome_specs, t4_columns, t4_specs, trend_specs,
                              whole)
from .region import Region

SHEET = "图表"
TOTALS_SHEET = "汇总"
STATUS_SHEET = "报送情况"
CHART_COLUMN = 7  # charts start in column H, right of the data block
CHART_SIZE = {"width": 620, "height": 300}
CHART_ROWS = 16  # rows one chart takes (300 px at the default 20 px row height, plus a gap)
COLOURS = ("#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47", "#264478", "#9E480E")


def status_order(counts: dict[str, int]) -> list[str]:
    from .run import STATUS_ERRORS, STATUS_MISSING, STATUS_OK, STATUS_SUPERSEDED, STATUS_UNREADABLE, STATUS_WARNINGS

    order = [STATUS_OK, STATUS_WARNINGS, STATUS_ERRORS, STATUS_UNREADABLE, STATUS_MISSING, STATUS_SUPERSEDED]
    return [s for s in order if s != STATUS_SUPERSEDED or counts.get(s)] + sorted(set(counts) - set(order))


def cell_formula(spec: FigureSpec, where: dict[str, tuple[int, int]]) -> str | None:
    """The formula over the 汇总 cells of a figure, or None when a cell is not on the sheet."""
    refs = []
    for name in spec.names:
        if name not in where:
            return None
        refs.append(f"{quote_sheet(TOTALS_SHEET)}!{a1(*where[name])}")
    return "=" + "+".join(refs) if refs else None


def add_chart_sheet(wb: Any, region: Region, where: dict[str, dict[str, tuple[int, int]]], head: Any,
                    cell: Any, status_column: int) -> None:
    """Write the 图表 sheet; ``where``: form id -> defined name -> (row, col) of its cell on 汇总;
    ``status_column``: the (0-based) column of the status on 报送情况."""
    ws = wb.add_worksheet(SHEET)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    title = wb.add_format({"bold": True, "font_size": 13})
    note = wb.add_format({"italic": True, "font_color": "#595959"})
    num = wb.add_format({"border": 1, "align": "center"})
    ws.set_column(0, 0, 22)
    ws.set_column(1, 5, 11)
    ws.write_string(0, 0, "图表", title)
    ws.write_string(1, 0, "左侧数据取自“汇总”表和“报送情况”表（公式，随其数字重新计算）；"
                          "往年数字取自往年导出的开放数据或上年报送的工作簿。", note)
    blocks = Blocks(wb, ws, head, cell, num)
    counts = dict(region.col.counts())
    letters = a1(0, status_column, absolute=False)[:-1]  # the status column, e.g. "C"
    column = f"{quote_sheet(STATUS_SHEET)}!${letters}:${letters}"
    statuses = status_order(counts)
    blocks.block("报送情况（份）", ["份数"], [
        (s, [(f'=COUNTIF({column},"{s}")', counts.get(s, 0))]) for s in statuses])
    blocks.chart("bar", "报送情况", 1, data_labels=True, legend=False, colours=True)
    current = region.current
    if current is None:
        ws.write_string(blocks.row, 0, "没有可汇总的报告，未画申请和结果图表。", note)
        return
    cells = where.get(current.form.id, {})

    def refs(specs: list[FigureSpec]) -> list[tuple[str, list[tuple[str | None, Any]]]]:
        return [(s.label, [(cell_formula(s, cells), whole(current.value(s)))]) for s in specs]

    blocks.block("本年新收申请（按申请人类型）", ["件数"], refs(applicant_specs(current.form)))
    blocks.chart("column", "本年新收申请：按申请人类型", 1, data_labels=True, legend=False, colours=True)
    blocks.block("申请办理结果（表三总计）", ["件数"], refs(outcome_specs(current.form)))
    blocks.chart("pie", "申请办理结果", 1, data_labels=True, legend=True)
    labels = [c.label for c in t4_columns(current.form)]
    blocks.block("行政复议、行政诉讼结果（表四）", labels, [
        (label, [(cell_formula(s, cells), whole(current.value(s))) for s in specs])
        for label, specs in t4_specs(current.form)])
    blocks.chart("bar", "行政复议、行政诉讼结果", len(labels), data_labels=True, legend=True, stacked=True)
    years = region.years
    if len(years) > 1:
        specs = trend_specs(current.form)
        rows = []
        for yf in years:
            mine = yf is current
            own = {s.label: s for s in trend_specs(yf.form)}  # the same labels in either format
            rows.append((f"{yf.year}年", [(cell_formula(s, cells) if mine else None, whole(yf.value(own[s.label])))
                                          for s in specs]))
        blocks.block("历年情况（件）", [s.label for s in specs], rows)
        blocks.chart("column", "历年情况", len(specs), data_labels=False, legend=True)


class Blocks:
    """The data block, one small table after another, and each table's chart beside it."""

    def __init__(self, wb: Any, ws: Any, head: Any, cell: Any, num: Any) -> None:
        self.wb, self.ws, self.head, self.cell, self.num = wb, ws, head, cell, num
        self.row = 3
        self.chart_row = 3
        self.last: tuple[int, int, int] = (0, 0, 0)  # header row, first data row, last data row

    def block(self, title: str, columns: list[str], rows: list[tuple[str, list[tuple[str | None, Any]]]]) -> None:
        ws = self.ws
        top = max(self.row, self.chart_row)  # each block beside its chart
        ws.write_string(top, 0, title, self.head)
        for c, label in enumerate(columns, start=1):
            ws.write_string(top, c, label, self.head)
        for i, (label, values) in enumerate(rows, start=1):
            ws.write_string(top + i, 0, label, self.cell)
            for c, (formula, value) in enumerate(values, start=1):
                if formula:
                    ws.write_formula(top + i, c, formula, self.num, value)
                else:
                    ws.write_number(top + i, c, value, self.num)
        self.last = (top, top + 1, top + len(rows))
        self.row = top + len(rows) + 2

    def chart(self, kind: str, title: str, n_series: int, *, data_labels: bool, legend: bool,
              stacked: bool = False, colours: bool = False) -> None:
        head, first, last = self.last
        chart = self.wb.add_chart({"type": kind, **({"subtype": "stacked"} if stacked else {})})
        for s in range(n_series):
            series: dict[str, Any] = {
                "name": [SHEET, head, s + 1],
                "categories": [SHEET, first, 0, last, 0],
                "values": [SHEET, first, s + 1, last, s + 1],
            }
            if data_labels:
                series["data_labels"] = {"value": True}
            if kind == "pie" or colours:
                series["points"] = [{"fill": {"color": COLOURS[i % len(COLOURS)]}} for i in range(last - first + 1)]
            elif kind != "pie":
                series["fill"] = {"color": COLOURS[s % len(COLOURS)]}
            chart.add_series(series)
        chart.set_title({"name": title, "name_font": {"size": 12, "bold": True}})
        if legend:
            chart.set_legend({"position": "bottom"})
        else:
            chart.set_legend({"none": True})
        if kind == "bar":  # the categories top to bottom, in the block's order; whole numbers on the axis
            chart.set_y_axis({"reverse": True})  # (xlsxwriter's y axis of a bar chart is the category axis)
            chart.set_x_axis({"num_format": "0", "min": 0})
        elif kind == "column":
            chart.set_y_axis({"num_format": "0", "min": 0})
        chart.set_size(CHART_SIZE)
        self.ws.insert_chart(head, CHART_COLUMN, chart)
        self.chart_row = head + CHART_ROWS

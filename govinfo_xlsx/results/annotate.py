"""An annotated copy of the clerk's workbook: problem cells red, with a comment each."""

from __future__ import annotations

import io
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from ..files.atomic import write_bytes_atomic
from ..errors import GovinfoError
from ..checks.findings import ValidationReport
from ..files.safetext import xml_text
from ..reading.openbook import load_book

if TYPE_CHECKING:  # pragma: no cover
    from ..reading.reader import RawWorkbook

FILL = "FFC7CE"


def annotate(report: ValidationReport, source: bytes | RawWorkbook, out: Path) -> Path:
    """Write a copy of ``source`` with the findings marked: the workbook as ``ingest.read`` read it for
    the report (nothing is read again), or its bytes (then read once here)."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    raw = None if isinstance(source, bytes) else source
    data = source if isinstance(source, bytes) else source.package.data
    wb = load_book(io.BytesIO(data))  # the copy is written by openpyxl
    notes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for f in report.sorted_findings():
        if f.cell and f.sheet in wb.sheetnames:
            said = f"\n说明：{f.explanation}" if f.explanation else ""
            notes[(f.sheet, f.cell)].append(f"[{f.rule}] {f.severity.value}：{f.message}{said}")
    fill = PatternFill("solid", fgColor=FILL)
    for (sheet, cell), texts in notes.items():
        c = wb[sheet][cell]
        c.fill = fill
        comment = Comment(xml_text("\n".join(texts)), "govinfo-xlsx")  # clerk text may hold control characters
        comment.width, comment.height = 320, 40 + 60 * len(texts)
        c.comment = comment
    _fit_text_rows(report, wb)
    buf = io.BytesIO()
    wb.save(buf)
    copy = buf.getvalue()
    if not any(f.rule.startswith("structure-") for f in report.findings):  # our layout: give the
        if raw is None:  # formulas the values they compute (openpyxl drops them)
            from ..reading.intake import open_package
            from ..reading.reader import read_raw

            raw = read_raw(open_package(report.path, data))
        parts = {ws.title: ws.path.lstrip("/") for ws in wb.worksheets}  # where openpyxl just wrote each sheet
        copy = _cached(report, raw, copy, parts)
    write_bytes_atomic(out, copy)
    return out


def _fit_text_rows(report: ValidationReport, wb: object) -> None:
    """The 文字部分 rows as tall as their text (openpyxl would save them at a fixed height, so a
    long part would be cut off in the copy), as the template sizes them."""
    from ..forms import get_form
    from ..template.layout import MAX_ROW_HEIGHT, TEXT_ROW_HEIGHT, Layout, text_height
    from ..template.writer import TEXT_LINE

    try:
        sl = Layout.of(get_form(report.form)).sheets["text"]
    except (KeyError, GovinfoError):
        return
    if sl.name not in wb.sheetnames:  # type: ignore[attr-defined]
        return
    ws = wb[sl.name]  # type: ignore[index]
    for area in sl.cells.values():
        text = ws.cell(area.row + 1, area.col + 1).value
        if isinstance(text, str) and text:
            need = text_height(text, sl.widths[area.col], TEXT_LINE)
            ws.row_dimensions[area.row + 1].height = min(MAX_ROW_HEIGHT, max(TEXT_ROW_HEIGHT, need))


def _cached(report: ValidationReport, raw: RawWorkbook, annotated: bytes, parts: dict[str, str]) -> bytes:
    """``annotated`` (its sheets in the zip members ``parts``) with every formula's cached value
    computed from the cells of ``raw``, the workbook it is a copy of."""
    from ..forms import get_form
    from ..forms.model import PRIOR
    from ..template.layout import Layout
    from ..template.writer import formula_values, with_cached_values

    form = get_form(report.form)
    layout = Layout.of(form)

    def value(sheet: str, ref: str) -> object:
        from ..template.layout import row_col

        return raw.value(sheet, *row_col(ref))

    values = {}
    for name, spec in layout.specs.items():
        sheet, ref = raw.names.get(name) or layout.address(name)
        if sheet in raw.sheets and (spec.is_input or ref not in raw.formula_cells(sheet)):
            values[name] = value(sheet, ref)  # inputs, and totals typed over (as the spreadsheet sees them)
    prior = {n: value(*dest) for n, dest in raw.names.items() if n.startswith(PRIOR) and dest[0] in raw.sheets}
    year = report.year if isinstance(report.year, int) else form.first_year
    return with_cached_values(annotated, formula_values(form, year, values, prior), parts)

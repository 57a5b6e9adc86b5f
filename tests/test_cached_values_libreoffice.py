"""Every formula cell is written with the value it computes, so a viewer that does not recalculate
(Excel's Protected View, WPS and phone previews) shows the truth.  (LibreOffice gives its values as a CSV
of every sheet: the full numbers, not as shown.)

For blank and prefilled templates of both formats (and a --prior template), and for the annotated
copies ingest writes of filled workbooks, the cached value of every formula cell equals what
LibreOffice computes when it recalculates the workbook.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import CASES, require_libreoffice
from fill import consistent_values, fill
from libreoffice import csv_cells, recalc_sheets

from govinfo_xlsx.results.annotate import annotate
from govinfo_xlsx.forms.data import with_totals
from govinfo_xlsx.checks.ingest import ingest
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.forms.model import prior_name as prior
from govinfo_xlsx.forms.organs import GOVERNMENT, TOWNSHIP
from govinfo_xlsx.template.writer import write_template

pytestmark = pytest.mark.libreoffice


def _templates(form, year) -> dict[str, dict[str, Any]]:
    """name -> write_template arguments."""
    base = consistent_values(form, year)
    mistakes = {**base, "T3_new_natural": "12件", "T3_granted_legal": 0.5, "T4_review_upheld": None,
                "INFO_kind": GOVERNMENT, "INFO_date": dt.datetime(year + 1, 4, 2), "TEXT_part6": None}
    local = {**base, "INFO_kind": TOWNSHIP, "INFO_date": dt.datetime(year + 1, 2, 20)}
    last = with_totals(form, consistent_values(form, year - 1 if form.covers(year - 1) else year))
    carried = {prior(n): v for n, v in last.items() if n.startswith("T3_carry_forward_")}
    carried[prior("T3_carry_forward_natural")] += 2  # one column does not carry over
    return {
        "blank": {},
        "agency": {"agency": "某某县人民政府"},
        "consistent": {"values": base},
        "mistakes": {"values": mistakes},
        "local": {"values": local},
        "prior": {"values": base, "prior_values": carried},
    }


def _cells(path: Path, formulas_only: set[tuple[str, str]] | None = None) -> dict[tuple[str, str], Any]:
    """{(sheet, A1): formula} of every formula cell (openpyxl, read-only: it streams the cells without building
    the workbook); with ``formulas_only``, the stored values of those cells (python-calamine: a few
    milliseconds a workbook; a blank stored value is None)."""
    if formulas_only is None:
        import openpyxl

        out = {}
        wb = openpyxl.load_workbook(path, read_only=True)
        try:
            for ws in wb.worksheets:
                for row in ws.iter_rows():
                    for c in row:
                        if c.data_type == "f" or type(c.value).__name__ == "ArrayFormula":
                            out[ws.title, c.coordinate] = c.value
        finally:
            wb.close()
        return out
    from openpyxl.utils import get_column_letter
    from python_calamine import CalamineWorkbook

    wanted: dict[str, set[str]] = {}
    for sheet, ref in formulas_only:
        wanted.setdefault(sheet, set()).add(ref)
    values = {}
    wb = CalamineWorkbook.from_path(str(path))
    try:
        for sheet, refs in wanted.items():
            rows = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            for r, row in enumerate(rows, 1):
                for c, value in enumerate(row, 1):
                    ref = f"{get_column_letter(c)}{r}"
                    if ref in refs:
                        values[sheet, ref] = None if value == "" else value
    finally:
        wb.close()
    return values


def _same_as_text(cached: Any, text: str) -> bool:
    """A stored value equals what LibreOffice computed, as its CSV gives it (the full number, not as
    shown; TRUE/FALSE; an empty field for an empty result).  A date would be formatted: none is computed,
    and one would be reported here rather than passed."""
    if isinstance(cached, bool):
        return text == str(cached).upper()
    if isinstance(cached, (int, float)):
        try:
            return abs(float(text) - cached) < 1e-9
        except ValueError:
            return False
    if cached is None:
        return text == ""
    return isinstance(cached, str) and cached == text


def _annotated(template: Path, values: dict[str, Any], out: Path) -> Path:
    """The annotated copy ingest writes of a workbook the clerk filled (openpyxl drops every cached value)."""
    filled = fill(template, values, out.with_suffix(".filled.xlsx"))
    report = ingest(filled)
    assert not any(f.rule.startswith("structure-") for f in report.findings)
    return annotate(report, filled.read_bytes(), out)


def test_cached_values_equal_libreoffice(tmp_path):
    require_libreoffice()
    written: list[Path] = []
    for form_id, year in CASES:
        form = form_for_year(year)
        for name, kwargs in _templates(form, year).items():
            written.append(write_template(form, year, tmp_path / f"{form_id}-{name}.xlsx", **kwargs))
            if "values" in kwargs and "prior" not in kwargs:
                blank = write_template(form, year, tmp_path / f"{form_id}-t.xlsx")
                written.append(_annotated(blank, kwargs["values"], tmp_path / f"{form_id}-{name}-annotated.xlsx"))
    outs = recalc_sheets(written, tmp_path / "recalculated")
    for path, sheets in zip(written, outs):
        formulas = set(_cells(path))
        assert len(formulas) > 100, path.name
        cached = _cells(path, formulas)
        assert set(cached) == formulas
        computed = {sheet: csv_cells(csv) for sheet, csv in sheets.items()}
        wrong = {(s, ref): (cached[s, ref], computed[s].get(ref)) for s, ref in formulas
                 if not _same_as_text(cached[s, ref], computed[s].get(ref, ""))}
        assert wrong == {}, path.name

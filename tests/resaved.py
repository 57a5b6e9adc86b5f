"""Workbooks opened and saved again by another program (test helper): what is sent, and the check
that the saved copy reads as the workbook did."""

from __future__ import annotations

from pathlib import Path

from fill import consistent_values

from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.checks.ingest import ingest
from govinfo_xlsx.template.writer import build_template


def filled_as_sent(year: int, folder: Path) -> Path:
    """folder/in/filled.xlsx: the workbook as make-template writes it (xlsxwriter: shared strings,
    custom properties), filled with consistent values but one broken balance, so that there is
    something to report."""
    form = form_for_year(year)
    values = consistent_values(form, year)
    values["T3_new_natural"] += 1
    (folder / "in").mkdir(parents=True, exist_ok=True)
    path = folder / "in" / "filled.xlsx"
    path.write_bytes(build_template(form, year, values=values))
    return path


def assert_reads_as_filled(filled: Path, saved: Path, form_id: str) -> list[tuple]:
    """The saved copy is recognised as ``form_id`` and has the data and findings (rule, cell,
    severity) of the workbook as filled; returns those findings."""
    direct, through = ingest(filled), ingest(saved)
    assert through.form == direct.form == form_id
    assert through.data == direct.data
    found = [(f.rule, f.cell, f.severity) for f in through.findings]
    assert found == [(f.rule, f.cell, f.severity) for f in direct.findings]
    return found

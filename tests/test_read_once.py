"""One workbook through ingest → annotated copy is read once: one file read, one parse of its package,
whatever is done with it afterwards (checked again with last year's data, annotated)."""

from __future__ import annotations

import pathlib

import openpyxl
import pytest
from openpyxl import load_workbook as load
from fill import consistent_values, fill

from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.reading import reader
from govinfo_xlsx.results.pipeline import check_workbook
from govinfo_xlsx.template.prior import load_prior
from govinfo_xlsx.template.writer import write_template

FORM = form_for_year(2026)


@pytest.fixture
def counted(monkeypatch):
    """Counts of: reads of a file's bytes (by path), workbooks parsed (``RawWorkbook`` made), and
    workbooks loaded by openpyxl."""
    counts = {"files": {}, "parsed": 0, "openpyxl": 0}
    read_bytes, raw_init = pathlib.Path.read_bytes, reader.RawWorkbook.__init__

    def counting_read_bytes(self):
        counts["files"][self.name] = counts["files"].get(self.name, 0) + 1
        return read_bytes(self)

    def counting_init(self, *args, **kwargs):
        counts["parsed"] += 1
        raw_init(self, *args, **kwargs)

    def counting_load(*args, **kwargs):
        counts["openpyxl"] += 1
        return load(*args, **kwargs)  # the real one, not the counter

    monkeypatch.setattr(pathlib.Path, "read_bytes", counting_read_bytes)
    monkeypatch.setattr(reader.RawWorkbook, "__init__", counting_init)
    monkeypatch.setattr(openpyxl, "load_workbook", counting_load)
    return counts


def _filled(template, tmp_path, name="本年.xlsx"):
    v = consistent_values(FORM, 2026)
    v["INFO_phone"] = None  # a 警告 at a cell: the copy has something to mark
    return fill(template, v, tmp_path / name)


def test_an_annotated_check_reads_the_workbook_once(template, tmp_path, counted):
    path = _filled(template, tmp_path)
    counted.update(files={}, parsed=0, openpyxl=0)  # from here on
    checked = check_workbook(path, annotate_dir=tmp_path / "批注", annotate_stem="本年.校验批注")
    assert checked.annotated is not None and checked.annotate_error is None
    assert counted["files"] == {"本年.xlsx": 1}  # ingest and the copy share one read of the file
    assert counted["parsed"] == 1  # the copy's cached values come from ingest's read, not a second parse
    assert counted["openpyxl"] == 1  # the copy itself
    wb = load(checked.annotated, data_only=True)  # the copy as Excel's Protected View shows it
    marked = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment is not None]
    assert any("[info-phone]" in c.comment.text for c in marked)
    total = FORM.table3.cell_name(FORM.table3.results_total, FORM.table3.total_column)
    sheet, ref = next(iter(wb.defined_names[total].destinations))
    assert wb[sheet][ref.replace("$", "")].value == checked.report.data["table3"][FORM.table3.results_total.key][FORM.table3.total_column.key]


def test_a_looked_up_prior_checks_the_same_read_again(template, tmp_path, counted, monkeypatch):
    from govinfo_xlsx.checks import ingest

    form = form_for_year(2025)
    last = load_prior(fill(write_template(form, 2025, tmp_path / "模板2025.xlsx"), consistent_values(form, 2025),
                           tmp_path / "上年.xlsx"))
    path = _filled(template, tmp_path)
    runs, seen = [], []
    run = ingest._Validation.run
    monkeypatch.setattr(ingest._Validation, "run", lambda self: runs.append(self.prior) or run(self))
    counted.update(files={}, parsed=0, openpyxl=0)  # from here on
    check_workbook(path, prior=lambda agency: seen.append(agency) or last)
    assert len(seen) == 1
    assert runs == [None, last]  # checked alone, then against last year's data
    assert counted["files"] == {"本年.xlsx": 1} and counted["parsed"] == 1  # from one read

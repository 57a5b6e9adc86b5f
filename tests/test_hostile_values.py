"""Hostile values in any cell: ingest, collect and every output format stay calm.

Times, a 0 in a date, NaN, inf, error values, absurd dates and years, control characters and
32,767-character texts become findings with clear Chinese messages (or, for what no reader can make
sense of, one Chinese line naming the file), never a traceback, never invalid JSON, never a lost batch.
"""

from __future__ import annotations

import json

import pytest
from fill import consistent_values, fill
from hostile import collect_rows, date_style, run_cli, set_cell_xml, snapshot

from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.report.formats import FORMATS
from govinfo_xlsx.template.layout import Layout
from govinfo_xlsx.template.writer import write_template

FORM = form_for_year(2026)
LAYOUT = Layout(FORM)


def _at(name):
    return LAYOUT.address(name)


@pytest.fixture(scope="module")
def valid(tmp_path_factory) -> bytes:
    d = tmp_path_factory.mktemp("valid")
    template = write_template(FORM, 2026, d / "template.xlsx")
    return fill(template, consistent_values(FORM, 2026), d / "valid.xlsx").read_bytes()


def _cell(valid, name, inner, t="n", date=False):
    sheet, ref = _at(name)
    style = date_style(valid, sheet, ref) if date else None
    return set_cell_xml(valid, sheet, ref, inner, t, style)


def _agency(valid, name):
    return _cell(valid, "INFO_agency", f"<is><t>{name}</t></is>", "inlineStr")


# name -> (bytes maker, rule the finding must carry, words in its message)
CASES = {
    "time-in-date": (lambda v: _cell(v, "INFO_date", "<v>0.4375</v>", date=True), "info-date", "是时间"),
    "zero-in-date": (lambda v: _cell(v, "INFO_date", "<v>0</v>", date=True), "info-date", "“0”"),
    "huge-date": (lambda v: _cell(v, "INFO_date", "<v>1e308</v>", date=True), "info-date", "不是有效的日期"),
    "nan-date": (lambda v: _cell(v, "INFO_date", "<v>NaN</v>", date=True), "info-date", "不是有效的日期"),
    "date-as-text-9999": (lambda v: _cell(v, "INFO_date", "<is><t>99999年1月1日</t></is>", "inlineStr"),
                          "info-date", "不是日期"),
    "year-20255": (lambda v: _cell(v, "INFO_year", "<v>20255</v>"), "info-year", "报告年度"),
    "year-9999": (lambda v: _cell(v, "INFO_year", "<v>9999</v>"), "info-year", "报告年度"),
    "nan-count": (lambda v: _cell(v, "T3_new_natural", "<v>NaN</v>"), "t3-inputs", "不是有效的数字"),
    "inf-count": (lambda v: _cell(v, "T3_new_natural", "<v>INF</v>"), "t3-inputs", "不是有效的数字"),
    "minus-inf-count": (lambda v: _cell(v, "T4_review_upheld", "<v>-inf</v>"), "t4-inputs", "不是有效的数字"),
    "div0": (lambda v: _cell(v, "T3_new_natural", "<f>1/0</f><v>#DIV/0!</v>", "e"), "cell-error-value", "#DIV/0!"),
    "ref": (lambda v: _cell(v, "T4_review_upheld", "<v>#REF!</v>", "e"), "cell-error-value", "#REF!"),
    "na-in-agency": (lambda v: _cell(v, "INFO_agency", "<v>#N/A</v>", "e"), "cell-error-value", "#N/A"),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_ingest_reports_odd_values_as_findings(valid, tmp_path, capsys, kind):
    make, rule, words = CASES[kind]
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(make(valid))
    before = snapshot(tmp_path)
    out = tmp_path / "报告"
    code, stdout, err = run_cli(capsys, ["ingest", str(path), "--json", str(tmp_path / "r.json"), "-o", str(out),
                                         "--annotate", str(tmp_path / "批注")])
    assert code == 1, err
    if not list((tmp_path / "批注").iterdir()):  # openpyxl could not load it: said in one line, nothing lost
        assert "无法生成标注副本" in err and len(err.strip().splitlines()) == 1 + len(list(out.iterdir()))
    doc = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"), parse_constant=_refuse)
    hits = [f for f in doc["findings"] if f["rule"] == rule]
    assert hits and any(words in f["message"] for f in hits), doc["findings"]
    assert f"[{rule}]" in stdout
    assert {p.suffix for p in out.iterdir()} == {f".{f}" for f in (*FORMATS, "json")}  # every output format
    for p in out.iterdir():
        if p.suffix == ".json":
            json.loads(p.read_text(encoding="utf-8"), parse_constant=_refuse)
    assert {k: v for k, v in snapshot(tmp_path).items() if not k.startswith(("报告", "r.json", "批注"))} == before


def _refuse(name):
    raise AssertionError(f"invalid JSON constant {name}")


def test_a_panic_in_the_value_reader_is_one_line(valid, tmp_path):
    """-inf in a date cell makes calamine panic (a BaseException, and Rust prints the panic and a
    backtrace straight to file descriptor 2): one Chinese line on the real stderr, exit 2."""
    import os
    import subprocess
    import sys

    path = tmp_path / "坏日期.xlsx"
    path.write_bytes(_cell(valid, "INFO_date", "<v>-inf</v>", date=True))
    run = subprocess.run([sys.executable, "-m", "govinfo_xlsx", "ingest", str(path)], capture_output=True,
                         text=True, env={**os.environ, "RUST_BACKTRACE": "1"})
    err = run.stderr.strip().splitlines()
    assert run.returncode == 2 and len(err) == 1, run.stderr
    assert "坏日期.xlsx" in err[0] and "基本信息" in err[0] and "panicked" not in run.stderr


def test_collect_keeps_every_valid_file_whatever_the_others_hold(valid, tmp_path, capsys):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    (inbox / "好.xlsx").write_bytes(valid)
    for kind, (make, _, _) in CASES.items():  # each of its own agency: one agency's files are re-submissions
        (inbox / f"{kind}.xlsx").write_bytes(make(_agency(valid, f"{kind}局")))
    (inbox / "panic.xlsx").write_bytes(_cell(_agency(valid, "panic局"), "INFO_date", "<v>-inf</v>", date=True))
    before = snapshot(inbox)
    for jobs in ("1", "2"):
        code, rows, err = collect_rows(capsys, [inbox], tmp_path / f"out{jobs}", "--jobs", jobs,
                                       "--annotate-dir", str(tmp_path / f"退回{jobs}"))
        files = {r["file"].rsplit("/", 1)[-1]: r for r in rows}
        assert len(files) == len(CASES) + 2 and code == 1
        assert files["好.xlsx"]["status"] in ("通过", "仅警告")
        assert all(files[f"{k}.xlsx"]["status"] == "有错误" for k in CASES), files
        assert files["panic.xlsx"]["status"] == "无法读取" and "基本信息" in files["panic.xlsx"]["notes"]
        assert not any("格式" in files[f"{k}.xlsx"]["notes"] for k in ("year-20255", "year-9999"))
    assert snapshot(inbox) == before


def test_full_text_cells_are_no_zip_bomb(tmp_path, capsys):
    """Every text cell holding Excel's maximum of 32,767 characters is a legitimate workbook."""
    template = write_template(FORM, 2026, tmp_path / "template.xlsx")
    v = consistent_values(FORM, 2026)
    v.update({f"TEXT_{f.key}": "公开" * 16383 + "。" for f in FORM.text_fields})
    path = fill(template, v, tmp_path / "长文.xlsx")
    code, out, err = run_cli(capsys, ["ingest", str(path), "-o", str(tmp_path / "报告")])
    assert code == 0 and "压缩炸弹" not in err
    assert len(list((tmp_path / "报告").iterdir())) == 4


@pytest.mark.parametrize("destination", [
    '$r="ZZZ0"B11',  # text pasted into the reference (found by the fuzz test: it raised ValueError)
    "$B$0",  # row 0: read as the last row before
    "$XFE$3",  # a column beyond XFD
    "$B$1048577",  # a row beyond the sheet
    "$D$6x",  # trailing text
])
def test_a_defined_name_pointing_at_no_cell_is_read_from_its_home(valid, destination):
    """A damaged defined name is reported as missing and its cell read where the template puts it,
    never a traceback and never another cell."""
    from hostile import edit_members

    from govinfo_xlsx.checks.ingest import ingest

    sheet, ref = _at("T3_new_natural")
    quoted = "'" + sheet.replace("'", "''") + "'"
    good = f'<definedName name="T3_new_natural">{quoted}!${ref[0]}${ref[1:]}</definedName>'.encode()

    def edit(name: str, data: bytes) -> bytes:
        if name != "xl/workbook.xml":
            return data
        assert good in data
        return data.replace(good, f'<definedName name="T3_new_natural">{quoted}!{destination}</definedName>'.encode())

    report = ingest("名称受损.xlsx", data=edit_members(valid, edit))
    missing = [f for f in report.findings if f.rule == "structure-name-missing"]
    assert [f.cell for f in missing] == [ref]
    assert report.data["table3"]["new"]["natural"] == consistent_values(FORM, 2026)["T3_new_natural"]

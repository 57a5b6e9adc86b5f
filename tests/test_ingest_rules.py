"""Every rule, broken alone on a valid baseline, is found by ingest at the right cell."""

from __future__ import annotations

import pytest
from conftest import CASES
from fill import cell, consistent_values, fill
from mutations import break_rule, broken_cell

from govinfo_xlsx.checks.catalogue import INGEST_RULES
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.checks.ingest import ingest
from govinfo_xlsx.template.layout import SHEET_NAMES, Layout

TESTED_INGEST_RULES: set[str] = set()


def _ingest(templates, tmp_path, form_id, values, tweak=None, **kw):
    path = fill(templates[form_id], values, tmp_path / "filled.xlsx", tweak)
    return ingest(path, **kw)


def _at(report, rule_id):
    return {(f.sheet, f.cell) for f in report.findings if f.rule == rule_id}


@pytest.mark.parametrize("form_id,year", CASES, ids=[c[0] for c in CASES])
def test_baseline_is_clean(templates, tmp_path, form_id, year):
    form = form_for_year(year)
    report = _ingest(templates, tmp_path, form_id, consistent_values(form, year))
    assert report.ok and report.findings == []
    assert report.form == form_id and report.year == year and report.agency == "测试市测试局"


@pytest.mark.parametrize("form_id,rule_id", [(fid, r.id) for fid, y in CASES for r in form_for_year(y).rules])
def test_each_declared_rule(templates, tmp_path, form_id, rule_id):
    year = dict(CASES)[form_id]
    form = form_for_year(year)
    rule = next(r for r in form.rules if r.id == rule_id)
    report = _ingest(templates, tmp_path, form_id, break_rule(form, year, rule, consistent_values(form, year)))
    assert _at(report, rule_id) == {Layout(form).address(broken_cell(rule))}
    hit = next(f for f in report.findings if f.rule == rule_id)
    assert hit.severity == rule.severity and hit.message


# -- rules that only ingest applies --------------------------------------------------------------------

def ingest_rule(rule_id):
    TESTED_INGEST_RULES.add(rule_id)
    return pytest.mark.parametrize("form_id,year", CASES, ids=[c[0] for c in CASES])


@ingest_rule("cell-normalized")
def test_cell_normalized(templates, tmp_path, form_id, year):
    form = form_for_year(year)
    v = consistent_values(form, year)
    n = v["T3_granted_natural"]
    v.update(T3_granted_natural=f" {n}件 ".replace("1", "１"), T4_review_upheld=str(v["T4_review_upheld"]))
    report = _ingest(templates, tmp_path, form_id, v)
    layout = Layout(form)
    assert _at(report, "cell-normalized") == {layout.address("T3_granted_natural"), layout.address("T4_review_upheld")}
    assert report.ok and report.data["table3"]["granted"]["natural"] == n


@ingest_rule("cell-none-as-zero")
def test_cell_none_as_zero(templates, tmp_path, form_id, year):
    form = form_for_year(year)
    v = consistent_values(form, year)
    v["T4_review_upheld"], v["T4_review_other"] = "无", "—"
    report = _ingest(templates, tmp_path, form_id, v)
    layout = Layout(form)
    assert _at(report, "cell-none-as-zero") == {layout.address("T4_review_upheld"), layout.address("T4_review_other")}
    assert report.data["table4"]["review"]["upheld"] == 0


@ingest_rule("cell-error-value")
def test_cell_error_value(templates, tmp_path, form_id, year):
    """An error value (#DIV/0!, #REF!) reads as blank in the value reader: it must not count as 0 silently."""
    from hostile import set_cell_xml

    form = form_for_year(year)
    layout = Layout(form)
    path = fill(templates[form_id], consistent_values(form, year), tmp_path / "filled.xlsx")
    (sheet, ref), (isheet, iref) = layout.address("T3_new_natural"), layout.address("INFO_agency")
    data = set_cell_xml(path.read_bytes(), sheet, ref, "<f>1/0</f><v>#DIV/0!</v>", "e")
    data = set_cell_xml(data, isheet, iref, "<v>#REF!</v>", "e")
    report = ingest("filled.xlsx", data=data)
    hits = {(f.sheet, f.cell): f for f in report.findings if f.rule == "cell-error-value"}
    assert set(hits) == {(sheet, ref), (isheet, iref)}
    assert "#DIV/0!" in hits[(sheet, ref)].message and "#REF!" in hits[(isheet, iref)].message
    assert report.data["table3"]["new"]["natural"] is None and not report.ok


@pytest.mark.parametrize("raw,words", [("12元", "单位"), ("十二", "不是数字"), (-1, "负数"), (1.5, "整数"),
                                       (10**9, "大得不合常理")])
def test_unusable_counts_are_errors_under_the_table_rule(templates, tmp_path, raw, words):
    form = form_for_year(2026)
    v = consistent_values(form, 2026)
    v["T3_denied_1_legal"] = raw
    report = _ingest(templates, tmp_path, "gov-2021", v)
    hit = [f for f in report.findings if f.rule == "t3-inputs"]
    assert len(hit) == 1 and words in hit[0].message and hit[0].cell == Layout(form).address("T3_denied_1_legal")[1]
    assert hit[0].row_label == "1.属于国家秘密" and hit[0].col_label == "法律服务机构"
    assert not report.ok


def test_money_in_the_wrong_unit_is_an_error(templates, tmp_path):
    form = form_for_year(2020)
    v = consistent_values(form, 2020)
    v["T2_art20_9_procurement_amount"] = "1828582元"
    assert _ingest(templates, tmp_path, "gov-2019", v).ok  # 元 is this cell's unit: a warning
    form21 = form_for_year(2026)
    v21 = consistent_values(form21, 2026)
    v21["T2_art20_8_fees_amount"] = "1828582元"
    report = _ingest(templates, tmp_path, "gov-2021", v21)
    assert [f.rule for f in report.errors] == ["t2-inputs-money"]


def test_a_small_fee_in_wan_yuan_is_kept_to_the_fen(templates, tmp_path):
    """380元 is 0.038万元: the 2021 template takes it (its validation too), the report prints it as
    typed and the roll-up keeps it; one decimal beyond the 分 is refused."""
    from openpyxl import load_workbook

    from govinfo_xlsx.collect.rollup import rollup_values
    from govinfo_xlsx.report.context import build_context
    from govinfo_xlsx.report.render import render_markdown

    form = form_for_year(2026)
    v = consistent_values(form, 2026)
    v["T2_art20_8_fees_amount"] = 0.038
    path = fill(templates["gov-2021"], v, tmp_path / "fee.xlsx")
    report = ingest(path)
    assert report.ok and report.data["table2"]["art20_8"]["fees"]["amount"] == 0.038
    sheet, ref = Layout(form).address("T2_art20_8_fees_amount")
    [dv] = [dv for dv in load_workbook(path)[sheet].data_validations.dataValidation if ref in dv.sqref]
    assert f"ROUND({ref},6)={ref}" in dv.formula1
    md = render_markdown(build_context(report)).decode()
    assert "| 行政事业性收费 | 0.038 |" in md
    assert rollup_values(form, {"T2_art20_8_fees_amount": 0.038 + 0.0})["T2_art20_8_fees_amount"] == 0.038
    v["T2_art20_8_fees_amount"] = 0.0380001
    assert [f.rule for f in _ingest(templates, tmp_path, "gov-2021", v).errors] == ["t2-inputs-money"]


def test_strict_blank_makes_blanks_errors(templates, tmp_path):
    form = form_for_year(2026)
    v = consistent_values(form, 2026)
    v["T4_review_upheld"] = None
    v["T4_review_other"] = v["T4_review_other"] + 0  # unchanged
    assert _ingest(templates, tmp_path, "gov-2021", v).ok
    report = _ingest(templates, tmp_path, "gov-2021", v, strict_blank=True)
    assert [f.rule for f in report.errors] == ["t4-blank"]


@ingest_rule("structure-formula")
def test_structure_formula(templates, tmp_path, form_id, year):
    form = form_for_year(year)
    v = consistent_values(form, year)
    report = _ingest(templates, tmp_path, form_id, {**v, "T4_review_total": 999})
    where = {Layout(form).address("T4_review_total")}
    assert _at(report, "structure-formula") == where and _at(report, "t4-total-review") == where
    assert report.data["table4"]["review"]["total"] == sum(
        v[f"T4_review_{k}"] for k in ("upheld", "corrected", "other", "pending"))


@ingest_rule("structure-label")
def test_structure_label(templates, tmp_path, form_id, year):
    form = form_for_year(year)

    def tweak(wb):
        wb[SHEET_NAMES["table3"]]["D4"] = "个人"

    report = _ingest(templates, tmp_path, form_id, consistent_values(form, year), tweak)
    assert _at(report, "structure-label") == {(SHEET_NAMES["table3"], "D4")}


@ingest_rule("structure-sheet-added")
def test_structure_sheet_added(templates, tmp_path, form_id, year):
    form = form_for_year(year)
    report = _ingest(templates, tmp_path, form_id, consistent_values(form, year),
                     lambda wb: wb.create_sheet("草稿"))
    assert _at(report, "structure-sheet-added") == {("草稿", "")}
    assert report.ok


@ingest_rule("structure-sheet-missing")
def test_structure_sheet_missing(templates, tmp_path, form_id, year):
    form = form_for_year(year)

    def tweak(wb):
        del wb[SHEET_NAMES["table4"]]

    report = _ingest(templates, tmp_path, form_id, consistent_values(form, year), tweak)
    assert ("表四 复议诉讼", "") in _at(report, "structure-sheet-missing")
    assert not report.ok and report.data["table4"]["review"]["total"] == 0


@ingest_rule("structure-name-missing")
def test_structure_name_missing(templates, tmp_path, form_id, year):
    form = form_for_year(year)
    v = consistent_values(form, year)

    def tweak(wb):
        del wb.defined_names["T3_new_natural"]

    report = _ingest(templates, tmp_path, form_id, v, tweak)
    assert _at(report, "structure-name-missing") == {Layout(form).address("T3_new_natural")}
    assert report.data["table3"]["new"]["natural"] == v["T3_new_natural"]  # read at the template's place


@ingest_rule("structure-cell-moved")
def test_structure_cell_moved(templates, tmp_path, form_id, year):
    form = form_for_year(year)
    v = consistent_values(form, year)

    def tweak(wb):
        wb.defined_names["T3_new_natural"].attr_text = f"'{SHEET_NAMES['table3']}'!$D$40"
        wb[SHEET_NAMES["table3"]]["D40"] = 5

    report = _ingest(templates, tmp_path, form_id, v, tweak)
    assert _at(report, "structure-cell-moved") == {(SHEET_NAMES["table3"], "D40")}
    assert report.data["table3"]["new"]["natural"] == 5  # the name is followed


@ingest_rule("structure-version")
def test_structure_version(templates, tmp_path, form_id, year):
    form = form_for_year(year)

    def tweak(wb):
        from openpyxl.packaging.custom import StringProperty

        props = wb.custom_doc_props
        old = next(p for p in props.props if p.name == "govinfo_declaration_fingerprint")
        props.props.remove(old)
        props.append(StringProperty(name="govinfo_declaration_fingerprint", value="0000"))

    report = _ingest(templates, tmp_path, form_id, consistent_values(form, year), tweak)
    assert _at(report, "structure-version") == {(SHEET_NAMES["meta"], "")}
    assert report.ok


def _edit_sheet(src, sheet, edit, out):
    """Copy a workbook with one sheet's XML changed by ``edit(xml: str) -> str`` (as a hand-made
    or hostile file would be: no spreadsheet program writes a value there for us)."""
    import posixpath
    import re
    import zipfile

    with zipfile.ZipFile(src) as z:
        book, rels = z.read("xl/workbook.xml").decode(), z.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(r'<sheet [^>]*name="%s"[^>]*r:id="([^"]+)"' % re.escape(sheet), book).group(1)
        target = re.search(r'<Relationship [^>]*Id="%s"[^>]*>' % rid, rels).group(0)
        part = re.search(r'Target="([^"]+)"', target).group(1)
        part = part.lstrip("/") if part.startswith("/") else posixpath.normpath(posixpath.join("xl", part))
        assert part in z.namelist()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
            for info in z.infolist():
                data = z.read(info)
                w.writestr(info, edit(data.decode()).encode() if info.filename == part else data)
    return out


def _ingest_alone(path):
    """ingest --json in a child process with 1 GB of address space: a reader that tries to build a
    grid out to a far cell dies there (or aborts, as calamine does for XFD1048576), not pytest."""
    import json
    import resource
    import subprocess
    import sys

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    proc = subprocess.run([sys.executable, "-m", "govinfo_xlsx", "ingest", str(path), "--json", "-"],
                          capture_output=True, text=True, preexec_fn=limit, timeout=120)
    assert proc.returncode in (0, 1), (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr
    return json.loads(proc.stdout)


FAR_CELLS = {  # what is added to the end of the sheet data -> the cells reported
    "number-in-XFD1048576": ('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', ["XFD1048576"]),
    "text-in-P1048576": ('<row r="1048576"><c r="P1048576" t="inlineStr"><is><t>备注</t></is></c></row>',
                         ["P1048576"]),
    "cells-without-references": ('<row r="1048575"/><row><c s="1"/><c t="inlineStr"><is><t>x</t></is></c></row>',
                                 ["B1048576"]),  # placed as calamine places them
    "prefixed-elements": ('<row r="1048576"><x:c xmlns:x="urn:any" r="XFD1048576"><x:v>1</x:v></x:c></row>',
                          ["XFD1048576"]),  # calamine reads elements by local name, whatever the namespace
    "several-and-empty-ones": ('<row r="900"><c r="ZZ900" s="1"/><c r="AAA900"><v>2</v></c></row>'
                               '<row r="5000"><c r="A5000"><v>3</v></c></row>', ["AAA900", "A5000"]),
}


@ingest_rule("structure-extent")
@pytest.mark.parametrize("case", FAR_CELLS)
def test_structure_extent(templates, tmp_path, form_id, year, case):
    form = form_for_year(year)
    v = consistent_values(form, year)
    filled = fill(templates[form_id], v, tmp_path / "filled.xlsx")
    added, cells = FAR_CELLS[case]
    sheet = SHEET_NAMES["table3"]
    far = _edit_sheet(filled, sheet, lambda x: x.replace("</sheetData>", added + "</sheetData>"), tmp_path / "far.xlsx")
    clean, got = ingest(filled).to_dict(), _ingest_alone(far)
    hits = [f for f in got["findings"] if f["rule"] == "structure-extent"]
    assert [(f["sheet"], f["cell"]) for f in hits] == [(sheet, cells[0])]
    assert all(c in hits[0]["message"] for c in cells) and sheet in hits[0]["message"]
    assert hits[0]["severity"] == "警告"
    assert got["data"] == clean["data"] and got["ok"] == clean["ok"]  # everything else read as before
    assert [f for f in got["findings"] if f["rule"] != "structure-extent"] == clean["findings"]


@pytest.mark.parametrize("custom_properties", [True, False])
def test_far_cell_in_the_meta_sheet(templates, tmp_path, custom_properties):
    """The hidden meta sheet is read only when the custom properties do not name the form; then it is
    read before the form (and its layout) is known, and a far cell there is cut out all the same."""
    form = form_for_year(2026)

    def tweak(wb):
        if not custom_properties:
            wb.custom_doc_props.props.clear()

    filled = fill(templates["gov-2021"], consistent_values(form, 2026), tmp_path / "filled.xlsx", tweak)
    far = _edit_sheet(filled, SHEET_NAMES["meta"], lambda x: x.replace(
        "</sheetData>", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'), tmp_path / "far.xlsx")
    got = _ingest_alone(far)
    assert got["form"] == "gov-2021" and got["ok"]
    hits = [(f["sheet"], f["cell"]) for f in got["findings"] if f["rule"] == "structure-extent"]
    assert hits == ([] if custom_properties else [(SHEET_NAMES["meta"], "XFD1048576")])


def test_form_is_found_without_custom_properties(templates, tmp_path):
    form = form_for_year(2020)

    def tweak(wb):
        wb.custom_doc_props.props.clear()

    report = _ingest(templates, tmp_path, "gov-2019", consistent_values(form, 2020), tweak)
    assert report.form == "gov-2019" and report.ok


def test_data_uses_the_declaration_keys(templates, tmp_path):
    form = form_for_year(2026)
    v = consistent_values(form, 2026)
    d = _ingest(templates, tmp_path, "gov-2021", v).data
    assert d["table3"]["new"]["natural"] == v["T3_new_natural"]
    assert d["table4"]["review"]["upheld"] == v["T4_review_upheld"]
    assert d["table2"]["art20_1"]["rules"]["issued"] == v["T2_art20_1_rules_issued"]
    assert d["table2"]["art20_8"]["fees"]["amount"] == 12.5
    assert d["table3"]["total"]["total"] == sum(
        v[f"T3_{r.key}_{c.key}"] for r in form.table3.result_rows() for c in form.table3.input_columns)
    assert d["info"]["date"] == "2027-01-20" and d["info"]["year"] == 2026
    assert set(d["text"]) == {f.key for f in form.text_fields}
    assert cell  # the helper is shared with other tests


def test_every_rule_has_a_test():
    """Declared rules are parametrised above (cross-year ones in test_prior.py); every
    ingest-only rule has a test here or, for the xy- ones, an assertion in test_prior.py."""
    from pathlib import Path

    prior_tests = (Path(__file__).parent / "test_prior.py").read_text(encoding="utf-8")
    ingest_only = {r.id for r in INGEST_RULES}
    xy = {i for i in ingest_only if i.startswith("xy-")}
    assert TESTED_INGEST_RULES == ingest_only - xy
    assert all(f'"{i}"' in prior_tests for i in xy)


def test_renamed_sheet_is_read_through_its_names(templates, tmp_path):
    form = form_for_year(2026)
    v = consistent_values(form, 2026)

    def tweak(wb):  # as Excel does: the sheet is renamed and its names follow it
        old = SHEET_NAMES["table4"]
        wb[old].title = "复议诉讼表"
        for dn in wb.defined_names.values():
            dn.attr_text = dn.attr_text.replace(f"'{old}'!", "'复议诉讼表'!")

    report = _ingest(templates, tmp_path, "gov-2021", v, tweak)
    hit = [f for f in report.findings if f.rule == "structure-sheet-missing"]
    assert len(hit) == 1 and "改名为“复议诉讼表”" in hit[0].message
    assert report.data["table4"]["review"]["upheld"] == v["T4_review_upheld"]

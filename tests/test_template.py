"""The written template: labels, locking, names, validation, protection, metadata."""

from __future__ import annotations

import collections
import io
import zipfile

import openpyxl
import pytest
from openpyxl.utils import get_column_letter, range_boundaries

from conftest import CASES
from govinfo_xlsx.forms import fingerprint, form_for_year
from govinfo_xlsx.template.layout import RULE_ID_COLUMN, SHEET_NAMES, Layout, a1
from govinfo_xlsx.template.writer import CHECK_FAILED, build_template


@pytest.fixture(scope="module", params=CASES, ids=[c[0] for c in CASES])
def built(request):
    """Each format's template, built and loaded once for the module (its tests only read it)."""
    form_id, year = request.param
    form = form_for_year(year)
    assert form.id == form_id
    data = build_template(form, year, agency="测试局")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return form, year, data, wb, Layout(form)


def _cells_in(area):
    for r in range(area.row, area.last_row + 1):
        for c in range(area.col, area.last_col + 1):
            yield r + 1, c + 1


def test_sheets_in_order(built):
    form, year, data, wb, layout = built
    assert wb.sheetnames == list(SHEET_NAMES.values())
    assert wb[SHEET_NAMES["meta"]].sheet_state == "veryHidden"
    assert all(wb[n].sheet_state == "visible" for n in wb.sheetnames[:-1])


def test_every_label_exactly_once_in_its_place(built):
    form, year, data, wb, layout = built
    for key, sl in layout.sheets.items():
        ws = wb[sl.name]
        for lab in sl.labels:
            assert ws.cell(lab.area.row + 1, lab.area.col + 1).value == lab.text, (sl.name, lab)
            if lab.area.merged:
                ref = f"{a1(lab.area.row, lab.area.col, False)}:{a1(lab.area.last_row, lab.area.last_col, False)}"
                assert ref in {str(m) for m in ws.merged_cells.ranges}, ref
        strings = collections.Counter(
            c.value for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and not c.value.startswith("=") and c.coordinate not in
            {layout.address(n)[1] for n in sl.cells}
        )
        assert strings == collections.Counter(lab.text for lab in sl.labels), sl.name


def test_official_labels_present(built):
    form, year, data, wb, layout = built
    t3 = wb[SHEET_NAMES["table3"]]
    texts = [c.value for row in t3.iter_rows() for c in row if isinstance(c.value, str)]
    assert texts.count(form.table3.balance_note) == 1
    assert texts.count("（二）部分公开（区分处理的，只计这一情形，不计其他情形）") == 1
    assert texts.count("申请人情况") == 1 and texts.count("法人或其他组织") == 1
    t4 = [c.value for row in wb[SHEET_NAMES["table4"]].iter_rows() for c in row if isinstance(c.value, str)]
    assert t4.count("结果维持") == 3 and t4.count("总计") == 3
    assert t4.count("未经复议直接起诉") == 1 and t4.count("复议后起诉") == 1


def test_every_input_is_unlocked_named_and_validated_and_nothing_else_is_unlocked(built):
    form, year, data, wb, layout = built
    names = {n: next(iter(wb.defined_names[n].destinations)) for n in wb.defined_names}
    for spec in form.cells():
        sheet, ref = layout.address(spec.name)
        assert names[spec.name] == (sheet, a1(*_rc(ref))), spec.name
    for ws in wb.worksheets:
        allowed: set[tuple[int, int]] = set()
        validated: set[tuple[int, int]] = set()
        for dv in ws.data_validations.dataValidation:
            assert dv.prompt and dv.showInputMessage and dv.error, dv.sqref
            assert len(dv.promptTitle or "") <= 32 and len(dv.prompt) <= 255
            for rng in str(dv.sqref).split():
                c0, r0, c1, r1 = range_boundaries(rng)
                validated |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        for name, area in layout.sheets.get(_key(ws.title), _Empty()).cells.items():
            spec = layout.specs[name]
            cell = ws.cell(area.row + 1, area.col + 1)
            if spec.is_input:
                assert cell.protection.locked is False, name
                assert (area.row + 1, area.col + 1) in validated, name
                allowed |= set(_cells_in(area))
            else:
                assert cell.protection.locked is not False, name
                assert str(cell.value).startswith("=SUM("), name
        for name in names:  # the clerk's explanations of warnings and hints (checks/explain.py), named and validated
            if name.startswith("EXPLAIN_") and names[name][0] == ws.title:
                r, c = _rc(names[name][1])
                assert (r + 1, c + 1) in validated, name
                allowed.add((r + 1, c + 1))
        unlocked = {(c.row, c.column) for row in ws.iter_rows() for c in row if c.protection.locked is False}
        assert unlocked <= allowed, (ws.title, sorted(unlocked - allowed)[:5])
        assert ws.protection.sheet is True, ws.title
        assert ws.protection.selectLockedCells is True, ws.title  # Tab jumps between inputs only


def test_counts_of_named_cells(built):
    form, year, data, wb, layout = built
    data_names = [n for n in wb.defined_names if n[:3] in ("T2_", "T3_", "T4_")]
    t2 = 22 if form.id == "gov-2019" else 10
    t3 = 7 * (23 if form.id == "gov-2019" else 25)
    assert len(data_names) == t2 + t3 + 15
    assert {"INFO_agency", "INFO_year", "INFO_date", CHECK_FAILED} <= set(wb.defined_names)
    assert any(n.startswith("TEXT_part5") for n in wb.defined_names)
    sheet, ref = next(iter(wb.defined_names[CHECK_FAILED].destinations))
    assert sheet == SHEET_NAMES["checks"] and "COUNTIF" in wb[sheet][ref.replace("$", "")].value


def test_structure_protection_and_metadata(built):
    form, year, data, wb, layout = built
    assert wb.security is not None and wb.security.lockStructure
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props["govinfo_form_id"] == form.id
    assert props["govinfo_report_year"] == str(year)
    assert props["govinfo_declaration_fingerprint"] == fingerprint(form)
    meta = wb[SHEET_NAMES["meta"]]
    assert {meta.cell(r, 1).value: meta.cell(r, 2).value for r in range(1, 8)}["form_id"] == form.id
    info = wb[SHEET_NAMES["info"]]
    assert info[layout.address("INFO_year")[1]].value == year
    assert info[layout.address("INFO_agency")[1]].value == "测试局"


def test_checks_sheet_lists_every_rule(built):
    form, year, data, wb, layout = built
    ws = wb[SHEET_NAMES["checks"]]
    idc = RULE_ID_COLUMN + 1
    assert [ws.cell(4, c).value for c in (1, 2, 5, 6, idc)] == ["校验内容", "级别", "结果", "说明", "规则编号"]
    rows = [(ws.cell(r, idc).value, ws.cell(r, 2).value, ws.cell(r, 1).value) for r in range(5, 5 + len(form.rules))]
    assert rows == [(r.id, r.severity.value, r.description) for r in form.rules]
    assert ws.cell(5 + len(form.rules), idc).value is None
    # a filter over the list (show only 未通过), usable on the protected sheet; printed landscape, fit to width
    assert ws.auto_filter.ref == f"A4:{get_column_letter(idc)}{4 + len(form.rules)}"
    assert ws.protection.autoFilter is False  # openpyxl: False means "not locked", the filter works
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    # 说明 starts within about 100 characters (xlsxwriter pads each width a little), on screen beside the results on a 1600 px display
    assert sum(ws.column_dimensions[get_column_letter(c)].width for c in range(1, 6)) <= 105
    title = wb[SHEET_NAMES["instructions"]].row_dimensions[1].height
    assert title is not None and title >= 24  # 填报说明's 14 pt title row is not clipped


def test_failing_rules_paint_their_cells(built):
    form, year, data, wb, layout = built
    covered: dict[str, set[tuple[int, int]]] = collections.defaultdict(set)
    for ws in wb.worksheets:
        for rng in ws.conditional_formatting:
            for r in rng.sqref.ranges:
                c0, r0, c1, r1 = range_boundaries(str(r))
                covered[ws.title] |= {(rr, cc) for rr in range(r0, r1 + 1) for cc in range(c0, c1 + 1)}
    for rule in form.rules:
        for name in rule.cells():
            sheet, _ = layout.address(name)
            _, area = layout.placed[name]
            assert (area.row + 1, area.col + 1) in covered[sheet], (rule.id, name)


def test_print_setup(built):
    form, year, data, wb, layout = built
    for key in ("table2", "table3", "table4"):
        ws = wb[SHEET_NAMES[key]]
        assert ws.page_setup.paperSize == 9
        # fitToWidth defaults to 1 when absent; fitToHeight 0 means "as many pages as needed"
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert wb[SHEET_NAMES["table3"]].page_setup.orientation == "landscape"
    assert wb[SHEET_NAMES["table3"]].print_title_rows == "$3:$5"
    assert wb[SHEET_NAMES["table3"]].freeze_panes == "D6"


def test_fonts_are_song(built):
    form, year, data, wb, layout = built
    ws = wb[SHEET_NAMES["table3"]]
    assert {c.font.name for row in ws.iter_rows() for c in row if c.value is not None} == {"宋体"}


def test_only_excel_2007_functions(case):
    form, year = case
    xml = zipfile.ZipFile(io.BytesIO(build_template(form, year))).read
    allowed = {"SUM", "N", "IF", "ISBLANK", "ISNUMBER", "ROUND", "OR", "AND", "LEN", "TRIM", "SEARCH",
               "MAX", "DATE", "INT", "COUNTIF", "COUNTIFS", "COUNTBLANK", "ISERROR", "NOT"}
    import re

    used = set()
    for name in zipfile.ZipFile(io.BytesIO(build_template(form, year))).namelist():
        if name.startswith("xl/worksheets/"):
            used |= set(re.findall(r"([A-Z][A-Z0-9.]*)\(", xml(name).decode()))
    assert used and used <= allowed, used - allowed
    assert b"_xlfn" not in b"".join(xml(n) for n in zipfile.ZipFile(io.BytesIO(build_template(form, year))).namelist())


def test_output_is_deterministic(case):
    form, year = case
    assert build_template(form, year) == build_template(form, year)
    assert build_template(form, year) != build_template(form, year, agency="另一机关")


def test_password_protects_sheets_and_structure(case):
    form, year = case
    wb = openpyxl.load_workbook(io.BytesIO(build_template(form, year, password="secret")))
    assert wb.security.workbookPassword and wb.security.lockStructure
    assert all(ws.protection.password for ws in wb.worksheets)


def _rc(ref: str) -> tuple[int, int]:
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

    col, row = coordinate_from_string(ref)
    return row - 1, column_index_from_string(col) - 1


def _key(title: str) -> str:
    return {v: k for k, v in SHEET_NAMES.items()}.get(title, "")


class _Empty:
    cells: dict = {}


def test_every_blank_text_part_shows_one_colour(built):
    """文字部分: a part not yet written is orange (the legend's “还没有填写”), required or not; that rule
    comes first, before the rules' own colours."""
    form, year, data, wb, layout = built
    ws = wb[SHEET_NAMES["text"]]
    first: dict[str, tuple[int, str, str]] = {}
    for rng in ws.conditional_formatting:
        for rule in rng.rules:
            for cell in str(rng.sqref).split():
                if cell not in first or rule.priority < first[cell][0]:
                    fill = rule.dxf.fill.bgColor.rgb if rule.dxf is not None and rule.dxf.fill is not None else ""
                    first[cell] = (rule.priority, rule.type, str(fill))
    names = [n for n in layout.specs if layout.sheet_of(n).key == "text" and layout.specs[n].is_input]
    assert names
    for name in names:
        _, area = layout.placed[name]
        ref = a1(area.row, area.col, absolute=False)
        assert first[ref][1] == "containsBlanks" and first[ref][2].endswith("FFE0B2"), (name, first.get(ref))


def test_prefilled_and_reference_cells_keep_their_legend_colours(tmp_path):
    """With last year's data: no rule paints a prefilled locked cell (light green) or a reference cell
    of last year's figures (grey); rules over the prefilled figures wait until this year's are typed,
    so the blank template opens without red in its tables."""
    from fill import consistent_values

    from govinfo_xlsx.cli import main
    from govinfo_xlsx.forms import form_for_year

    last = tmp_path / "last.xlsx"
    last.write_bytes(build_template(form_for_year(2025), 2025, values=consistent_values(form_for_year(2025), 2025)))
    out = tmp_path / "t.xlsx"
    assert main(["make-template", "2026", "-o", str(out), "--prior", str(last)]) == 0
    wb = openpyxl.load_workbook(out)
    layout_names = {name: next(iter(wb.defined_names[name].destinations)) for name in wb.defined_names
                    if name.startswith(("PRIOR_", "T3_carried_over_"))}
    assert any(n.startswith("PRIOR_") for n in layout_names)
    kept = {(sheet, ref.replace("$", "")) for name, (sheet, ref) in layout_names.items() if not name.endswith("_total")}
    waiting = 0
    for ws in wb.worksheets:
        for rng in ws.conditional_formatting:
            cells = {(ws.title, f"{get_column_letter(c)}{r}") for cr in rng.sqref.ranges
                     for c0, r0, c1, r1 in [range_boundaries(str(cr))]
                     for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
            assert not cells & kept, (ws.title, str(rng.sqref))
            waiting += sum(1 for rule in rng.rules if rule.formula and rule.formula[0].startswith("AND(COUNTA("))
    assert waiting > 0


def test_money_cells_show_what_was_typed_and_refuse_a_digit_beyond_the_fen(built):
    """12.345 shows as 12.345 (not rounded to 12.35), and the validation allows decimals down to the 分
    only: two for 元, six for 万元 (a 380元 fee is 0.038万元)."""
    form, year, data, wb, layout = built
    money = [n for n, spec in layout.specs.items() if spec.is_input and spec.kind.money]
    assert money
    for name in money:
        sheet, ref = layout.address(name)
        ws = wb[sheet]
        fmt = ws[ref].number_format
        assert fmt.startswith("0.00") and fmt.count("#") >= 6, (name, fmt)
        [dv] = [dv for dv in ws.data_validations.dataValidation if ref in dv.sqref]
        places = {"元": 2, "万元": 6}[layout.specs[name].kind.unit]
        assert dv.type == "custom" and f"ROUND({ref},{places})={ref}" in dv.formula1, dv.formula1


@pytest.mark.parametrize("year", [2020, 2026])
def test_formulas_prepared_once_write_the_same_bytes(year, monkeypatch):
    """The writer keeps each formula as xlsxwriter prepared it (template/sheetclass.py); the workbook is
    byte for byte the one xlsxwriter's own worksheet class writes, prefilled, with last year's figures
    and a password alike."""
    import xlsxwriter.worksheet

    import govinfo_xlsx.template.writer as writer
    from fill import consistent_values
    from govinfo_xlsx.forms.model import prior_name

    form = form_for_year(year)
    values = consistent_values(form, year)
    prior = {prior_name(n): 1 for n in values if n.startswith("T3_carry_forward_")}
    cases = [{}, {"values": values, "prior_values": prior, "password": "p", "agency": "某某局"}]
    ours = [writer.build_template(form, year, **kw) for kw in cases]
    monkeypatch.setattr(writer, "PreparedOnce", xlsxwriter.worksheet.Worksheet)
    assert [writer.build_template(form, year, **kw) for kw in cases] == ours

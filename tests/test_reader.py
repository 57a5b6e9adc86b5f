"""The sheet scanner: its fast path agrees with the careful (expat) path on real workbooks, and
the careful path is taken for everything the fast path does not read exactly."""

from __future__ import annotations

import zipfile

import pytest
from conftest import CASES
from fill import consistent_values, fill

from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.reading.reader import DEFAULT_EXTENT, _careful_scan, scan_sheet
from govinfo_xlsx.template.writer import build_template, write_template


@pytest.mark.parametrize("form_id,year", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("saved_by", ["xlsxwriter", "openpyxl"])
def test_fast_and_careful_paths_agree(tmp_path, form_id, year, saved_by):
    form = form_for_year(year)
    values = consistent_values(form, year)
    if saved_by == "xlsxwriter":
        path = tmp_path / "built.xlsx"
        path.write_bytes(build_template(form, year, values=values))
    else:
        path = fill(write_template(form, year, tmp_path / "t.xlsx"), values, tmp_path / "filled.xlsx")
    total = 0
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = z.read(name)
                fast, careful = scan_sheet(xml, DEFAULT_EXTENT, formulas=True), _careful_scan(xml, DEFAULT_EXTENT)
                assert fast.formulas == careful.formulas and not fast.far and not careful.far
                total += len(fast.formulas)
    assert total > 50  # the tables' totals and the checks sheet


SHEET = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         '<dimension ref="A1:B2"/><sheetData>{}</sheetData></worksheet>')


@pytest.mark.parametrize("cells,formulas", [
    ('<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1"><v>1</v></c></row>', {"A1"}),
    ('<row r="1"><c r="A1" foo="a&gt;b>c"><f t="shared" si="0"/></c></row>', {"A1"}),  # '>' in a value
    ('<row r="1"><c r="A1"><v>1</v><f>1</f></c></row>', {"A1"}),  # <f> not first: careful path
    ('<row r="1"><c r="A1"><!-- <c r="B1"><f>1</f></c> --><v>1</v></c></row>', set()),  # a comment
    ('<row r="1"><c><f>1</f></c><c><v>1</v></c></row>', {"A1"}),  # no references
    ('<row r="1"><x:c xmlns:x="urn:x" r="B1"><x:f>1</x:f></x:c></row>', {"B1"}),  # a prefix
])
def test_formula_cells_in_unusual_xml(cells, formulas):
    xml = SHEET.format(cells).encode()
    assert scan_sheet(xml, DEFAULT_EXTENT, formulas=True).formulas == formulas


def test_far_cells_are_cut_and_counted():
    cells = ('<row r="1"><c r="A1"><v>1</v></c><c r="ZZZ1"><v>2</v></c></row>'
             '<row r="99999"><c r="A99999" s="1"/><c r="B99999" t="inlineStr"><is><t>x</t></is></c></row>')
    scan = scan_sheet(SHEET.format(cells).encode(), (10, 10))
    assert scan.far == ("ZZZ1", "B99999") and scan.far_count == 2
    assert scan.trimmed == SHEET.format('<row r="1"><c r="A1"><v>1</v></c></row><row r="99999"></row>').encode()
    assert scan_sheet(SHEET.format(cells).encode(), (99999, 18278)).far == ()


@pytest.mark.parametrize("cells,far", [
    ('<row r="1"><c r="A1"><v>1</v></c><c s="1" r="ZZZ1"><v>2</v></c></row>', ("ZZZ1",)),  # r not first
    ('<row r="1"><c r="A1"><v>1</v></c><c\tr = "B99999"><v>2</v></c></row>', ("B99999",)),  # spaces around =
    ('<row r="1"><c r="A1"><v>1</v></c><c><v>2</v></c><c r="K1"><v>3</v></c></row>', ("K1",)),  # no r
    ('<row r="1"><c r="A1"><v>1</v></c><c s="1" r="B1"><v>2</v></c></row>', ()),
])
def test_far_cells_found_whatever_the_attribute_order(cells, far):
    """The fast path reads a reference that stands first; any other cell tag is matched attribute by
    attribute (or read by expat), and a far cell is found either way."""
    scan = scan_sheet(SHEET.format(cells).encode(), (10, 10))
    assert scan.far == far and scan.far_count == len(far)


def test_a_dtd_in_a_sheet_is_refused_on_the_careful_path():
    xml = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><worksheet><sheetData><c/></sheetData></worksheet>'
    with pytest.raises(ValueError):
        scan_sheet(xml, DEFAULT_EXTENT)


def test_inflating_a_part_is_bounded_by_its_declared_size():
    """A part whose header claims a small size but inflates to much more is not expanded in memory."""
    import io
    import tracemalloc
    import zipfile

    from govinfo_xlsx.reading.intake import _inflate

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * 20_000_000)
    data = buf.getvalue()
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    assert _inflate(data, info) == b"\0" * 20_000_000  # honest header: read
    info.file_size = 10  # a lying header
    tracemalloc.start()
    try:
        assert _inflate(data, info) is None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


@pytest.mark.parametrize("cells,blank", [
    ('<row r="5"><c r="F5"><v>1</v></c><c r="G5" s="1"/></row>', True),
    ('<row r="5"><c r="G6" t="inlineStr"><is><t>x</t></is></c></row>', True),  # another row
    ('<row r="5"><c r="G5" s="1" t="inlineStr"><is><t>x</t></is></c></row>', False),
    ('<row r="5"><c r="G5" s="1" t="n"></c></row>', True),  # as openpyxl writes it
    ('<row r="5"><c r="G5" s="1"> </c></row>', False),  # some text: unsure
    ('<row r="5"><c r="G5" s="1"><v></v></c></row>', False),  # an empty value: unsure
    ('<row r="5"><c r="G05"><v>1</v></c></row>', False),  # a leading zero
    ('<row r="5"><c r="F5"/><c t="inlineStr"><is><t>x</t></is></c></row>', False),  # no r: it lands on G5
    ('<row r="5"><c s="1" r="G5"><v>1</v></c></row>', False),  # r not first
    ('<row r="5"><x:c xmlns:x="urn:x" r="G5"><x:v>1</x:v></x:c></row>', False),  # a prefix
    ('<row r="5"><c r="G5"/><c r="G5"><v>1</v></c></row>', False),  # twice
    ('<row r="5"><!-- <c r="G5"><v>1</v></c> --><c r="G5"/></row>', False),  # a comment: unsure
    ('<row r="5"><c r="G5"/></row><row r="99999"><c r="A99999"><v>1</v></c></row>', False),  # a far cell
    ('<row r="5"><c r="F05"><v>1</v></c><c r="G5"/></row>', True),  # unusual elsewhere: read tag by tag
    ('<row r="5"><c r="G50"><v>1</v></c><c r="G5"/></row>', True),  # G5 is not G50
    ('<row r="5"><c r="G5" s="1" t="n"></c><c r="AG5"><v>1</v></c></row>', True),  # nor AG5
])
def test_blank_cells_known_without_reading_the_sheet(tmp_path, cells, blank):
    """RawWorkbook.blank (the 说明 cells): True only when the XML proves the cells empty."""
    from govinfo_xlsx.reading.intake import open_package
    from govinfo_xlsx.reading.reader import read_raw

    form = form_for_year(2026)
    raw = read_raw(open_package(tmp_path / "x.xlsx", build_template(form, 2026)))
    sheet = raw.sheets[0]
    raw.package.parts[raw.sheet_parts[sheet]] = SHEET.format(cells).encode()
    assert raw.blank(sheet, {"G5"}) is blank


@pytest.mark.parametrize("rows,cols", [(1, 1), (9, 26), (10, 27), (99, 52), (100, 702), (560, 30), (1060, 90),
                                       (99999, 703), (1048576, 16384)])
def test_the_extent_pattern_agrees_with_arithmetic(rows, cols):
    """reader._outside(rows, cols), the one search that proves every cell of a sheet within its
    extent, finds a cell exactly when its row or column is beyond it (or written unusually)."""
    from govinfo_xlsx.reading.reader import _outside, _ref

    pattern = _outside(rows, cols)
    near = {1, 2, 9, 10, 11, 99, 100, 101, 999, 1000, 1001, 9999999}
    row_cases = sorted({r for r in near | {rows - 1, rows, rows + 1} if 1 <= r <= 9999999})
    col_cases = sorted({c for c in {1, 2, 25, 26, 27, 52, 53, 702, 703, 18278, cols - 1, cols, cols + 1} if 1 <= c <= 18278})
    for r in row_cases:
        for c in col_cases:
            tag = f'<c r="{_ref(r, c)}" s="1"/>'.encode()
            assert (pattern.search(tag) is None) == (r <= rows and c <= cols), (r, c)
    for unusual in (b'<c r="A01"/>', b'<c s="1" r="A1"/>', b'<c r="a1"/>', b"<c/>", b'<c r="A0"/>', b"<cx/>"):
        assert pattern.search(unusual) is not None, unusual  # read one by one (or by expat) instead

"""The DOCX report: structure, styles and page set-up, read back with python-docx."""

from __future__ import annotations

import copy
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm
from fill import consistent_values

import govinfo_xlsx
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.checks.ingest import ingest
from govinfo_xlsx.report.context import build_context
from govinfo_xlsx.report.context import place_cells
from govinfo_xlsx.report.docx import render_docx, text_chars
from govinfo_xlsx.template.writer import build_template

EXAMPLE = Path(govinfo_xlsx.__file__).parent / "examples" / "yongkang-2020.xlsx"
NUMBER = re.compile(r"-?\d+(\.\d+)?")
CN_NUMERALS = "一二三四五六七八九十"
DRAFT_TITLE = "草稿：未通过校验，不得发布"
DRAFT_ERRORS = [{"where": "表三 总计", "rule": "T3_balance", "message": "第一项加第二项之和不等于第三项加第四项之和"},
                {"where": "表二 第二十条第（一）项", "rule": "T2_total", "message": "对外公开总数量小于本年新公开数量"}]


# --------------------------------------------------------------------------- contexts (also used by test_report_pdf)


def example_context() -> dict[str, Any]:
    """The context of the bundled 永康 2020 example workbook (gov-2019 format)."""
    return build_context(ingest(EXAMPLE))


def gov2021_context(tmp: Path) -> dict[str, Any]:
    """A complete, consistent gov-2021 workbook for 2026, written by the template writer."""
    form = form_for_year(2026)
    path = tmp / "gov-2021-2026.xlsx"
    path.write_bytes(build_template(form, 2026, values=consistent_values(form, 2026)))
    return build_context(ingest(path))


def draft_context(context: dict[str, Any]) -> dict[str, Any]:
    draft = copy.deepcopy(context)
    draft["draft"] = True
    draft["errors"] = copy.deepcopy(DRAFT_ERRORS)
    return draft


@pytest.fixture(scope="module")
def contexts(tmp_path_factory) -> dict[str, dict[str, Any]]:
    example = example_context()
    return {"gov-2019": example, "gov-2021": gov2021_context(tmp_path_factory.mktemp("docx")),
            "draft": draft_context(example)}


@pytest.fixture(scope="module")
def rendered(contexts) -> dict[str, bytes]:
    return {key: render_docx(ctx) for key, ctx in contexts.items()}


@pytest.fixture(params=["gov-2019", "gov-2021"])
def case(request, contexts, rendered):
    """(context, Document) for each statutory format."""
    key = request.param
    return contexts[key], docx.Document(io.BytesIO(rendered[key]))


# --------------------------------------------------------------------------- helpers


def style_element(doc: Any, style_id: str) -> Any:
    el = doc.styles.element.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']")
    assert el is not None, f"style {style_id} missing"
    return el


def style_chain(doc: Any, style_id: str) -> list[Any]:
    """The style and the styles it is based on, nearest first."""
    chain = []
    while style_id:
        el = style_element(doc, style_id)
        chain.append(el)
        based = el.find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else ""
    return chain


def effective(doc: Any, paragraph: Any, path: str, attr: str) -> str | None:
    """An attribute of w:pPr/<path> (or w:rPr/<path>): direct formatting first, then the style chain."""
    holders = [paragraph._p.pPr] if paragraph._p.pPr is not None else []
    holders += [s.find(qn("w:pPr")) for s in style_chain(doc, paragraph.style.style_id)]
    holders += [s.find(qn("w:rPr")) for s in style_chain(doc, paragraph.style.style_id)]
    for holder in holders:
        if holder is None:
            continue
        el = holder.find(qn(path))
        if el is not None and el.get(qn(attr)) is not None:
            return el.get(qn(attr))
    return None


def east_asia_font(doc: Any, style_id: str) -> str | None:
    for el in style_chain(doc, style_id):
        fonts = el.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            return fonts.get(qn("w:eastAsia"))
    return None


def blocks(doc: Any) -> list[tuple[str, str]]:
    """The body in order: (style name, text) for paragraphs, ("table", "") for tables."""
    out = []
    for item in doc.iter_inner_content():
        if isinstance(item, docx.table.Table):
            out.append(("table", ""))
        else:
            out.append((item.style.name, item.text.replace("\n", "")))
    return out


def expected_blocks(context: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    if context["draft"]:
        out.append(("Draft Banner", DRAFT_TITLE))
        out += [("Draft Banner", f"{e['where']} [{e['rule']}] {e['message']}") for e in context["errors"]]
        out.append(("Normal", ""))
    out += [("Title", context["title"]), ("Normal", context["opening"])]
    for part in context["parts"]:
        out.append(("Heading 1", part["title"]))
        out += [("Normal", text) for text in part["paragraphs"]]
        for sub in part["subsections"]:
            out.append(("Heading 2", sub["title"]))
            out += [("Normal", text) for text in sub["paragraphs"]]
        if part["table"]:
            out.append(("table", ""))
            out += [("Table Note", note) for note in context["table_notes"].get(part["table"], [])]
            out.append(("After Table", ""))  # space between a table and the next heading
    out += [("Normal", ""), ("Closing", context["agency"]), ("Closing", context["date"])]
    return out


def doc_tables(context: dict[str, Any], doc: Any) -> list[tuple[str, Any]]:
    keys = [part["table"] for part in context["parts"] if part["table"]]
    assert len(doc.tables) == len(keys)
    return list(zip(keys, doc.tables))


# --------------------------------------------------------------------------- content and order


def test_body_follows_the_context_in_order(case):
    context, doc = case
    assert blocks(doc) == expected_blocks(context)


def test_headings_are_numbered(case):
    context, doc = case
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert [h[:2] for h in h1] == [f"{n}、" for n in CN_NUMERALS[:6]]
    assert h1 == [part["title"] for part in context["parts"]]
    h2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert [h[:3] for h in h2] == [f"（{n}）" for n in CN_NUMERALS[:5]]
    assert h2 == [sub["title"] for part in context["parts"] for sub in part["subsections"]]


def test_title(case):
    context, doc = case
    title = next(p for p in doc.paragraphs if p.style.name == "Title")
    assert title.text.replace("\n", "") == context["title"]
    assert doc.core_properties.title == context["title"]
    assert effective(doc, title, "w:jc", "w:val") == "center"
    assert effective(doc, title, "w:sz", "w:val") == "44"  # 二号 22 pt in half-points


# --------------------------------------------------------------------------- tables


def test_table_cells_equal_the_grids(case):
    context, doc = case
    for key, table in doc_tables(context, doc):
        grid = context["tables"][key]
        assert len(table.rows) == len(grid["rows"])
        assert len(table.columns) == grid["columns"]
        n = grid["columns"]
        cells = table._cells  # row-major, a merged cell repeated over its span (table.cell() is slow)
        placed = list(place_cells(grid["rows"], n))
        assert len(placed) == sum(len(row) for row in grid["rows"])
        assert len({id(c._tc) for c in cells}) == len(placed)
        for r, c, cell in placed:
            got = cells[r * n + c]
            assert got.text.replace("\n", "") == cell["text"], (key, r, c)  # labels may break between words
            # a merged cell is one cell over its whole span
            span = [cells[rr * n + cc]._tc for rr in range(r, r + cell["rowspan"])
                    for cc in range(c, c + cell["colspan"])]
            assert all(tc is got._tc for tc in span), (key, r, c)
            if cell["numeric"]:
                assert NUMBER.fullmatch(got.text), (key, r, c, got.text)
            bold = [run.bold for run in got.paragraphs[0].runs]
            row_label = cell["role"] == "row"
            assert bold == [True if cell["header"] and not row_label else None], (key, r, c)
            align = effective(doc, got.paragraphs[0], "w:jc", "w:val")
            assert align == ("left" if row_label else "center"), (key, r, c)


def test_tables_have_fixed_widths_borders_and_repeated_headers(case):
    context, doc = case
    width = round(Mm(156).twips)
    for key, table in doc_tables(context, doc):
        tbl = table._tbl
        assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        borders = tbl.tblPr.find(qn("w:tblBorders"))
        assert {b.get(qn("w:val")) for b in borders} == {"single"} and len(borders) == 6
        cols = [int(g.get(qn("w:w"))) for g in tbl.tblGrid.findall(qn("w:gridCol"))]
        assert abs(sum(cols) - width) <= 2
        for tr in tbl.tr_lst:
            start = 0
            for tc in tr.tc_lst:
                span = tc.grid_span
                assert tc.tcPr.find(qn("w:tcW")).get(qn("w:w")) == str(sum(cols[start:start + span]))
                start += span
            assert tr.trPr.find(qn("w:cantSplit")) is not None
        header = [tr.trPr.find(qn("w:tblHeader")) is not None for tr in tbl.tr_lst]
        h = context["tables"][key]["header_rows"]
        assert header == [True] * h + [False] * (len(header) - h)
        if key == "table3":
            # the group columns narrow (their labels stack their words), the row labels widest
            assert max(cols[:2]) < Mm(15).twips and cols[2] > 2 * max(cols[3:])
            assert sum(cols[3:]) / 7 > Mm(9).twips  # two characters of 五号 and the cell margins
        style = {p.style.name for row in table.rows for cell in row.cells for p in cell.paragraphs}
        assert style == ({"Table Text Small"} if key in ("table3", "table4") else {"Table Text"})


def test_statutory_labels_break_only_at_word_ends():
    from govinfo_xlsx.report.docx import label_lines

    assert label_lines("3.补正后申请内容仍不明确", 6) == ["3.补正后申请", "内容仍不明确"]
    assert label_lines("5.要求行政机关确认或重新出具已获取信息", 8) == ["5.要求行政机关", "确认或重新出具", "已获取信息"]
    assert label_lines("三、本年度办理结果", 3) == ["三、", "本年度", "办理", "结果"]
    assert label_lines("3.危及“三安全一稳定”", 9) == ["3.危及", "“三安全一稳定”"]


def _table_xml(grid: dict[str, Any], fill: Any, merge: Any) -> bytes:
    """A new table of ``grid``'s size, its cells filled by ``fill(cell, data)`` and merged by
    ``merge(tcs, r, c, data)`` (``tcs``: the w:tc elements row by row, before any merge), then
    the cell widths set as render_docx sets them."""
    from lxml import etree

    from govinfo_xlsx.report.docx import _set_cell_widths

    table = docx.Document().add_table(rows=len(grid["rows"]), cols=grid["columns"])
    cells = table._cells
    placed = list(place_cells(grid["rows"], grid["columns"]))
    for r, c, data in placed:
        fill(cells[r * grid["columns"] + c], data)
    tcs = [cell._tc for cell in cells]
    for r, c, data in placed:
        if data["rowspan"] > 1 or data["colspan"] > 1:
            merge(tcs, r, c, data)
    _set_cell_widths(table, [600 + 10 * i for i in range(grid["columns"])])
    return etree.tostring(table._tbl)


def test_table_cells_written_as_python_docx_writes_them(contexts):
    """render_docx fills and merges table cells by writing their XML directly (python-docx's
    merge and property setters search the XML on every call): the XML equals what python-docx's
    own API writes, for every table of both formats."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.table import _Cell

    from govinfo_xlsx.report.docx import _fill_cell, _merge_cells

    def api_fill(target: Any, data: dict[str, Any]) -> None:
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = target.paragraphs[0]
        paragraph._p.style = "TableText"
        run = paragraph.add_run(data["text"])
        if data["role"] == "row":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        elif data["header"]:
            run.bold = True

    def api_merge(tcs: list[Any], r: int, c: int, data: dict[str, Any]) -> None:
        n = len(tcs) // rows
        last = (r + data["rowspan"] - 1) * n + c + data["colspan"] - 1
        _Cell(tcs[r * n + c], None).merge(_Cell(tcs[last], None))

    def direct_merge(tcs: list[Any], r: int, c: int, data: dict[str, Any]) -> None:
        _merge_cells(tcs, rows, len(tcs) // rows, r, c, data["rowspan"], data["colspan"])

    grids = [(key, grid) for name in ("gov-2019", "gov-2021") for key, grid in contexts[name]["tables"].items()]
    assert len(grids) >= 6 and any(cell["rowspan"] > 1 and cell["colspan"] > 1
                                   for _, grid in grids for row in grid["rows"] for cell in row)
    written = b""
    for key, grid in grids:
        rows = len(grid["rows"])
        expected = _table_xml(grid, api_fill, api_merge)
        assert _table_xml(grid, lambda t, d: _fill_cell(t, d, "TableText"), direct_merge) == expected, key
        written += expected
    assert b"<w:gridSpan" in written and b'<w:vMerge w:val="restart"/>' in written and b"<w:b/>" in written
    with pytest.raises(ValueError):  # a span past the table's edge is refused, as python-docx refuses it
        _merge_cells(tcs=[None] * 4, rows=2, columns=2, r=1, c=0, rowspan=2, colspan=1)


def test_style_ids_are_those_python_docx_resolves(contexts, rendered):
    """render_docx resolves each style's id once per document: the ids equal python-docx's own
    resolution by name (none for Normal, the default paragraph style), and every paragraph of
    the document names a style that exists."""
    from docx.enum.style import WD_STYLE_TYPE

    from govinfo_xlsx.report.docx import _setup_styles, _style_id

    doc = docx.Document()
    _setup_styles(doc)
    names = ["Normal", "Title", "Heading 1", "Heading 2", "Table Text", "Table Text Small", "Table Note",
             "After Table", "Closing", "Draft Banner", "Draft Header"]
    for name in names:
        assert _style_id(doc, name) == doc.part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH), name
    assert _style_id(doc, "Normal") is None
    assert _style_id(doc, "Table Grid", WD_STYLE_TYPE.TABLE) == "TableGrid"
    with pytest.raises(ValueError):
        _style_id(doc, "Table Grid")  # a table style is not a paragraph style
    draft = docx.Document(io.BytesIO(rendered["draft"]))
    ids = {s.style_id for s in draft.styles}
    used = {p._p.style for p in draft.paragraphs} | {p._p.style for t in draft.tables for row in t.rows
                                                    for cell in row.cells for p in cell.paragraphs}
    assert None in used and used - {None} <= ids
    assert {draft.part.get_style(sid, WD_STYLE_TYPE.PARAGRAPH).name for sid in used} == {
        "Normal", "Title", "Heading 1", "Heading 2", "Table Text", "Table Text Small", "Table Note",
        "After Table", "Closing", "Draft Banner"}


def test_table_sizes_fit(case):
    _, doc = case
    assert east_asia_font(doc, "TableText") == "仿宋_GB2312"
    size = {sid: style_element(doc, sid).find(f"{qn('w:rPr')}/{qn('w:sz')}").get(qn("w:val"))
            for sid in ("TableText", "TableTextSmall")}
    assert size == {"TableText": "21", "TableTextSmall": "18"}


def test_table_notes_follow_their_table(contexts, rendered):
    context = contexts["gov-2019"]
    notes = context["table_notes"]["table2"]
    assert notes, "the example has money in table 二, so a unit note"
    doc = docx.Document(io.BytesIO(rendered["gov-2019"]))
    got = [p.text for p in doc.paragraphs if p.style.name == "Table Note"]
    assert got == notes


# --------------------------------------------------------------------------- styles


def test_east_asian_fonts_in_styles(case):
    _, doc = case
    fonts = {sid: east_asia_font(doc, sid) for sid in ("Normal", "Title", "Heading1", "Heading2", "TableText",
                                                         "Closing", "Footer")}
    assert fonts == {"Normal": "仿宋_GB2312", "Title": "方正小标宋简体", "Heading1": "黑体",
                     "Heading2": "楷体_GB2312", "TableText": "仿宋_GB2312", "Closing": "仿宋_GB2312",
                     "Footer": "宋体"}
    latin = style_element(doc, "Normal").find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    assert latin.get(qn("w:ascii")) == latin.get(qn("w:hAnsi")) == "Times New Roman"
    styles_xml = doc.styles.element.xml
    assert "eastAsiaTheme" not in styles_xml.split("<w:latentStyles")[0]  # docDefaults: no theme fonts
    for sid in ("Normal", "Title", "Heading1", "Heading2"):
        assert "Theme" not in style_element(doc, sid).xml
    lang = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:eastAsia")) == "zh-CN"


def test_every_chinese_font_has_a_fallback_in_the_font_table(contexts, rendered):
    """On a PC without the 公文 fonts, Word substitutes the w:altName of the font table entry."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(rendered["gov-2019"])) as z:
        fonts = etree.fromstring(z.read("word/fontTable.xml"))
        styles = z.read("word/styles.xml").decode("utf-8")
    alt = {f.get(qn("w:name")): f.find(qn("w:altName")).get(qn("w:val"))
           for f in fonts.findall(qn("w:font")) if f.find(qn("w:altName")) is not None}
    used = set(re.findall(r'w:eastAsia="([^"]+)"', styles)) - {"zh-CN"}
    assert used == {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"}
    assert {name: alt.get(name) for name in used} == {
        "仿宋_GB2312": "仿宋", "方正小标宋简体": "华文中宋", "黑体": "SimHei", "楷体_GB2312": "楷体", "宋体": "SimSun"}


def test_sizes_and_line_spacing(case):
    _, doc = case
    sizes = {sid: style_element(doc, sid).find(f"{qn('w:rPr')}/{qn('w:sz')}").get(qn("w:val"))
             for sid in ("Normal", "Title", "Heading1", "Heading2", "Footer")}
    assert sizes == {"Normal": "32", "Title": "44", "Heading1": "32", "Heading2": "32", "Footer": "28"}
    spacing = style_element(doc, "Normal").find(f"{qn('w:pPr')}/{qn('w:spacing')}")
    assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == ("560", "exact")


def test_body_and_headings_indented_two_characters(case):
    _, doc = case
    checked = 0
    for p in doc.paragraphs:
        if p.style.name in ("Normal", "Heading 1", "Heading 2") and p.text:
            assert effective(doc, p, "w:ind", "w:firstLineChars") == "200", p.text
            assert effective(doc, p, "w:ind", "w:firstLine") == "640", p.text  # 2 × 16 pt
            checked += 1
    assert checked > 10


# --------------------------------------------------------------------------- page


def test_page_setup(case):
    _, doc = case
    section = doc.sections[0]
    got = {name: round(getattr(section, name).mm, 1) for name in
           ("page_width", "page_height", "top_margin", "bottom_margin", "left_margin", "right_margin")}
    assert got == {"page_width": 210.0, "page_height": 297.0, "top_margin": 37.0, "bottom_margin": 35.0,
                   "left_margin": 28.0, "right_margin": 26.0}


def test_page_numbers_odd_right_even_left(case):
    _, doc = case
    assert doc.settings.odd_and_even_pages_header_footer
    assert doc.settings.element.find(qn("w:evenAndOddHeaders")) is not None
    section = doc.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer,
                                                                       WD_ALIGN_PARAGRAPH.LEFT)):
        assert not footer.is_linked_to_previous
        p = footer.paragraphs[0]
        instr = "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert instr.strip() == "PAGE"
        assert [f.get(qn("w:fldCharType")) for f in p._p.iter(qn("w:fldChar"))] == ["begin", "separate", "end"]
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert p.alignment == align


# --------------------------------------------------------------------------- closing and draft


def test_closing_organ_centred_over_the_date(case):
    """GB/T 9704 7.3.5.2: the date four characters in from the right, the organ centred over it."""
    context, doc = case
    paragraphs = doc.paragraphs
    assert [p.text for p in paragraphs[-3:]] == ["", context["agency"], context["date"]]
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", context["date"])
    agency, date = paragraphs[-2:]
    assert all(effective(doc, p, "w:jc", "w:val") == "right" for p in (agency, date))
    assert effective(doc, date, "w:ind", "w:rightChars") == "400"
    assert effective(doc, date, "w:ind", "w:right") == "1280"

    def centre(p):  # from the right margin, in characters
        return int(effective(doc, p, "w:ind", "w:rightChars")) / 100 + text_chars(p.text) / 2

    assert abs(centre(agency) - centre(date)) < 0.05


def test_closing_long_organ_name():
    """A name longer than the date keeps within the margin; the date is centred under it."""
    from govinfo_xlsx.report.docx import _add_closing, _setup_styles

    doc = docx.Document()
    _setup_styles(doc)
    _add_closing(doc, "某某省某某市某某县人民政府办公室", "2027年3月20日")
    agency, date = doc.paragraphs[-2:]
    right = {p.text: int(p._p.pPr.find(qn("w:ind")).get(qn("w:rightChars"))) / 100 for p in (agency, date)}
    assert right[agency.text] >= 0
    assert abs(right[agency.text] + text_chars(agency.text) / 2 - right[date.text] - text_chars(date.text) / 2) < 0.05


def test_draft_banner_only_for_a_draft(contexts, rendered):
    draft = docx.Document(io.BytesIO(rendered["draft"]))
    first = draft.paragraphs[: 1 + len(DRAFT_ERRORS)]
    assert [p.text for p in first] == [DRAFT_TITLE] + [f"{e['where']} [{e['rule']}] {e['message']}"
                                                       for e in DRAFT_ERRORS]
    banner = style_element(draft, "DraftBanner")
    assert banner.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None
    assert banner.find(f"{qn('w:pPr')}/{qn('w:shd')}") is not None
    assert banner.find(f"{qn('w:rPr')}/{qn('w:color')}").get(qn("w:val")) == "C00000"
    for section in draft.sections:  # the marking on every page: odd and even headers
        assert DRAFT_TITLE in section.header.paragraphs[0].text
        assert DRAFT_TITLE in section.even_page_header.paragraphs[0].text
    for key in ("gov-2019", "gov-2021"):
        assert not contexts[key]["draft"]
        doc = docx.Document(io.BytesIO(rendered[key]))
        assert all("草稿" not in p.text for p in doc.paragraphs)
        assert all("草稿" not in p.text for s in doc.sections for p in s.header.paragraphs + s.even_page_header.paragraphs)
        assert doc.paragraphs[0].style.name == "Title"


# --------------------------------------------------------------------------- bytes


def test_deterministic_bytes(contexts, rendered):
    for key, ctx in contexts.items():
        assert render_docx(copy.deepcopy(ctx)) == rendered[key]
    with zipfile.ZipFile(io.BytesIO(rendered["gov-2019"])) as z:
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert "docProps/thumbnail.jpeg" not in z.namelist()
    props = docx.Document(io.BytesIO(rendered["gov-2019"])).core_properties
    assert props.created == props.modified
    assert (props.created.year, props.created.month, props.created.day) == (2021, 1, 22)  # the report's date
    assert props.revision == 1 and props.last_modified_by == contexts["gov-2019"]["agency"]


def test_numbers_come_from_the_context(contexts):
    changed = copy.deepcopy(contexts["gov-2021"])
    cell = next(c for row in changed["tables"]["table3"]["rows"] for c in row if c["numeric"])
    cell["text"] = "98765"
    doc = docx.Document(io.BytesIO(render_docx(changed)))
    texts = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "98765" in texts


def test_import_stays_light():
    code = "import sys, govinfo_xlsx.report.docx; print('docx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(govinfo_xlsx.__file__).parent.parent)
    assert out.stdout.strip() == "False"

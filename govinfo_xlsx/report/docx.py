"""The report as a Word document in the GB/T 9704 (党政机关公文格式) house style.

``render_docx(context)`` turns the plain-data context of ``report.context`` into
the bytes of a .docx file: A4 with the 公文 margins, 方正小标宋简体 title, 仿宋_GB2312
body on a fixed 28 pt line, 黑体 / 楷体_GB2312 headings, the statutory tables with
their merged headers (column widths derived from the content: labels broken only
between words, figures whole; a table too wide for the line turned sideways on a
landscape page), the closing (the organ centred over the date) and "— n —" page
numbers, odd pages right and even pages left; a draft says so in every page header.  Fonts live in the styles, with the East
Asian font set through ``w:rFonts/@w:eastAsia`` (python-docx's ``font.name``
only sets the Latin fonts).  The same context always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import weakref
import zipfile
from typing import TYPE_CHECKING, Any, Sequence

from .context import is_long_label, label_units, place_cells

if TYPE_CHECKING:  # python-docx is imported lazily so that `import govinfo_xlsx` stays light
    from docx.document import Document
    from docx.styles.style import ParagraphStyle
    from docx.table import Table

# Fonts (GB/T 9704): the East Asian font, Latin text and digits in Times New Roman.
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
LATIN = "Times New Roman"
# Fallbacks in the font table (w:altName) for a PC without the 公文 fonts: the font Windows and
# Office ship under another name, so title, headings and body still differ.
FONT_FALLBACKS = {FANGSONG: "仿宋", KAITI: "楷体", HEITI: "SimHei", XIAOBIAOSONG: "华文中宋", SONGTI: "SimSun"}

# Sizes in points: 二号 22, 三号 16, 四号 14, 小四 12, 五号 10.5, 小五 9.
TITLE_PT = 22
BODY_PT = 16
PAGE_NUMBER_PT = 14
NOTE_PT = 12
TABLE_PT = 10.5
SMALL_TABLE_PT = 9
LINE_PT = 28  # fixed line spacing of the body: 22 lines on the 225 mm type area
TITLE_LINE_PT = 36
TABLE_LINE_FACTOR = 1.3  # fixed table line height, so rows are as tall in Word as in LibreOffice

# Page set-up in millimetres: type area 156 × 225 mm; the page number line starts about
# 7 mm below the type area, so the footer's baseline sits 22 mm above the paper's edge.
PAGE_MM = {"width": 210, "height": 297, "top": 37, "bottom": 35, "left": 28, "right": 26,
           "header": 15, "footer": 22}
TEXT_WIDTH_MM = PAGE_MM["width"] - PAGE_MM["left"] - PAGE_MM["right"]

# Tables set in 小五 (GB/T 9704 leaves the size of table text open): 表三's ten columns and 表四's
# fifteen fit the 156 mm line with their labels whole and their figures on one line.
SMALL_TABLES = {"table3", "table4"}
CELL_MARGIN_TWIPS = {"top": 20, "left": 57, "bottom": 20, "right": 57}  # schema order
LANDSCAPE_WIDTH_MM = PAGE_MM["height"] - PAGE_MM["top"] - PAGE_MM["bottom"]  # 225 mm: a table turned sideways
MIN_FIGURE_DIGITS = 4  # number columns hold at least a four-digit figure; wider figures widen them
WIDTH_SLACK_PT = 1.5  # rounding and font differences between Word and LibreOffice

DRAFT_TITLE = "草稿：未通过校验，不得发布"
DRAFT_RED = "C00000"
DRAFT_FILL = "FDECEC"
BODY_INDENT_CHARS = 2
CLOSING_INDENT_CHARS = 4
PAGE_NUMBER_INDENT_CHARS = 1
TITLE_LINE_CHARS = 20  # characters of 二号 on a 156 mm line
TYPE_AREA_PT = (PAGE_MM["height"] - PAGE_MM["top"] - PAGE_MM["bottom"]) / 25.4 * 72  # 225 mm

# Names of the custom paragraph styles (shown in Word's style gallery; ids drop the spaces).
STYLE_TABLE = "Table Text"
STYLE_TABLE_SMALL = "Table Text Small"
STYLE_NOTE = "Table Note"
STYLE_CLOSING = "Closing"
STYLE_BANNER = "Draft Banner"
STYLE_AFTER_TABLE = "After Table"
STYLE_DRAFT_HEADER = "Draft Header"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def twips(points: float) -> int:
    return round(points * 20)


def table_line(size: float) -> float:
    """Fixed line height of table text, rounded to half a point."""
    return round(size * TABLE_LINE_FACTOR * 2) / 2


def cm_twips(cm: float) -> int:
    return round(cm / 2.54 * 1440)


# --------------------------------------------------------------------------- entry point


def render_docx(context: dict[str, Any]) -> bytes:
    """The .docx bytes of the report described by ``context`` (see ``build_context``)."""
    import docx

    doc = docx.Document()
    _setup_styles(doc)
    _add_font_fallbacks(doc)
    _setup_page(doc)
    _setup_footers(doc)
    _set_core_properties(doc, context)
    _drop_thumbnail(doc)
    _clear_body(doc)

    if context.get("draft"):
        _add_draft_headers(doc)
        _add_banner(doc, context.get("errors", []), context.get("explained", []))
    _add_title(doc, context["title"], context.get("agency", ""))
    _add_body(doc, context.get("opening", ""))
    for part in context["parts"]:
        _add_part(doc, part, context)
    _add_closing(doc, context.get("agency", ""), context.get("date", ""))

    out = io.BytesIO()
    doc.save(out)
    return _normalise_zip(out.getvalue())


# --------------------------------------------------------------------------- XML helpers


def _xml(fragment: str) -> Any:
    """An element from a WordprocessingML fragment written with the ``w:`` prefix."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    return parse_xml(f"<w:wrap {nsdecls('w')}>{fragment}</w:wrap>")[0]


def _rpr(east: str, size: float, *, latin: str = LATIN, color: str = "") -> str:
    """A w:rPr with every font slot set, the East Asian one explicitly (no theme fonts)."""
    half = round(size * 2)
    return (
        "<w:rPr>"
        f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east}" w:cs="{latin}"/>'
        + (f'<w:color w:val="{color}"/>' if color else "")
        + f'<w:kern w:val="2"/><w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
        "</w:rPr>"
    )


def _ind(font_pt: float, first: float, left: float, right: float) -> str:
    """A w:ind in characters (w:*Chars, hundredths) with the matching twips for older readers."""
    char = twips(font_pt)
    attrs = [f'w:{name}="{round(n * char)}" w:{name}Chars="{round(n * 100)}"'
             for name, n in (("left", left), ("right", right), ("firstLine", first))]
    return f"<w:ind {' '.join(attrs)}/>"


def _ppr(*, style_id: str = "", align: str = "both", font_pt: float = BODY_PT, line_pt: float | None = LINE_PT,
         first: float = 0, left: float = 0, right: float = 0, before_pt: float = 0, after_pt: float = 0,
         keep_next: bool = False, outline: int | None = None, extra: str = "") -> str:
    """A w:pPr: spacing (exact ``line_pt``, or single when None), indents in characters, alignment."""
    line = f'w:line="{twips(line_pt)}" w:lineRule="exact"' if line_pt else 'w:line="240" w:lineRule="auto"'
    return (
        "<w:pPr>"
        + (f'<w:pStyle w:val="{style_id}"/>' if style_id else "")
        + ("<w:keepNext/>" if keep_next else "")
        + "<w:widowControl/>"  # no single first or last line of a paragraph alone on a page
        + extra
        + f'<w:spacing w:before="{twips(before_pt)}" w:after="{twips(after_pt)}" {line}/>'
        + _ind(font_pt, first, left, right)
        + f'<w:jc w:val="{align}"/>'
        + (f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else "")
        + "</w:pPr>"
    )


def _restyle(style: "ParagraphStyle", ppr: str, rpr: str) -> None:
    """Replace a style's paragraph and run properties (dropping theme fonts and colours)."""
    el = style.element
    for child in list(el):
        if child.tag in (f"{{{W_NS}}}pPr", f"{{{W_NS}}}rPr"):
            el.remove(child)
    el.append(_xml(ppr))
    el.append(_xml(rpr))


# python-docx resolves a style given by name with an xpath over every style, and the default style
# of its type (whose id it leaves out) with another, on each paragraph: a quarter of a render.  The
# ids are resolved once per document here, by python-docx's own rules, and written directly.
_STYLE_IDS: "weakref.WeakKeyDictionary[Any, dict[tuple[str, Any], str | None]]" = weakref.WeakKeyDictionary()


def _style_id(doc: "Document", name: str, kind: Any = None) -> str | None:
    """The id python-docx writes for the style ``name`` of type ``kind`` (paragraph by default):
    None for the default style of that type, as ``Paragraph.style = name`` leaves it out."""
    from docx.enum.style import WD_STYLE_TYPE

    kind = WD_STYLE_TYPE.PARAGRAPH if kind is None else kind
    ids = _STYLE_IDS.setdefault(doc.part, {})
    if (name, kind) not in ids:
        style = doc.styles[name]
        if style.type != kind:
            raise ValueError(f"style {name!r} is of type {style.type}, not {kind}")
        if ("", kind) not in ids:  # the default style of the type, looked up once
            default = doc.styles.default(kind)
            ids["", kind] = None if default is None else default.style_id
        ids[name, kind] = None if style.style_id == ids["", kind] else style.style_id
    return ids[name, kind]


def _add_paragraph(doc: "Document", text: str = "", style: str = "Normal") -> Any:
    """``doc.add_paragraph(text, style=style)`` with the style's id resolved once per document."""
    paragraph = doc.add_paragraph(text)
    paragraph._p.style = _style_id(doc, style)
    return paragraph


# --------------------------------------------------------------------------- styles and page


def _setup_styles(doc: "Document") -> None:
    """Fonts, sizes, indents and spacing of every paragraph kind, defined once in styles.xml."""
    from docx.enum.style import WD_STYLE_TYPE

    styles = doc.styles
    defaults = styles.element.find(f"{{{W_NS}}}docDefaults")
    rpr_default = defaults.find(f"{{{W_NS}}}rPrDefault")
    for child in list(rpr_default):
        rpr_default.remove(child)
    rpr_default.append(_xml(_rpr(FANGSONG, BODY_PT)))
    ppr_default = defaults.find(f"{{{W_NS}}}pPrDefault")
    for child in list(ppr_default):
        ppr_default.remove(child)
    ppr_default.append(_xml('<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'))

    body = _ppr(first=BODY_INDENT_CHARS)
    normal = styles["Normal"]
    _restyle(normal, body, _rpr(FANGSONG, BODY_PT))
    _restyle(styles["Title"],
             _ppr(align="center", line_pt=TITLE_LINE_PT, font_pt=TITLE_PT, after_pt=LINE_PT, keep_next=True),
             _rpr(XIAOBIAOSONG, TITLE_PT))
    _restyle(styles["Heading 1"], _ppr(first=BODY_INDENT_CHARS, keep_next=True, outline=0), _rpr(HEITI, BODY_PT))
    _restyle(styles["Heading 2"], _ppr(first=BODY_INDENT_CHARS, keep_next=True, outline=1), _rpr(KAITI, BODY_PT))
    footer = styles["Footer"]
    _restyle(footer, _ppr(align="right", line_pt=None, font_pt=PAGE_NUMBER_PT),
             _rpr(SONGTI, PAGE_NUMBER_PT, latin=SONGTI))

    def custom(name: str, ppr: str, rpr: str) -> None:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _restyle(style, ppr, rpr)

    for name, size in ((STYLE_TABLE, TABLE_PT), (STYLE_TABLE_SMALL, SMALL_TABLE_PT)):
        custom(name, _ppr(align="center", line_pt=table_line(size), font_pt=size), _rpr(FANGSONG, size))
    custom(STYLE_NOTE, _ppr(align="left", line_pt=20, font_pt=NOTE_PT, before_pt=6), _rpr(FANGSONG, NOTE_PT))
    custom(STYLE_AFTER_TABLE, _ppr(line_pt=LINE_PT / 2), _rpr(FANGSONG, BODY_PT / 2))
    custom(STYLE_DRAFT_HEADER, _ppr(align="center", line_pt=None, font_pt=NOTE_PT), _rpr(HEITI, NOTE_PT, color=DRAFT_RED))
    custom(STYLE_CLOSING, _ppr(align="right", right=CLOSING_INDENT_CHARS), _rpr(FANGSONG, BODY_PT))
    box = "".join(f'<w:{side} w:val="single" w:sz="12" w:space="4" w:color="{DRAFT_RED}"/>'
                  for side in ("top", "left", "bottom", "right"))
    banner_extra = (f"<w:pBdr>{box}</w:pBdr>"
                    f'<w:shd w:val="clear" w:color="auto" w:fill="{DRAFT_FILL}"/>')
    custom(STYLE_BANNER, _ppr(align="left", line_pt=None, font_pt=NOTE_PT, extra=banner_extra),
           _rpr(HEITI, NOTE_PT, color=DRAFT_RED))

    # Word's theme language drives some East Asian layout choices.
    lang = doc.settings.element.find(f"{{{W_NS}}}themeFontLang")
    if lang is not None:
        lang.set(f"{{{W_NS}}}eastAsia", "zh-CN")


def _add_font_fallbacks(doc: "Document") -> None:
    """A w:font entry with w:altName for every Chinese font the styles use (GB2312 character set)."""
    from lxml import etree

    part = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    for name, alt in FONT_FALLBACKS.items():
        for old in root.findall(f"{{{W_NS}}}font[@{{{W_NS}}}name='{name}']"):
            root.remove(old)
        root.append(_xml(f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
                         '<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'))
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _setup_page(doc: "Document") -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_MM["width"]), Mm(PAGE_MM["height"])
    section.top_margin, section.bottom_margin = Mm(PAGE_MM["top"]), Mm(PAGE_MM["bottom"])
    section.left_margin, section.right_margin = Mm(PAGE_MM["left"]), Mm(PAGE_MM["right"])
    section.header_distance, section.footer_distance = Mm(PAGE_MM["header"]), Mm(PAGE_MM["footer"])
    section.gutter = Mm(0)


def _setup_footers(doc: "Document") -> None:
    """'— n —' page numbers: odd pages at the right, even pages at the left (w:evenAndOddHeaders)."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    section.even_page_footer.is_linked_to_previous = False
    n = PAGE_NUMBER_INDENT_CHARS
    for footer, align, indent in ((section.footer, "right", {"right": n}),
                                  (section.even_page_footer, "left", {"left": n})):
        ppr = _ppr(style_id="Footer", align=align, line_pt=None, font_pt=PAGE_NUMBER_PT, **indent)
        _page_number(footer.paragraphs[0], ppr)


def _page_number(paragraph: Any, ppr: str) -> None:
    """'— PAGE —' in the Footer style; ``ppr`` places it (alignment and indent)."""
    p = paragraph._p
    old = p.find(f"{{{W_NS}}}pPr")
    if old is not None:
        p.remove(old)
    p.insert(0, _xml(ppr))
    paragraph.add_run("— ")
    for fragment in ('<w:fldChar w:fldCharType="begin"/>',
                     '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
                     '<w:fldChar w:fldCharType="separate"/>'):
        paragraph.add_run()._r.append(_xml(fragment))
    paragraph.add_run("1")
    paragraph.add_run()._r.append(_xml('<w:fldChar w:fldCharType="end"/>'))
    paragraph.add_run(" —")


CORE_PROPERTY_CHARS = 255  # python-docx (and Word) refuse longer core properties


def _set_core_properties(doc: "Document", context: dict[str, Any]) -> None:
    """Document properties from the context only: no clock, no user name."""
    props = doc.core_properties
    stamp = _report_datetime(context)
    props.title = context.get("title", "")[:CORE_PROPERTY_CHARS]
    props.subject = "政府信息公开工作年度报告"
    props.author = context.get("agency", "")[:CORE_PROPERTY_CHARS]
    props.last_modified_by = context.get("agency", "")[:CORE_PROPERTY_CHARS]
    props.comments = ""
    props.keywords = "政府信息公开"
    props.category = ""
    props.language = "zh-CN"
    props.revision = 1
    props.created = stamp
    props.modified = stamp


def _report_datetime(context: dict[str, Any]) -> dt.datetime:
    """The report's date (成文日期) when given, else 1 January after the report year."""
    m = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", context.get("date") or "")
    if m:
        return dt.datetime(int(m[1]), int(m[2]), int(m[3]))
    year = context.get("year")
    return dt.datetime(int(year) + 1, 1, 1) if isinstance(year, int) else dt.datetime(2000, 1, 1)


def _drop_thumbnail(doc: "Document") -> None:
    """The template's preview picture shows an empty page: leave it out."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    rels = doc.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        rels.pop(rid)


def _clear_body(doc: "Document") -> None:
    body = doc.element.body
    for child in list(body):
        if child.tag != f"{{{W_NS}}}sectPr":
            body.remove(child)


# --------------------------------------------------------------------------- content


def _add_draft_headers(doc: "Document") -> None:
    """The draft marking in the page header of every page (odd and even), in red."""
    section = doc.sections[0]
    section.even_page_header.is_linked_to_previous = False
    for header in (section.header, section.even_page_header):
        p = header.paragraphs[0]
        p._p.style = _style_id(doc, STYLE_DRAFT_HEADER)
        p.add_run(DRAFT_TITLE).bold = True


def _add_banner(doc: "Document", errors: Sequence[dict[str, Any]],
                explained: Sequence[dict[str, Any]] = ()) -> None:
    """A red, boxed and shaded block: the draft warning and one line per error."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    head = _add_paragraph(doc, style=STYLE_BANNER)
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(DRAFT_TITLE)
    run.bold = True
    run.font.size = Pt(BODY_PT)
    for err in errors:
        note = f"（说明：{err['explanation']}）" if err.get("explanation") else ""
        _add_paragraph(doc, f"{err.get('where', '')} [{err.get('rule', '')}] {err.get('message', '')}{note}",
                       STYLE_BANNER)
    if explained:
        _add_paragraph(doc, "已填写说明的警告和提示：", STYLE_BANNER)
    for f in explained:
        _add_paragraph(doc, f"{f['severity']} {f['where']} [{f['rule']}] {f['message']}（说明：{f['explanation']}）",
                       STYLE_BANNER)
    _add_paragraph(doc, style="Normal")  # one empty line between the banner and the title


def _add_title(doc: "Document", title: str, agency: str) -> None:
    """The title, broken after the organ's name when it would not fit on one line."""
    p = _add_paragraph(doc, style="Title")
    if agency and title.startswith(agency) and len(title) > TITLE_LINE_CHARS and title != agency:
        p.add_run(agency).add_break()
        p.add_run(title[len(agency):])
    else:
        p.add_run(title)


def _add_body(doc: "Document", text: str) -> None:
    if text:
        _add_paragraph(doc, text, "Normal")


def _add_part(doc: "Document", part: dict[str, Any], context: dict[str, Any]) -> None:
    key = part.get("table") or ""
    sideways = (bool(key) and key in context.get("tables", {}) and table_layout(context["tables"][key], key)[1]
                and len(stacked_parts(context["tables"][key], key)) == 1)
    if sideways:  # GB/T 9704: a table too wide for the line is turned sideways on its own pages
        _new_section(doc, landscape=True)
    _add_part_content(doc, part, context)
    if sideways:
        _new_section(doc, landscape=False)


def _new_section(doc: "Document", landscape: bool) -> None:
    """A new page in portrait or landscape; headers and footers continue from the previous section."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(PAGE_MM["height"]), Mm(PAGE_MM["width"])
        # the type area turned: 225 mm wide, 156 mm high
        section.left_margin, section.right_margin = Mm(PAGE_MM["top"]), Mm(PAGE_MM["bottom"])
        section.top_margin, section.bottom_margin = Mm(PAGE_MM["right"]), Mm(PAGE_MM["left"])
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(PAGE_MM["width"]), Mm(PAGE_MM["height"])
        section.top_margin, section.bottom_margin = Mm(PAGE_MM["top"]), Mm(PAGE_MM["bottom"])
        section.left_margin, section.right_margin = Mm(PAGE_MM["left"]), Mm(PAGE_MM["right"])


def _add_part_content(doc: "Document", part: dict[str, Any], context: dict[str, Any]) -> None:
    _add_paragraph(doc, part["title"], "Heading 1")
    for text in part.get("paragraphs", []):
        _add_body(doc, text)
    for sub in part.get("subsections", []):
        _add_paragraph(doc, sub["title"], "Heading 2")
        for text in sub.get("paragraphs", []):
            _add_body(doc, text)
    key = part.get("table") or ""
    if key and key in context.get("tables", {}):
        for i, piece in enumerate(stacked_parts(context["tables"][key], key)):
            if i:  # two tables in a row would merge into one: a half line between them
                _add_paragraph(doc, style=STYLE_AFTER_TABLE).paragraph_format.keep_with_next = True
            _add_table(doc, piece, key)
        for note in context.get("table_notes", {}).get(key, []):
            _add_paragraph(doc, note, STYLE_NOTE)
        _add_paragraph(doc, style=STYLE_AFTER_TABLE)  # a half line of space before the next heading


def _add_closing(doc: "Document", agency: str, date: str) -> None:
    """One empty line, then the organ and the date (GB/T 9704 7.3.5.2): the date four characters
    in from the right, the organ's name centred over the date (the longer of the two sets the
    other's place when the name is longer than the date).  The last body lines keep with the
    closing (``_keep_last_lines``), so the organ and the date never stand alone on the last page."""
    _keep_last_lines(doc)
    _add_paragraph(doc, style="Normal").paragraph_format.keep_with_next = True
    agency_w, date_w = text_chars(agency), text_chars(date)
    date_right = float(CLOSING_INDENT_CHARS)
    if agency and date and agency_w > date_w:  # the name would reach past the margin: centre the date under it
        agency_right = max(0.0, date_right - (agency_w - date_w) / 2)
        date_right = agency_right + (agency_w - date_w) / 2
    else:
        agency_right = date_right + (date_w - agency_w) / 2 if date else date_right
    for text, right in ((agency, agency_right), (date, date_right)):
        if text:
            p = _add_paragraph(doc, text, STYLE_CLOSING)
            p.paragraph_format.keep_with_next = text is agency and bool(date)
            if right != CLOSING_INDENT_CHARS:
                p._p.get_or_add_pPr().append(_xml(_ind(BODY_PT, 0, 0, round(right, 2))))


KEEP_LINES = 2  # body lines on the closing's page, at least
KEEP_LAST_LINES = 3  # a paragraph up to this long moves whole with the closing; a longer one is split
LINE_CHARS = int(TEXT_WIDTH_MM / 25.4 * 72 // BODY_PT)  # 27 characters of 三号 on the 156 mm line
LINE_EMS = TEXT_WIDTH_MM / 25.4 * 72 / BODY_PT  # the 156 mm line in ems of 三号 (27.6)
SEAM_MARGIN_PT = 1.0  # the split line's letter-spacing stops this short of the margin


def _keep_last_lines(doc: "Document") -> None:
    """w:keepNext on the last body lines, at least ``KEEP_LINES`` of them, so they go with the
    closing.  LibreOffice moves a kept paragraph whole when it fits a page, so keeping a long one
    would leave the page before it largely empty.  A paragraph longer than ``KEEP_LAST_LINES`` is
    therefore split where its last ``KEEP_LINES`` lines start (``lines.line_starts``, the word
    processors' line breaks): the tail, a paragraph of its own without first-line indent, is the
    part kept (two lines under widow control, which Word and LibreOffice both move whole; the
    part left behind has two lines at least, so neither stands as a single line), and
    the line before the split is letter-spaced to the margin as justification would set it, so
    on paper the paragraph reads as one."""
    from . import lines

    need = KEEP_LINES
    for p in reversed(doc.paragraphs):
        p.paragraph_format.keep_with_next = True
        if p._p.style != _style_id(doc, "Normal") or not p.text:
            return  # a heading (kept with what follows it), the spacer after a table, the title
        starts = lines.line_starts(p.text, LINE_EMS, BODY_INDENT_CHARS) if len(p.runs) == 1 else None
        count = len(starts) if starts else body_lines(p.text)
        if count > KEEP_LAST_LINES:
            if starts is None:  # text the model cannot break: not kept (LibreOffice would move it whole)
                p.paragraph_format.keep_with_next = False
                return
            p.paragraph_format.keep_with_next = False
            _split_tail(doc, p, starts)
            count = KEEP_LINES
        need -= count
        if need <= 0:
            return


def _split_tail(doc: "Document", p: Any, starts: Sequence[int]) -> None:
    """Split paragraph ``p`` where its last ``KEEP_LINES`` lines start; the tail keeps with the
    next paragraph."""
    import math

    from . import lines

    text = p.text
    cut, seam_start = starts[-KEEP_LINES], starts[-KEEP_LINES - 1]
    seam = text[seam_start:cut]
    tail = _add_paragraph(doc, text[cut:], "Normal")
    p._p.addnext(tail._p)
    tail.paragraph_format.keep_with_next = True
    tail._p.get_or_add_pPr().append(_xml(_ind(BODY_PT, 0, 0, 0)))
    p.runs[0].text = text[:seam_start]
    run = p.add_run(seam)
    indent = BODY_INDENT_CHARS if seam_start == 0 else 0
    slack = (LINE_EMS - indent - lines.width(seam, text[:seam_start])) * BODY_PT - SEAM_MARGIN_PT
    if slack > 0 and all(lines.is_wide(ch) for ch in seam):  # widths exact in every renderer
        run._r.get_or_add_rPr().append(_xml(f'<w:spacing w:val="{math.floor(slack / len(seam) * 20)}"/>'))


def body_lines(text: str) -> int:
    """Estimated lines of a body paragraph (two characters of first-line indent)."""
    import math

    return max(1, math.ceil((text_chars(text) + BODY_INDENT_CHARS) / LINE_CHARS))


def text_chars(text: str) -> float:
    """Width of a text in characters of its font: CJK and full-width one, others half."""
    import unicodedata

    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


# --------------------------------------------------------------------------- tables


def label_lines(text: str, capacity_chars: float) -> list[str]:
    """The lines a label is set in within ``capacity_chars``: its words (``words.label_units``)
    packed greedily, so a line breaks only where a word ends; running text is left to wrap."""
    if is_long_label(text) or text_chars(text) <= capacity_chars:
        return [text]
    lines: list[str] = []
    for unit in label_units(text):
        if lines and text_chars(lines[-1] + unit) <= capacity_chars:
            lines[-1] += unit
        else:
            lines.append(unit)
    return lines


def _cell_margin_pt() -> float:
    return (CELL_MARGIN_TWIPS["left"] + CELL_MARGIN_TWIPS["right"]) / 20


def _figure_digits(text: str) -> str:
    return "0" * max(MIN_FIGURE_DIGITS, len(text)) if text and text.replace(".", "").replace("-", "").isdigit() \
        else text


def column_bounds(grid: dict[str, Any], size: float) -> tuple[list[float], list[float]]:
    """(least, most) width in points of each column at font ``size``: the least holds its widest
    unbreakable piece (a word of a label, a figure, at least four digits), the most its longest
    text on one line (cell margins included) — not counting a label over several rows, which
    stacks its words (表三's group column stays narrow, the spare width goes to the labels)."""
    columns = grid["columns"]
    pad = _cell_margin_pt() + WIDTH_SLACK_PT
    low = [2 * size + pad] * columns
    high = list(low)
    for _, c, cell in place_cells(grid["rows"], columns):
        if cell["colspan"] != 1:
            continue
        text = cell["text"]
        if cell.get("numeric"):
            need = text_chars(_figure_digits(text)) * size + pad
            low[c], high[c] = max(low[c], need), max(high[c], need)
            continue
        units = label_units(text) if not is_long_label(text) else [text[:4]]
        low[c] = max(low[c], max(text_chars(u) for u in units) * size + pad)
        if cell["rowspan"] == 1:  # a cell over several rows has room to stack its words
            high[c] = max(high[c], text_chars(text) * size + pad)
    return low, [max(h, lo) for h, lo in zip(high, low)]


def column_widths(grid: dict[str, Any], size: float, total_mm: float) -> list[int] | None:
    """Column widths in twips over ``total_mm`` derived from the content, or None when it does not fit:
    each column at least its least width (``column_bounds``), the space up to the most widths going
    to the columns that want it, in proportion (the usual automatic table layout)."""
    low, high = column_bounds(grid, size)
    total = total_mm / 25.4 * 72
    if sum(low) > total:
        return None
    want = [h - lo for h, lo in zip(high, low)]
    spare = total - sum(low)
    if sum(want) <= spare:  # everything fits on one line: share the rest like the natural widths
        widths = [h + (total - sum(high)) * h / sum(high) for h in high]
    else:
        widths = [lo + spare * w / sum(want) for lo, w in zip(low, want)]
    out = [twips(w) for w in widths]
    out[-1] += twips(total) - sum(out)
    return out


def table_size(key: str) -> float:
    return SMALL_TABLE_PT if key in SMALL_TABLES else TABLE_PT


def table_layout(grid: dict[str, Any], key: str) -> tuple[list[int], bool]:
    """(column widths, landscape): on the portrait line if the content fits, else turned sideways."""
    size = SMALL_TABLE_PT if key in SMALL_TABLES else TABLE_PT
    widths = column_widths(grid, size, TEXT_WIDTH_MM)
    if widths is not None:
        return widths, False
    wide = column_widths(grid, size, LANDSCAPE_WIDTH_MM)
    if wide is not None:
        return wide, True
    total = twips(LANDSCAPE_WIDTH_MM / 25.4 * 72)  # too wide even sideways: equal columns
    return [total // grid["columns"]] * (grid["columns"] - 1) + [total - total // grid["columns"] * (grid["columns"] - 1)], True


def column_slice(grid: dict[str, Any], start: int, stop: int) -> dict[str, Any] | None:
    """The columns ``start``..``stop - 1`` of a grid as a grid of their own (rows that no longer
    start a cell dropped, spans shortened to match), or None when a cell spans the cut."""
    placed = list(place_cells(grid["rows"], grid["columns"]))
    if any(c < cut < c + cell["colspan"] for _, c, cell in placed for cut in (start, stop)):
        return None
    kept = [(r, c, cell) for r, c, cell in placed if start <= c < stop]
    starts = sorted({r for r, _, _ in kept})
    rows: list[list[dict[str, Any]]] = [[] for _ in starts]
    for r, c, cell in sorted(kept, key=lambda t: (t[0], t[1])):
        span = sum(1 for s in starts if r <= s < r + cell["rowspan"])
        rows[starts.index(r)].append({**cell, "rowspan": span})
    return {**grid, "columns": stop - start, "rows": rows,
            "header_rows": sum(1 for s in starts if s < grid.get("header_rows", 0))}


def stacked_parts(grid: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """A table too wide for the portrait line cut between its column groups into parts set one
    under the other, each as wide as the line (表四 with six-digit figures: 行政复议 above 行政诉讼),
    rather than turned sideways onto a page of its own; the whole table when it fits, or when no
    such cut makes every part fit."""
    size = table_size(key)
    if column_widths(grid, size, TEXT_WIDTH_MM) is not None:
        return [grid]
    parts, start, columns = [], 0, grid["columns"]
    while start < columns:
        best = None
        for stop in range(start + 1, columns + 1):
            piece = column_slice(grid, start, stop)
            if piece is not None and column_widths(piece, size, TEXT_WIDTH_MM) is not None:
                best = (stop, piece)
        if best is None:
            return [grid]
        start = best[0]
        parts.append(best[1])
    return parts


def _add_table(doc: "Document", grid: dict[str, Any], key: str) -> "Table":
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.table import _Cell

    rows, columns = grid["rows"], grid["columns"]
    table = doc.add_table(rows=len(rows), cols=columns)
    table._tbl.tblStyle_val = _style_id(doc, "Table Grid", WD_STYLE_TYPE.TABLE)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # w:tblLayout fixed: Word and LibreOffice keep the widths below
    widths, _ = table_layout(grid, key)
    _set_table_properties(table, widths)
    # Fill the cells first, then merge: the covered cells stay empty.  One snapshot of the
    # unmerged cells, row by row, serves both.
    cells = [_Cell(tc, table) for tr in table._tbl.tr_lst for tc in tr.tc_lst]
    style_id = _style_id(doc, STYLE_TABLE_SMALL if key in SMALL_TABLES else STYLE_TABLE)
    placed = list(place_cells(rows, columns))
    size = SMALL_TABLE_PT if key in SMALL_TABLES else TABLE_PT
    for r, c, cell in placed:
        room = (sum(widths[c:c + cell["colspan"]]) / 20 - _cell_margin_pt() - WIDTH_SLACK_PT / 2) / size
        _fill_cell(cells[r * columns + c], cell, style_id, label_lines(cell["text"], room))
    tcs = [cell._tc for cell in cells]
    for r, c, cell in placed:
        if cell["rowspan"] > 1 or cell["colspan"] > 1:
            _merge_cells(tcs, len(rows), columns, r, c, cell["rowspan"], cell["colspan"])
    _set_cell_widths(table, widths)
    keep = table_height(grid, widths, size) <= TYPE_AREA_PT / 2
    _set_row_properties(table, grid.get("header_rows", 0), keep_together=keep)
    return table


def _merge_cells(tcs: Sequence[Any], rows: int, columns: int, r: int, c: int, rowspan: int, colspan: int) -> None:
    """Merge the cells of a new table from row ``r``, column ``c`` over ``rowspan`` × ``colspan``
    into the XML python-docx's ``_Cell.merge`` writes: in each row the first cell gets w:gridSpan
    and the others are removed; down the column w:vMerge restart, then continue.  ``_Cell.merge``
    finds the span's corners by walking the grid from the XML on every call (a quarter of a
    render); here they are known.  ``tcs``: the table's w:tc elements row by row before any merge;
    the covered cells are empty (``_add_table`` fills only the first cell of a span) and are
    dropped.  The widths (w:tcW) are set afterwards by ``_set_cell_widths``."""
    from docx.oxml.simpletypes import ST_Merge

    if r + rowspan > rows or c + colspan > columns:
        raise ValueError(f"cell ({r}, {c}) spans {rowspan} × {colspan} past the {rows} × {columns} table")
    for i in range(rowspan):
        first = (r + i) * columns + c
        tc = tcs[first]
        for covered in tcs[first + 1:first + colspan]:
            covered.getparent().remove(covered)
        tc.grid_span = colspan
        if rowspan > 1:
            tc.vMerge = ST_Merge.RESTART if i == 0 else ST_Merge.CONTINUE


def _set_table_properties(table: "Table", widths: list[int]) -> None:
    """Full-width table, every border single, narrow cell margins."""
    from docx.shared import Twips

    tbl_pr = table._tbl.tblPr
    for tag in ("tblW", "tblBorders", "tblCellMar"):
        old = tbl_pr.find(f"{{{W_NS}}}{tag}")
        if old is not None:
            tbl_pr.remove(old)
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    margins = "".join(f'<w:{side} w:w="{w}" w:type="dxa"/>' for side, w in CELL_MARGIN_TWIPS.items())
    # Schema order inside w:tblPr: tblStyle, …, tblW, jc, …, tblBorders, shd, tblLayout, tblCellMar, tblLook.
    style = tbl_pr.find(f"{{{W_NS}}}tblStyle")
    style.addnext(_xml(f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>'))
    anchor = tbl_pr.find(f"{{{W_NS}}}jc")
    anchor.addnext(_xml(f"<w:tblBorders>{borders}</w:tblBorders>"))
    layout = tbl_pr.find(f"{{{W_NS}}}tblLayout")
    layout.addnext(_xml(f"<w:tblCellMar>{margins}</w:tblCellMar>"))
    for col, w in zip(table.columns, widths):
        col.width = Twips(w)


def _fill_cell(target: Any, cell: dict[str, Any], style_id: str, lines: Sequence[str] = ()) -> None:
    """Text in a table text style (centred); column headers and captions bold,
    row labels in regular weight and left-aligned, as in the official tables.
    ``lines``: the label broken where a reader expects (a line break between them)."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    # What ``target.vertical_alignment = CENTER``, ``paragraph.style = style_id`` and ``run.bold =
    # True`` write, without python-docx's search for the place of each new element (see _new_child).
    cell_pr = target._tc.tcPr
    _new_child(cell_pr, "w:vAlign", len(cell_pr)).val = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = target.paragraphs[0]
    _new_child(paragraph._p.get_or_add_pPr(), "w:pStyle").val = style_id
    run = paragraph.add_run()
    for i, line in enumerate(lines or [cell["text"]]):
        if i:
            run.add_break()
        run.add_text(line)
    if cell.get("role", "row" if cell.get("header") else "data") == "row":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    elif cell.get("header"):
        _new_child(run._r.get_or_add_rPr(), "w:b")  # w:b without w:val: bold on


def _new_child(parent: Any, tag: str, index: int = 0) -> Any:
    """A new ``tag`` element inserted into ``parent`` at ``index`` (first by default), which must be
    its place in the schema's order among the children ``parent`` holds.  python-docx's
    ``get_or_add_*`` finds that place by searching ``parent`` for each tag that may follow (dozens
    in w:pPr and w:rPr); in a new table cell the place is known, and the search was most of the time
    of filling the cells."""
    from docx.oxml.parser import OxmlElement

    child = OxmlElement(tag)
    parent.insert(index, child)
    return child


def _set_cell_widths(table: "Table", widths: list[int]) -> None:
    """w:tcW on every cell (spanned cells get the sum of their grid columns)."""
    from docx.shared import Twips

    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = Twips(sum(widths[col:col + span]))
            col += span


def table_height(grid: dict[str, Any], widths: Sequence[int], size: float) -> float:
    """Estimated height in points of a table set in ``widths`` (twips): each row as tall as its
    tallest single-row cell (label lines as ``_add_table`` breaks them, running text wrapped)."""
    import math

    line = table_line(size)
    pad = (CELL_MARGIN_TWIPS["top"] + CELL_MARGIN_TWIPS["bottom"]) / 20
    heights = [line + pad] * len(grid["rows"])
    for r, c, cell in place_cells(grid["rows"], grid["columns"]):
        if cell["rowspan"] != 1:
            continue
        room = (sum(widths[c:c + cell["colspan"]]) / 20 - _cell_margin_pt() - WIDTH_SLACK_PT / 2) / size
        lines = sum(max(1, math.ceil(text_chars(part) / max(room, 1.0)))
                    for part in label_lines(cell["text"], room))
        heights[r] = max(heights[r], lines * line + pad)
    return sum(heights)


def _set_row_properties(table: "Table", header_rows: int, keep_together: bool = True) -> None:
    """Rows never split; header rows repeat on each page.

    A table no taller than half a page is kept on one page (every row kept with the next one,
    w:keepNext on its paragraphs, which is how Word and LibreOffice keep a table together): it
    moves to the next page only when taller than the rest of the page, leaving less than half a
    page empty.  A taller table follows the text and breaks between rows, its header rows and
    first data row kept together.
    """
    rows = table._tbl.tr_lst
    kept = len(rows) - 1 if keep_together else min(header_rows + 1, len(rows) - 1)
    for i, tr in enumerate(rows):
        tr_pr = tr.get_or_add_trPr()
        _new_child(tr_pr, "w:cantSplit", len(tr_pr))
        if i < header_rows:
            _new_child(tr_pr, "w:tblHeader", len(tr_pr))
        if i < kept:
            for p in tr.iter(f"{{{W_NS}}}p"):
                p_pr = p.get_or_add_pPr()
                _new_child(p_pr, "w:keepNext", 1 if p_pr.find(f"{{{W_NS}}}pStyle") is not None else 0)


# --------------------------------------------------------------------------- package


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed member timestamps so equal contexts give equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.create_system = 3
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()

"""A published report as an ordered list of blocks: paragraphs and table rows.

Whatever the source (a saved web page, a Word file, a PDF with a text layer, text
copied out of Word or a page), a report becomes ``Block``s in reading order: a
paragraph's text, or a table row's own cells (cells covered by a merge from above
are not repeated).  A saved page also gives what its ``<head>`` says about the
article (``Document.meta``: the page title, the CMS's ArticleTitle, PubDate,
ContentSource and SiteName tags); navigation, breadcrumbs and footers are left out.

Every reader walks its source once: the cost is linear in the size of the input.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GovinfoError
from ..reading.intake import open_package

MAX_TEXT_BYTES = 20 * 1024 * 1024
MAX_PDF_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Block:
    kind: str  # "p" or "row"
    text: str = ""  # a paragraph
    cells: tuple[str, ...] = ()  # a table row
    table: int = -1  # which table a row belongs to
    location: str = ""  # human location: 第N段 / 第N个表格第M行


@dataclass
class Document:
    path: Path
    source: str  # html | docx | pdf | text
    blocks: list[Block] = field(default_factory=list)
    stray: list[str] = field(default_factory=list)  # where Word bookmark markers were left in the text
    meta: dict[str, str] = field(default_factory=dict)  # title, article_title, pub_date, source, site
    unchecked_pages: list[int] = field(default_factory=list)  # PDF pages too full of ruled lines to find tables in
    spaced: set[str] = field(default_factory=set)  # rows whose cells were parted by runs of spaces (a blank cell leaves no trace)
    collapsed: object = None  # rows rebuilt from text that left out repeated lines (collapsed.Rebuilt), or None
    _paragraphs: int = 0
    _images: int = 0
    _rows: dict[int, int] = field(default_factory=dict)

    def add_paragraph(self, text: str) -> None:
        text = clean(text)
        if text:
            self._paragraphs += 1
            self.blocks.append(Block("p", text=text, location=f"第{self._paragraphs}段"))

    def add_image(self) -> None:
        """A picture in the article (a table published as an image cannot be read: 无法核对, not 缺少)."""
        self._images += 1
        self.blocks.append(Block("img", location=f"第{self._images}张图片"))

    def add_row(self, table: int, cells: list[str]) -> None:
        n = self._rows[table] = self._rows.get(table, 0) + 1
        location = f"第{table + 1}个表格第{n}行"
        if any(BOOKMARK.search(c) for c in cells):
            self.stray.append(location)
        self.blocks.append(Block("row", cells=tuple(clean(c) for c in cells), table=table, location=location))


BOOKMARK = re.compile(r"\[bookmark:\s*[^\]]*\]")


RADICALS = re.compile(r"[\u2e80-\u2fdf]")  # Kangxi/CJK radicals some PDF fonts use for 一二人…
# CJK radicals supplement has no compatibility mapping: the simplified forms a report prints
SUPPLEMENT = {"⺠": "民", "⻓": "长", "⻔": "门", "⻢": "马", "⻅": "见", "⻆": "角", "⻋": "车", "⻛": "风",
              "⻜": "飞", "⻝": "食", "⻘": "青", "⻬": "齐", "⻥": "鱼", "⻦": "鸟", "⻰": "龙", "⻳": "龟",
              "⺟": "母", "⺫": "目", "⺲": "罒", "⻄": "西", "⻚": "页", "⻩": "黄", "⻨": "麦"}


# full-width digits as some sites type them (“２０２４年”, “１２件”): read as the digits they are
FULL_WIDTH_DIGITS = {ord(c) + 0xFEE0: c for c in "0123456789"}


def clean(text: str) -> str:
    """Collapse white space (NBSP, full-width spaces and line breaks too); full-width digits and radicals
    back to the characters they stand for; drop Word's stray bookmark markers (``Document.stray``
    records them)."""
    text = BOOKMARK.sub("", text).translate(FULL_WIDTH_DIGITS)
    text = RADICALS.sub(lambda m: SUPPLEMENT.get(m.group(0)) or unicodedata.normalize("NFKC", m.group(0)), text)
    return re.sub(r"[\s\u00a0\u3000\u200b]+", " ", unicodedata.normalize("NFC", text)).strip()


def load_document(path: str | Path, data: bytes | None = None) -> Document:
    """Read a report from ``path`` (or from ``data``, then ``path`` only names it)."""
    path = Path(path)
    if data is None:
        from ..files.plainfile import check_plain

        check_plain(path)  # never opened: a FIFO or /proc/kmsg blocks for ever
        if not path.is_file():
            raise GovinfoError(f"{path}：文件不存在。" if not path.exists() else f"{path}：这不是文件。")
        if path.stat().st_size > MAX_PDF_BYTES:
            raise GovinfoError(f"{path}：文件过大，不像是一份年度报告。")
        data = path.read_bytes()
    head = data[:8]
    suffix = path.suffix.lower()
    if head.startswith(b"%PDF"):
        return _pdf(path, data)
    if head.startswith(b"PK"):
        if suffix in (".xlsx", ".xlsm"):
            raise GovinfoError(f"{path}：这是 Excel 工作簿，请用 ingest 读取填报模板。")
        return _within_text_limit(path, _docx(path, data))
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise GovinfoError(f"{path}：这是旧版 Word/Excel（.doc/.xls）文件，请另存为 .docx 或网页后再读取。")
    if len(data) > MAX_TEXT_BYTES:
        raise GovinfoError(f"{path}：文件过大，不像是一份年度报告。")
    text = _decode(path, data)
    if suffix in (".html", ".htm", ".xhtml", ".shtml") or re.search(r"<(html|body|table|p)\b", text[:5000], re.I):
        return _within_text_limit(path, _html(path, text))
    return _within_text_limit(path, _text(path, text))


def _within_text_limit(path: Path, doc: Document) -> Document:
    """``doc``, or a LimitError when its text is longer than the run's limit (limits.Limits.text_chars;
    a PDF is counted page by page while it is read)."""
    from ..files.limits import active, too_much_text

    chars = sum(len(b.text) + sum(len(c) for c in b.cells) for b in doc.blocks)
    if chars > active().text_chars:
        raise too_much_text(str(path), chars)
    return doc


def _decode(path: Path, raw: bytes) -> str:
    """The text of a page or text file (encoding.py: BOM, UTF-16, declared charset, UTF-8, GBK or Big5);
    a Big5 page, traditional Chinese, is read as simplified."""
    from .encoding import decode, to_simplified

    got = decode(raw)
    if got is None:
        if b"\x00" in raw[:4096]:
            raise GovinfoError(f"{path}：这不是文字、网页或 Word 文件，无法读取。")
        raise GovinfoError(f"{path}：文字编码无法识别（应为 UTF-8、GBK、Big5 或 UTF-16）。")
    text = got.text.translate(FULL_WIDTH_DIGITS)
    return to_simplified(text) if got.traditional else text


# ---------------------------------------------------------------- HTML

BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "main",
              "blockquote", "pre", "dl", "dt", "dd", "center", "form", "body", "td", "th", "tr", "tbody", "thead"}
SKIP_TAGS = {"script", "style", "head", "noscript", "nav", "footer", "aside", "template", "iframe", "select",
             "button", "object", "svg"}
# class or id words of page furniture on government CMS pages (导航、当前位置、页脚、分享、侧栏)
CHROME = re.compile(r"(^|[-_\s])(nav|navbar|menu|footer|foot|breadcrumbs?|crumbs?|sidebar|share|position|"
                    r"location|dqwz|daohang|bottom|copyright|toolbar|topbar)([-_\s\d]|$)", re.I)
META_KEYS = {"articletitle": "article_title", "pubdate": "pub_date", "contentsource": "source",
             "sitename": "site", "firstpubdate": "pub_date"}


def _chrome(tag) -> bool:
    words = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
    return bool(words.strip()) and bool(CHROME.search(words))


def _html(path: Path, text: str) -> Document:
    from bs4 import BeautifulSoup, NavigableString
    from bs4.element import Comment, Tag

    doc = Document(path, "html")
    soup = BeautifulSoup(text, "html.parser")
    if soup.title and soup.title.string:
        doc.meta["title"] = clean(str(soup.title.string))
    for m in soup.find_all("meta"):
        key = META_KEYS.get((m.get("name") or "").lower())
        if key and m.get("content") and key not in doc.meta:
            doc.meta[key] = clean(m["content"])
    tables = 0
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            doc.add_paragraph("".join(buffer))
            buffer.clear()

    # no <html> or <body>: Markdown with raw HTML in it (pandoc's GFM keeps a page's <div>s and complex tables)
    markdown = not re.search(r"<(html|body|head)\b", text[:5000], re.I)
    holding = _tables_holding_tables(soup.body or soup)
    # An explicit stack instead of recursion: deep nesting costs no Python frames, and each node is
    # visited once; whether a table holds another table, and whether a node is inside an <article> or
    # <main>, are known from one walk, never asked of a node's descendants or ancestors (that is
    # quadratic in the nesting).
    stack: list[tuple[str, object, bool]] = [("node", soup.body or soup, False)]
    while stack:
        action, node, in_article = stack.pop()
        if action == "close":
            flush()
            continue
        if isinstance(node, Comment):
            continue
        if isinstance(node, NavigableString):
            if markdown and "\n\n" in node:  # a converter's Markdown between raw HTML: its lines, rows and tables
                flush()
                sub = _text(path, str(node))
                base = tables
                for b in sub.blocks:
                    if b.kind == "p":
                        doc.add_paragraph(b.text)
                    elif b.kind == "row":
                        doc.add_row(base + b.table, list(b.cells))
                        tables = max(tables, base + b.table + 1)
                continue
            buffer.append(str(node))
            continue
        if not isinstance(node, Tag):
            continue
        name = node.name
        if name in SKIP_TAGS or (name == "header" and not in_article) or _chrome(node):
            continue
        if name == "br":
            buffer.append("\n")
            continue
        if name == "img":
            flush()
            doc.add_image()
            continue
        if name == "table" and id(node) not in holding:
            flush()
            for tr in node.find_all("tr"):
                doc.add_row(tables, [_cell_text(c) for c in tr.find_all(["td", "th"], recursive=False)])
            tables += 1
            continue
        if name in BLOCK_TAGS or name == "table":
            flush()
            stack.append(("close", None, in_article))
        inside = in_article or name in ("article", "main")
        stack.extend(("node", child, inside) for child in reversed(node.contents))
    flush()
    return doc


def _tables_holding_tables(root) -> set[int]:
    """The ids of the <table> elements under ``root`` that hold another table, in one walk."""
    from bs4.element import Tag

    holding: set[int] = set()
    open_tables: list[object] = []
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            open_tables.pop()
            continue
        if not isinstance(node, Tag):
            continue
        if node.name == "table":
            if open_tables:
                holding.add(id(open_tables[-1]))
            open_tables.append(node)
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.contents))
    return holding


def _cell_text(cell) -> str:
    return cell.get_text(" ")


# ---------------------------------------------------------------- DOCX

def _docx(path: Path, data: bytes) -> Document:
    pkg = open_package(path, data=data, kind="docx")  # the same untrusted-file checks as for workbooks
    import io

    import docx
    from docx.oxml.ns import qn

    doc = Document(path, "docx")
    try:
        word = docx.Document(io.BytesIO(pkg.data))
    except Exception:
        raise GovinfoError(f"{path}：Word 文档已损坏，无法读取。") from None
    props = word.core_properties
    if props.title:
        doc.meta["title"] = clean(props.title)
    tables = 0
    t_tag, p_tag, tbl_tag, tr_tag, tc_tag = qn("w:t"), qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
    vmerge_path, val = f"{qn('w:tcPr')}/{qn('w:vMerge')}", qn("w:val")
    drawing_tag, pict_tag = qn("w:drawing"), qn("w:pict")
    for child in word.element.body.iterchildren():
        if child.tag == p_tag:
            doc.add_paragraph("".join(t.text or "" for t in child.iter(t_tag)))
            if next(child.iter(drawing_tag, pict_tag), None) is not None:
                doc.add_image()
        elif child.tag == tbl_tag:
            for tr in child.iter(tr_tag):
                cells = []
                for tc in tr.findall(tc_tag):
                    vmerge = tc.find(vmerge_path)
                    if vmerge is not None and vmerge.get(val) != "restart":
                        continue  # covered by the cell above
                    cells.append(" ".join("".join(t.text or "" for t in p.iter(t_tag)) for p in tc.iter(p_tag)))
                doc.add_row(tables, cells)
            tables += 1
    return doc


# ---------------------------------------------------------------- PDF

def _pdf(path: Path, data: bytes) -> Document:
    """A PDF with a text layer, read with pdfplumber: ruled tables as rows (merged cells once), the
    rest as lines joined into paragraphs. A PDF without text (a scan) cannot be read."""
    import io

    try:
        import pdfplumber
    except ImportError:  # pragma: no cover - a declared dependency
        raise GovinfoError(f"{path}：读取 PDF 需要 pdfplumber，请重新安装 govinfo-xlsx。") from None
    import logging

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings are not the user's concern
    from ..files.limits import active, too_many_pages, too_much_text

    inflated_streams(path, data)
    doc = Document(path, "pdf")
    chars = images = 0
    # (top, "line", (text, x1, font size)) or (top, "table", rows) per page, in reading order
    pages: list[list[tuple[float, str, object]]] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            title = _pdf_string(pdf.metadata.get("Title"))
            if title:
                doc.meta["title"] = title
            if len(pdf.pages) > active().pages:
                raise too_many_pages(str(path), len(pdf.pages))
            for number, page in enumerate(pdf.pages, start=1):
                chars += len(page.chars)
                images += len(page.images)
                if chars > active().text_chars:
                    raise too_much_text(str(path), chars)
                # WPS draws the text grid of a page as ruled lines: a "table" without two rows of two
                # cells or more is running text, read as lines like the rest of the page; so are the
                # one-cell rows of a table before and after its rows of cells (captions excepted)
                boxes: list[tuple[float, float, float, float]] = []
                items: list[tuple[float, str, object]] = []
                found = tables_of(page)
                if found is None:
                    doc.unchecked_pages.append(number)
                for t in found or ():
                    rows = t.extract()
                    wide = [i for i, row in enumerate(rows) if sum(1 for c in row if c is not None) >= 2]
                    if len(wide) < 2:
                        continue
                    first, last = wide[0], wide[-1]
                    while first > 0 and _caption_row(rows[first - 1]):
                        first -= 1
                    while last + 1 < len(rows) and (_caption_row(rows[last + 1]) or not any(rows[last + 1])):
                        last += 1
                    box = (t.bbox[0], t.rows[first].bbox[1], t.bbox[2], t.rows[last].bbox[3])
                    boxes.append(box)
                    items.append((box[1], "table", rows[first:last + 1]))
                outside = page.filter(lambda o, boxes=boxes: not any(
                    o.get("x0", 0) >= b[0] - 1 and o.get("x1", 0) <= b[2] + 1 and o.get("top", 0) >= b[1] - 1
                    and o.get("bottom", 0) <= b[3] + 1 for b in boxes))
                for line in outside.extract_text_lines(keep_blank_chars=False):
                    if PAGE_NUMBER.fullmatch(line["text"].strip()):
                        continue  # "- 3 -" at the foot of a page is not report text
                    size = (line["chars"][0]["size"] if line.get("chars") else 10) or 10
                    items.append((line["top"], "line", (line["text"], line["x1"], size)))
                pages.append(sorted(items, key=lambda x: x[0]))
                page.close()
    except (GovinfoError, MemoryError):
        raise
    except Exception as e:  # pdfminer raises many private errors on damaged files
        raise GovinfoError(pdf_problem(path, e)) from None
    if chars == 0 and images:
        raise GovinfoError(f"{path}：这份 PDF 没有文字层（可能是扫描件），无法读取其中的文字和表格；"
                           "请提供网页、Word 文件，或带文字层的 PDF。")
    if chars == 0:
        raise GovinfoError(f"{path}：PDF 文件已损坏（没有页面），无法读取。" if not pages else
                           f"{path}：这份 PDF 的页面上没有文字，也没有扫描的图像，无法读取。")
    right = max((item[1] for p in pages for _, kind, item in p if kind == "line"), default=0)  # type: ignore[index]
    lines: list[tuple[str, float]] = []  # (text, how many characters short of the right margin it ends)
    tables = 0
    for items in pages:
        for _, kind, item in items:
            if kind == "line":
                text, x1, size = item  # type: ignore[misc]
                lines.append((text, (right - x1) / size))
                continue
            for para in _join_lines(lines):
                doc.add_paragraph(para)
            lines.clear()
            for row in item:  # type: ignore[attr-defined]
                doc.add_row(tables, [c for c in row if c is not None])
            tables += 1
    for para in _join_lines(lines):
        doc.add_paragraph(para)
    return doc


MAX_TABLE_CROSSINGS = 2000  # vertical × horizontal ruled lines of a page (merged) the table finder is given
MAX_PAGE_EDGES = 50_000  # drawn line segments of a page before merging


def tables_of(page) -> list | None:
    """The page's ruled tables, or None when the page has too many ruled lines to look for tables in:
    pdfplumber's table finder costs about the fourth power of the lines (a few KB of crossing lines
    take minutes), while a real report's table page has a few hundred crossings at most."""
    from pdfplumber.table import TableFinder, TableSettings

    if len(page.edges) > MAX_PAGE_EDGES:
        return None
    finder = TableFinder.__new__(TableFinder)  # only its edges (merged as the finder merges them): cheap
    finder.page, finder.settings = page, TableSettings.resolve(None)
    edges = finder.get_edges()
    vertical = sum(1 for e in edges if e["orientation"] == "v")
    if vertical * (len(edges) - vertical) > MAX_TABLE_CROSSINGS:
        return None
    return page.find_tables()


STREAM_START = re.compile(rb"(?<!end)stream\r?\n")


def inflated_streams(path: Path, data: bytes) -> int:
    """The size of the PDF's compressed streams once inflated, counted without keeping them; a
    LimitError when it exceeds a quarter of the memory limit (a compressed-stream bomb: a 1.5 MB file
    can inflate to gigabytes, and pdfminer inflates a stream whole)."""
    import zlib

    from ..files.limits import LimitError, active

    cap = active().memory_mb * 1024 * 1024 // 4
    total = 0
    for m in STREAM_START.finditer(data):
        z = zlib.decompressobj()
        at = m.end()
        pending = data[at: at + 65536]
        at += len(pending)
        try:
            while pending and not z.eof:
                total += len(z.decompress(pending, 1 << 20))
                if total > cap:
                    raise LimitError(f"{path}：内存超限（PDF 中的压缩数据解压后超过 {cap // 1024 // 1024} MB，"
                                     "可能是“压缩炸弹”），不像是一份年度报告，未读取。")
                pending = z.unconsumed_tail
                if not pending and not z.eof:
                    pending = data[at: at + 65536]
                    at += len(pending)
        except zlib.error:
            continue  # not a Flate stream (or a damaged one: pdfminer says so)
    return total


def pdf_problem(path: Path, error: BaseException) -> str:
    """Why pdfminer could not open or read a PDF, in words: a password, or damage."""
    causes = [error, *error.args, error.__cause__, error.__context__]
    names = {type(c).__name__ for c in causes if isinstance(c, BaseException)}
    if any("Password" in n or "Encryption" in n for n in names):
        return f"{path}：PDF 文件设有密码（已加密），无法读取；请提供未加密的 PDF，或网页、Word 文件。"
    inner = next((type(c).__name__ for c in causes[1:] if isinstance(c, BaseException)), type(error).__name__)
    return f"{path}：PDF 文件已损坏，无法读取（{inner}）；请重新下载或另存后再读取。"


def _caption_row(row: list) -> bool:
    """A one-cell row that belongs to a table: a 第二十条 caption or a column header cut off by a page."""
    cells = [clean(c) for c in row if c]
    return len(cells) == 1 and bool(re.search(r"第二十条|本年|数量|金额|件数", cells[0])) and len(cells[0]) <= 30


PAGE_NUMBER = re.compile(r"[-—－–]?\s*\d{1,3}\s*[-—－–]?|第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?")


def _pdf_string(value: object) -> str:
    """A document-information string as text: PDF text strings in UTF-16 with a byte-order mark come
    out of pdfminer as bytes, or decoded as PDFDocEncoding, starting "ÿþ"/"þÿ" (WPS writes them so)."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        raw = value
    else:
        text = str(value)
        if not text.startswith(("\xff\xfe", "\xfe\xff")):
            return clean(text)
        from pdfminer.utils import PDFDocEncoding  # pdfminer decoded the bytes with this table

        back: dict[str, int] = {}
        for i, ch in enumerate(PDFDocEncoding):
            back.setdefault(ch, i)
        if any(ch not in back for ch in text):
            return clean(text)
        raw = bytes(back[ch] for ch in text)
    for codec in ("utf-16", "utf-8", "gb18030"):
        try:
            return clean(raw.decode(codec))
        except UnicodeDecodeError:
            continue
    return ""


LINE_BREAK_BEFORE = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[、.．])")


def _join_lines(lines: list[tuple[str, float]]) -> list[str]:
    """A PDF's lines back into paragraphs: a paragraph ends with a line that stops short of the right
    margin (not merely because a number or word that follows did not fit), and before a numbered heading."""
    out: list[str] = []
    current = ""
    for i, (line, gap) in enumerate(lines):
        line = clean(line)
        if not line:
            continue
        following = lines[i + 1][0].strip() if i + 1 < len(lines) else ""
        short = gap > 6 or (gap > 1.5 and not re.match(r"[0-9A-Za-z]", following))
        if current and LINE_BREAK_BEFORE.match(line):
            out.append(current)
            current = ""
        current += line
        if short:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


# ---------------------------------------------------------------- text

PIPE_ROW = re.compile(r"^\|.*\|$|^[^|]+\s\|.*\|$")  # | a | b |  or  a | b |  (cells may be empty: a ||)
PIPES_ONLY = re.compile(r"^[|\s]+$")  # between rows of one-cell lines
SPACE_RUN = re.compile(r"[ \u3000]{2,}")
NUMBERISH = re.compile(r"[\d.,，]+[件元万]*|[-—/无]")
BLANK_ROW = re.compile(r"^[ \u00a0\u3000]*(\t[ \u00a0\u3000]*){2,}$")  # 3 cells or more, all blank


def _pipe_cell(line: str) -> str | None:
    """The cell of a line that is one cell ended by a pipe (``text |``: a page's table as text), else
    None. (Not a regular expression: ``([^|]+?)\\s*\\|$`` backtracks quadratically on a long run of
    spaces.)"""
    if not line.endswith("|") or line.count("|") != 1:
        return None
    cell = line[:-1].rstrip()
    return cell or None


def _unwrap_browser_copy(text: str) -> str:
    """A browser's copy of a page whose table cells hold paragraphs: cells come as
    ``text\\n\\n\\t\\n\\ntext``, rows end with three or more line breaks, and a line break inside
    a cell (``本年新<br>制作数量``) is a single one. Back to one tab-separated line per row."""
    chunks = re.split(r"\n{3,}", text)
    out = []
    for chunk in chunks:
        if "\t" in chunk:
            chunk = re.sub(r"\n*\t\n*", "\t", chunk)
            chunk = re.sub(r"(?<=[^\n])\n(?=[^\n])", "", chunk)  # a line break inside a cell
        out.append(chunk)
    return "\n\n".join(out)


def _text(path: Path, text: str) -> Document:
    """Text copied out of Word or a page: table cells one per line behind a tab (rows
    separated by blank lines), tab-separated rows (a browser's copy), or Markdown pipe
    tables. A line of tabs only is a row of blank cells, not a paragraph break."""
    doc = Document(path, "text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.count("\n\n\t\n\n") >= 10:
        text = _unwrap_browser_copy(text)
    lines = text.split("\n")
    tables, in_table, row = 0, False, []
    gap = 0

    def flush_row() -> None:
        nonlocal row
        if row:
            doc.add_row(tables, row)
            row = []

    from .pipecells import pipe_runs

    runs = pipe_runs(lines) if "|" in text else {}  # a store's cell-a-line table text, made rows by its labels
    skip_to = 0
    for at, line in enumerate(lines):
        if at < skip_to:
            continue
        if at in runs:
            flush_row()
            skip_to, rows = runs[at]
            for cells, placed in rows:
                doc.add_row(tables, cells)
                if not placed:  # its empty cells were moved: the figures' columns are not known
                    doc.spaced.add(doc.blocks[-1].location)
            in_table, gap = True, 0
            continue
        line = line.replace("\u00a0", " ")
        stripped = line.strip()
        if BLANK_ROW.match(line):  # every cell of the row blank
            flush_row()
            doc.add_row(tables, [""] * (line.count("\t") + 1))
            in_table, gap = True, 0
            continue
        if line.startswith("\t") and "\t" not in line[1:]:  # one cell per line
            in_table, gap = True, 0
            row.append(line[1:])
            continue
        if PIPES_ONLY.match(stripped) and "|" in stripped:
            flush_row()
            in_table, gap = True, 0
            continue
        cell = _pipe_cell(stripped)
        if cell is not None:
            row.append(cell)
            in_table, gap = True, 0
            continue
        if PIPE_ROW.match(stripped):  # a pipe table row (the outer pipes optional, as in GFM)
            if not re.fullmatch(r"\|?(\s*:?-{3,}:?\s*\|)+(\s*:?-{3,}:?\s*)?", stripped):
                flush_row()
                body = stripped[1:] if stripped.startswith("|") else stripped
                doc.add_row(tables, (body[:-1] if body.endswith("|") else body).split("|"))
            in_table, gap = True, 0
            continue
        spaced = SPACE_RUN.split(stripped)
        if "\t" not in line and len(spaced) >= 2 and (
                sum(bool(NUMBERISH.fullmatch(c)) for c in spaced) >= max(len(spaced) - 2, 1) or spaced[0] == "信息内容"):
            flush_row()  # cells separated by runs of spaces (a copy out of a PDF viewer or a text mail)
            from .labels import narrow_cells

            doc.add_row(tables, narrow_cells(spaced))
            doc.spaced.add(doc.blocks[-1].location)
            in_table, gap = True, 0
            continue
        if "\t" in line and stripped:  # tab-separated cells (blank cells too: a copy keeps their tabs)
            flush_row()
            doc.add_row(tables, line.split("\t"))
            in_table, gap = True, 0
            continue
        if not stripped:
            flush_row()
            gap += 1
            if in_table and gap >= 2:
                tables, in_table = tables + 1, False
            continue
        flush_row()
        if in_table:
            tables, in_table = tables + 1, False
        gap = 0
        text_line = stripped.lstrip("#> ").strip()
        if text_line.startswith("**") and text_line.endswith("**"):
            text_line = text_line.strip("*")
            doc.add_row(tables, [text_line])  # a Markdown table caption
            continue
        doc.add_paragraph(text_line)
    flush_row()
    return doc

"""A published report as an ordered list of blocks: paragraphs and table rows.

Whatever the source (a saved web page, a Word file, text copied out of Word or
a page), a report becomes ``Block``s in reading order: a paragraph's text, or a
table row's own cells (cells covered by a merge from above are not repeated).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GovinfoError
from ..intake import open_package

MAX_TEXT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Block:
    kind: str  # "p" or "row"
    text: str = ""  # a paragraph
    cells: tuple[str, ...] = ()  # a table row
    table: int = -1  # which table a row belongs to
    where: str = ""  # human location: 第N段 / 第N个表格第M行


@dataclass
class Document:
    path: Path
    source: str  # html | docx | text
    blocks: list[Block] = field(default_factory=list)
    stray: list[str] = field(default_factory=list)  # where Word bookmark markers were left in the text

    def add_paragraph(self, text: str) -> None:
        text = clean(text)
        if text:
            n = sum(b.kind == "p" for b in self.blocks) + 1
            self.blocks.append(Block("p", text=text, where=f"第{n}段"))

    def add_row(self, table: int, cells: list[str]) -> None:
        n = sum(b.kind == "row" and b.table == table for b in self.blocks) + 1
        where = f"第{table + 1}个表格第{n}行"
        if any(BOOKMARK.search(c) for c in cells):
            self.stray.append(where)
        self.blocks.append(Block("row", cells=tuple(clean(c) for c in cells), table=table, where=where))


BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")


def clean(text: str) -> str:
    """Collapse white space; drop Word's stray bookmark markers (``Document.stray`` records them)."""
    text = BOOKMARK.sub("", text)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def load_document(path: str | Path) -> Document:
    path = Path(path)
    if not path.is_file():
        raise GovinfoError(f"{path}：文件不存在。" if not path.exists() else f"{path}：这不是文件。")
    head = path.read_bytes()[:8]
    suffix = path.suffix.lower()
    if head.startswith(b"%PDF"):
        raise GovinfoError(f"{path}：这是 PDF 文件，无法可靠读取其中的表格；请提供网页（HTML）、Word（DOCX）或复制出的文字。")
    if head.startswith(b"PK"):
        if suffix in (".xlsx", ".xlsm"):
            raise GovinfoError(f"{path}：这是 Excel 工作簿，请用 ingest 读取填报模板。")
        return _docx(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise GovinfoError(f"{path}：这是旧版 Word/Excel（.doc/.xls）文件，请另存为 .docx 或网页后再读取。")
    if path.stat().st_size > MAX_TEXT_BYTES:
        raise GovinfoError(f"{path}：文件过大，不像是一份年度报告。")
    text = _decode(path)
    if suffix in (".html", ".htm", ".xhtml") or re.search(r"<(html|body|table|p)\b", text[:5000], re.I):
        return _html(path, text)
    return _text(path, text)


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise GovinfoError(f"{path}：这不是文字、网页或 Word 文件，无法读取。")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise GovinfoError(f"{path}：文字编码无法识别（应为 UTF-8 或 GBK）。")


def _html(path: Path, text: str) -> Document:
    from bs4 import BeautifulSoup

    doc = Document(path, "html")
    soup = BeautifulSoup(text, "html.parser")
    for tag in soup(["script", "style", "head", "noscript"]):
        tag.decompose()
    tables = 0
    for el in soup.find_all(["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "table", "div"]):
        if el.name == "table":
            if el.find_parent("table") is None:
                for tr in el.find_all("tr"):
                    if tr.find_parent("table") is el:
                        doc.add_row(tables, [c.get_text(" ") for c in tr.find_all(["td", "th"], recursive=False)])
                tables += 1
        elif el.find_parent("table") is None and not el.find(["p", "div", "table", "h1", "h2", "h3", "li"]):
            doc.add_paragraph(el.get_text(" "))
    return doc


def _docx(path: Path) -> Document:
    pkg = open_package(path, kind="docx")  # the same untrusted-file checks as for workbooks
    import io

    import docx
    from docx.oxml.ns import qn

    doc = Document(path, "docx")
    try:
        word = docx.Document(io.BytesIO(pkg.data))
    except Exception:
        raise GovinfoError(f"{path}：Word 文档已损坏，无法读取。") from None
    tables = 0
    for child in word.element.body.iterchildren():
        if child.tag == qn("w:p"):
            doc.add_paragraph("".join(t.text or "" for t in child.iter(qn("w:t"))))
        elif child.tag == qn("w:tbl"):
            for tr in child.iter(qn("w:tr")):
                cells = []
                for tc in tr.findall(qn("w:tc")):
                    vmerge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
                    if vmerge is not None and vmerge.get(qn("w:val")) != "restart":
                        continue  # covered by the cell above
                    cells.append("".join(t.text or "" for t in tc.iter(qn("w:t"))))
                doc.add_row(tables, cells)
            tables += 1
    return doc


def _text(path: Path, text: str) -> Document:
    """Text copied out of Word or a page: table cells one per line behind a tab (rows
    separated by blank lines), tab-separated rows, or Markdown pipe tables."""
    doc = Document(path, "text")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    tables, in_table, row = 0, False, []
    gap = 0

    def flush_row() -> None:
        nonlocal row
        if row:
            doc.add_row(tables, row)
            row = []

    for line in lines:
        stripped = line.strip()
        if line.startswith("\t") and "\t" not in line[1:]:  # one cell per line
            in_table, gap = True, 0
            row.append(line[1:])
            continue
        if stripped.startswith("|") and stripped.endswith("|"):
            if not re.fullmatch(r"\|(\s*:?-{3,}:?\s*\|)+", stripped):
                doc.add_row(tables, [c for c in stripped.strip("|").split("|")])
            in_table, gap = True, 0
            continue
        if "\t" in line.strip("\t") and not line.startswith("\t"):
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

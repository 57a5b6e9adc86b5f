"""Recognise a published report's parts and tables and read them through the declaration.

Reading has three steps.  ``locate_tables`` finds the rows of tables 二, 三 and 四 by
their statutory labels, whatever the layout: a row whose label cell names a row of
table 三 (in either format) is that row; a 第二十条 caption, a 信息内容 header and a row
label make table 二; a row of as many numbers as table 四 has cells, after a
行政复议 header or part 四's heading, is table 四.  ``choose_form`` picks the format the
rows follow.  ``read_values`` then reads every cell of the chosen format's tables by the
declaration's own cell names and columns: each is read, blank in the source, not a
number, or not found — nothing is invented and nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..checks.catalogue import entry
from ..checks.findings import Finding
from ..forms import all_forms, form_for_year, get_form
from ..forms.model import Form, Severity, ValueKind
from ..memo import per_object
from ..reading.normalize import parse_number
from .document import Block, Document
from .headings import PART_KEYWORDS, choose_headings, match_heading
from .labels import CAPTION, ROW_NUMBERING, TABLE_NAMES, is_number_cell
from .misplaced import label_tables
from .variants import row_variant, signed_change, typo

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
SUB = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]\s*(.*)$")
# Words a report uses for an aspect of part 一 besides the aspect's own label (by label).
ASPECT_WORDS = {"政府信息管理": ("信息管理", "管理"), "政府信息公开平台建设": ("平台",),
                "监督保障": ("监督", "保障", "组织领导", "考核")}
SHORT_HEADING = 14  # a （一）… paragraph this short is a heading, not text
# a page's number that PDF text leaves between a table's lines: "-2-", "— 2 —", "第2页", "第 2 页 共 5 页", "2/5"
PAGE_NUMBER = re.compile(r"[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(\s*[，,]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3}")
PART_OF_TABLE = {"table2": "二", "table3": "三", "table4": "四"}
# Page furniture that ends an article when it follows the last part (a footer that was not marked up).
FOOTER = re.compile(r"(版权所有|主办单位|承办单位|ICP备|网站标识码|公网安备|网站地图|技术支持|打印本页|关闭窗口|"
                    r"【\s*打印\s*】|【\s*关闭\s*】|字体[：:]\s*[【\[]?\s*大|分享到|扫一扫)")


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"\s+", "", text.replace("“", '"').replace("”", '"'))


@dataclass
class Reading:
    doc: Document
    findings: list[Finding] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)  # defined name -> number (None: not read)
    status: dict[str, str] = field(default_factory=dict)  # defined name -> ok | blank | invalid | missing
    source_row: dict[str, str] = field(default_factory=dict)  # defined name -> location of the row it was read from
    evidence: dict[str, int] = field(default_factory=dict)  # form id -> labels seen only in that format
    parts: dict[str, list[Block]] = field(default_factory=dict)
    headings: list[tuple[str, Block]] = field(default_factory=list)
    blanks: dict[str, list[str]] = field(default_factory=dict)  # table -> where its blank cells are
    # located rows: (form id, block key, row key) -> block; table 三 row key -> (block, cells); table 四 rows
    t2_rows: dict[tuple[str, str, str], Block] = field(default_factory=dict)
    # a one-row block's cell a converter put on a row of its own under its column's label
    # ("| 采购总金额 | 1234567.8元 |"): (block key, column index) -> (row, its value)
    t2_column_rows: dict[tuple[str, int], tuple[Block, str]] = field(default_factory=dict)
    t3_rows: dict[str, tuple[Block, list[str]]] = field(default_factory=dict)
    t4_rows: list[tuple[Block, list[str]]] = field(default_factory=list)
    label_notes: list[tuple[str, str]] = field(default_factory=list)  # (location, changed label or extra row)
    label_notes3: list[tuple[str, str]] = field(default_factory=list)  # (location, misprinted row label of 表三)
    table_paragraphs: set[str] = field(default_factory=set)  # paragraphs that were a table's cells
    unchecked: list[dict[str, Any]] = field(default_factory=list)  # parts, tables, rows that are 无法核对
    # rows of spaced text with fewer cells than columns: which cell is blank or run into another cannot be told
    short_rows: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # 表三/表四 -> (row label, location)
    misplaced_cells: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # table -> (location, label read as a cell)
    misplaced: dict[str, str] = field(default_factory=dict)  # table not placed (misplaced.py) -> why
    older_rows: dict[str, dict[str, Any]] = field(default_factory=dict)  # rows of another format read (variants.py)

    def report_blanks(self) -> None:
        for section, places in self.blanks.items():
            self.add("pub-cell-blank", places[0], section=section, expected=0, actual=len(places))

    def add(self, rule: str, location: str, section: str = "正文", expected: Any = None, actual: Any = None,
            severity: Severity | None = None, row_label: str = "", col_label: str = "", **facts: Any) -> None:
        """A finding of the catalogue entry ``rule`` at ``location`` of ``section``, worded by the entry
        from ``facts``."""
        self.findings.append(entry(rule).finding(sheet=section, cell=location, row_label=row_label,
                                                 col_label=col_label, expected=expected, actual=actual,
                                                 severity=severity, **facts))


def _label_index(form: Form) -> dict[str, str]:
    """{normalised table 三 row label: row key} for one format, with the group labels of one-row groups."""
    t = form.table3
    idx = {norm(r.label): r.key for r in t.data_rows() if r is not t.results_total}
    for g in t.results:
        if not g.rows:
            idx[norm(g.label)] = g.key
            short = re.split(r"[（(]区分", g.label)[0]  # "（二）部分公开" without its note
            idx[norm(short)] = g.key
    idx[norm(t.results_total.label)] = t.results_total.key
    return idx




@per_object
def _unnumbered(index: dict[str, str]) -> dict[str, str]:
    """{label without its numbering ("一、", "（一）", "1.") and punctuation: row key} for the labels of
    ``index`` that stay unique without it ("予以公开", "属于国家秘密"; not "其他", which several groups have)."""
    out: dict[str, list[str]] = {}
    for label, key in index.items():
        bare = _bare(label)
        if len(bare) >= 4:
            out.setdefault(bare, []).append(key)
    return {bare: keys[0] for bare, keys in out.items() if len(set(keys)) == 1 and bare not in index}


def _bare(label: str) -> str:
    """A label without its numbering and punctuation ("1. 申请人无正当理由逾期不补正, 行政机关……" as a
    converter printed "1.申请人无正当理由逾期不补正、行政机关……")."""
    return re.sub(r"[，、,。.；;：:\s]", "", ROW_NUMBERING.sub("", label))


def _match_unnumbered(cells: list[str], indexes: dict[str, dict[str, str]]) -> tuple[str | None, int]:
    """A row of 表三 whose label lost its numbering to a converter ("| 予以公开 | 290 | … |", the "（一）" in a
    heading above): the label matched without it, followed by the row's numbers. Numbering is layout, not
    wording: no label finding."""
    numbers_after = _numbers_after(cells)
    for i, c in enumerate(cells):
        if not numbers_after[i]:
            continue
        n = _bare(norm(c))
        for idx in indexes.values():
            key = _unnumbered(idx).get(n)
            if key:
                return key, i
    return None, -1


def _match(cell: str, index: dict[str, str]) -> str | None:
    n = re.sub(r"^(\d+)、", r"\1.", norm(cell))  # "1、申请人…" numbered like "1.申请人…"
    if not n or re.fullmatch(r"[\d.,-]+", n):
        return None
    if n in index:
        return index[n]
    for label in _longest_first(index):
        if len(label) >= 3 and n.endswith(label):
            return index[label]
    return None


NUMBERED = re.compile(r"^(\d+)[.、．]")


def _near_match(cells: list[str], indexes: dict[str, dict[str, str]]) -> tuple[str | None, int]:
    """A numbered row of table 三 whose label was misprinted (``2.其他法律行政止公开``): the same
    number and most of the same words as one label of a format, followed by the row's numbers."""
    from difflib import SequenceMatcher

    numbers_after = _numbers_after(cells)
    for i, c in enumerate(cells):
        n = norm(c)
        m = NUMBERED.match(n)
        if not m or len(n) < 6 or not numbers_after[i]:
            continue
        best: tuple[float, str | None] = (0.0, None)
        for idx in indexes.values():
            for label, key in idx.items():
                if label.startswith(m.group(0)) and label != n:
                    ratio = SequenceMatcher(None, n, label).ratio()
                    best = max(best, (ratio, key), key=lambda x: x[0])
        if best[1] and best[0] >= 0.8:
            return best[1], i
    return None, -1


def _numbers_after(cells: list[str]) -> list[bool]:
    """For each cell: are the cells after it, blanks left out, one or more numbers? (One pass from the
    right: a row of many cells costs linear time, not a rebuilt rest of the row per cell.)"""
    out = [False] * len(cells)
    seen, numeric = False, True
    for i in range(len(cells) - 1, -1, -1):
        out[i] = seen and numeric
        if cells[i]:
            seen = True
            numeric = numeric and bool(NUMERIC.fullmatch(cells[i]))
    return out


def _row_label(key: str) -> str:
    for f in all_forms():
        row = next((x for x in f.table3.data_rows() if x.key == key), None)
        if row is not None:
            return row.label
    return key


@per_object
def _longest_first(index: dict[str, str]) -> list[str]:
    return sorted(index, key=len, reverse=True)


NUMERIC = re.compile(r"[\d.,\s/\-—–无]*")


def locate_tables(doc: Document) -> Reading:
    """Find the rows of tables 二, 三 and 四 (step 1)."""
    r = Reading(doc)
    forms = all_forms()
    labels3 = {f.id: _label_index(f) for f in forms}
    keys_of = {f.id: set(labels3[f.id].values()) for f in forms}
    t4_size = {len(f.table4.groups) * len(f.table4.columns) for f in forms}
    block2, header2 = None, []
    stream: _CellStream | None = None  # table 二 written a cell a paragraph
    after_review_header = False  # a 行政复议 header (or part 四's heading) was seen since the last table row
    for b in doc.blocks:
        if b.kind == "p":
            m = CAPTION.fullmatch(norm(b.text))
            if stream is not None and (m or not stream.take(b)):
                stream.finish()  # a row label left without numbers: its cells are blank in the page
            if stream is not None and stream.done:
                r.table_paragraphs.update(x.location for x in stream.done)
                for row in stream.rows():
                    _table2_row(r, row, block2, stream.header, forms)
            if m:  # a one-cell caption row that a copy turned into a line of text
                block2, header2 = f"art20_{CN_DIGITS.get(m.group(1), m.group(1))}", []
                stream = _CellStream(block2, forms)
            elif stream is not None and stream.took:
                r.table_paragraphs.add(b.location)
            elif len(b.text) > 1 and not PAGE_NUMBER.fullmatch(b.text.strip()):  # (a page's number: "-2-")
                block2, stream = None, None  # text between tables ends table 二
            if "行政复议" in b.text:
                after_review_header = True
            continue
        cells = list(b.cells)
        joined = norm("".join(cells))
        m = CAPTION.search(joined)
        if m and len([c for c in cells if c]) == 1:
            block2, header2 = f"art20_{CN_DIGITS.get(m.group(1), m.group(1))}", []
            continue
        if cells and norm(cells[0]) == "信息内容":
            header2 = [norm(c) for c in cells[1:] if c]
            continue
        if block2 and not header2 and _column_labels(cells, block2, forms):
            header2 = [norm(c) for c in cells if c]  # a page cut off the 信息内容 cell (PDF)
            continue
        if "行政复议" in joined:
            after_review_header = True
        if block2 and header2 and cells and _table2_row(r, b, block2, header2, forms):
            continue
        if block2 and header2 and _column_row(r, b, block2, header2):
            continue
        key, at = None, -1
        for idx in labels3.values():
            for i, c in enumerate(cells):
                k = _match(c, idx)
                if k and i >= at:
                    key, at = k, i
        if not key:
            key, at = _match_unnumbered(cells, labels3)
        if not key:
            key, at = _near_match(cells, labels3)
            if not key:
                key, at = row_variant(cells, norm)  # "本年度新收", "上年度结转" (variants.py)
            if key:
                r.label_notes3.append((b.location, f"“{cells[at]}”（统一格式为“{_row_label(key)}”）"))
        if key:
            block2 = None
            only = [f for f in keys_of if key in keys_of[f]]
            if len(only) == 1:
                r.evidence[only[0]] = r.evidence.get(only[0], 0) + 1
            r.t3_rows.setdefault(key, (b, cells[at + 1:]))
            continue
        numbers = [c for c in cells if NUMERIC.fullmatch(c or "")]
        if block2 and header2 and len(cells) > 1 and cells[0] and not NUMERIC.fullmatch(cells[0]) \
                and len(numbers) >= len(cells) - 1:
            r.label_notes.append((b.location, f"多出一行“{cells[0]}”"))
            continue
        if after_review_header:
            for n in t4_size:
                parted = _single_spaced(cells, n)  # "1 0 0   0   0 …": narrow cells of PDF text
                if len(parted) >= n and len([c for c in parted if NUMERIC.fullmatch(c or "")]) >= n:
                    r.t4_rows.append((b, parted))
                    break
    if not r.t4_rows:
        _table4_in_pieces(r, doc)
    return r


def _table4_in_pieces(r: Reading, doc: Document) -> None:
    """表四 written as three small tables under headings, as converters give it ("### 行政复议" / "| 结果维持 |
    … | 总计 |" / "| 27 | 10 | 9 | 15 | 61 |", then 行政诉讼（未经复议直接起诉）, then （复议后起诉））: one row of 15
    cells, read only when the three groups come in order, each a row of five numbers under its heading."""
    groups = ("行政复议", "未经复议直接起诉", "复议后起诉")
    found: list[tuple[Block, list[str]]] = []
    pending = None  # the group whose heading was seen last
    for b in doc.blocks:
        if b.kind == "p":
            t = norm(b.text)
            hit = next((g for g in reversed(groups) if t.endswith(g) or t.endswith(g + ")")), None)
            if hit and len(t) <= 20:
                pending = hit if len(found) < 3 and hit == groups[len(found)] else None
            continue
        cells = [c.strip() for c in b.cells if (c or "").strip()]
        if pending and len(cells) == 5 and all(NUMERIC.fullmatch(c) for c in cells):
            found.append((b, cells))
            pending = None
    if len(found) == 3:
        r.t4_rows.append((found[0][0], [c for _, cells in found for c in cells]))


def _column_labels(cells: list[str], block: str, forms: tuple[Form, ...]) -> bool:
    """A header row of table 二 without its 信息内容 cell: nothing but the block's column labels."""
    got = [norm(c) for c in cells if c]
    return bool(got) and any(got == [norm(c.label) for c in b.columns]
                             for f in forms for b in f.table2.blocks if b.key == block)


class _CellStream:
    """Table 二 when every cell became a paragraph of its own (a copy out of some pages and Word
    views): after a caption, 信息内容 and the block's column labels, then a row label and as many
    numbers as the block has columns make a row."""

    def __init__(self, block: str, forms: tuple[Form, ...]) -> None:
        self.widths = {len(b.columns) for f in forms for b in f.table2.blocks if b.key == block}
        self.labels = {norm(c.label) for f in forms for b in f.table2.blocks if b.key == block for c in b.columns}
        self.row_labels = {norm(x.label) for f in forms for b in f.table2.blocks if b.key == block for x in b.rows}
        self.header: list[str] = []
        self.state = "start"
        self.row: list[str] = []
        self.row_at = ""
        self.done: list[Block] = []
        self.took = False

    def take(self, b: Block) -> bool:
        self.took = self._take(b)
        return self.took

    def finish(self) -> None:
        """A row label followed by no number: a row whose cells are all blank in the page."""
        if len(self.row) == 1 and norm(self.row[0]) in self.row_labels and len(self.header) in self.widths:
            self.done.append(Block("row", cells=(self.row[0],) + ("",) * len(self.header), location=self.row_at))
        self.row = []

    def _take(self, b: Block) -> bool:
        text = norm(b.text)
        if len(self.row) == 1 and not is_number_cell(b.text) and text in self.row_labels:
            self.finish()  # the next row's label right after this one's
        if self.state == "start" and text == "信息内容":
            self.state = "header"
            return True
        if self.state == "header" and (text in self.labels or any(_same(text, x) for x in self.labels)):
            self.header.append(text)
            return True
        if self.state in ("header", "row") and self.header and len(self.header) in self.widths:
            if not self.row and not is_number_cell(b.text):
                self.state, self.row, self.row_at = "row", [b.text], b.location
                return True
            if self.row and (NUMERIC.fullmatch(b.text) or is_number_cell(b.text)):
                self.row.append(b.text)
                if len(self.row) == len(self.header) + 1:
                    self.done.append(Block("row", cells=tuple(self.row), location=b.location))
                    self.row = []
                return True
        return False

    def rows(self) -> list[Block]:
        out, self.done = self.done, []
        return out


def _same(printed: str, label: str) -> str | None:
    """None if a printed label is not the statutory one; "" if it is; the note if the statutory
    label is followed by a note of the site's own, as in ``规章(设区的市…提供相关数据)``."""
    if printed == label:
        return ""
    if printed.startswith(label) and printed[len(label):][:1] in "(（":
        return printed[len(label):]
    if typo(printed, label):  # "本年新作数量": a label misprinted (variants.py)
        return f"（统一格式为“{label}”）"
    return None


def _table2_row(r: Reading, b: Block, block: str, header: list[str], forms: tuple[Form, ...]) -> bool:
    label = norm(b.cells[0])
    for f in forms:
        blk = next((x for x in f.table2.blocks if x.key == block), None)
        if blk is None or len(blk.columns) != len(header) or any(
                _same(h, norm(c.label)) is None for h, c in zip(header, blk.columns)):
            continue
        row = next((x for x in blk.rows if _same(label, norm(x.label)) is not None), None)
        older = None
        if row is None:  # the row's label of another format (规范性文件 in a 2021 table)
            older = next((x for g in forms if g is not f for y in g.table2.blocks if y.key == block
                          for x in y.rows if _same(label, norm(x.label)) == ""), None)
            row = next((x for x in blk.rows if older is not None and x.key == older.key), None)
            if row is None:
                return False
        notes = [f"“{h}”" + (x if x.startswith("（统一") else "") for h, c in zip(header, blk.columns)
                 if (x := _same(h, norm(c.label)))]
        if older is None and (x := _same(label, norm(row.label))):
            notes.append(f"“{b.cells[0]}”" + (x if x.startswith("（统一") else ""))
        for n in notes:
            r.label_notes.append((b.location, n))
        if older is not None:
            r.label_notes.append((b.location, f"“{b.cells[0]}”（统一格式为“{row.label}”）"))
        others = [g for g in forms if g is not f and any(
            x.key == block and [norm(c.label) for c in x.columns] == header for x in g.table2.blocks)]
        if not others:
            r.evidence[f.id] = r.evidence.get(f.id, 0) + 1
        r.t2_rows.setdefault((f.id, blk.key, row.key), b)
        return True
    return False


def _column_row(r: Reading, b: Block, block: str, header: list[str]) -> bool:
    """A row of two cells, a column label of the block and a number: that column's cell of the
    block's row, which a PDF converter put under its own label."""
    cells = [c for c in b.cells if (c or "").strip()]
    if len(cells) != 2 or not is_number_cell(cells[1]):
        return False
    label = norm(cells[0])
    at = next((i for i, h in enumerate(header) if label == h or _same(h, label) is not None), None)
    if at is None:
        return False
    r.t2_column_rows.setdefault((block, at), (b, cells[1]))
    return True


def choose_form(r: Reading, year: int | None) -> Form:
    """The format the tables follow (step 2): labels only one format prints decide; else the year."""
    if r.evidence:
        return get_form(max(sorted(r.evidence), key=lambda k: r.evidence[k]))
    return form_for_year(year) if year and year >= 2019 else get_form("gov-2021")


def read_values(r: Reading, form: Form) -> None:
    """Every cell of the format's tables 二, 三, 四 by the declaration's names (step 3)."""
    for blk in form.table2.blocks:
        for row in blk.rows:
            b = r.t2_rows.get((form.id, blk.key, row.key))
            names = [(blk.cell_name(row.key, c.key), c) for c in blk.columns]
            if b is None:
                _missing(r, [n for n, _ in names])
                continue
            values = list(b.cells[1:])
            for i, (name, col) in enumerate(names):
                what = f"表二{blk.caption}“{row.label}”的“{col.label}”"
                raw, at = (values[i] if i < len(values) else None), b.location
                if len(blk.rows) == 1 and not (raw or "").strip() and (blk.key, i) in r.t2_column_rows:
                    under, raw = r.t2_column_rows[(blk.key, i)]
                    at = under.location
                _read_cell(r, name, raw, col.kind, at, "表二", what, row.label, col.label)
    t3 = form.table3
    for row in t3.data_rows():
        names = [(t3.cell_name(row.key, c.key), c) for c in t3.columns]
        hit = r.t3_rows.get(row.key)
        if hit is None:
            _missing(r, [n for n, _ in names])
            continue
        b, cells = hit
        # more cells than columns with a blank at both ends ("| （一）予以公开 | | 258 | 12 | … | 1 | |": a merged
        # label column, or an empty column a converter added at the end): which columns hold the figures is unknown
        both_ends = len(cells) > len(names) and not (cells[0] or "").strip() and not (cells[-1] or "").strip() \
            and (cells[-len(names)] or "").strip() != ""
        cells = _single_spaced(_without_trailing_blanks(cells, len(names)), len(names))
        if both_ends or _short(r, b, cells, len(names)):
            _missing(r, [n for n, _ in names])
            r.short_rows.setdefault("表三", []).append((row.label, b.location))
            continue
        cells = cells[-len(names):] if len(cells) >= len(names) else cells
        for i, (name, col) in enumerate(names):
            _read_cell(r, name, cells[i] if i < len(cells) else None, col.kind, b.location, "表三",
                       f"表三“{row.label}”行“{col.label}”列", row.label, col.label)
    t4 = form.table4
    names4 = [(t4.cell_name(g.key, c.key), g, c) for g in t4.groups for c in t4.columns]
    if not r.t4_rows:
        _missing(r, [n for n, _, _ in names4])
        return
    b, cells = r.t4_rows[0]
    cells = _single_spaced(_without_trailing_blanks(cells, len(names4)), len(names4))[-len(names4):]
    if _short(r, b, cells, len(names4)):
        _missing(r, [n for n, _, _ in names4])
        r.short_rows.setdefault("表四", []).append(("表四", b.location))
        return
    for (name, g, c), raw in zip(names4, cells):
        label = f"{t4.suit_label}（{g.label}）" if g.under_suit else g.label
        _read_cell(r, name, raw, c.kind, b.location, "表四", f"表四“{label}／{c.label}”", label, c.label)


def _short(r: Reading, b: Block, cells: list[str], width: int) -> bool:
    """A row of spaced text (PDF text, a text mail) with fewer numbers than the table's columns: a blank cell
    left no trace or two cells ran together, and which cannot be told: the row is 无法核对, none of it read."""
    if b.location not in r.doc.spaced:
        return False
    numbers = [c for c in cells if (c or "").strip() and NUMERIC.fullmatch(c.strip())]
    return 0 < len(numbers) < width


SINGLE_SPACED = re.compile(r"\d+(?: \d+)+")


def _single_spaced(cells: list[str], width: int) -> list[str]:
    """A row of PDF text whose cells are parted by one space where the columns are narrow ("28 0   0   0
    0   0   28" is seven cells): split so, only when that gives the table's width of numbers exactly."""
    if len(cells) >= width or not any(SINGLE_SPACED.fullmatch(c.strip()) for c in cells):
        return cells
    split = [x for c in cells for x in (c.split() if SINGLE_SPACED.fullmatch(c.strip()) else [c])]
    return split if len(split) == width and all(NUMERIC.fullmatch(x) for x in split) else cells


def _without_trailing_blanks(cells, width: int) -> list[str]:
    """A row's cells without empty cells after its last one (a converter's extra "|  |" column), while it
    has more cells than the table has columns."""
    cells = list(cells)
    while len(cells) > width and not (cells[-1] or "").strip():
        cells.pop()
    return cells


def _missing(r: Reading, names: list[str]) -> None:
    for n in names:
        r.values[n], r.status[n] = None, "missing"


PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
# a figure whose every character a PDF's text set apart ("1 2 3 4 5 6 7 . 8 元"), with a point, a
# thousands comma or a unit (two digits set apart alone may be two cells)
CHAR_SPACED = re.compile(r"\d(?: [\d.,])+(?:(?: 万)? 元| 件)?")
# a unit PDF text set apart from its figure ("251000 元")
UNIT_APART = re.compile(r"(?<=\d)\s+(?=(?:万元|元|件)$)")
# a figure in 万元 where the column keeps 元 (read as 元, exactly, with the unit finding)
WAN_FOR_YUAN = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*[（(]?万元[）)]?")


def _read_cell(r: Reading, name: str, raw: str | None, kind: ValueKind, location: str, section: str, what: str,
               row_label: str, col_label: str) -> None:
    r.source_row[name] = location
    if raw is None:
        r.values[name], r.status[name] = None, "missing"
        return
    raw = raw.strip()
    if CHAR_SPACED.fullmatch(raw) and re.search(r"[.,元件]", raw):
        raw = raw.replace(" ", "")
    raw = UNIT_APART.sub("", raw)  # "251000 元": PDF text set the unit apart from its figure; the page has none
    # a count written with another measure word ("2笔", "3个"): read as 件, with the unit finding
    probe = re.sub(r"(?<=\d)\s*(笔|个|项|条|次)$", "件", raw) if kind.unit == "件" else raw
    if kind.unit == "元":  # money with its sign or its unit in brackets: "￥1234567.8", "1234567.8（元）"
        probe = re.sub(r"^[￥¥]\s*([\d.,]+)$|^([\d.,]+)\s*[（(]元[）)]$", lambda m: (m.group(1) or m.group(2)) + "元", raw)
        wan = WAN_FOR_YUAN.fullmatch(raw)
        if wan:  # "320.91万元": the 2019 table prints no unit for 采购总金额, so a report may give its own
            probe = f"{Decimal(wan.group(1).replace(',', '')) * 10000}元"
    signed = signed_change(raw) if "增" in col_label and "减" in col_label else None  # "减4": a change of -4
    parsed = parse_number((signed or probe) if raw != "" else None, kind)
    loc = {"section": section, "row_label": row_label, "col_label": col_label}
    bare = raw[:-len(kind.unit)].strip() if kind.unit and raw.endswith(kind.unit) else raw  # the column's unit off
    if parsed.status == "blank":
        r.values[name], r.status[name] = None, "blank"
        r.blanks.setdefault(section, []).append(location)
    elif PLAIN_NUMBER.fullmatch(raw) and parsed.status != "invalid":
        r.values[name], r.status[name] = parsed.value, "ok"
    elif parsed.status == "invalid" and PLAIN_NUMBER.fullmatch(bare) and kind.decimals > 0 \
            and float(bare) >= (kind.minimum or 0) and (kind.maximum is None or float(bare) <= kind.maximum):
        # money published with more decimals than the format keeps: the figure is read as printed
        r.values[name], r.status[name] = float(bare), "ok"
        r.add("pub-cell-precision", location, expected=round(float(bare), kind.decimals), actual=raw, what=what,
              decimals=kind.decimals, **loc)
        if bare != raw:  # "43.788万元": the column's unit written in the cell, as for any figure
            r.add("pub-cell-normalized", location, expected=float(bare), actual=raw, what=what, **loc)
    elif parsed.status == "invalid" and label_tables(raw):  # a table's label where a figure is read: not placed
        r.values[name], r.status[name] = None, "missing"
        r.misplaced_cells.setdefault(section, []).append((location, raw))
    elif parsed.status == "invalid":
        r.values[name], r.status[name] = None, "invalid"
        r.add("pub-cell-not-number", location, actual=raw, what=what, problem=parsed.problem or "不是数字", **loc)
    else:
        r.values[name], r.status[name] = parsed.value, "ok"
        if parsed.status != "ok" or signed:
            r.add("pub-cell-normalized", location, expected=parsed.value, actual=raw, what=what, **loc)


def report_completeness(r: Reading, form: Form) -> None:
    """Tables, rows and cells of the format that were not found: one finding per table; labels of
    table 二 changed by the site (a note added, a row added): one finding."""
    if r.label_notes:
        seen = list(dict.fromkeys(n for _, n in r.label_notes))
        r.add("pub-label-changed", r.label_notes[0][0], section="表二", actual=len(seen), seen=seen)
    if r.label_notes3:
        seen = list(dict.fromkeys(n for _, n in r.label_notes3))
        r.add("pub-label-changed", r.label_notes3[0][0], variant="表三", section="表三", actual=len(seen), seen=seen)
    empty_parts = {f.sheet for f in r.findings if f.rule == "pub-table-empty"}
    groups: dict[str, list] = {"table2": [], "table3": [], "table4": []}
    from ..forms.model import cell_index

    for spec in cell_index(form).values():
        if spec.sheet in groups:
            groups[spec.sheet].append(spec)
    for sheet, specs in groups.items():
        name = TABLE_NAMES[sheet]
        short = r.short_rows.get(name, [])
        if short:
            labels = [label for label, _ in short]
            why = ("单元格与栏目对不上：以空格分隔的数字比栏目少（空白单元格没有留下位置，或两个单元格连在了一起），"
                   "或单元格比栏目多而行首、行尾都有空列，无法分辨哪些是数字所在的栏目")
            r.add("pub-row-unchecked", short[0][1], section=name, expected=len(labels), rows=labels, why=why)
            r.unchecked.append({"what": "、".join(labels), "section": name, "where": short[0][1], "status": "无法核对",
                                "reason": r.findings[-1].message})
            specs = [s for s in specs if s.row_label not in labels and name != "表四"]
        missing = [s for s in specs if r.status.get(s.name) == "missing"]
        if not missing:
            continue
        if len(missing) == len(specs):
            if f"第{PART_OF_TABLE[sheet]}部分" not in empty_parts:
                r.add("pub-table-missing", "", section=name, expected=len(specs), actual=0,
                      title=_table_title(form, sheet))
            continue
        whole_rows: dict[str, list] = {}
        for s in specs:
            whole_rows.setdefault(s.row_label, []).append(s)
        rows = [label for label, ss in whole_rows.items() if all(r.status.get(s.name) == "missing" for s in ss)]
        if rows:
            r.add("pub-row-missing", "", section=name, expected=len(rows), actual=0, row_label=rows[0], rows=rows)
        partial = [s for s in missing if s.row_label not in rows]
        by_row: dict[str, list] = {}
        for s in partial:
            by_row.setdefault(s.row_label, []).append(s)
        for label, ss in by_row.items():
            location = next((r.source_row[s.name] for s in ss if s.name in r.source_row), "")
            r.add("pub-cell-missing", location, section=name, row_label=label, col_label=ss[0].col_label,
                  expected=len(ss), actual=0, columns=[s.col_label for s in ss])


def _table_title(form: Form, sheet: str) -> str:
    return {"table2": form.table2.title, "table3": form.table3.title, "table4": form.table4.title}[sheet]


# an item of a list numbered in Arabic figures: "1.所做的工作", "2、"
ARABIC_ITEM = re.compile(r"\s*(\d{1,2})\s*[.．、](?!\d)")


def _part_openers(r: Reading) -> dict[str, int]:
    """Part number -> index of the block whose heading opens it (headings.choose_headings), before the footer."""
    candidates, started = [], False
    chinese = False  # the last heading taken was numbered with a Chinese numeral ("一、")
    item = 0  # the number of the last item of an Arabic-numbered list under it ("1.所做的工作"), 0 if none
    for i, b in enumerate(r.doc.blocks):
        if b.kind != "p":
            continue
        if started and FOOTER.search(b.text) and len(b.text) < 200:
            break
        heading = match_heading(b.text)
        numeral = heading[1] if heading else ""
        if heading and chinese and numeral.isdigit() and int(numeral) == item + 1 and item:
            # "2.主动公开的政府信息的数量" right after "1.……" under "一、": the list goes on, no part begins
            item += 1
            continue
        if heading:
            started = True
            candidates.append((i, heading[0], numeral, b.text))
            chinese, item = not numeral.isdigit(), 0
            continue
        listed = ARABIC_ITEM.match(b.text)
        if listed:
            item = int(listed.group(1))
    return choose_headings(candidates)



def read_parts(r: Reading) -> None:
    current = None
    ended = False
    openers = _part_openers(r)
    for i, b in enumerate(r.doc.blocks):
        if b.kind == "p":
            if current and FOOTER.search(b.text) and len(b.text) < 200:
                ended = True  # the page's footer: the article ended
            if ended:
                continue
            heading = match_heading(b.text)  # by numeral and meaning (headings.py)
            if heading and heading[0] not in r.parts and openers.get(heading[0]) == i:
                number, numeral = heading
                r.headings.append((number, b))
                current = number
                r.parts[number] = []
                if numeral != number:
                    r.add("pub-part-numbering", b.location, expected=f"{number}、", actual=numeral, heading=b.text)
                continue
        elif ended:
            continue
        if current:
            r.parts[current].append(b)
    order = [n for n, _ in r.headings]
    expected = list(PART_KEYWORDS)
    for n in expected:
        if n not in order:
            r.add("pub-part-missing", "", expected=n, heading=_part_heading(n))
    present = [n for n in order if n in expected]
    if present != sorted(present, key=expected.index):
        r.add("pub-part-order", "", expected="一二三四五六", actual="".join(present), present=present)
    for n, blocks in r.parts.items():
        has_rows = any(b.kind == "row" and any(c for c in b.cells) or b.location in r.table_paragraphs for b in blocks)
        location = next(b.location for num, b in r.headings if num == n)
        if n in ("二", "三", "四") and not has_rows:
            r.add("pub-table-empty", location, section=f"第{n}部分")
        elif not blocks:
            r.add("pub-part-empty", location, section=f"第{n}部分")


def _part_heading(number: str) -> str:
    return next(p.heading for p in get_form("gov-2021").parts if p.number == number)


def read_text(r: Reading, form: Form) -> dict[str, str]:
    """The narrative parts as the declaration's text fields.

    In part 一 a paragraph starting with （一）… opens one of the aspects the declaration
    lists for part 一, recognised by its label's words; a short one is a heading of its own,
    a long one carries its text after the heading (run-in, as many reports write it)."""
    sections = {title.split("、", 1)[0]: keys for title, keys in form.text_sections}
    labels = {f.key: f.label for f in form.text_fields}
    part1 = sections["一"]
    intro, aspects = part1[0], part1[1:]
    words = {}
    for key in aspects:
        core = re.sub(r"^[（(][一二三四五六七八九十]+[）)]", "", labels[key])
        words[key] = (core, *ASPECT_WORDS.get(core, ()))
    out: dict[str, list[str]] = {f.key: [] for f in form.text_fields}
    aspect = intro
    for b in r.parts.get("一", []):
        if b.kind != "p":
            continue
        m = SUB.match(b.text)
        if not m:
            out[aspect].append(b.text)
            continue
        rest = m.group(2).strip()
        lead = re.split(r"[。，；]", rest)[0]
        found = next((k for k in aspects if any(w in lead for w in words[k])), None)
        if found:
            aspect = found
        if len(norm(rest)) > SHORT_HEADING:
            out[aspect].append(rest)
    for number, keys in sections.items():
        if number != "一":
            out[keys[0]] = [b.text for b in r.parts.get(number, []) if b.kind == "p"]
    return {k: "\n".join(v) for k, v in out.items()}


TITLE = re.compile(r"(20\d{2})\s*年(?:度)?")
DATE = re.compile(r"(20\d{2})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})")


def _iso(text: str | None) -> str | None:
    m = DATE.search(text or "")
    if not m:
        return None
    try:
        return dt.date(*map(int, m.groups())).isoformat()
    except ValueError:
        return None


# (the colon may be lost: a CMS's information table as PDF text gives "名称 某某局2023年……年度报告")
PERIOD = re.compile(r"(?:统计期限|统计时限|统计期间|统计时间)[^。]{0,8}?(20\d{2})\s*年\s*1\s*月\s*1\s*日[^。]{0,6}?"
                    r"(?:至|到|—|-)\s*(?:20\d{2}\s*年\s*)?12\s*月\s*31\s*日")
TITLE_LABEL = re.compile(r"^\s*(标\s*题|题\s*名|文章标题|信息名称|名\s*称)\s*[:：]?\s*")


def clean_title(title: str) -> str:
    """A title without the label a page or archive puts before it ("标题："), a converter's Markdown marks
    ("# ", "**"), and the spaces a PDF puts between digits and characters ("2 0 2 4 年" -> "2024年")."""
    title = TITLE_LABEL.sub("", re.sub(r"^\s*#{1,6}\s+|\*\*|__", "", title))  # Markdown: "# 标题", "**标题**"
    title = re.sub(r"(?<=\d)\s+(?=\d)", "", title)
    return re.sub(r"(?<=[\d\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])\s+(?=\d)", "", title).strip()


def _title_parts(title: str) -> tuple[int | None, str]:
    """Year and agency of a title such as ``某某局2021年政府信息公开工作年度报告``."""
    title = clean_title(title)
    m = TITLE.search(title)
    if not m:
        return None, ""
    before = title[: m.start()].strip(" ：:")
    if "信息公开" in before:  # the year a PDF's text moved to the end ("某某局 年度政府信息公开工作2024" / "年度报告")
        before = re.split(r"年?度?(?:政府)?信息公开", before)[0].strip()
    after = re.split(r"(?:政府)?信息公开", title[m.end():])[0].strip("度 ")
    return int(m.group(1)), before or after


def _title_tail(line: str) -> bool:
    """The end of a title wrapped onto a line of its own, wherever the line broke ("年度报告", "工作年度报告",
    "作年度报告" of "……信息公开工" / "作年度报告")."""
    return line.endswith("报告") and "政府信息公开工作年度报告".endswith(line)


def read_info(doc: Document, r: Reading) -> dict[str, Any]:
    """Title, agency, year and publication date: from the page's own tags first (ArticleTitle, the
    ``<title>``, PubDate, ContentSource), then the heading before the first part; the contact
    details from the opening paragraphs."""
    first_part = r.headings[0][1] if r.headings else None
    top, top_cells = [], []
    for b in doc.blocks:
        if b is first_part:
            break
        if b.kind == "p":
            top.append(b.text)
        elif b.kind == "row":  # a CMS's information table above the article: 名称 | 某某局2023年……年度报告
            top_cells += [c for c in b.cells if "信息公开" in c and "报告" in c and len(c) < 80]
            whole = "".join(b.cells)  # a title line that PDF text's spaces parted into cells ("2019 | 年上海市……报告")
            if "信息公开" in whole and "报告" in whole and len(whole) < 80 and TITLE.match(whole):
                top_cells.append(whole)
    candidates = [doc.meta.get("article_title", ""), doc.meta.get("title", "")]
    # (not a line of a sentence wrapped by a PDF: "《条例》）要求，现向社会公布某某局2023年度政府信息公开年度报告")
    titles = [i for i, t in enumerate(top) if "信息公开" in t and "报告" in t and len(t) < 80 and not re.search(r"[，。；]", t)]
    # a line with the year first: a page's navigation ("政府信息公开 领导之窗 政府工作报告") may come before
    heading_at = next((i for i in titles if TITLE.search(clean_title(top[i]))), titles[0] if titles else None)
    # (the line may break inside 信息公开 itself: "某某局2024年度政府信" / "息公开工作年度报告")
    wrapped = next((i for i, t in enumerate(top[:-1]) if "信息公开" in norm(t + top[i + 1]) and "报告" not in t
                    and len(t) < 60 and _title_tail(norm(top[i + 1]))), None)
    heading_year = heading_at is not None and TITLE.search(clean_title(top[heading_at]))
    wrapped_year = wrapped is not None and TITLE.search(clean_title(top[wrapped] + top[wrapped + 1]))
    # the wrapped title, unless it has no year and a title line with one is there ("政府信息公开" / "年度报告"
    # of a site's menu, then "某某局2023年政府信息公开年度报告")
    if wrapped is not None and (heading_at is None or (wrapped_year and (wrapped < heading_at or not heading_year))
                                or (not heading_year and wrapped < heading_at)):
        # a title wrapped over two lines ("2024 年上海市科委政府信息公开工作" / "年度报告")
        top[wrapped: wrapped + 2] = [top[wrapped] + top[wrapped + 1]]
        heading_at = wrapped
    if heading_at is not None:
        # a heading split over lines (机关 / 年度报告) starts at most one line earlier
        prev = top[heading_at - 1] if heading_at else ""
        # (never a column of the site's menu before it: "政府信息公开年报" / "2019年某某局……年度报告")
        joins = prev and len(prev) < 40 and not re.search(r"[。；：:]|^(发布|发文|来源|信息来源|正文|当前位置|索引号)"
                                                         r"|信息公开|年报|报告|首页|>", prev) \
            and (not TITLE.search(top[heading_at]) or TITLE.match(top[heading_at]))
        start = heading_at - 1 if joins else heading_at
        candidates.insert(0, "".join(top[start: heading_at + 1]))
        # a later title line preceded by the organ ("2022年…年度报告" / "某某镇人民政府" / "2022年…年度报告")
        later = next((i for i in range(heading_at + 1, min(len(top), heading_at + 4))
                      if "信息公开" in top[i] and "报告" in top[i] and len(top[i]) < 80 and TITLE.match(top[i])), None)
        if later is not None and len(top[later - 1]) < 40 and not re.search(r"[。；：:]", top[later - 1]):
            candidates.append(top[later - 1] + top[later])
    # the title quoted in the opening ("现发布《某某镇2022年政府信息公开工作年度报告》")
    candidates += [q for t in top[:5] for q in re.findall(r"《([^》]{4,60}信息公开[^》]{0,20}报告)》", t)]
    candidates += top_cells
    year, agency, title = None, "", ""
    for c in candidates:
        for piece in re.split(r"[_|｜\-—]{1,2}", c) if c else []:
            if "信息公开" in piece and "报告" in piece:
                y, a = _title_parts(piece)
                if y and (not year or (y == year and not agency and a)):
                    year, agency, title = y, a, title or clean_title(piece)
                    break
        if year and agency:
            break
    if not agency and doc.meta.get("source"):
        agency = doc.meta["source"]
    body = top[heading_at + 1:] if heading_at is not None else top
    opening = " ".join(t for t in body if not re.match(r"^(发布|发文|来源|信息来源|浏览|点击)", t))
    if not year and heading_at is not None:
        # a title whose year a PDF's text lost ("年上海市人民政府办公厅政府信息公开工作年度报告"): the year from the
        # period the report states ("统计期限从2019年1月1日到12月31日止"), the agency from the title
        m = PERIOD.search(opening)
        bare = re.match(r"^\s*年度?\s*([\u4e00-\u9fff（）()]{2,30}?)(?:政府)?信息公开", clean_title(top[heading_at]))
        if m and bare:
            year, agency, title = int(m.group(1)), agency or bare.group(1), title or clean_title(top[heading_at])
    info: dict[str, Any] = {"agency": agency, "year": year, "date": None, "title": title, "published": None}
    for key, pattern in (("address", r"地址[:：]\s*([^，,；;）)]+)"), ("postcode", r"邮编[:：]\s*([^，,；;）)]+)"),
                         ("phone", r"电话[:：]\s*([^，,；;）)。]+)"), ("website", r"可在(.+?)查阅"),
                         ("contact_dept", r"请与(.+?)联系")):
        m2 = re.search(pattern, opening)
        info[key] = m2.group(1).strip() if m2 else ""
    published = _iso(doc.meta.get("pub_date"))
    info["published_from"] = "meta标签" if published else None  # where the date was read (audit's evidence)
    if not published:  # the CMS's information table above the article: 索引号 / 发布机构 / 公开日期
        for b in doc.blocks:
            if b is first_part:
                break
            cells = [norm(c) for c in b.cells] if b.kind == "row" else []
            for label, value in zip(cells, cells[1:]):
                if label.strip(":：") in ("公开日期", "发布日期", "发布时间") and _iso(value):
                    published = _iso(value)
                    info["published_from"] = f"信息表“{label.strip(':：')}”"
                    break
            if published:
                break
    if not published:
        for t in top[:40]:
            m3 = re.search(r"(发布日期|发布时间|发文日期|发布于|公开日期|(?<![统计办理])时间|日期)[:：]\s*(\S.{0,20})", t)
            if m3 and _iso(m3.group(2)):
                published = _iso(m3.group(2))
                info["published_from"] = f"“{m3.group(1)}”行"
                break
    info["published"] = published
    paragraphs = [b for b in doc.blocks if b.kind == "p"]
    if r.headings:
        last = r.headings[-1][1]
        part_blocks = r.parts.get(r.headings[-1][0], [])
        tail = [b for b in part_blocks if b.kind == "p"][-4:] or ([last] if last in paragraphs else [])
    else:
        tail = paragraphs[-4:]
    for b in reversed(tail):
        d = re.fullmatch(r"(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", b.text)
        if d:
            try:
                info["date"] = dt.date(*map(int, d.groups())).isoformat()
            except ValueError:
                pass
            break
    return info

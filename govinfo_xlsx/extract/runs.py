"""Tables whose cells run together in one line of text, read where the text tells the cells apart.

A site archive's text of a page may give a table as its cells' text run together:
"规章000行政规范性文件008", "（一）予以公开7000007", "1.属于国家秘密0 0 0 0 0 002.其他法律……",
"……总计000000000000000".  The labels of the format's tables mark where each row begins; the
digits after a label are the row's cells.  They are told apart when:

- there are as many digits as the row has cells (every cell a single digit), or spaces left by the
  page's padding part them into exactly the row's cells; or
- exactly one way of parting them (no number with a leading zero, spaces always between cells) makes
  the row's total the sum of its parts (表三: 总计 = the six applicant columns; 表四: each 总计 =
  结果维持 + 结果纠正 + 其他结果 + 尚未审结) — a row so parted is listed in ``Split.inferred``.

A row whose digits cannot be told apart is left as text: the reader does not find it and says
so (无法核对).  Nothing is guessed.  Each paragraph is scanned once with one compiled pattern; the
parting of a row's digits is bounded (``MAX_STEPS``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .document import Block, Document
from .labels import _norm as _key  # spaces out, NFKC

MAX_STEPS = 20000  # ways of parting one row's digits tried at most
UNIT = r"(?:万元|元|笔|件|个|项|条)"
SEGMENT = re.compile(rf"(?:\s*[+-]?\d[\d,，]*(?:\.\d+)?\s*{UNIT}?)+")
TABLE_WORDS = ("信息内容", "申请人情况", "结果维持", "本年新收", "予以公开")


@dataclass(frozen=True)
class Label:
    table: str  # 二 / 三 / 四
    kind: str  # caption | header | column | row
    text: str
    width: int = 0  # cells of the row (rows of 表三)


@dataclass
class Split:
    rows: int = 0  # rows parted into cells
    inferred: list[str] = field(default_factory=list)  # rows parted by their sums: "label“digits”"
    inferred_at: list[str] = field(default_factory=list)  # the locations of those rows
    unread: list[str] = field(default_factory=list)  # rows whose digits could not be parted
    pending: list[tuple[str, str, str]] = field(default_factory=list)  # (label, digits, location) of those rows


def _pattern(text: str) -> str:
    out = []
    for ch in text:
        if ch in "（(":
            out.append("[（(]")
        elif ch in "）)":
            out.append("[）)]")
        elif ch in "：:":
            out.append("[：:]")
        elif ch in "，,":
            out.append("[，,]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


@lru_cache(maxsize=1)
def _labels() -> tuple[re.Pattern, dict[str, Label]]:
    from ..forms import all_forms

    labels: dict[str, Label] = {}

    def add(table: str, kind: str, text: str, width: int = 0) -> None:
        key = _key(text)
        if key and key not in labels:
            labels[key] = Label(table, kind, text, width)

    for f in all_forms():
        t3, t4 = f.table3, f.table4
        for r in t3.data_rows():
            add("三", "row", r.label, len(t3.columns))
        for blk in f.table2.blocks:
            add("二", "caption", blk.caption)
            for r in blk.rows:
                add("二", "row", r.label)
            for c in blk.columns:
                add("二", "column", c.label)
        for g in t3.results:
            add("三", "header", g.label)
        for text in (t3.applicant_label, t3.org_label, t3.results_label, t3.balance_note, *(c.label for c in t3.columns)):
            add("三", "header", text or "")
        for text in ("行政复议", t4.suit_label, *(g.label for g in t4.groups), *(c.label for c in t4.columns)):
            add("四", "header", text)
    add("二", "header", "信息内容")
    add("三", "header", "三、本年度办理结果")
    for shared in ("总计", "其他"):  # header words of more than one table: they do not tell which
        labels[_key(shared)] = Label("", "header", shared)
    ordered = sorted(labels.values(), key=lambda x: len(x.text), reverse=True)
    pattern = re.compile("|".join(_pattern(x.text) for x in ordered))
    return pattern, labels


def is_run_together(text: str) -> bool:
    return len(text) > 40 and bool(re.search(r"\d", text)) and sum(w in text for w in TABLE_WORDS) >= 1 \
        and bool(re.search(r"\D\d{3,}|\d \d", text))


def split_tables(doc: Document, split: Split | None = None) -> Document:
    """The document with the tables run together in its paragraphs given as rows (see the module)."""
    split = split if split is not None else Split()
    blocks: list[Block] = []
    changed = False
    for b in doc.blocks:
        if b.kind == "p" and is_run_together(b.text):
            new = _paragraph(b, split)
            if new is not None:
                blocks.extend(new)
                changed = True
                continue
        blocks.append(b)
    if not changed:
        return doc
    return replace(doc, blocks=blocks)


def _starts_table(label: Label, m: re.Match, nxt: re.Match | None) -> bool:
    """A label that opens a table (a 第二十条 caption, 信息内容, 表三's note or applicant header, its
    first row, or 行政复议 right before 行政诉讼), not a word of the prose."""
    key = _key(m.group(0))
    if label.kind == "caption" or key in _STARTS:
        return True
    return key == "行政复议" and nxt is not None and nxt.start() - m.end() <= 1 and _key(nxt.group(0)) == "行政诉讼"


_STARTS = {_key(x) for x in ("信息内容", "申请人情况", "一、本年新收政府信息公开申请数量")}
CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff（）“”])\s+(?=[\u4e00-\u9fff（）“”])")
PROSE = re.compile(r"[\u4e00-\u9fff]{2}")
NUMBERS_ONLY = re.compile(r"[\d\s.,，]+")


def _paragraph(b: Block, split: Split) -> list[Block] | None:
    pattern, labels = _labels()
    text = CJK_SPACE.sub("", b.text)  # "（三）不予 公开", "本年度办 理结果": a label broken by a space
    tokens = list(pattern.finditer(text))
    out: list[Block] = []
    header: list[str] = []  # table words since the last row: written as a row of their own
    context = ""  # the table the labels seen last belong to
    pos, rows, in_table, prose_from = 0, 0, False, 0
    count = [0]

    def loc() -> str:
        count[0] += 1
        return f"{b.location}之表{count[0]}"

    width2 = [0]  # columns of the 表二 block being read: its header row's labels after 信息内容

    def flush_header() -> None:
        if header:
            if _key(header[0]) == "信息内容":
                width2[0] = len(header) - 1
            out.append(Block("row", cells=tuple(header), table=-3, location=loc()))
            header.clear()

    def prose(upto: int) -> None:
        if text[prose_from:upto].strip():
            out.append(Block("p", text=text[prose_from:upto].strip(), location=loc()))

    for i, m in enumerate(tokens):
        if m.start() < pos:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        label = labels[_key(m.group(0))]
        if in_table:
            gap = text[pos:m.start()]
            if PROSE.search(gap) and _misprinted(gap.strip(), labels):
                header.append(gap.strip())  # a header label misprinted ("本年废纸件数"): still the table
            elif PROSE.search(gap):  # text between tables: the table ended
                flush_header()
                in_table, prose_from = False, pos
            elif gap.strip() and NUMBERS_ONLY.fullmatch(gap) and context == "四":
                flush_header()
                rows += _row(out, "", gap, 15, "四", split, loc)
        if not in_table:
            if not _starts_table(label, m, nxt):
                continue
            prose(m.start())
            in_table, context = True, ""
        pos = m.end()
        if label.table:
            context = label.table
        if label.kind == "caption":
            flush_header()
            out.append(Block("row", cells=(m.group(0),), table=-3, location=loc()))
            continue
        until = nxt.start() if nxt is not None else len(text)
        between = text[pos:until]
        if label.kind == "row" and between.strip() and NUMBERS_ONLY.fullmatch(between):
            seg = between
        elif label.kind == "row":
            found = SEGMENT.match(text, pos)
            seg = found.group(0) if found and found.end() <= until else ""
        else:
            seg = ""
        if not seg.strip():
            header.append(m.group(0))
            continue
        pos += len(seg)
        flush_header()
        width = label.width or width2[0]
        rows += _row(out, m.group(0), seg, width, label.table, split, loc)
    if in_table:
        rest = text[pos:]
        if rest.strip() and NUMBERS_ONLY.fullmatch(rest) and context == "四":
            flush_header()
            rows += _row(out, "", rest, 15, "四", split, loc)
            pos = len(text)
        flush_header()
        prose_from = pos
    prose(len(text))
    return out if rows or split.unread else None


def _misprinted(text: str, labels: dict[str, Label]) -> bool:
    """A short piece of text between a table's labels that is one of them misprinted."""
    from .variants import typo

    key = _key(text)
    return len(key) <= 20 and any(x.kind == "column" and typo(key, k) for k, x in labels.items())


def _row(out: list[Block], label: str, digits: str, width: int, table: str, split: Split, loc) -> int:
    cells = part_cells(digits, width, table)
    if cells is None:
        split.unread.append(f"{label}“{digits.strip()}”")
        at = loc()
        split.pending.append((label, digits.strip(), at))
        out.append(Block("row", cells=(f"{label} {digits.strip()}",), table=-3, location=at))
        return 0
    at = loc()
    plain = re.sub(r"\s", "", digits)
    if width > 1 and len(plain) != width and len(digits.split()) != width:
        split.inferred.append(f"{label}“{digits.strip()}”")
        split.inferred_at.append(at)
    split.rows += 1
    out.append(Block("row", cells=((label,) if label else ()) + tuple(cells), table=-3, location=at))
    return 1


def part_cells(digits: str, width: int, table: str) -> list[str] | None:
    """The cells of a row from its digits (see the module), or None when they cannot be told apart."""
    found = candidates(digits, width, table, 2)
    return found[0] if found is not None and len(found) == 1 else None


def candidates(digits: str, width: int, table: str, limit: int) -> list[list[str]] | None:
    """Every parting of a row's digits into its cells that the text allows (at most ``limit``; None when
    there are more, or the search is too long)."""
    text = digits.strip()
    if width <= 0:
        return None
    chunks = text.split()
    if width == 1:
        return [[text]] if len(chunks) == 1 else None
    if any(not c.isdigit() for c in chunks):
        # decimals or units in a row of several cells: only cells parted by spaces are safe
        return [chunks] if len(chunks) == width and all(re.fullmatch(rf"\d[\d,，]*(\.\d+)?{UNIT}?", c)
                                                        for c in chunks) else None
    if len(chunks) == width:
        return [chunks] if all(_number(c) for c in chunks) else None
    joined = "".join(chunks)
    if len(joined) == width:
        return [list(joined)]
    if len(joined) < width or table not in ("三", "四"):
        return None
    found: list[list[str]] = []
    steps = [0]

    def ok(cells: list[str]) -> bool:
        v = [int(c) for c in cells]
        if table == "三":
            return v[-1] == sum(v[:-1])
        return all(v[g + 4] == sum(v[g:g + 4]) for g in range(0, width, 5))

    def walk(ci: int, pos: int, cells: list[str]) -> None:
        if len(found) > limit or steps[0] > MAX_STEPS:
            return
        steps[0] += 1
        if len(cells) == width:
            if ci == len(chunks) and ok(cells):
                found.append(list(cells))
            return
        if ci == len(chunks):
            return
        chunk = chunks[ci]
        left = width - len(cells)
        for end in range(pos + 1, len(chunk) + 1):
            piece = chunk[pos:end]
            if not _number(piece):
                break
            rest_digits = len(chunk) - end + sum(len(c) for c in chunks[ci + 1:])
            chunks_after = len(chunks) - ci - 1 + (1 if end < len(chunk) else 0)
            if rest_digits < left - 1 or chunks_after > left - 1:
                continue
            cells.append(piece)
            if end == len(chunk):
                walk(ci + 1, 0, cells)
            else:
                walk(ci, end, cells)
            cells.pop()

    walk(0, 0, [])
    if steps[0] > MAX_STEPS or len(found) > limit:
        return None
    return found


def _number(piece: str) -> bool:
    return piece.isdigit() and (piece == "0" or not piece.startswith("0"))


def solve_from_totals(r, form, split: Split) -> None:
    """Rows of 表三's results whose digits could not be parted (at most three): each has a few partings
    that add up; if exactly one choice of them makes every column's （七）总计 the sum of the results,
    the rows are read so (``pub-cells-parted`` names them). Else they stay 无法核对."""
    from itertools import product

    from .read import _label_index, norm

    t3 = form.table3
    index = _label_index(form)
    results = list(t3.result_rows())
    missing = [x for x in results if all(r.status.get(t3.cell_name(x.key, c.key)) == "missing" for c in t3.columns)]
    if not missing or len(missing) > 3:
        return
    pending = {index.get(norm(label)): (label, digits, at) for label, digits, at in split.pending}
    if any(x.key not in pending for x in missing):
        return
    need = []  # per column: （七）总计 less the rows read
    for c in t3.columns:
        total = t3.cell_name(t3.results_total.key, c.key)
        others = [t3.cell_name(x.key, c.key) for x in results if x not in missing]
        if r.status.get(total) not in ("ok", "blank") or any(r.status.get(n) not in ("ok", "blank") for n in others):
            return
        need.append((r.values.get(total) or 0) - sum(r.values.get(n) or 0 for n in others))
    options = [candidates(pending[x.key][1], len(t3.columns), "三", 20) for x in missing]
    if any(not o for o in options) or len(list(product(*options))) > 10000:
        return
    fits = [combo for combo in product(*options)
            if all(sum(int(cells[i]) for cells in combo) == need[i] for i in range(len(need)))]
    if len(fits) != 1:
        return
    for x, cells in zip(missing, fits[0]):
        label, digits, at = pending[x.key]
        for c, v in zip(t3.columns, cells):
            name = t3.cell_name(x.key, c.key)
            r.values[name], r.status[name], r.source_row[name] = int(v), "ok", at
        split.inferred.append(f"{label}“{digits}”（按（七）总计）")
        split.inferred_at.append(at)
        split.unread.remove(f"{label}“{digits}”")

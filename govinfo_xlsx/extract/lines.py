"""Text in which every text node stands on a line of its own, rebuilt into headings and table rows.

Site archives and some copy tools give a page's text a node a line: "一、" and "总体情况" on
separate lines, a header cell cut by its ``<br>`` ("本年新" / "制作数量"), and every table cell
a line.  ``rebuild_lines`` puts such a document back together, in one pass over its blocks:

- a line that is only a numeral ("一、", "（三）", "1.") is joined to the line after it;
- two lines that together, and not alone, make a label of the format's tables are joined;
- a run of exactly as many numbers as a row of 表三 (7) or 表四 (15) has, after the row's
  label lines, becomes a table row of those cells.

A run of another length (a row whose blank cells left no line) stays as it was: the reader then
does not find that row, and says so.  Nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from .document import Block, Document
from .labels import CAPTION, HEADER_START, _labels, _norm, is_number_cell

NUMERAL_ONLY = re.compile(r"[一二三四五六七八九十]+\s*[、.．]?|[（(][一二三四五六七八九十]+[）)]|\d{1,2}\s*[、.．]")
ROW_WIDTHS = (7, 15)  # 表三: six applicant columns and 总计; 表四: three groups of five
MAX_LABEL = 60  # a label line is short; a longer line is prose
NUMBERED = re.compile(r"[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[）)]|\d{1,2}\s*[、.．]")
LABEL_LINES = 3  # lines before a run of numbers that may hold its row label (group, item)


@lru_cache(maxsize=1)
def _prefixes() -> dict[str, tuple[str, ...]]:
    """Each proper beginning of a label (two characters or more) -> the labels it begins."""
    out: dict[str, list[str]] = {}
    for x in _labels():
        for n in range(2, len(x)):
            out.setdefault(x[:n], []).append(x)
    return {k: tuple(v) for k, v in out.items()}


def _misprinted(first: str, second: str) -> bool:
    """Two lines that make a label misprinted by a character, the first line its beginning as printed
    ("本年新" / "作数量"): compared only with the labels that begin so (constant work a line)."""
    from .variants import typo

    return any(typo(first + second, x) for x in _prefixes().get(first, ()))


@lru_cache(maxsize=1)
def _row_labels3() -> frozenset[str]:
    """The labels of 表三's rows (normalised), either format."""
    from ..forms import all_forms

    return frozenset(_norm(r.label) for f in all_forms() for r in f.table3.data_rows())


def looks_one_node_per_line(doc: Document) -> bool:
    """Many paragraphs that are a number and nothing else, or 表三's row labels each alone on a line:
    table cells a line each."""
    rows = _row_labels3()
    numbers = labels = 0
    for b in doc.blocks:
        if b.kind == "p":
            numbers += is_number_cell(b.text)
            labels += _norm(b.text) in rows
    return numbers >= 15 or labels >= 12


def rebuild_lines(doc: Document) -> Document:
    """The document with numerals joined to their titles, split labels joined and, when the text
    is a node a line, runs of 7 or 15 numbers after their labels made table rows (linear)."""
    node_lines = looks_one_node_per_line(doc)
    blocks = _label_numbers_rows(_join_numerals(_join_brackets(doc.blocks) if node_lines else doc.blocks))
    collapsed = None
    if node_lines:
        from .collapsed import expand_collapsed  # a text that left out repeated lines (collapsed.py)

        blocks, collapsed = expand_collapsed(_join_split_labels(blocks), doc.blocks)
        blocks = _rows_from_runs(blocks)
    if not doc.unchecked_pages:  # (a PDF page too full of ruled lines holds tables whose text lines wrap digits)
        blocks = _label_and_numbers(blocks, doc.spaced)
    if blocks == doc.blocks:
        return doc
    return replace(doc, blocks=blocks, collapsed=collapsed)


LABEL_THEN_NUMBERS = re.compile(r"^(\S.*?)((?:\s+(?:[+-]?\d[\d,]*(?:\.\d+)?(?:元|万元)?|[-—–/无]))+)$")


def _known_tail(words: list[str], labels: frozenset[str]) -> tuple[str, ...] | None:
    """The label words as cells: the row's label is the longest run of words at the end that makes a label
    ("（三）不予公开 1.属于国家秘密": the group, then the row); None if no run does."""
    for k in range(len(words)):
        if _norm("".join(words[k:])) in labels:
            return ((" ".join(words[:k]),) if k else ()) + (" ".join(words[k:]),)
    return None


def _label_and_numbers(blocks: list[Block], spaced: set[str]) -> list[Block]:
    """A paragraph that is a row of a table printed as a line of text (a PDF whose table has no ruled
    lines): "规章 0 0 0", "1.属于国家秘密 0 0 0 0 0 0 0", "信息内容 上一年项目数量 本年增/减 处理决定数量".
    Only a label of the formats' tables followed by up to 15 numbers, or 信息内容 followed by column labels,
    is made a row; its cells were parted by spaces, so a blank cell left no trace (``spaced``: a row
    shorter than its table is 无法核对)."""
    labels = _labels()
    out: list[Block] = []
    for b in blocks:
        if b.kind == "p" and len(b.text) <= 2 * MAX_LABEL + 120:
            m = LABEL_THEN_NUMBERS.match(b.text.strip())
            head = _known_tail(m.group(1).split(), labels) if m and len(m.group(2).split()) <= ROW_WIDTHS[1] else None
            if head:
                out.append(Block("row", cells=(*head, *m.group(2).split()), table=-3, location=b.location))
                spaced.add(b.location)
                continue
            words = b.text.split()
            if len(words) == ROW_WIDTHS[1] and all(is_number_cell(w) for w in words):  # 表四's row: no label
                out.append(Block("row", cells=tuple(words), table=-3, location=b.location))
                spaced.add(b.location)
                continue
            if len(words) >= 2 and words[0] == HEADER_START and all(_norm(w) in labels for w in words[1:]):
                out.append(Block("row", cells=tuple(words), table=-3, location=b.location))
                continue
        out.append(b)
    return out


OPEN, CLOSE = ("(", "（"), (")", "）")
NUMERAL_IN_BRACKETS = re.compile(r"[（(][一二三四五六七八九十\d]+[）)]")
BRACKET_SPAN = 12  # lines a bracketed note may take, a bracket, a comma or a word a line


def _join_brackets(blocks: list[Block]) -> list[Block]:
    """Brackets, and what they hold, that a site archive gave a line each ("(" / "二" / ")", "(" / "区分处理的"
    / "," / … / ")") made one line again; a bracketed note that is not a numeral is its label's, the line
    before ("部分公开" + "(区分处理的,只计这一情形,不计其他情形)", "第二十条第" + "(一)")."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind == "p" and b.text.strip() in OPEN:
            j, parts = i + 1, [b.text.strip()]
            while j < len(blocks) and j - i <= BRACKET_SPAN and blocks[j].kind == "p" \
                    and len(blocks[j].text) <= MAX_LABEL and not is_number_cell(blocks[j].text):
                parts.append(blocks[j].text.strip())
                if parts[-1] in CLOSE or parts[-1] in OPEN:
                    break
                j += 1
            if j < len(blocks) and parts[-1] in CLOSE:
                text = "".join(parts)
                prev = out[-1] if out else None
                if prev is not None and prev.kind == "p" and len(prev.text) <= MAX_LABEL and not is_number_cell(prev.text) \
                        and (not NUMERAL_IN_BRACKETS.fullmatch(text) or prev.text.endswith("第")):
                    if prev.text.endswith("第") and j + 1 < len(blocks) and blocks[j + 1].kind == "p" \
                            and blocks[j + 1].text.strip() == "项":  # "第二十条第" / "(" / "一" / ")" / "项"
                        text, j = text + "项", j + 1
                    out[-1] = Block("p", text=prev.text + text, location=prev.location)
                else:
                    out.append(Block("p", text=text, location=b.location))
                i = j + 1
                continue
        out.append(b)
        i += 1
    return out


def _join_numerals(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if b.kind == "p" and nxt is not None and nxt.kind == "p" and NUMERAL_ONLY.fullmatch(b.text.strip()) \
                and not is_number_cell(nxt.text) and not NUMBERED.match(nxt.text.strip()):  # ("3." / "四、……": a stray)
            out.append(Block("p", text=b.text.strip() + nxt.text, location=b.location))
            i += 2
            continue
        out.append(b)
        i += 1
    return out


def _label_numbers_rows(blocks: list[Block]) -> list[Block]:
    """A table row of numbers only (7 cells) right after the paragraph or two paragraphs that make a
    row label of 表三 (a converter that parted "（二）部分公开（区分处理的，只计这一情" / "形，不计其他
    情形）" from its numbers): one row again."""
    rows3 = _row_labels3()
    out: list[Block] = []
    for b in blocks:
        if b.kind == "row" and len(b.cells) == ROW_WIDTHS[0] and all(is_number_cell(c) for c in b.cells):
            for n in (1, 2):
                prev = out[-n:] if len(out) >= n else []
                if prev and all(x.kind == "p" and len(x.text) <= MAX_LABEL for x in prev) \
                        and _norm("".join(x.text for x in prev)) in rows3:
                    label = "".join(x.text for x in prev)
                    del out[-n:]
                    b = Block("row", cells=(label, *b.cells), table=b.table, location=b.location)
                    break
        out.append(b)
    return out


def _join_split_labels(blocks: list[Block]) -> list[Block]:
    labels = _labels()
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        third = blocks[i + 2] if i + 2 < len(blocks) else None
        if b.kind == "p" and nxt is not None and nxt.kind == "p" and third is not None and third.kind == "p" \
                and len(b.text) + len(nxt.text) + len(third.text) < 30 \
                and _norm(b.text + nxt.text + third.text) in labels and _norm(b.text) not in labels:
            # a label cut over three lines ("本年增" / "/" / "减"): joined whole, before two of them make a misprint
            out.append(Block("p", text=b.text + nxt.text + third.text, location=b.location))
            i += 3
            continue
        if b.kind == "p" and nxt is not None and nxt.kind == "p" and len(b.text) < 30 and len(nxt.text) < 30:
            a, c = _norm(b.text), _norm(nxt.text)
            if a not in labels and c not in labels and (a + c in labels or _misprinted(a, c)):
                out.append(Block("p", text=b.text + nxt.text, location=b.location))
                i += 2
                continue
        out.append(b)
        i += 1
    return out


CUT_LABEL = 4  # the shortest beginning of a label that a text cut inside it is taken for


def _cut_label(text: str) -> bool:
    """The last line of a text cut inside a label of the tables ("3.补正后申请内容"): a beginning of one."""
    t = _norm(text)
    return len(t) >= CUT_LABEL and t in _prefixes()




def _each_line_once(blocks: list[Block]) -> bool:
    """A text in which no line repeats: 表二's blocks each have a caption, but 信息内容, which heads every block,
    is there once at most (a store that kept each distinct line once). Its tables' repeated cells ("0") are
    gone with it, so a row label followed by the next one does not show a row of blank cells."""
    captions = sum(b.kind == "p" and bool(CAPTION.fullmatch(_norm(b.text))) for b in blocks)
    heads = sum(b.kind == "p" and _norm(b.text) == HEADER_START for b in blocks)
    return captions >= 2 and heads <= 1


def _rows_from_runs(blocks: list[Block]) -> list[Block]:
    """Runs of number lines of a row's width after up to three short label lines become rows."""
    out: list[Block] = []
    labels: list[Block] = []  # short text lines since the last run, not yet written out
    run: list[Block] = []

    def flush_run() -> None:
        nonlocal labels, run
        if run and len(run) in ROW_WIDTHS and labels:
            head = labels[-LABEL_LINES:]
            out.extend(labels[:-LABEL_LINES])
            cells = tuple(x.text for x in head) + tuple(x.text for x in run)
            out.append(Block("row", cells=cells, table=-2, location=head[-1].location))
        else:
            out.extend(labels)
            out.extend(run)
        labels, run = [], []

    rows3, known = _row_labels3(), _labels()
    blanks_seen = not _each_line_once(blocks)  # a store that kept each line once lost repeated cells too
    inferred: list[tuple[int, Block]] = []  # rows taken as blank: (place in out, the label line)
    for at, b in enumerate(blocks):
        if b.kind == "p" and is_number_cell(b.text):
            run.append(b)
            continue
        if run:
            flush_run()
        elif blanks_seen and labels and _norm(labels[-1].text) in rows3 and b.kind == "p" and (
                _norm(b.text) in known or (at == len(blocks) - 1 and _cut_label(b.text))) \
                and not re.match(r"1[.、．]", _norm(b.text)):  # "（六）其他处理" / "1.申请人……": a group's label
            # a row label of 表三 right before another label: the row's cells are all blank in the page
            last = labels.pop()
            out.extend(labels)
            labels = []
            inferred.append((len(out), last))
            out.append(Block("row", cells=(last.text,) + ("",) * ROW_WIDTHS[0], table=-2, location=last.location))
        if b.kind == "p" and len(b.text) <= MAX_LABEL:
            labels.append(b)
            continue
        out.extend(labels)
        labels = []
        out.append(b)
    flush_run()
    return _unless_figures_stray(out, inferred, rows3)


FIGURES = re.compile(r"\d+(?:\s+\d+)+")
STRAY_SPAN = 40  # blocks after the last row taken as blank in which stray figures may stand


def _unless_figures_stray(out: list[Block], inferred: list[tuple[int, Block]], rows3: frozenset[str]) -> list[Block]:
    """The rows taken as blank, back to their label lines when 表三's text holds more figures in a run than a row
    has cells, a run that made no row (PDF text that lost its blank cells and gathered the figures of several
    rows away from their labels): the rows' figures may be among them, so the rows are not read (无法核对),
    never read as blank. (Shorter runs are rows whose blank cells left no line, each after its own label.)"""
    if not inferred:
        return out
    start = next((i for i, x in enumerate(out) if (x.kind == "p" and _norm(x.text) in rows3)
                  or (x.kind == "row" and any(_norm(c) in rows3 for c in x.cells))), 0)
    end = min(len(out), inferred[-1][0] + STRAY_SPAN)
    longest = run = 0
    for x in out[start:end]:
        figures = x.kind == "p" and (is_number_cell(x.text) or FIGURES.fullmatch(x.text.strip()))
        run = run + len(x.text.split()) if figures else 0  # ("28 0": two cells on a line of PDF text)
        longest = max(longest, run)
    if longest > ROW_WIDTHS[0]:
        for i, label in inferred:
            out[i] = label
    return out

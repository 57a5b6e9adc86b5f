"""A page's tables as a store's text gives them a cell a line, each cell ended by a pipe ("规章 |", "0 |").

Stores of page beginnings write every filled cell of a table as ``text |`` on a line of its own, a cell that
holds only a space as a lone ``|`` in its place, and a row's empty cells together on one line of pipes
after its filled ones (``||``, ``|||||||``): where those empty cells stood is lost. Rows are not marked
(some stores part them by lone ``|`` lines: that older form is left to the caller). ``pipe_runs`` finds
such runs of lines and makes rows of them by the tables' labels:

- a label after a row's cells starts the next row; a block caption (第二十条第（…）项) is a row of its own;
  信息内容 starts 表二's header row; a row label of 表二 or 表三 starts a row unless it follows only group
  labels ("三、本年度办理结果", "（三）不予公开", whose first item shares their row);
- a line of pipes ends the row. If the row's cells in place are fewer than its table's columns, the empty
  ones were moved and the figures cannot be placed: the row is given with its figures only and marked
  (``unplaced``) so the reader says 无法核对; a row of no figures at all is a row of blank cells.

Nothing is guessed: a row whose cells are all in place is read as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .labels import CAPTION, HEADER_START, ROW_NUMBERING, _labels, _norm, is_number_cell

MIN_CELLS = 8  # a run with fewer cell lines is not a table
TABLE3_WIDTH, TABLE4_WIDTH = 7, 15


@dataclass
class _Row:
    labels: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)  # in place: a figure, or "" for a lone pipe
    moved: int = 0  # empty cells written together after the row (a line of pipes)
    width: int = 0  # the columns of its table, where known
    data: bool = False  # labelled as a row of figures (not a header)

    def placed(self) -> bool:
        return not self.moved or len(self.cells) >= self.width or not self.width


@lru_cache(maxsize=1)
def _kinds() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """(row labels of 表二, row labels of 表三, group labels of 表三 that head an item in their row, 表三's
    header labels), normalised, either format."""
    from ..forms import all_forms

    rows2, rows3, groups, head = set(), set(), set(), set()
    for f in all_forms():
        for blk in f.table2.blocks:
            rows2.update(_norm(x.label) for x in blk.rows)
        t3 = f.table3
        rows3.update(_norm(x.label) for x in t3.data_rows())
        groups.add(_norm(t3.results_label))
        groups.update(_norm(g.label) for g in t3.results if g.rows)
        head.update(_norm(x) for x in (t3.applicant_label, t3.org_label, *(c.label for c in t3.columns)))
    return frozenset(rows2), frozenset(rows3), frozenset(groups), frozenset(head)


def _token(line: str) -> tuple[str, object] | None:
    """("cell", text), ("blank", ""), ("moved", n), ("cell+moved", (text, n)) for a line of the form, else None."""
    s = line.replace("\u00a0", " ").strip()
    if not s.endswith("|"):
        return None
    if s == "|":
        return "blank", ""
    if set(s) <= {"|", " "}:
        return "moved", s.count("|")
    head, sep, tail = s.partition("|")
    cell = head.strip()
    if not cell or (tail and set(tail) - {"|", " "}):
        return None
    return ("cell", cell) if not tail else ("cell+moved", (cell, tail.count("|")))


def _separated(tokens: list[tuple[str, object]]) -> bool:
    """Rows parted by lone ``|`` lines, each followed by a label (the older form the caller reads)."""
    lone = [i for i, (k, _) in enumerate(tokens) if k == "blank"]
    if not lone or any(k == "moved" for k, _ in tokens):
        return False
    return all(i + 1 >= len(tokens) or (tokens[i + 1][0] != "blank" and not (
        tokens[i + 1][0] == "cell" and is_number_cell(str(tokens[i + 1][1])))) for i in lone)


def pipe_runs(lines: list[str]) -> dict[int, tuple[int, list[tuple[list[str], bool]]]]:
    """{first line: (line after the run, [(cells, placed)])} for every run of cell-a-line pipe text that holds
    a table (linear in the lines)."""
    out: dict[int, tuple[int, list[tuple[list[str], bool]]]] = {}
    last = max((n for n, x in enumerate(lines) if x.strip()), default=-1)
    i = 0
    while i < len(lines):
        tok = _token(lines[i])
        if tok is None:
            i += 1
            continue
        start, tokens = i, []
        while i < len(lines) and (tok := _token(lines[i])) is not None:
            tokens.append(tok)
            i += 1
        if i == last and lines[i].strip() == "0":
            tokens.append(("cut", "0"))  # the text ends inside the row: its last cell, its pipe cut off
            i += 1
        if sum(k in ("cell", "cell+moved") for k, _ in tokens) >= MIN_CELLS and not _separated(tokens):
            out[start] = (i, [(cells, placed) for cells, placed in _rows(tokens)])
    return out


def _rows(tokens: list[tuple[str, object]]):
    """(cells, placed) for each row of a run's tokens."""
    from .variants import head_row

    rows2, rows3, groups, head = _kinds()
    known = _labels()
    out: list[_Row] = []
    cur = _Row()
    width = 0  # the columns of the table being read: 表二's block by its header, 表三 7

    def close() -> None:
        nonlocal cur
        if cur.labels or cur.cells:
            out.append(cur)
        cur = _Row()

    for kind, value in tokens:
        text = str(value[0] if kind == "cell+moved" else value)  # type: ignore[index]
        moved = int(value[1] if kind == "cell+moved" else (value if kind == "moved" else 0))  # type: ignore[index,arg-type]
        figure = is_number_cell(text) or (cur.cells and re.search(r"\d", text) and not ROW_NUMBERING.match(_norm(text)))
        if kind in ("cell", "cell+moved") and not figure:  # ("减4": a figure written with a word, in its place)
            t = _norm(text)
            caption = bool(CAPTION.fullmatch(t))
            row_label = t in rows2 or t in rows3 or t in groups or bool(ROW_NUMBERING.match(t)) or bool(head_row(t))
            if cur.cells or cur.moved or caption or t == HEADER_START or (
                    row_label and cur.labels and not all(_norm(x) in groups for x in cur.labels)):
                close()
            if caption or t == HEADER_START:
                width = 0
            elif t in head:
                width = TABLE3_WIDTH
            if len(cur.labels) > 1 and _norm(cur.labels[0]) == HEADER_START and _norm(cur.labels[-1]) not in known \
                    and t not in known and _norm(cur.labels[-1]) + t in known:
                cur.labels[-1] += text  # a header label its cell's line break cut ("本年新" / "制作数量")
                t = _norm(cur.labels[-1])
            else:
                cur.labels.append(text)
            if _norm(cur.labels[0]) == HEADER_START and t in known:
                width = len(cur.labels) - 1  # 信息内容 and the block's column labels
            cur.data = cur.data or row_label
            if t in rows3 or t in groups or head_row(t) or (ROW_NUMBERING.match(t) and t not in rows2):
                cur.width = TABLE3_WIDTH
            elif not cur.width:
                cur.width = width
            if caption:
                close()
        elif kind in ("cell", "cell+moved", "blank"):
            cur.cells.append(text.strip())
        elif kind == "cut" and cur.data and cur.width == TABLE3_WIDTH:
            cur.cells.append(text)  # a count of 表三 that begins with 0 is 0: nothing of it was cut
        if moved:
            cur.moved += moved
            close()
    close()
    for r in out:
        if not r.cells and not (r.data and r.moved >= r.width > 0):
            yield r.labels, True  # a header, a caption, or a row the text cut after its label
        elif r.placed():
            yield r.labels + r.cells, True
        elif not any(r.cells):
            yield r.labels + [""] * r.width, True  # no figure at all: every cell blank, wherever it stood
        else:
            yield r.labels + [c for c in r.cells if c], False

"""Cells that are a table's labels: the table was not placed, not a defect of the report.

A copy that runs one table's header cells into the place where another table's figures are read
(a store's text whose table cells all end in " |" joins them into one row) gives "cells" such as
"信息内容", "本年增/减" or "第二十条第(八)项". Text without a digit that is, or holds, a label of any
table of either format says the reader put the wrong text in the table, not that the report printed a
word in a number cell. ``_read_cell`` sets such cells aside (``Reading.misplaced_cells``);
``set_aside`` then makes the whole table where they were read, and every table whose labels they are,
无法核对 (``Reading.misplaced``: table -> why), drops what was read from those rows, and ``degrade.judge``
states each of them 无法核对 instead of missing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .labels import CAPTION, TABLE_NAMES, each_label
from .labels import _norm as norm_label

LONG = 4  # a label this long found inside a cell, or a cell this long inside a label, names the table
CELL_RULES = {"pub-cell-not-number", "pub-cell-normalized", "pub-cell-precision"}


def _norm(text: str) -> str:
    return norm_label(text).strip("|")


@lru_cache(maxsize=1)
def _owners() -> dict[str, frozenset[str]]:
    """Every label of tables 二, 三 and 四 in either format, titles too (normalised) -> the tables it belongs to."""
    out: dict[str, set[str]] = {}
    for label, table, _ in each_label():
        if label and _norm(label):
            out.setdefault(_norm(label), set()).add(table)
    return {k: frozenset(v) for k, v in out.items()}


def label_tables(text: str) -> frozenset[str]:
    """The tables whose label ``text`` is or holds, when it has no digit; else none."""
    t = _norm(text)
    if not t or re.search(r"\d", t):
        return frozenset()
    if CAPTION.search(t):
        return frozenset({"表二"})
    owners = _owners()
    if t in owners:
        return owners[t]
    found: set[str] = set()
    for label, tables in owners.items():
        if len(label) >= LONG and label in t or len(t) >= LONG and t in label:
            found |= tables
    return frozenset(found)


def set_aside(r, form) -> None:
    """Each table where label cells were read is 无法核对: none of its cells is taken as read, the
    findings on the rows they came from are dropped, and the tables whose labels they are are
    无法核对 too (when they were not read, they are not called missing)."""
    from ..forms.model import cell_index

    if not r.misplaced_cells:
        return
    by_table: dict[str, list[str]] = {}
    for spec in cell_index(form).values():
        if spec.sheet in TABLE_NAMES:
            by_table.setdefault(TABLE_NAMES[spec.sheet], []).append(spec.name)
    for table, cells in r.misplaced_cells.items():
        where = {loc for loc, _ in cells}
        shown = "、".join(f"“{raw}”" for raw in list(dict.fromkeys(raw for _, raw in cells))[:4])
        owners = sorted(set().union(*(label_tables(raw) for _, raw in cells)))
        why = (f"{table}的单元格位置上读到的是统计表的栏目文字（{shown}等，属于{'、'.join(owners)}），"
               "表格未能对位读取")
        for name in by_table.get(table, []):
            r.values[name], r.status[name] = None, "missing"
        r.findings[:] = [f for f in r.findings if not (f.sheet == table and f.rule in CELL_RULES and f.cell in where)]
        if table in r.blanks:
            r.blanks[table] = [loc for loc in r.blanks[table] if loc not in where]
            if not r.blanks[table]:
                del r.blanks[table]
        r.misplaced.setdefault(table, why)
        for other in owners:
            r.misplaced.setdefault(other, why)

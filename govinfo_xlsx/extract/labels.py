"""Labels and number cells of the formats' tables, as the text readers compare them.

``_labels`` holds every label of tables 二, 三 and 四 in either format (normalised); ``is_number_cell`` tells a
cell that is a number (with a unit, or a word standing for none); ``narrow_cells`` parts the cells of a row of
PDF text that one space separated.  Kept apart from lines.py so the document readers can use them.
"""

from __future__ import annotations

import re
from functools import lru_cache

# a cell of a table: a number, possibly with a unit, or a word that stands for none
NUMBER_CELL = re.compile(r"[+-]?\d[\d,，]*(\.\d+)?\s*(元|万元|件|个|项|条|[（(](?:万元|元)[）)])?|[-—–/无]")
HEADER_START = "信息内容"
# a block caption of table 二, “第二十条第（一）项” (group 1: its numeral)
CAPTION = re.compile(r"第二十条第[（(]([一二三四五六七八九十]+)[）)]项")
# the numbering a row label begins with: “一、”, “（一）”, “1.”
ROW_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d+[.、．])")
TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}


def _norm(text: str) -> str:
    import unicodedata

    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def each_label():
    """(label, table, is_title) for every label of tables 二, 三 and 四 in either format, as declared: a
    title (表二's 信息内容 and block captions, 表四's 行政复议/行政诉讼) heads cells, the others name a row,
    column or group of cells."""
    from ..forms import all_forms

    for f in all_forms():
        yield f.table2.content_label, "表二", True
        for blk in f.table2.blocks:
            yield blk.caption, "表二", True
            for x in (*blk.columns, *blk.rows):
                yield x.label, "表二", False
        t3 = f.table3
        for x in (*t3.data_rows(), *t3.results, *t3.columns):
            yield x.label, "表三", False
        for label in (t3.results_label, t3.applicant_label, t3.org_label):
            yield label, "表三", False
        for x in (*f.table4.columns, *f.table4.groups):
            yield x.label, "表四", False
        yield f.table4.review_label, "表四", True
        yield f.table4.suit_label, "表四", True


@lru_cache(maxsize=1)
def _labels() -> frozenset[str]:
    """Every label of the formats' tables 二, 三 and 四 that names cells (normalised)."""
    out = {_norm(label) for label, _, title in each_label() if not title}
    out.discard("")
    return frozenset(out)


def is_number_cell(text: str) -> bool:
    return bool(NUMBER_CELL.fullmatch(text.strip()))


def narrow_cells(cells: list[str]) -> list[str]:
    """Cells of a spaced row where PDF text put one space only between narrow columns: the header "信息内容 |
    本年制发件数 本年废止件数 现行有效件数" (each word a label of the tables) and a first cell "行政规范性文件 15"
    (a label, then a number) parted; anything else as it was."""
    labels = _labels()
    out: list[str] = []
    for i, c in enumerate(cells):
        words = c.split()
        if len(words) > 1 and cells[0].strip() == HEADER_START and i > 0 and all(_norm(w) in labels for w in words):
            out += words
        elif i == 0 and len(words) > 1 and is_number_cell(words[-1]) and _norm("".join(words[:-1])) in labels:
            out += [" ".join(words[:-1]), words[-1]]
        else:
            out.append(c)
    return out

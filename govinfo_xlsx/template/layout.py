"""Where everything of a form sits in the workbook, derived from the declaration.

The writer draws this layout, the reader finds cells through it (and the
defined names it implies), and the rules compile their formulas against it.
Rows and columns are 0-based, as in xlsxwriter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from ..reading.cellref import a1, row_col  # noqa: F401  (layout.a1 and layout.row_col are imported from here)
from ..forms.model import PRIOR, CellSpec, Form, Table2, Table3, Table4, cell_index, info_name, text_name
from ..memo import per_object

SHEET_NAMES = {
    "instructions": "填报说明",
    "info": "基本信息",
    "text": "文字部分",
    "table2": "表二 主动公开",
    "table3": "表三 依申请公开",
    "table4": "表四 复议诉讼",
    "checks": "校验结果",
    "meta": "元数据",
}

# First row of the checks list on the checks sheet (0-based) and the fixed columns.
CHECKS_FIRST_ROW = 4
# The 差额或问题数 column holds each rule's difference (0 when it holds): the gap between the two
# sides of a sum, or how many cells are blank or invalid, days late, mentions missing.
DIFF_COLUMN = "差额或问题数"
# The rule in words first; the clerk's 说明 right after 结果 (checks/explain.py); the rule's ID last.
CHECK_COLUMNS = ("校验内容", "级别", "所在工作表", DIFF_COLUMN, "结果")
RULE_ID_HEADER = "规则编号"
RULE_ID_COLUMN = len(CHECK_COLUMNS) + 1  # 0-based: after the 说明 column


TITLE_HEIGHT = 30.0  # points
ROW_HEIGHT = 21.0

# Width (in Excel character units) of prose columns; fits A4 portrait unscaled.
PROSE_WIDTH = 80


def text_height(text: str, width: float, line: float = 15.0) -> float:
    """Row height (points) that shows ``text`` wrapped in a column ``width`` wide.

    CJK characters take two width units, others one; each line break starts a new line."""
    per_line = max(1, int(width) - 2)
    lines = sum(max(1, -(-sum(2 if ord(ch) > 0x2E80 else 1 for ch in para) // per_line))
                for para in str(text).split("\n"))
    return line * lines + 3


# The tallest row Excel allows (points).
MAX_ROW_HEIGHT = 409.0
# Height of a narrative row: at least this tall when empty, and tall enough for its text.
TEXT_ROW_HEIGHT = 120.0


@dataclass(frozen=True)
class Area:
    row: int
    col: int
    last_row: int
    last_col: int

    @property
    def merged(self) -> bool:
        return (self.row, self.col) != (self.last_row, self.last_col)


@dataclass(frozen=True)
class Label:
    area: Area
    text: str
    style: str  # title | caption | header | rowlabel | note | field | section


@dataclass
class SheetLayout:
    key: str
    labels: list[Label] = field(default_factory=list)
    cells: dict[str, Area] = field(default_factory=dict)  # defined name -> area
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    header_rows: tuple[int, int] | None = None  # rows repeated when printing
    freeze: tuple[int, int] | None = None
    landscape: bool = False
    status_cell: Area | None = None  # per-sheet check summary

    @property
    def name(self) -> str:
        return SHEET_NAMES[self.key]

    def label(self, area: Area, text: str, style: str) -> None:
        self.labels.append(Label(area, text, style))


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


class Layout:
    """The whole workbook's layout for one form; also resolves names for formulas.

    ``Layout.of(form)`` returns a shared instance; treat it as read-only."""

    @classmethod
    def of(cls, form: Form, prior_names: frozenset[str] = frozenset()) -> Layout:
        return _shared(form, prior_names)

    def __init__(self, form: Form, prior_names: frozenset[str] = frozenset()):
        """``prior_names``: PRIOR_ cells (last year's figures) to show beside the tables."""
        self.form = form
        self.specs: dict[str, CellSpec] = dict(cell_index(form))
        self.sheets: dict[str, SheetLayout] = {
            "info": _info(form),
            "text": _text(form),
            "table2": _table2(form.table2),
            "table3": _table3(form.table3),
            "table4": _table4(form.table4),
        }
        if prior_names:
            self.specs.update(_add_prior(self.sheets, self.specs, prior_names))
        self.placed: dict[str, tuple[SheetLayout, Area]] = {}
        for sl in self.sheets.values():
            for name, area in sl.cells.items():
                self.placed[name] = (sl, area)
        missing = set(self.specs) - set(self.placed)
        if missing:
            raise ValueError(f"cells without a place in the layout: {sorted(missing)}")

    # -- Refs protocol (see rules.py) -------------------------------------
    def cell(self, name: str, qualified: bool = True) -> str:
        sl, area = self.placed[name]
        ref = a1(area.row, area.col)
        return f"{quote_sheet(sl.name)}!{ref}" if qualified else ref

    def area_groups(self, names: Sequence[str]) -> list[tuple[str, ...]]:
        """Split names into rectangles of adjacent cells (by top-left position)."""
        pos = {n: (self.placed[n][0].key, self.placed[n][1].row, self.placed[n][1].col) for n in names}
        ordered = sorted(names, key=lambda n: pos[n])
        # runs of consecutive columns within a row
        runs: list[list[str]] = []
        for n in ordered:
            s, r, c = pos[n]
            if runs:
                ps, pr, pc = pos[runs[-1][-1]]
                if (ps, pr) == (s, r) and c == self._next_col(runs[-1][-1]):
                    runs[-1].append(n)
                    continue
            runs.append([n])
        # stack runs with the same columns on consecutive rows
        groups: list[list[list[str]]] = []
        for run in runs:
            if groups:
                prev = groups[-1][-1]
                s0, r0, _ = pos[prev[0]]
                s1, r1, _ = pos[run[0]]
                if (
                    s0 == s1 and r1 == r0 + 1
                    and [pos[n][2] for n in prev] == [pos[n][2] for n in run]
                ):
                    groups[-1].append(run)
                    continue
            groups.append([run])
        return [tuple(n for run in g for n in run) for g in groups]

    def _next_col(self, name: str) -> int:
        return self.placed[name][1].last_col + 1

    def areas(self, names: Sequence[str], qualified: bool = True) -> list[str]:
        out = []
        for g in self.area_groups(names):
            sl, first = self.placed[g[0]]
            _, last = self.placed[g[-1]]
            ref = a1(first.row, first.col)
            if len(g) > 1:
                ref += ":" + a1(last.row, last.col)
            out.append(f"{quote_sheet(sl.name)}!{ref}" if qualified else ref)
        return out

    def address(self, name: str) -> tuple[str, str]:
        """(sheet name, A1 without $) of a named cell."""
        sl, area = self.placed[name]
        return sl.name, a1(area.row, area.col, absolute=False)

    def sheet_of(self, name: str) -> SheetLayout:
        return self.placed[name][0]


def _info(form: Form) -> SheetLayout:
    sl = SheetLayout("info", widths={0: 18, 1: 60}, heights={0: TITLE_HEIGHT})
    sl.label(Area(0, 0, 0, 1), "基本信息", "title")
    for i, f in enumerate(form.info_fields):
        r = 2 + i
        sl.label(Area(r, 0, r, 0), f.label, "field")
        sl.cells[info_name(f)] = Area(r, 1, r, 1)
        sl.heights[r] = 24
    sl.status_cell = Area(1, 0, 1, 0)
    return sl


def _text(form: Form) -> SheetLayout:
    """Narrative rows are written as automatic heights (see ``writer``): Excel, WPS and LibreOffice
    refit each row to its wrapped text as it is typed, so a long text shows on screen and on paper."""
    sl = SheetLayout("text", widths={0: 18, 1: PROSE_WIDTH - 18}, heights={0: TITLE_HEIGHT})
    sl.label(Area(0, 0, 0, 1), "文字部分", "title")
    sl.status_cell = Area(1, 0, 1, 0)
    fields = {f.key: f for f in form.text_fields}
    r = 2
    for title, keys in form.text_sections:
        if len(keys) == 1:
            sl.label(Area(r, 0, r, 0), title, "section")
            sl.cells[text_name(keys[0])] = Area(r, 1, r, 1)
            r += 1
            continue
        sl.label(Area(r, 0, r, 1), title, "section")
        r += 1
        for k in keys:
            sl.label(Area(r, 0, r, 0), fields[k].label, "field")
            sl.cells[text_name(k)] = Area(r, 1, r, 1)
            r += 1
    return sl


def table2_last_column(t: Table2) -> int:
    """The last column of table 二's value columns (0-based): the widest block's, at least D."""
    return max(3, *(len(b.columns) for b in t.blocks))


def _table2(t: Table2) -> SheetLayout:
    last = table2_last_column(t)
    sl = SheetLayout("table2", widths={0: 30, **{c: 20 for c in range(1, last + 1)}}, heights={0: TITLE_HEIGHT})
    sl.label(Area(0, 0, 0, last), t.title, "title")
    sl.status_cell = Area(1, 0, 1, 0)
    sl.freeze = (2, 0)
    r = 2
    for b in t.blocks:
        sl.label(Area(r, 0, r, last), b.caption, "caption")
        sl.heights[r] = ROW_HEIGHT
        r += 1
        spans = _spans(len(b.columns), last)
        sl.label(Area(r, 0, r, 0), t.content_label, "header")
        for c, (c0, c1) in zip(b.columns, spans):
            sl.label(Area(r, c0, r, c1), c.label, "header")
        sl.heights[r] = 30
        r += 1
        for row in b.rows:
            sl.label(Area(r, 0, r, 0), row.label, "rowlabel")
            sl.heights[r] = ROW_HEIGHT
            for c, (c0, c1) in zip(b.columns, spans):
                sl.cells[b.cell_name(row, c)] = Area(r, c0, r, c1)
            r += 1
    return sl


def _spans(n: int, last: int) -> list[tuple[int, int]]:
    """Columns B..``last`` shared among n value columns; the last one takes the rest."""
    cols = [(1 + i, 1 + i) for i in range(n)]
    cols[-1] = (cols[-1][0], last)
    return cols


def _table3(t: Table3) -> SheetLayout:
    ncol = 3 + len(t.columns)
    last = ncol - 1
    sl = SheetLayout("table3", widths={0: 20, 1: 16, 2: 40, **{3 + i: 10 for i in range(len(t.columns))}},
                     heights={0: TITLE_HEIGHT, 2: ROW_HEIGHT, 3: ROW_HEIGHT, 4: ROW_HEIGHT})
    sl.landscape = True
    sl.label(Area(0, 0, 0, last), t.title, "title")
    sl.status_cell = Area(1, 0, 1, 0)
    sl.label(Area(2, 0, 4, 2), t.balance_note, "note")
    sl.label(Area(2, 3, 2, last), t.applicant_label, "header")
    first, *orgs, total = t.columns
    sl.label(Area(3, 3, 4, 3), first.label, "header")
    sl.label(Area(3, 4, 3, 3 + len(orgs)), t.org_label, "header")
    for i, c in enumerate(orgs):
        sl.label(Area(4, 4 + i, 4, 4 + i), c.label, "header")
    sl.label(Area(3, last, 4, last), total.label, "header")
    sl.header_rows = (2, 4)
    sl.freeze = (5, 3)
    r = 5

    def data(row_key: str, r: int) -> None:
        sl.heights.setdefault(r, ROW_HEIGHT)
        for i, c in enumerate(t.columns):
            sl.cells[t.cell_name(row_key, c)] = Area(r, 3 + i, r, 3 + i)

    for row in t.head_rows:
        sl.label(Area(r, 0, r, 2), row.label, "rowlabel")
        data(row.key, r)
        r += 1
    n_results = len(t.result_rows()) + 1
    sl.label(Area(r, 0, r + n_results - 1, 0), t.results_label, "rowlabel")
    for g in t.results:
        if not g.rows:
            sl.label(Area(r, 1, r, 2), g.label, "rowlabel")
            sl.heights[r] = max(ROW_HEIGHT, text_height(g.label, sl.widths[1] + sl.widths[2]))
            data(g.key, r)
            r += 1
            continue
        sl.label(Area(r, 1, r + len(g.rows) - 1, 1), g.label, "rowlabel")
        for row in g.rows:
            sl.label(Area(r, 2, r, 2), row.label, "rowlabel")
            sl.heights[r] = max(ROW_HEIGHT, text_height(row.label, sl.widths[2]))
            data(row.key, r)
            r += 1
    sl.label(Area(r, 1, r, 2), t.results_total.label, "rowlabel")
    data(t.results_total.key, r)
    r += 1
    for row in t.tail_rows:
        sl.label(Area(r, 0, r, 2), row.label, "rowlabel")
        data(row.key, r)
        r += 1
    return sl


def _table4(t: Table4) -> SheetLayout:
    n = len(t.columns)
    last = n * len(t.groups) - 1
    sl = SheetLayout("table4", widths={i: 9 for i in range(last + 1)},
                     heights={0: TITLE_HEIGHT, 2: ROW_HEIGHT, 3: ROW_HEIGHT, 4: ROW_HEIGHT})
    sl.landscape = True
    sl.label(Area(0, 0, 0, last), t.title, "title")
    sl.status_cell = Area(1, 0, 1, 0)
    review = [g for g in t.groups if not g.under_suit]
    suits = [g for g in t.groups if g.under_suit]
    sl.label(Area(2, 0, 2, n * len(review) - 1), t.review_label, "header")
    sl.label(Area(2, n * len(review), 2, last), t.suit_label, "header")
    col = 0
    for g in t.groups:
        if g.under_suit:
            sl.label(Area(3, col, 3, col + n - 1), g.label, "header")
            for i, c in enumerate(t.columns):
                sl.label(Area(4, col + i, 4, col + i), c.label, "header")
        else:
            for i, c in enumerate(t.columns):
                sl.label(Area(3, col + i, 4, col + i), c.label, "header")
        for i, c in enumerate(t.columns):
            sl.cells[t.cell_name(g, c)] = Area(5, col + i, 5, col + i)
        col += n
    assert suits, "table 四 has litigation groups"
    sl.header_rows = (2, 4)
    sl.freeze = (5, 0)
    sl.heights[5] = 24
    return sl



def _add_prior(sheets: dict[str, SheetLayout], specs: dict[str, CellSpec],
               names: frozenset[str]) -> dict[str, CellSpec]:
    """Place last year's figures beside the tables: a reference row under table 三 and
    reference columns right of table 二.  Returns the specs of the PRIOR_ cells."""
    import dataclasses

    added: dict[str, CellSpec] = {}
    t3 = sheets["table3"]
    by_row: dict[str, list[str]] = {}
    for n in sorted(names):
        base = specs[n[len(PRIOR):]]
        added[n] = dataclasses.replace(base, name=n, sum_of=(), reference=True)
        if base.sheet == "table3":
            by_row.setdefault(base.row_label, []).append(n)
    r = max(a.last_row for a in t3.cells.values()) + 1
    for row_label, row_names in by_row.items():
        t3.label(Area(r, 0, r, 2), f"上年报告“{row_label}”（参考）", "reference")
        for n in row_names:
            home = t3.cells[n[len(PRIOR):]]
            t3.cells[n] = Area(r, home.col, r, home.col)
        t3.heights[r] = ROW_HEIGHT
        r += 1
    t2 = sheets["table2"]
    beyond = max(a.last_col for a in t2.cells.values()) + 1  # right of the declared columns
    extra_cols: dict[str, int] = {}
    for n in sorted(names, key=lambda x: _position(t2, x[len(PRIOR):])):
        home = t2.cells.get(n[len(PRIOR):])
        if home is None:
            continue
        col_label = specs[n[len(PRIOR):]].col_label
        col = extra_cols.setdefault(col_label, beyond + len(extra_cols))
        t2.cells[n] = Area(home.row, col, home.row, col)
        t2.widths[col] = 28
        header_row = home.row - 1
        while not any(lab.area.row == header_row and lab.area.col == 0 and lab.style == "header"
                      for lab in t2.labels):
            header_row -= 1
        text = f"上年报告“{col_label}”（参考）"
        if not any(lab.area.row == header_row and lab.area.col == col for lab in t2.labels):
            t2.label(Area(header_row, col, header_row, col), text, "reference")
    return added


def _position(sl: SheetLayout, name: str) -> tuple[int, int]:
    area = sl.cells.get(name)
    return (area.row, area.col) if area else (-1, -1)


@per_object
def _shared(form: Form, prior_names: frozenset[str]) -> Layout:
    """The one Layout of a form (and of the last year's cells it shows)."""
    return Layout(form, prior_names)

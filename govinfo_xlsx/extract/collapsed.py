"""Text that leaves out every line equal to the line before it (layout ``repeats-collapsed``).

Some site archives give a page's text a node a line and drop a line that repeats the one before
it, so a run of equal cells shows once: the row 9,0,0,0,0,0,9 of 表三 reads "9 / 0 / 9", a row of
zeros and 表四's fifteen zeros one "0".  ``expand_collapsed`` rebuilds such rows from what the format
declares, and from nothing else:

- the lines of a row are its cells with each run of equal cells written once, so a row of ``w``
  cells is one of the ways of giving each line a run of one cell or more (``expansions``);
- the sums the declaration states (``forms/``: 总计 = the applicant columns, 一 + 二 = 三（七）+ 四,
  （七）总计 = the results, 表四's 总计 of each group) hold, over the rows rebuilt so and the rows the
  text gives whole.

A row is read only when every rebuild of the table consistent with its lines and every such sum
gives it the same cells; a row left with more than one, or a table with none (a sum broken in the
page, or a blank cell that left no line), is not read, and the reader says so (无法核对).  Since the
sums place the cells of a row whose lines allow more than one placement, those sums cannot show a
defect in it: such rows are listed (``Document.collapsed``), a failed sum over them is only a hint,
and the report states that the sums over them could not be checked.

The layout is told by the text as a whole: a node a line, numbers on lines of their own, and not
two neighbouring lines alike anywhere (any other text a node a line repeats "0" from cell to cell),
while the same number stands on lines apart (a store that keeps each distinct line once is another
layout, in which a dropped cell need not equal the one before it).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

from .document import Block
from .labels import CAPTION

INTEGER = re.compile(r"\d+")
MAX_LABEL = 60
LABEL_LINES = 4  # lines a row label may be cut over
HEADER_WORD = 20  # a header cell of 表四 is short; prose that names 行政复议 is not its header
HEADER_LINES = 6  # header lines of a 表二 block after 信息内容 (its columns, a label cut over two lines)
MIN_NUMBER_LINES = 15  # number lines a text needs to be taken as tables a node a line
MIN_REPEATS = 5  # number lines that repeat one further up (a text that keeps each line once has none)
MAX_SOLUTIONS = 200  # rebuilds of one table enumerated at most (more: nothing is read from its ambiguous rows)
MAX_STEPS = 200000
T4_ROW = "表四"


@dataclass
class Rebuilt:
    """What ``expand_collapsed`` did: the rows rebuilt (location -> (table, label, lines)), those of them
    whose lines allowed more than one placement (placed by the sums), and the rows left unread (why)."""

    rows: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    by_sums: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    unread: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # table -> (label, lines, why)


@dataclass
class _Run:
    """A row as the text gives it: its label, the lines of its numbers, where they are."""

    key: str  # a row key of 表三, or T4_ROW
    label: str
    label_at: int  # index of the (first) label line (-1: none, 表四)
    start: int  # index of the first number line
    values: tuple[int, ...]
    location: str


def looks_collapsed(blocks: list[Block]) -> bool:
    """Text a node a line in which no line equals the one before it, with many numbers on lines of
    their own (a table's cells): an archive that left out repeated lines."""
    prev, numbers, seen = None, 0, set()
    for b in blocks:
        if b.kind != "p":
            return False  # a table of rows: not this layout
        text = b.text.strip()
        if text == prev:
            return False
        prev = text
        if INTEGER.fullmatch(text):
            numbers += 1
            seen.add(text)
    # the same number on lines apart, as tables have ("0" row after row): not a store that kept each line once
    return numbers >= MIN_NUMBER_LINES and numbers - len(seen) >= MIN_REPEATS


def expansions(values: tuple[int, ...], width: int):
    """Every row of ``width`` cells that gives ``values`` with each run of equal cells written once."""
    k = len(values)
    if not 0 < k <= width or any(a == b for a, b in zip(values, values[1:])):
        return
    for cuts in combinations(range(1, width), k - 1):
        bounds = (0, *cuts, width)
        yield tuple(v for i, v in enumerate(values) for _ in range(bounds[i + 1] - bounds[i]))


@lru_cache(maxsize=None)
def _equations(form_id: str) -> tuple[tuple[tuple[tuple[str, int], ...], ...], dict[str, tuple[str, int]]]:
    """The declared sums over 表三 and 表四 as linear equations ((cell, coefficient), ...) = 0, and
    each cell -> (row key, column index) (表四's fifteen cells one row)."""
    from ..checks.rulekinds import Balance, SumEquals
    from ..forms import get_form

    form = get_form(form_id)
    t3, t4 = form.table3, form.table4
    where: dict[str, tuple[str, int]] = {}
    for row in t3.data_rows():
        for i, c in enumerate(t3.columns):
            where[t3.cell_name(row.key, c.key)] = (row.key, i)
    i = 0
    for g in t4.groups:
        for c in t4.columns:
            where[t4.cell_name(g.key, c.key)] = (T4_ROW, i)
            i += 1
    out = []
    for rule in form.rules:
        if isinstance(rule, SumEquals):
            terms = ((rule.target, 1), *((p, -1) for p in rule.parts))
        elif isinstance(rule, Balance):
            terms = (*((c, 1) for c in rule.lhs), *((c, -1) for c in rule.rhs))
        else:
            continue
        if all(c in where for c, _ in terms):
            out.append(tuple(terms))
    return tuple(out), where


def _widths(form_id: str) -> tuple[int, int]:
    from ..forms import get_form

    form = get_form(form_id)
    return len(form.table3.columns), len(form.table4.groups) * len(form.table4.columns)


def solve(form_id: str, runs: dict[str, tuple[int, ...]], whole: dict[str, tuple[int, ...]]) -> tuple[
        dict[str, tuple[int, ...]], dict[str, str]]:
    """The rows of ``runs`` (row key -> its lines) that every rebuild consistent with the lines and the
    declared sums gives the same cells, given the rows ``whole`` printed cell for cell; and for each row
    not read, why (Chinese)."""
    equations, where = _equations(form_id)
    w3, w4 = _widths(form_id)
    width = {k: (w4 if k == T4_ROW else w3) for k in (*runs, *whole)}
    known = set(runs) | set(whole)
    usable = [e for e in equations if all(where[c][0] in known for c, _ in e)]
    local = {k: [e for e in usable if all(where[c][0] == k for c, _ in e)] for k in runs}
    why: dict[str, str] = {}
    options: dict[str, list[tuple[int, ...]]] = {}
    for key, values in runs.items():
        found = [cells for cells in expansions(values, width[key])
                 if all(_holds(e, where, {key: cells}) for e in local[key])]
        if found:
            options[key] = found
        else:
            why[key] = "任何一种还原都不能使本行的总计等于各项之和（可能有合计错误，或空白单元格没有留下位置）"
    fixed = dict(whole)
    cross = [e for e in usable if len({where[c][0] for c, _ in e}) > 1
             and all(where[c][0] in fixed or where[c][0] in options for c, _ in e)
             and any(where[c][0] in options for c, _ in e)]
    order = sorted(options, key=lambda k: len(options[k]))
    position = {k: i for i, k in enumerate(order)}
    due: dict[int, list] = {}
    for e in cross:
        due.setdefault(max(position[where[c][0]] for c, _ in e if where[c][0] in position), []).append(e)
    solutions: list[dict[str, tuple[int, ...]]] = []
    steps = [0]
    chosen: dict[str, tuple[int, ...]] = dict(fixed)

    def walk(i: int) -> bool:
        if i == len(order):
            solutions.append({k: chosen[k] for k in order})
            return len(solutions) <= MAX_SOLUTIONS
        key = order[i]
        for cells in options[key]:
            steps[0] += 1
            if steps[0] > MAX_STEPS:
                return False
            chosen[key] = cells
            if all(_holds(e, where, chosen) for e in due.get(i, ())):
                if not walk(i + 1):
                    return False
        chosen.pop(key, None)
        return True

    if not walk(0):
        for key in order:
            why[key] = "还原方式太多，无法逐一核对"
        return {}, why
    if not solutions:
        for key in order:
            why[key] = "任何一种还原都不能使表中的合计关系全部成立（可能有合计错误，或空白单元格没有留下位置）"
        return {}, why
    out = {}
    for key in order:
        seen = {s[key] for s in solutions}
        if len(seen) == 1:
            out[key] = solutions[0][key]
        else:
            why[key] = "与各项合计都相符的还原不止一种，无法确定哪一种是原文"
    return out, why


def _holds(equation, where, rows: dict[str, tuple[int, ...]]) -> bool:
    total = 0
    for cell, coef in equation:
        key, i = where[cell]
        total += coef * rows[key][i]
    return total == 0


def _runs(blocks: list[Block], form_id: str) -> tuple[dict[str, _Run], dict[str, tuple[int, ...]], _Run | None]:
    """The rows of 表三 (a row label, then the lines of its numbers) and 表四's run of numbers (after its
    header: 行政复议 … 复议后起诉 … 总计) in the blocks, by one format's labels: the rows shorter than
    their table (collapsed), the rows given whole, and 表四's run."""
    from ..forms import get_form
    from .read import _label_index, _match, _near_match, norm
    from .variants import row_variant

    index = _label_index(get_form(form_id))

    def match(label: str, values: tuple[int, ...]) -> str | None:
        """The row of 表三 a label names: as printed, misprinted ("2.其他法律行政止公开") or in the prose's
        words ("本年度新收"), as the reader will read the rebuilt row (and report the label)."""
        cells = [label, *map(str, values)]
        return _match(label, index) or _near_match(cells, {form_id: index})[0] or row_variant(cells, norm)[0]

    w3, w4 = _widths(form_id)
    short: dict[str, _Run] = {}
    whole: dict[str, tuple[int, ...]] = {}
    run4: _Run | None = None
    review = suit = False  # 表四's header words seen since the last row of 表三
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind != "p" or not INTEGER.fullmatch(b.text.strip()):
            text = re.sub(r"\s", "", b.text) if b.kind == "p" else ""
            if len(text) > MAX_LABEL or b.kind != "p":
                review = suit = False  # prose: not 表四's header
            elif short or whole:
                review = review or (len(text) <= HEADER_WORD and "行政复议" in text)
                suit = suit or (review and len(text) <= HEADER_WORD and ("复议后起诉" in text or "行政诉讼" in text))
            i += 1
            continue
        j = i
        while j < len(blocks) and blocks[j].kind == "p" and INTEGER.fullmatch(blocks[j].text.strip()):
            j += 1
        values = tuple(int(x.text.strip()) for x in blocks[i:j])
        key, label, n = None, "", 0
        while n < LABEL_LINES and i - n - 1 >= 0 and blocks[i - n - 1].kind == "p" \
                and len(blocks[i - n - 1].text) <= MAX_LABEL and not INTEGER.fullmatch(blocks[i - n - 1].text.strip()):
            n += 1  # a label a line, or cut over lines ("3.危及" / "“" / "三安全一稳定" / "”")
            label = "".join(x.text.strip() for x in blocks[i - n:i])
            key = match(label, values)
            if key:
                break
        if key:
            review = suit = False
            if key not in short and key not in whole:
                if len(values) == w3:
                    whole[key] = values
                elif len(values) < w3:
                    short[key] = _Run(key, label, i - n, i, values, blocks[i - n].location)
        elif review and suit and run4 is None and i and blocks[i - 1].kind == "p" \
                and len(blocks[i - 1].text.strip()) <= HEADER_WORD and len(values) <= w4:  # after 表四's header
            run4 = _Run(T4_ROW, "", -1, i, values, b.location)
        i = j
    return short, whole, run4


def expand_collapsed(blocks: list[Block], original: list[Block]) -> tuple[list[Block], Rebuilt | None]:
    """The blocks with the rows of 表三 and 表四 that the text gives collapsed rebuilt, where the lines
    and the declared sums allow one rebuild only (see the module), as rows; and what was done (None
    when the text is not of this layout)."""
    from ..forms import all_forms

    if not looks_collapsed(original):
        return blocks, None
    rebuilt = Rebuilt()
    blocks = _table2(blocks, rebuilt)
    found = {f.id: _runs(blocks, f.id) for f in all_forms()}
    if not any(short or (run4 is not None and len(run4.values) < _widths(fid)[1])
               for fid, (short, _, run4) in found.items()):
        return blocks, rebuilt if rebuilt.rows else None
    best = max(len(s) + len(w) for s, w, _ in found.values())
    forms = [fid for fid, (s, w, _) in found.items() if len(s) + len(w) == best]
    answers: list[dict[str, tuple[int, ...]]] = []
    whys: dict[str, str] = {}
    for fid in forms:
        short, whole, run4 = found[fid]
        got, why = solve(fid, {k: r.values for k, r in short.items()}, whole)
        if run4 is not None and len(run4.values) < _widths(fid)[1]:
            got4, why4 = solve(fid, {T4_ROW: run4.values}, {})
            got.update(got4)
            why.update(why4)
        answers.append(got)
        whys.update(why)
    short, _, run4 = found[forms[0]]
    rows = dict(short)
    if run4 is not None:
        rows[T4_ROW] = run4
    agreed = {k: v for k, v in answers[0].items() if k in rows and all(a.get(k) == v for a in answers[1:])}
    replace_at: dict[int, Block] = {}
    drop: set[int] = set()
    for key, run in rows.items():
        lines = " / ".join(map(str, run.values))
        table = "表四" if key == T4_ROW else "表三"
        label = run.label or "表四"
        if key not in agreed:
            if key in whys or key in answers[0]:
                rebuilt.unread.setdefault(table, []).append((label, lines, whys.get(key, "两种格式的还原不一致")))
            continue
        cells = tuple(str(v) for v in agreed[key])
        if run.label_at >= 0:
            replace_at[run.label_at] = Block("row", cells=(run.label, *cells), table=-5,
                                             location=blocks[run.label_at].location)
            drop.update(range(run.label_at + 1, run.start + len(run.values)))
        else:
            replace_at[run.start] = Block("row", cells=cells, table=-5, location=run.location)
            drop.update(range(run.start + 1, run.start + len(run.values)))
        rebuilt.rows[run.location] = (table, label, lines)
        if sum(1 for _ in expansions(run.values, len(cells))) > 1:
            rebuilt.by_sums[run.location] = (table, label, lines)
    out = [replace_at.get(i, b) for i, b in enumerate(blocks) if i not in drop]
    return out, rebuilt


def report_rebuilt(r, rebuilt: Rebuilt | None) -> frozenset[str]:
    """The findings on the rows rebuilt (``pub-cells-rebuilt``): per table, the rows read so; the rows
    only the sums placed, whose sums are then 无法核对 (listed in ``r.unchecked``); the rows left unread
    and why. Returns the locations of the rows placed by the sums (a failed sum over them is a hint)."""
    from .degrade import UNCHECKED

    if rebuilt is None:
        return frozenset()
    for table in ("表三", "表四"):
        rows = [(loc, label, lines) for loc, (t, label, lines) in rebuilt.rows.items() if t == table]
        placed = [(loc, label, lines) for loc, (t, label, lines) in rebuilt.by_sums.items() if t == table]
        if placed:
            shown = [f"“{label}”{lines}" for _, label, lines in placed]
            r.add("pub-cells-rebuilt", placed[0][0], variant="sums", section=table, expected=len(placed),
                  actual=len(rows), rows=shown)
            r.unchecked.append({"what": f"{table}的合计与勾稽关系", "section": table, "where": placed[0][0],
                                "status": UNCHECKED, "reason": r.findings[-1].message})
        elif rows:
            r.add("pub-cells-rebuilt", rows[0][0], section=table, actual=len(rows))
        by_why: dict[str, list[str]] = {}
        for label, lines, why in rebuilt.unread.get(table, []):
            by_why.setdefault(why, []).append(f"“{label}”{lines}")
        for why, shown in by_why.items():
            r.add("pub-cells-rebuilt", "", variant="unread", section=table, actual=len(shown), rows=shown, why=why)
    return frozenset(rebuilt.by_sums)


WHY2 = "表二没有合计关系，比栏目少的数字无法唯一地放入各栏"
DECIMAL_POINT = (".", "．")
PART_HEADING = re.compile(r"[一二三四五六][、.．]")


@lru_cache(maxsize=1)
def _table2_labels() -> tuple[frozenset[str], frozenset[str]]:
    """The row labels and the column labels of 表二's blocks, either format (normalised)."""
    from ..forms import all_forms
    from .labels import _norm

    rows = {_norm(r.label) for f in all_forms() for b in f.table2.blocks for r in b.rows}
    columns = {_norm(c.label) for f in all_forms() for b in f.table2.blocks for c in b.columns}
    return frozenset(rows), frozenset(columns)


def _table2(blocks: list[Block], rebuilt: Rebuilt) -> list[Block]:
    """表二's rows given back their lines: 表二 declares no sums, so only the lines place its cells. A row
    of zeros shows one "0" for all its columns and is given the zeros again; a figure the archive cut at
    its decimal point ("851" / "." / "776247") is joined. Any other row with fewer lines than columns ("4 /
    16" for three columns: 4,4,16 or 4,16,16) is left as it is, and the reader says it could not read it.
    The columns are the header lines after 信息内容 (a caption, 信息内容, the headers, then the rows)."""
    from .labels import HEADER_START, _norm, is_number_cell

    row_labels, _ = _table2_labels()
    out: list[Block] = []
    i, width, in_block, key = 0, 0, False, ""
    while i < len(blocks):
        b = blocks[i]
        text = _norm(b.text) if b.kind == "p" else ""
        if CAPTION.fullmatch(text):
            in_block, width, key = True, 0, CAPTION.fullmatch(text).group(1)
        elif in_block and text == HEADER_START and not width:
            j = i + 1
            while j < len(blocks) and j - i <= HEADER_LINES and blocks[j].kind == "p" and len(blocks[j].text) <= MAX_LABEL \
                    and _norm(blocks[j].text) not in row_labels and not is_number_cell(blocks[j].text) \
                    and not CAPTION.fullmatch(_norm(blocks[j].text)):
                j += 1
            width = _header_width(key, [_norm(x.text) for x in blocks[i + 1:j]])
        elif in_block and width and text in row_labels:
            j, values = i + 1, []
            while j < len(blocks) and blocks[j].kind == "p":
                text = blocks[j].text.strip()
                nxt = blocks[j + 1].text.strip() if j + 1 < len(blocks) and blocks[j + 1].kind == "p" else ""
                if nxt and is_number_cell(text + nxt) and not (is_number_cell(text) and is_number_cell(nxt)):
                    # a figure and its unit on two lines ("8.175万" / "元", "129323" / "元"): one cell
                    values.append(Block("p", text=text + nxt, location=blocks[j].location))
                    j += 2
                    continue
                if not (is_number_cell(text) or _norm(text) in DECIMAL_POINT):
                    break
                values.append(blocks[j])
                j += 1
            values = _join_points(values)
            if len(values) == 1 and width > 1 and _norm(values[0].text) == "0":
                values = values * width
                rebuilt.rows[b.location] = ("表二", b.text, "0")
            elif 0 < len(values) < width and _row_ends(blocks, j, row_labels):
                rebuilt.unread.setdefault("表二", []).append((b.text, " / ".join(v.text for v in values), WHY2))
            out.append(b)
            out.extend(values)
            i = j
            continue
        elif b.kind != "p" or (len(text) > MAX_LABEL and in_block):
            in_block = False
        out.append(b)
        i += 1
    return out


def _row_ends(blocks: list[Block], j: int, row_labels: frozenset[str]) -> bool:
    """Whether the lines of a 表二 row end at ``j``: the text ends, or the next row, block or part begins
    (not a word of a cell, "增" / "7", "11" / "批", that the archive put on a line of its own)."""
    from .labels import _norm

    if j >= len(blocks) or blocks[j].kind != "p":
        return True
    text = _norm(blocks[j].text)
    return text in row_labels or bool(CAPTION.fullmatch(text)) or bool(PART_HEADING.match(text))


def _header_width(numeral: str, header: list[str]) -> int:
    """The columns of 表二's block ``第二十条第（numeral）项`` whose header lines are ``header``: those of a
    format's block whose column labels they are, one a line (as printed, misprinted or with a note added,
    as the reader takes them); 0 when they are not (a header the site changed: its rows are left alone)."""
    from ..forms import all_forms
    from .read import CN_DIGITS, _same
    from .labels import _norm

    key = f"art20_{CN_DIGITS.get(numeral, numeral)}"
    for f in all_forms():
        for blk in f.table2.blocks:
            if blk.key == key and len(blk.columns) == len(header) \
                    and all(_same(h, _norm(c.label)) is not None for h, c in zip(header, blk.columns)):
                return len(header)
    return 0


def _join_points(values: list[Block]) -> list[Block]:
    """Lines of a 表二 row with a figure cut at its decimal point ("851" / "." / "776247") joined."""
    from .labels import _norm

    out: list[Block] = []
    i = 0
    while i < len(values):
        v = values[i]
        if i + 2 < len(values) and _norm(values[i + 1].text) in DECIMAL_POINT and INTEGER.fullmatch(values[i].text.strip()) \
                and INTEGER.fullmatch(values[i + 2].text.strip()):
            out.append(Block("p", text=f"{v.text.strip()}.{values[i + 2].text.strip()}", location=v.location))
            i += 3
            continue
        out.append(v)
        i += 1
    return out


@contextmanager
def unread_rows_unchecked(r, form, rebuilt: Rebuilt | None):
    """Rows of 表二 the text gives with fewer lines than columns, not rebuilt: 无法核对 (``pub-row-unchecked``,
    why), not missing; rows of the same finding the text does not name stay missing. Wraps ``judge``, which
    does not see those rows as missing (the reader took their lines as 表二's, so they are not left over as
    numbers it could not place, and judge would call them absent)."""
    from ..checks.catalogue import entry, restated
    from .degrade import UNCHECKED, _missing_rows, _row_names
    from .labels import _norm

    unread = (rebuilt.unread.get("表二") if rebuilt is not None else None) or []
    f = next((x for x in r.findings if x.rule == "pub-row-missing" and x.sheet == "表二"), None)
    printed = {_norm(label) for label, _, _ in unread}
    names = _row_names(form) if unread and f is not None else {}
    mine = [x for x in _missing_rows(r, form, "表二") if any(_norm(n) in printed for n in names.get(x, {x}))] \
        if names else []
    if not mine:
        yield
        return
    others = [x for x in _missing_rows(r, form, "表二") if x not in mine]
    at = r.findings.index(f)
    r.findings[at:at + 1] = [restated(f, expected=len(others), row_label=others[0], rows=others)] if others else []
    cells = [blk.cell_name(row.key, c.key) for blk in form.table2.blocks for row in blk.rows if row.label in mine
             for c in blk.columns]
    for n in cells:
        r.status[n] = "blank"  # not missing while judge looks for rows missing
    try:
        yield
    finally:
        for n in cells:
            r.status[n] = "missing"
    shown = [f"“{label}”{lines}" for label, lines, _ in unread]
    done = entry("pub-row-unchecked").finding(sheet="表二", cell="", expected=len(mine), rows=mine,
                                              why=f"{WHY2}（{'；'.join(shown)}）")
    r.findings.append(done)
    r.unchecked.append({"what": "、".join(mine), "section": "表二", "where": "", "status": UNCHECKED,
                        "reason": done.message})

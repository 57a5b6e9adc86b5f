"""Rule kinds: each compiles to an Excel formula, evaluates in Python and words its finding.

A rule's *difference* is a number that is 0 when the rule holds.  The same
definition drives the live formula on the checks sheet (via ``formula``), the
conditional formats that paint the involved cells (via ``highlights``) and the
Python check (via ``evaluate``), so the two sides cannot drift apart.  A rule
also words its own finding (``message``, ``anchor``, ``finding``): the
description comes from the declaration, the figures from the outcome.

Formulas use only Excel 2007 functions with US separators.  Values are read
the way Excel reads them: text inside a sum counts as nothing (``SUM``/``N``),
an empty cell is blank.

Where is rule X?  This module has every declared rule's Excel formula
(``formula``), Python check (``evaluate``) and message (``message``): find the
class named in the 类型 column of docs/rules.md (``govinfo-xlsx rules``).  The
rule itself — ID, severity, description, cells — is made from the tables in
``forms/standard_rules.py`` (IDs ``t2-``, ``t3-``, ``t4-``, ``info-``, ``text-``)
or ``forms/crossyear.py`` (``xy-``).  Checks without a formula (``structure-``,
``cell-``, ``pub-``, ``collect-``, ``peer-``, ``xy-prior-``) are entries of ``catalogue.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Protocol, Sequence

from .deadlines import ORGAN_KINDS, deadline
from .findings import Finding, Reporter, Severity, chinese_date, show
from ..forms.valuekinds import ValueKind


class Refs(Protocol):
    """Resolves defined names to A1 references (absolute, sheet-qualified or not)."""

    def cell(self, name: str, qualified: bool = True) -> str: ...

    def areas(self, names: Sequence[str], qualified: bool = True) -> list[str]: ...

    def area_groups(self, names: Sequence[str]) -> list[tuple[str, ...]]: ...


# Where a named cell is: name -> (sheet, A1, row label, column label).
Place = Callable[[str], "tuple[str, str, str, str]"]


@dataclass(frozen=True)
class Outcome:
    diff: float
    actual: Any = None
    expected: Any = None

    @property
    def ok(self) -> bool:
        return abs(self.diff) < 1e-9


def more_or_less(diff: float) -> str:
    """A difference in a clerk's words: “多 3” or “少 3”."""
    n = abs(diff)
    shown = int(n) if float(n).is_integer() else round(n, 2)
    return f"{'多' if diff > 0 else '少'} {shown}"


def num(v: Any) -> float:
    """Excel's view of a cell inside SUM or N(): numbers count, all else is 0."""
    if type(v) is int or type(v) is float:  # the common case first (bool is an int, not this)
        return v
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return 0
    return v


def excel_serial(v: Any) -> float | None:
    """A date cell's value as an Excel serial number (None if not a date/number)."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, dt.datetime):
        return (v - dt.datetime(1899, 12, 30)).total_seconds() / 86400
    if isinstance(v, dt.date):
        return float((v - dt.date(1899, 12, 30)).days)
    return None


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _n(x: float | None) -> str:
    """A number literal for a formula: no exponent, no trailing zeros."""
    assert x is not None
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _sum(refs: Refs, names: Sequence[str], qualified: bool) -> str:
    return "SUM(" + ",".join(refs.areas(names, qualified)) + ")"


@dataclass(frozen=True, kw_only=True)
class Rule(Reporter):
    id: str
    severity: Severity
    description: str

    def reworded(self, f: Finding, message: str) -> Finding:
        """One of this rule's findings said in another of its own words (e.g. ``left_message``)."""
        return dataclasses.replace(f, message=message)

    array = False  # the check formula must be entered as an array formula
    live = True  # shown as a live formula in the template
    per_cell = False  # reported cell by cell when a workbook is read (not by ``report``)
    counts_blanks = False  # ingest --strict-blank makes its findings 错误

    def cells(self) -> tuple[str, ...]:
        raise NotImplementedError

    def formula(self, refs: Refs, qualified: bool = True) -> str:
        """Excel expression (no leading '=') giving the difference."""
        raise NotImplementedError

    def highlights(self, refs: Refs) -> list[tuple[tuple[str, ...], str]]:
        """(cells, conditional-format formula) pairs painting the involved cells.

        The default paints every involved cell while the difference is not 0;
        references are absolute and unqualified (same sheet)."""
        return [(self.cells(), f"ROUND({self.formula(refs, qualified=False)},6)<>0")]

    def evaluate(self, values: Mapping[str, Any]) -> Outcome:
        raise NotImplementedError

    def anchor(self) -> str:
        """The cell a finding of this rule points at: the total, the first term, or the field."""
        return self.cells()[0]

    def report(self, out: Outcome, place: Place, severity: Severity | None = None) -> Finding:
        """The finding of a failed outcome, at the anchor cell wherever ``place`` finds it."""
        sheet, cell, row_label, col_label = place(self.anchor())
        return self.finding(self.message(out), sheet=sheet, cell=cell, row_label=row_label, col_label=col_label,
                            expected=out.expected, actual=out.actual, severity=severity)

    def message(self, out: Outcome, lead: str = "") -> str:
        """The finding's text for a failed outcome: the description, and the figures when they are numbers
        (``lead``: said before the figures, e.g. 按公布的数字，)."""
        if isinstance(out.expected, (int, float)) and isinstance(out.actual, (int, float)):
            return f"{self.description}：{lead}应为 {show(out.expected)}，实为 {show(out.actual)}，{more_or_less(out.diff)}。"
        return f"{self.description}。"

    def published_finding(self, out: Outcome, parted: bool, **where: Any) -> Finding:
        """The finding of a failed outcome over a published report's printed figures (``extract``): the
        rule's own message, said of the published figures; a hint (提示) when ``parted`` (some of the
        rows' run-together digits were parted by inference, and the parting may be wrong)."""
        text = self.message(out, lead="按公布的数字，")
        note = "（其中有数字连在一起、按“总计等于各项之和”拆分读取的行，拆分可能有误，请核对原文）" if parted else ""
        return self.finding(text + note, expected=out.expected, actual=out.actual,
                            severity=Severity.INFO if parted else None, **where)


@dataclass(frozen=True, kw_only=True)
class SumEquals(Rule):
    """A total cell equals the sum of its parts (catches overwritten totals)."""

    target: str
    parts: tuple[str, ...]

    def cells(self) -> tuple[str, ...]:
        return (self.target, *self.parts)

    def formula(self, refs: Refs, qualified: bool = True) -> str:
        return f"N({refs.cell(self.target, qualified)})-{_sum(refs, self.parts, qualified)}"

    def evaluate(self, values: Mapping[str, Any]) -> Outcome:
        actual = num(values.get(self.target))
        expected = sum(map(num, map(values.get, self.parts)))  # iterated in C
        return Outcome(actual - expected, actual, expected)

    def message(self, out: Outcome, lead: str = "") -> str:
        return (f"{self.description}：{lead}总计为 {show(out.actual)}，各项之和为 {show(out.expected)}，"
                f"总计{more_or_less(out.diff)}。")


@dataclass(frozen=True, kw_only=True)
class Balance(Rule):
    """sum(lhs) == sum(rhs), e.g. 一 + 二 = 三（七） + 四."""

    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    lhs_label: str = ""  # how a message names each side, e.g. 一+二
    rhs_label: str = ""

    def cells(self) -> tuple[str, ...]:
        return (*self.lhs, *self.rhs)

    def formula(self, refs: Refs, qualified: bool = True) -> str:
        return f"{_sum(refs, self.lhs, qualified)}-{_sum(refs, self.rhs, qualified)}"

    def evaluate(self, values: Mapping[str, Any]) -> Outcome:
        actual = sum(num(values.get(c)) for c in self.lhs)
        expected = sum(num(values.get(c)) for c in self.rhs)
        return Outcome(actual - expected, actual, expected)

    def message(self, out: Outcome, lead: str = "") -> str:
        if not self.lhs_label:
            return super().message(out, lead)
        return (f"{self.description}：{lead}{self.lhs_label}为 {show(out.actual)}，"
                f"{self.rhs_label}为 {show(out.expected)}，{self.lhs_label}比{self.rhs_label}{more_or_less(out.diff)}。")


@dataclass(frozen=True, kw_only=True)
class InputsValid(Rule):
    """Every non-blank input is a number within the kind's range and decimals.

    The difference is the number of invalid cells."""

    inputs: tuple[str, ...]
    kind: ValueKind

    array = True
    per_cell = True

    def cells(self) -> tuple[str, ...]:
        return self.inputs

    def _bad(self, x: str) -> str:
        k = self.kind
        return f"OR({x}<{_n(k.minimum)},{x}>{_n(k.maximum)},ROUND({x},{k.decimals})<>{x})"

    def formula(self, refs: Refs, qualified: bool = True) -> str:
        k = self.kind
        terms = []
        for a in refs.areas(self.inputs, qualified):
            terms.append(
                f"SUM(IF(ISBLANK({a}),0,IF(ISNUMBER({a}),"
                f"IF(({a}<{_n(k.minimum)})+({a}>{_n(k.maximum)})+(ROUND({a},{k.decimals})<>{a}),1,0),1)))"
            )
        return "+".join(terms)

    def highlights(self, refs: Refs) -> list[tuple[tuple[str, ...], str]]:
        # One relative formula per cell area, anchored at the area's top-left cell.
        out = []
        for group in refs.area_groups(self.inputs):
            x = refs.cell(group[0], qualified=False).replace("$", "")
            out.append((group, f"IF(ISBLANK({x}),FALSE,IF(ISNUMBER({x}),{self._bad(x)},TRUE))"))
        return out

    def invalid(self, v: Any) -> bool:
        k = self.kind
        if v is None:
            return False
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return True
        return bool(v < k.minimum or v > k.maximum or round(v, k.decimals) != v)

    def evaluate(self, values: Mapping[str, Any]) -> Outcome:
        bad = [c for c in self.inputs if self.invalid(values.get(c))]
        return Outcome(len(bad), actual=bad, expected=[])

    def cell_message(self, label: str, raw: Any, problem: str) -> str:
        """One invalid cell (reported cell by cell when a workbook is read): its label, what was typed, why."""
        return f"“{label}”填写的“{show(raw)}”{problem}，请改正。"

    def cell_finding(self, label: str, raw: Any, problem: str, **where: Any) -> Finding:
        """The finding of one invalid cell (``where``: sheet, cell, labels, expected)."""
        return self.finding(self.cell_message(label, raw, problem), actual=raw, **where)


@dataclass(frozen=True, kw_only=True)
class InputsFilled(Rule):
    """Input cells left blank (they count as 0).  The difference is how many."""

    inputs: tuple[str, ...]

    def cells(self) -> tuple[str, ...]:
        return self.inputs

    def formula(self, refs: Refs, qualified: bool = True) -> str:
        return "+".join(f"COUNTBLANK({a})" for a in refs.areas(self.inputs, qualified))

    def highlights(self, refs: Refs) -> list[tuple[tuple[str, ...], str]]:
        out = []
        for group in refs.area_groups(self.inputs):
            x = refs.cell(group[0], qualified=False).replace("$", "")
            out.append((group, f'LEN({x})=0'))
        return out

    def evaluate(self, values: Mapping[str, Any]) -> Outcome:
        blank = [c for c in self.inputs if values.get(c) in (None, "")]
        return Outcome(len(blank), actual=blank, expected=[])

    counts_blanks = True

    def report(self, out: Outcome, place: Place, severity: Severity | None = None) -> Finding:
        """One finding for all the blank cells, at the first of them."""
        sheet, cell, row_label, col_label = place(out.actual[0])
        return self.finding(self.blank_message(out, cell), sheet=sheet, cell=cell, row_label=row_label,
                            col_label=col_label, expected=0, actual=len(out.actual), severity=severity)

    def blank_message(self, out: Outcome, first: str) -> str:
        """How many cells are blank; ``first``: where the first one is (A1)."""
        table = self.description.split("：")[0]
        return f"{table}有 {len(out.actual)} 个空白单元格（首个在 {first}），已按0计：无则请填0。"


@dataclass(frozen=True, kw_only=True)
class TextRequired(Rule):
    cell: str

    def cells(self) -> tuple[str, ...]:
        return (self.cell,)

    def formula(self, refs: Refs, qualified: bool = True) -> str:
        return f"IF(LEN(TRIM({refs.cell(self.cell, qualified)}))=0,1,0)"

    def evaluate(self, values: Mapping[str, Any]) -> Outcome:
        text = _text(values.get(self.cell))
        return Outcome(1 if text.strip(" ") == "" else 0, actual=text)

    def left_message(self, title: str) -> str:
        """The 提示 of a roll-up's empty text part, left for the office to write (rollupdraft.py)."""
        return f"汇总报告的文字部分（{title}）待本办填写。"


@dataclass(frozen=True, kw_only=True)
class TextMentions(Rule):
    cell: str
    needle: str

    def cells(self) -> tuple[str, ...]:
        return (self.cell,)

    def formula(self, refs: Refs, qualified: bool = True) -> str:
        return f'IF(ISNUMBER(SEARCH("{self.needle}",{refs.cell(self.cell, qualified)})),0,1)'

    def evaluate(self, values: Mapping[str, Any]) -> Outcome:
        text = _text(values.get(self.cell))
        return Outcome(0 if self.needle.lower() in text.lower() else 1, expected=self.needle)


@dataclass(frozen=True, kw_only=True)
class DateRequired(Rule):
    cell: str

    def cells(self) -> tuple[str, ...]:
        return (self.cell,)

    def formula(self, refs: Refs, qualified: bool = True) -> str:
        return f"IF(ISNUMBER({refs.cell(self.cell, qualified)}),0,1)"

    def evaluate(self, values: Mapping[str, Any]) -> Outcome:
        v = values.get(self.cell)
        return Outcome(0 if excel_serial(v) is not None else 1, actual=v)

    def left_message(self, title: str = "") -> str:
        """The 提示 of a roll-up's empty 成文日期, left for the office to write (rollupdraft.py)."""
        return "汇总报告的成文日期待本办填写。"

    def unreadable_finding(self, label: str, found: Any, why: str, **where: Any) -> Finding:
        """A date cell that holds something that is not a date (``why``: the value kind's reason)."""
        return self.finding(f"{self.description}：“{label}”填写的“{show(found)}”{why}，请填写日期（如2026年1月20日）。",
                            expected="日期", actual=found, **where)


def _kind_is(k: str, kinds: Sequence[str]) -> str:
    """An Excel condition: the kind cell ``k`` holds one of ``kinds``."""
    terms = [f'{k}="{x}"' for x in kinds]
    return terms[0] if len(terms) == 1 else "OR(" + ",".join(terms) + ")"


def _kind_of(values: Mapping[str, Any], cell: str) -> str:
    return _text(values.get(cell))


@dataclass(frozen=True)
class LateOutcome(Outcome):
    """A date's outcome with the deadline that applied and the kind of organ it was chosen by."""

    due: dt.date | None = None
    kind: str | None = None


@dataclass(frozen=True, kw_only=True)
class DateDeadline(Rule):
    """The date lies no later than the deadline of the organ's kind (``deadlines.py``) in the
    year after the report year; the rule covers the kinds in ``kinds`` (an empty or unknown kind
    counts as a department's, as ``deadlines.deadline`` says).

    The difference is the number of days late."""

    cell: str
    year_cell: str
    kind_cell: str
    kinds: tuple[str, ...]
    label: str  # the field's label, for the message

    def cells(self) -> tuple[str, ...]:
        return (self.cell, self.year_cell, self.kind_cell)

    def covers(self, kind: str) -> bool:
        return (kind if kind in ORGAN_KINDS else deadline(None).kind) in self.kinds

    def _condition(self, k: str) -> str:
        if deadline(None).kind in self.kinds:  # empty and unknown kinds are covered: exclude the others
            others = [x for x in ORGAN_KINDS if x not in self.kinds]
            return f"NOT({_kind_is(k, others)})" if others else "TRUE"
        return _kind_is(k, self.kinds)

    def _due(self, k: str, y: str) -> str:
        default = deadline(None) if deadline(None).kind in self.kinds else deadline(self.kinds[0])
        expr = f"DATE({y}+1,{default.month},{default.day})"
        for kind in self.kinds:
            d = deadline(kind)
            if (d.month, d.day) != (default.month, default.day):
                expr = f'IF({k}="{kind}",DATE({y}+1,{d.month},{d.day}),{expr})'
        return expr

    def formula(self, refs: Refs, qualified: bool = True) -> str:
        d = refs.cell(self.cell, qualified)
        y = refs.cell(self.year_cell, qualified)
        k = refs.cell(self.kind_cell, qualified)
        return (f"IF(AND(ISNUMBER({d}),ISNUMBER({y})),IF({self._condition(k)},"
                f"MAX(0,{d}-{self._due(k, y)}),0),0)")

    def due(self, values: Mapping[str, Any]) -> dt.date | None:
        """The deadline that applies to these values (None: the rule does not cover the kind)."""
        y = values.get(self.year_cell)
        kind = _kind_of(values, self.kind_cell)
        if isinstance(y, bool) or not isinstance(y, (int, float)) or not math.isfinite(y) or not self.covers(kind):
            return None
        if not dt.MINYEAR <= int(y) + 1 <= dt.MAXYEAR:
            return None  # an impossible year: the year's own rule reports it
        return deadline(kind).date_for(int(y))

    def evaluate(self, values: Mapping[str, Any]) -> Outcome:
        d = excel_serial(values.get(self.cell))
        due = self.due(values)
        if d is None or due is None:
            return Outcome(0)
        limit = excel_serial(due)
        assert limit is not None
        return LateOutcome(max(0.0, d - limit), actual=values.get(self.cell),
                           expected=f"{chinese_date(due)}前", due=due,
                           kind=_kind_of(values, self.kind_cell))

    def message(self, out: Outcome) -> str:
        """The date, the deadline that applies (with the kind of organ and its authority) and the
        days late: “成文日期2027年3月5日晚于公布时限2027年1月31日（县级以上人民政府部门，条例第四十九条），
        逾期33天。”"""
        if not isinstance(out, LateOutcome) or out.due is None:
            return super().message(out)
        date = out.actual
        shown = chinese_date(date) if isinstance(date, (dt.date, dt.datetime)) else str(date)
        d = deadline(out.kind)
        kind = out.kind if out.kind in ORGAN_KINDS else f"机关类别未选择，按{d.kind}"
        due = chinese_date(out.due)
        if d.statutory:
            return f"{self.label}{shown}晚于公布时限{due}（{kind}，{d.basis}），逾期{math.ceil(out.diff - 1e-9)}天。"
        return (f"{self.label}{shown}晚于通行的公布时限{due}（{kind}，条例未规定这类机关的期限，以本地要求为准），"
                f"晚{math.ceil(out.diff - 1e-9)}天。")

    def office_message(self, date: dt.date, due: str, kind: str | None) -> str:
        """The wording of a date later than the deadline a coordinating office set (``office/config.py``
        judges the date again against it)."""
        kind_text = f"（{kind}）" if kind else ""
        return f"成文日期{chinese_date(date)}晚于本办规定的期限{due}{kind_text}。"

    def office_finding(self, date: dt.date, due: str, kind: str | None, **where: Any) -> Finding:
        """The finding of a date later than an office's own deadline (``where``: sheet, cell, labels)."""
        return self.finding(self.office_message(date, due, kind), expected=f"{due}前", actual=date, **where)


@dataclass(frozen=True, kw_only=True)
class KindTextMentions(Rule):
    """For the organ kinds in ``kinds``: the text mentions every one of ``needles``.

    The difference is the number of needles missing (0 for other kinds).  The class keeps its name
    (not OrganKind...): a rule kind's class name is part of the declaration fingerprint
    (``forms.fingerprint``) that every template issued carries, and a new name would make ingest call
    every earlier template another version (``structure-version``)."""

    cell: str
    kind_cell: str
    kinds: tuple[str, ...]
    needles: tuple[str, ...]

    def cells(self) -> tuple[str, ...]:
        return (self.cell, self.kind_cell)

    def formula(self, refs: Refs, qualified: bool = True) -> str:
        t, k = refs.cell(self.cell, qualified), refs.cell(self.kind_cell, qualified)
        return self._formula(t, k)

    def _formula(self, t: str, k: str) -> str:
        missing = "+".join(f'IF(ISNUMBER(SEARCH("{n}",{t})),0,1)' for n in self.needles)
        return f"IF({_kind_is(k, self.kinds)},{missing},0)"

    def highlights(self, refs: Refs) -> list[tuple[tuple[str, ...], str]]:
        # Paint the text only; the kind sits on another sheet, named (Excel 2007 allows
        # other sheets in conditional formats only through defined names).
        t = refs.cell(self.cell, qualified=False)
        return [((self.cell,), f"{self._formula(t, self.kind_cell)}<>0")]

    def missing(self, values: Mapping[str, Any]) -> list[str]:
        if _kind_of(values, self.kind_cell) not in self.kinds:
            return []
        text = _text(values.get(self.cell)).lower()
        return [n for n in self.needles if n.lower() not in text]

    def evaluate(self, values: Mapping[str, Any]) -> Outcome:
        missing = self.missing(values)
        return Outcome(len(missing), actual=missing, expected=list(self.needles))


@dataclass(frozen=True, kw_only=True)
class YearInRange(Rule):
    cell: str
    first: int
    last: int

    def cells(self) -> tuple[str, ...]:
        return (self.cell,)

    def formula(self, refs: Refs, qualified: bool = True) -> str:
        y = refs.cell(self.cell, qualified)
        return f"IF(ISNUMBER({y}),IF(AND({y}>={self.first},{y}<={self.last},{y}=INT({y})),0,1),1)"

    def evaluate(self, values: Mapping[str, Any]) -> Outcome:
        y = values.get(self.cell)
        ok = (
            not isinstance(y, bool)
            and isinstance(y, (int, float))
            and self.first <= y <= self.last
            and float(y).is_integer()
        )
        return Outcome(0 if ok else 1, actual=y, expected=f"{self.first}–{self.last}")


@dataclass(frozen=True, kw_only=True)
class Linear(Rule):
    """sum(coef * cell) == 0, e.g. 本年上年结转 - 上年结转下年度 = 0.

    ``actual`` is the first term's value, ``expected`` what it should be."""

    terms: tuple[tuple[int, str], ...]

    def cells(self) -> tuple[str, ...]:
        return tuple(name for _, name in self.terms)

    def formula(self, refs: Refs, qualified: bool = True) -> str:
        out = ""
        for coef, name in self.terms:
            sign = "-" if coef < 0 else ("+" if out else "")
            factor = f"{abs(coef)}*" if abs(coef) != 1 else ""
            out += f"{sign}{factor}N({refs.cell(name, qualified)})"
        return out

    def evaluate(self, values: Mapping[str, Any]) -> Outcome:
        diff = sum(coef * num(values.get(name)) for coef, name in self.terms)
        (c0, first), rest = self.terms[0], self.terms[1:]
        expected = -sum(coef * num(values.get(name)) for coef, name in rest) / c0
        return Outcome(diff, num(values.get(first)), expected)


@dataclass(frozen=True, kw_only=True)
class Jump(Rule):
    """A headline figure changed by more than ``factor`` times against last year.

    Only figures of at least ``floor`` count, so 0 → 3 is not a jump."""

    cell: str
    other: str
    factor: float
    floor: float = 10

    live = False  # needs last year's figures, which the template does not carry

    def cells(self) -> tuple[str, ...]:
        return (self.cell, self.other)

    def formula(self, refs: Refs, qualified: bool = True) -> str:
        a, b = refs.cell(self.cell, qualified), refs.cell(self.other, qualified)
        big, small = f"MAX(N({a}),N({b}))", f"MAX(MIN(N({a}),N({b})),1)"
        return f"IF(AND({big}>={_n(self.floor)},{big}>{_n(self.factor)}*{small}),1,0)"

    def evaluate(self, values: Mapping[str, Any]) -> Outcome:
        a, b = num(values.get(self.cell)), num(values.get(self.other))
        big, small = max(a, b), max(min(a, b), 1)
        return Outcome(1 if big >= self.floor and big > self.factor * small else 0, actual=a, expected=b)


@dataclass(frozen=True, kw_only=True)
class TextSimilar(Rule):
    """A narrative part is identical or nearly identical to last year's (内容雷同)."""

    cell: str
    other: str
    threshold: float

    live = False  # similarity has no Excel 2007 formula

    def cells(self) -> tuple[str, ...]:
        return (self.cell, self.other)

    def formula(self, refs: Refs, qualified: bool = True) -> str:
        raise NotImplementedError("TextSimilar is evaluated when a workbook is read")

    def evaluate(self, values: Mapping[str, Any]) -> Outcome:
        import difflib

        a, b = (" ".join(_text(values.get(n)).split()) for n in (self.cell, self.other))
        if not a or not b:
            return Outcome(0)
        ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
        return Outcome(1 if ratio >= self.threshold else 0, actual=round(ratio, 3), expected=f"< {self.threshold}")

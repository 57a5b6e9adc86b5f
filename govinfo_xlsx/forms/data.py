"""Declaration-keyed data: the one place that nests and flattens it.

A workbook's values are keyed by defined name (``T3_new_natural``); reports,
JSON and last year's data use the declaration's nested keys
(``data["table3"]["new"]["natural"]``).  ``build_data`` nests, ``flat_values``
and ``flatten`` flatten, ``prior_values`` maps last year's data onto this year's
form as ``PRIOR_`` values.  Nothing else converts between the two shapes.

``with_totals`` computes the formula totals a mapping of values lacks, the way
the template's formulas compute them, so ``evaluate`` (a form's rules in Python)
gives what a spreadsheet shows after recalculation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from ..checks.findings import plain
from ..memo import per_object
from ..checks.rulekinds import Outcome, Rule, num
from . import get_form
from .model import Form, cell_index, info_name, prior_name, text_name


@dataclass(frozen=True)
class PriorData:
    """Last year's data (``--prior``): a filled workbook or ``ingest --json`` output, read."""

    path: Path
    form: str
    year: int | None
    agency: str
    data: dict[str, Any]

    def flat(self) -> dict[str, Any]:
        """Defined name -> value in last year's own form."""
        return flatten(get_form(self.form), self.data)


def flat_values(form: Form, data: dict[str, Any]) -> dict[str, Any]:
    """Defined name -> value of the table cells, the inverse of the nested ``data`` of a ValidationReport."""
    shape = _shape(form)
    out: dict[str, Any] = {}
    for b, rows in shape.table2:
        block = data["table2"][b]
        for r, cols in rows:
            row = block[r]
            out.update((name, row[c]) for c, name in cols)
    for key, table in (("table3", shape.table3), ("table4", shape.table4)):
        part = data[key]
        for r, cols in table:
            row = part[r]
            out.update((name, row[c]) for c, name in cols)
    return out


def flatten(form: Form, data: dict[str, Any]) -> dict[str, Any]:
    """Defined name -> value of every cell: the tables, the information and the text."""
    out = flat_values(form, data)
    out.update({info_name(k): v for k, v in data.get("info", {}).items()})
    out.update({text_name(k): v for k, v in data.get("text", {}).items()})
    return out


def prior_values(form: Form, last: PriorData) -> dict[str, Any]:
    """PRIOR_<name> for every cell of this year's form that last year's form also has."""
    flat = last.flat()
    return {prior_name(c.name): flat[c.name] for c in form.cells() if c.name in flat}


def build_data(form: Form, clean: dict[str, Any], unreadable: set[str] = frozenset()) -> dict[str, Any]:
    """The declaration-keyed data: blank table cells count 0, totals recomputed from the inputs.

    A table cell whose content could not be read as a number is None (and
    counts as nothing in the totals, as in the spreadsheet)."""
    shape = _shape(form)
    get = clean.get
    values = {name: (0 if v is None and in_table else v) for name, in_table in shape.inputs
              for v in (get(name),)}
    full = with_totals(form, values)
    get = full.get

    def cell(name: str) -> Any:
        if name in unreadable:
            return None
        v = get(name)
        return int(v) if type(v) is float and v.is_integer() else v  # whole(), without the call

    t2 = {b: {r: {c: cell(name) for c, name in cols} for r, cols in rows} for b, rows in shape.table2}
    t3 = {r: {c: cell(name) for c, name in cols} for r, cols in shape.table3}
    t4 = {g: {c: cell(name) for c, name in cols} for g, cols in shape.table4}
    info = {f.key: plain(full.get(info_name(f))) for f in form.info_fields}
    text = {f.key: full.get(text_name(f)) or "" for f in form.text_fields}
    return {"table2": t2, "table3": t3, "table4": t4, "info": info, "text": text}


@dataclass(frozen=True)
class _Shape:
    """The keys and cell names of a form's data, in order, worked out once per form."""

    inputs: tuple[tuple[str, bool], ...]  # (name, is a table cell) of every input
    table2: tuple[tuple[str, tuple[tuple[str, tuple[tuple[str, str], ...]], ...]], ...]
    table3: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    table4: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]


@per_object
def _shape(form: Form) -> _Shape:
    t3, t4 = form.table3, form.table4
    return _Shape(
        tuple((s.name, s.sheet.startswith("table")) for s in cell_index(form).values() if s.is_input),
        tuple((b.key, tuple((r.key, tuple((c.key, b.cell_name(r, c)) for c in b.columns)) for r in b.rows))
              for b in form.table2.blocks),
        tuple((r.key, tuple((c.key, t3.cell_name(r, c)) for c in t3.columns)) for r in t3.data_rows()),
        tuple((g.key, tuple((c.key, t4.cell_name(g, c)) for c in t4.columns)) for g in t4.groups))


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    outcome: Outcome

    @property
    def ok(self) -> bool:
        return self.outcome.ok


def with_totals(form: Form, values: Mapping[str, Any]) -> dict[str, Any]:
    """values plus every formula cell it lacks, computed as SUM of its parts."""
    out = dict(values)
    get = out.get
    for name, parts in _sums(form):
        if name not in out:
            out[name] = sum(map(num, map(get, parts)))  # iterated in C
    return out


@per_object
def _sums(form: Form) -> list[tuple[str, tuple[str, ...]]]:
    """The form's formula cells with their parts, each after the totals it sums (once per form)."""
    specs = cell_index(form)
    order: list[tuple[str, tuple[str, ...]]] = []
    done: set[str] = set()

    def visit(name: str) -> None:
        if name not in done:
            done.add(name)
            for p in specs[name].sum_of:
                visit(p)
            if specs[name].sum_of:
                order.append((name, specs[name].sum_of))

    for name, spec in specs.items():
        if spec.sum_of:
            visit(name)
    return order


def evaluate(form: Form, values: Mapping[str, Any]) -> list[RuleResult]:
    full = with_totals(form, values)
    return [RuleResult(rule, rule.evaluate(full)) for rule in form.rules]


def failed_ids(form: Form, values: Mapping[str, Any]) -> set[str]:
    return {r.rule.id for r in evaluate(form, values) if not r.ok}

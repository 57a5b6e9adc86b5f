"""Evaluate a form's rules in Python over a mapping of cell values.

``values`` maps defined names to what the cells hold (numbers, text, dates or
None).  Formula totals missing from ``values`` are computed the way the
template's formulas compute them, so the result equals what a spreadsheet
shows after recalculation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from .forms.model import Form, cell_index
from .rules import Outcome, Rule, num


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
    for name, parts in _sums(form):
        if name not in out:
            out[name] = sum(num(out.get(p)) for p in parts)
    return out


_SUMS: dict[int, tuple[Form, list[tuple[str, tuple[str, ...]]]]] = {}


def _sums(form: Form) -> list[tuple[str, tuple[str, ...]]]:
    """The form's formula cells with their parts, each after the totals it sums (once per form)."""
    hit = _SUMS.get(id(form))
    if hit is None or hit[0] is not form:
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
        hit = _SUMS[id(form)] = (form, order)
    return hit[1]


def evaluate(form: Form, values: Mapping[str, Any]) -> list[RuleResult]:
    full = with_totals(form, values)
    return [RuleResult(rule, rule.evaluate(full)) for rule in form.rules]


def failed_ids(form: Form, values: Mapping[str, Any]) -> set[str]:
    return {r.rule.id for r in evaluate(form, values) if not r.ok}

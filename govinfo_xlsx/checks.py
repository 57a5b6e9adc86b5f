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
    specs = cell_index(form)
    out = dict(values)

    def value(name: str) -> Any:
        if name not in out:
            spec = specs[name]
            out[name] = sum(num(value(p)) for p in spec.sum_of) if spec.sum_of else None
        return out[name]

    for name, spec in specs.items():
        if spec.sum_of:
            value(name)
    return out


def evaluate(form: Form, values: Mapping[str, Any]) -> list[RuleResult]:
    full = with_totals(form, values)
    return [RuleResult(rule, rule.evaluate(full)) for rule in form.rules]


def failed_ids(form: Form, values: Mapping[str, Any]) -> set[str]:
    return {r.rule.id for r in evaluate(form, values) if not r.ok}

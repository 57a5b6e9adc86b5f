"""Mutations that break one rule of a consistent data set (test helper)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fill import consistent_values

from govinfo_xlsx.forms.data import with_totals
from govinfo_xlsx.forms.model import Form
from govinfo_xlsx.forms.organs import deadline
from govinfo_xlsx.checks.rulekinds import (
    Balance, DateDeadline, DateRequired, InputsFilled, InputsValid, KindTextMentions, Rule, SumEquals, TextMentions,
    TextRequired,
    YearInRange,
)


def break_rule(form: Form, year: int, rule: Rule, base: dict[str, Any]) -> dict[str, Any]:
    """A copy of base in which ``rule`` fails (other rules may fail with it)."""
    v = dict(base)
    full = with_totals(form, base)
    if isinstance(rule, SumEquals):
        v[rule.target] = full[rule.target] + 1  # a total overwritten by a typed number
    elif isinstance(rule, Balance):
        cell = rule.lhs[0]
        v[cell] = full[cell] + 1
    elif isinstance(rule, InputsFilled):
        v[rule.inputs[-1]] = None
    elif isinstance(rule, InputsValid):
        kind = form.cell(rule.inputs[0]).kind
        # money: one decimal more than its kind keeps (1.005 for 元, 1.0000005 for 万元)
        v[rule.inputs[0]] = {"count": -1, "signed": 2.5, "money": 1 + 5 * 10 ** -(kind.decimals + 1)}[kind.key]
    elif isinstance(rule, TextRequired):
        v[rule.cell] = None
    elif isinstance(rule, TextMentions):
        v[rule.cell] = "本年度无其他需要报告的事项。"
    elif isinstance(rule, DateRequired):
        v[rule.cell] = "去年年底"
    elif isinstance(rule, DateDeadline):
        kind = rule.kinds[-1]  # for the statutory rule: a government, late after its 3月31日
        v[rule.kind_cell] = kind
        v[rule.cell] = dt.datetime.combine(deadline(kind).date_for(year), dt.time()) + dt.timedelta(days=9)
    elif isinstance(rule, KindTextMentions):
        v[rule.kind_cell] = rule.kinds[0]
        v[rule.cell] = f"本年度开展了{rule.needles[0]}。"
    elif isinstance(rule, YearInRange):
        v[rule.cell] = rule.first - 1
    else:  # pragma: no cover - a new rule kind needs a mutation here
        raise AssertionError(f"no mutation for {type(rule).__name__}")
    return v


def broken_cell(rule: Rule) -> str:
    """The defined name of the cell that ``break_rule`` changes, where a finding must point."""
    if isinstance(rule, InputsFilled):
        return rule.inputs[-1]
    if isinstance(rule, InputsValid):
        return rule.inputs[0]
    return rule.cells()[0]


def clerk_mistakes(form: Form, base: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Typical pasted values that data validation does not stop."""
    return {
        "unit-suffix": {**base, "T3_new_natural": "12件"},
        "full-width": {**base, "T4_review_upheld": "１２"},
        "fraction": {**base, "T3_granted_legal": 0.5},
        "blank-is-zero": {**base, "T3_granted_natural": None, "T3_new_natural": base["T3_new_natural"]
                          - base["T3_granted_natural"]},
        "empty-template": {"INFO_year": base["INFO_year"]},
    }


def scenarios(form: Form, year: int) -> dict[str, dict[str, Any]]:
    """The recalculation scenarios: the consistent data set, one mutation per rule, the clerk's mistakes."""
    base = consistent_values(form, year)
    out = {"consistent": base}
    out.update({f"rule-{r.id}": break_rule(form, year, r, base) for r in form.rules})
    out.update(clerk_mistakes(form, base))
    return out

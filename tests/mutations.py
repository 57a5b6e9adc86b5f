"""Mutations that break one rule of a consistent data set (test helper)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from govinfo_xlsx.forms.data import with_totals
from govinfo_xlsx.forms.model import Form
from govinfo_xlsx.rulekinds import (
    Balance, DateDeadline, DateRequired, InputsFilled, InputsValid, Rule, SumEquals, TextMentions, TextRequired,
    YearInRange,
)


def break_rule(form: Form, year: int, rule: Rule, base: dict[str, Any]) -> dict[str, Any]:
    """A copy of base in which ``rule`` fails (other rules may fail with it)."""
    v = dict(base)
    full = with_totals(form, base)
    specs = {c.name: c for c in form.cells()}
    if isinstance(rule, SumEquals):
        v[rule.target] = full[rule.target] + 1  # a total overwritten by a typed number
    elif isinstance(rule, Balance):
        cell = rule.lhs[0]
        v[cell] = full[cell] + 1
    elif isinstance(rule, InputsFilled):
        v[rule.inputs[-1]] = None
    elif isinstance(rule, InputsValid):
        v[rule.inputs[0]] = {"count": -1, "signed": 2.5, "money": 1.234}[specs[rule.inputs[0]].kind.key]
    elif isinstance(rule, TextRequired):
        v[rule.cell] = None
    elif isinstance(rule, TextMentions):
        v[rule.cell] = "本年度无其他需要报告的事项。"
    elif isinstance(rule, DateRequired):
        v[rule.cell] = "去年年底"
    elif isinstance(rule, DateDeadline):
        v[rule.cell] = dt.datetime(year + 1, 3, 1)
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

"""Rule kinds: every field required and named, each rule words its own finding."""

from __future__ import annotations

import dataclasses

import pytest

from govinfo_xlsx.checks import rulekinds
from govinfo_xlsx.checks.catalogue import entry
from govinfo_xlsx.checks.findings import Severity
from govinfo_xlsx.forms import all_forms

ORGAN_KINDS = [c for c in vars(rulekinds).values()
         if isinstance(c, type) and issubclass(c, rulekinds.Rule) and c is not rulekinds.Rule]


@pytest.mark.parametrize("kind", ORGAN_KINDS, ids=lambda k: k.__name__)
def test_rule_fields_are_named_and_required(kind):
    with pytest.raises(TypeError):
        kind("x", Severity.ERROR, "说明")  # positional arguments are refused
    with pytest.raises(TypeError):
        kind(id="x", severity=Severity.ERROR, description="说明")  # the kind's own fields are required
    optional = {f.name for f in dataclasses.fields(kind) if f.default is not dataclasses.MISSING}
    assert optional <= {"lhs_label", "rhs_label", "floor"}, optional


def test_every_declared_rule_kind_is_exercised():
    used = {type(r) for form in all_forms() for r in (*form.rules, *form.cross_year)}
    assert used == set(ORGAN_KINDS)


def test_a_rule_makes_its_own_finding():
    rule = rulekinds.SumEquals(id="t-total", severity=Severity.WARNING, description="总计=各项之和",
                           target="T", parts=("A", "B"))
    out = rule.evaluate({"T": 5, "A": 1, "B": 2})
    f = rule.finding(rule.message(out), sheet="表", cell="C3", expected=out.expected, actual=out.actual)
    assert (f.rule, f.severity, f.sheet, f.cell) == ("t-total", Severity.WARNING, "表", "C3")
    assert f.message == "总计=各项之和：总计为 5，各项之和为 3，总计多 2。"
    assert rule.anchor() == "T"
    assert rule.finding("x", severity=Severity.ERROR).severity is Severity.ERROR


def test_a_catalogue_entry_makes_its_own_finding():
    e = entry("collect-not-in-roster")
    f = e.finding(actual="某局")
    assert (f.rule, f.severity, f.sheet, f.cell) == ("collect-not-in-roster", e.severity, "", "")
    assert f.message == "“某局”不在名单中。"
    with pytest.raises(KeyError):
        entry("no-such-rule")


def test_a_rule_reports_at_its_anchor_wherever_the_workbook_has_it():
    place = {"T": ("表三", "J9", "（七）总计", "总计"), "A": ("表三", "D6", "一", "自然人"),
             "B": ("表三", "E6", "一", "商业企业")}.__getitem__
    total = rulekinds.SumEquals(id="t-total", severity=Severity.ERROR, description="总计=各项之和",
                                target="T", parts=("A", "B"))
    f = total.report(total.evaluate({"T": 4, "A": 1, "B": 2}), place)
    assert (f.sheet, f.cell, f.row_label, f.col_label) == ("表三", "J9", "（七）总计", "总计")
    blank = rulekinds.InputsFilled(id="t-blank", severity=Severity.INFO, description="表三：空白单元格按0计",
                                   inputs=("A", "B"))
    f = blank.report(blank.evaluate({"A": None, "B": None}), place, Severity.ERROR)
    assert (f.cell, f.severity, f.actual) == ("D6", Severity.ERROR, 2)
    assert f.message == "表三有 2 个空白单元格（首个在 D6），已按0计：无则请填0。"
    assert blank.counts_blanks and not total.counts_blanks

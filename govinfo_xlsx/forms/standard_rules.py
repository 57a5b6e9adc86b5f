"""The rules every format carries, derived from its tables and fields.

Rule IDs are stable: they appear in the workbook's checks sheet, in findings
and in the generated catalogue.  Never reuse or rename one.
"""

from __future__ import annotations

import dataclasses
import re

from ..checks.rulekinds import (
    Balance, DateDeadline, DateRequired, InputsFilled, InputsValid, KindTextMentions, Rule, SumEquals,
    TextMentions, TextRequired, YearInRange,
)
from .crossyear import cross_year_rules, kebab
from ..checks.findings import Severity
from .valuekinds import COUNT, DATE, YEAR, ValueKind
from .model import Form, info_name, prior_name, table2_cells, text_name
from .organs import AUTHORISED, DEPARTMENT, GOVERNMENT, GOVERNMENT_ORGAN_KINDS, TOWNSHIP, deadline

E = Severity.ERROR
W = Severity.WARNING
INFO = Severity.INFO

RULE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


# Upper bound of the report year accepted by a format that is still in force.
OPEN_END_YEAR = 2100


def table2_rules(form: Form) -> list[Rule]:
    by_kind: dict[str, tuple[ValueKind, list[str]]] = {}
    for c in table2_cells(form.table2):
        by_kind.setdefault(c.kind.key, (c.kind, []))[1].append(c.name)
    rules: list[Rule] = [
        InputsValid(id=f"t2-inputs-{key}", severity=E, description=f"表二：{kind.noun}应填{kind.should_be}",
                    inputs=tuple(names), kind=kind)
        for key, (kind, names) in by_kind.items()
    ]
    rules.append(blank_rule("t2", "表二", [n for _, names in by_kind.values() for n in names]))
    return rules


def blank_rule(prefix: str, table: str, inputs: list[str]) -> Rule:
    return InputsFilled(id=f"{prefix}-blank", severity=INFO, description=f"{table}：空白单元格按0计，无则请填0", inputs=tuple(inputs))


def table3_rules(form: Form) -> list[Rule]:
    t = form.table3
    rules: list[Rule] = []
    inputs = [
        t.cell_name(r, c)
        for r in t.data_rows() if r is not t.results_total
        for c in t.input_columns
    ]
    rules.append(InputsValid(id="t3-inputs", severity=E, description="表三：填报单元格应为不小于0的整数", inputs=tuple(inputs), kind=COUNT))
    rules.append(blank_rule("t3", "表三", inputs))
    (new, carried), carry = t.head_rows, t.tail_rows[0]
    for c in t.columns:
        rules.append(Balance(
            id=f"t3-balance-{kebab(c.key)}", severity=E,
            description=f"表三“{c.label}”列勾稽关系：一（本年新收）+二（上年结转）=三（七）总计+四（结转下年度继续办理）",
            lhs=(t.cell_name(new, c), t.cell_name(carried, c)),
            rhs=(t.cell_name(t.results_total, c), t.cell_name(carry, c)),
            lhs_label="一+二", rhs_label="三（七）+四",
        ))
    result_keys = [r.key for r in t.result_rows()]
    for c in t.columns:
        rules.append(SumEquals(
            id=f"t3-results-total-{kebab(c.key)}", severity=E,
            description=f"表三“{c.label}”列：（七）总计=（一）至（六）各项之和",
            target=t.cell_name(t.results_total, c),
            parts=tuple(t.cell_name(k, c) for k in result_keys),
        ))
    for r in t.data_rows():
        rules.append(SumEquals(
            id=f"t3-row-total-{kebab(r.key)}", severity=E,
            description=f"表三“{r.label}”行：总计=自然人与法人或其他组织各列之和",
            target=t.cell_name(r, t.total_column),
            parts=tuple(t.cell_name(r, c) for c in t.input_columns),
        ))
    return rules


def table4_rules(form: Form) -> list[Rule]:
    t = form.table4
    inputs = tuple(t.cell_name(g, c) for g in t.groups for c in t.columns[:-1])
    rules: list[Rule] = [InputsValid(id="t4-inputs", severity=E, description="表四：填报单元格应为不小于0的整数", inputs=inputs, kind=COUNT),
                         blank_rule("t4", "表四", list(inputs))]
    parts_label = "、".join(c.label for c in t.columns[:-1])
    for g in t.groups:
        rules.append(SumEquals(
            id=f"t4-total-{kebab(g.key)}", severity=E, description=f"表四“{g.label}”：总计={parts_label}之和",
            target=t.cell_name(g, t.total_column),
            parts=tuple(t.cell_name(g, c) for c in t.columns[:-1]),
        ))
    return rules


def info_rules(form: Form) -> list[Rule]:
    rules: list[Rule] = []
    last = form.last_year or OPEN_END_YEAR
    for f in form.info_fields:
        name = info_name(f)
        if f.kind == YEAR:
            span = f"{form.first_year}—{form.last_year}年" if form.last_year else f"{form.first_year}年起"
            rules.append(YearInRange(
                id=f"info-{kebab(f.key)}", severity=E, description=f"基本信息“{f.label}”应为本格式适用的年度（{span}）",
                cell=name, first=form.first_year, last=last,
            ))
        elif f.kind == DATE:
            rules.append(DateRequired(id=f"info-{kebab(f.key)}", severity=E, description=f"基本信息“{f.label}”应填写日期", cell=name))
            rules += deadline_rules(form, f.key, f.label)
        elif f.required is not None:
            rules.append(TextRequired(id=f"info-{kebab(f.key)}", severity=f.required, description=f"基本信息“{f.label}”应填写", cell=name))
    return rules


def deadline_rules(form: Form, key: str, label: str) -> list[Rule]:
    """The publication deadline by kind of organ (``forms.organs``): the statutory dates of
    条例第四十九条 at 警告, the usual local practice for the kinds it names no date for at 提示."""
    out: list[Rule] = []
    for rule_id, kinds in ((f"info-{kebab(key)}-deadline", (DEPARTMENT, GOVERNMENT)),
                           (f"info-{kebab(key)}-deadline-local", (TOWNSHIP, AUTHORISED))):
        dues = [deadline(k) for k in kinds]
        severities = {d.severity for d in dues}
        assert len(severities) == 1, "one rule, one severity"
        by_date: dict[str, list[str]] = {}
        for d in dues:
            by_date.setdefault(d.text(), []).append(d.kind)
        when = "；".join(f"{'和'.join(ks)}{date}前" for date, ks in by_date.items())
        if all(d.statutory for d in dues):
            text = f"基本信息“{label}”应不晚于公布时限：{when}（条例第四十九条）"
        else:
            text = (f"基本信息“{label}”宜不晚于{when}（条例未规定这类机关的期限，按通行做法提示，"
                    "以本地要求为准）")
        out.append(DateDeadline(id=rule_id, severity=Severity(next(iter(severities))), description=text,
                                cell=info_name(key), year_cell=info_name("year"), kind_cell=info_name("kind"),
                                kinds=kinds, label=label))
    return out


def government_results(form: Form, key: str = "part1_supervision") -> Rule:
    """条例第五十条第（四）项: governments' reports cover 工作考核、社会评议和责任追究结果情况
    (the 2021 format places it under 总体情况/监督保障)."""
    needles = ("工作考核", "社会评议", "责任追究")
    return KindTextMentions(
        id=f"text-{kebab(key)}-government", severity=W,
        description=f"各级人民政府（机关类别为{'或'.join(f'“{k}”' for k in GOVERNMENT_ORGAN_KINDS)}）的报告：文字部分“{form.text_title(key)}”"
        f"应说明{'、'.join(needles)}结果情况（条例第五十条第（四）项），须提及“{'”“'.join(needles)}”",
        cell=text_name(key), kind_cell=info_name("kind"), kinds=GOVERNMENT_ORGAN_KINDS, needles=needles,
    )


def text_rules(form: Form) -> list[Rule]:
    rules: list[Rule] = []
    for f in form.text_fields:
        if f.required is None:
            continue
        rules.append(TextRequired(
            id=f"text-{kebab(f.key)}", severity=f.required, description=f"文字部分“{form.text_title(f.key)}”应填写", cell=text_name(f),
        ))
    return rules


def standard_rules(form: Form, extra: tuple[Rule, ...] = ()) -> Form:
    """Return the form with its full rule set attached."""
    rules = [*table2_rules(form), *table3_rules(form), *table4_rules(form),
             *info_rules(form), *text_rules(form), government_results(form), *extra]
    ids = [r.id for r in rules]
    bad = [i for i in ids if not RULE_ID.match(i)]
    if bad:
        raise ValueError(f"rule ids must be kebab-case: {bad}")
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise ValueError(f"duplicate rule ids: {sorted(dupes)}")
    cross = cross_year_rules(form)
    known = {c.name for c in form.cells()}
    known |= {prior_name(n) for n in known}
    for r in (*rules, *cross):
        missing = set(r.cells()) - known
        if missing:
            raise ValueError(f"rule {r.id} names unknown cells {sorted(missing)}")
    ids = [r.id for r in (*rules, *cross)]
    if len(ids) != len(set(ids)) or not all(RULE_ID.match(i) for i in ids):
        raise ValueError("cross-year rule ids must be unique and kebab-case")
    return dataclasses.replace(form, rules=tuple(rules), cross_year=cross)


def fee_mention(form_text_key: str = "part6") -> Rule:
    """2021 format: 其他需要报告的事项 reports the 信息处理费 collected."""
    return TextMentions(
        id="text-part6-fee", severity=W,
        description="文字部分“六、其他需要报告的事项”应说明收取信息处理费的情况（提及“信息处理费”）",
        cell=text_name(form_text_key), needle="信息处理费",
    )

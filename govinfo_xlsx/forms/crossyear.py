"""Cross-year rules: this year's workbook against last year's data.

Last year's values enter the rules under the names ``PRIOR_<name>``: the value
that cell ``<name>`` had in last year's data, when last year's format has that
cell.  A rule whose PRIOR_ cells last year's format lacks (e.g. 现行有效件数
before 2021) is not applied, and the template says so.
"""

from __future__ import annotations

from ..checks.rulekinds import Jump, Linear, Rule, TextSimilar
from ..checks.findings import Severity
from .model import PRIOR, Form, prior_name, text_name

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

JUMP_FACTOR = 5
SAME_TEXT = 0.9


def applicable(rules: tuple[Rule, ...], available: set[str]) -> list[Rule]:
    """The rules whose PRIOR_ cells are all available."""
    return [r for r in rules if all(n in available for n in r.cells() if n.startswith(PRIOR))]


def live_cross_year(form: Form, prior_names: frozenset[str]) -> tuple[Rule, ...]:
    """The cross-year rules the template can show live with the given PRIOR_ values."""
    return tuple(r for r in applicable(form.cross_year, set(prior_names)) if r.live)


def kebab(key: str) -> str:
    return key.replace("_", "-")


def cross_year_rules(form: Form) -> tuple[Rule, ...]:
    t3 = form.table3
    carried, carry = t3.head_rows[1], t3.tail_rows[0]
    rules: list[Rule] = [
        Linear(id=f"xy-carried-over-{kebab(c.key)}", severity=E,
               description=f"表三“{c.label}”列：本年“{carried.label}”应等于上年报告的“{carry.label}”",
               terms=((1, t3.cell_name(carried, c)), (-1, prior_name(t3.cell_name(carry, c)))))
        for c in t3.columns
    ]
    for b in form.table2.blocks:
        cols = {c.key: c for c in b.columns}
        for r in b.rows:
            if {"issued", "repealed", "in_force"} <= set(cols):
                rules.append(Linear(
                    id=f"xy-in-force-{kebab(r.key)}", severity=W,
                    description=f"表二“{r.label}”：{cols['in_force'].label}应等于上年{cols['in_force'].label}"
                    f"加{cols['issued'].label}减{cols['repealed'].label}（修改、失效等可能造成合理差异）",
                    terms=((1, b.cell_name(r, "in_force")), (-1, prior_name(b.cell_name(r, "in_force"))),
                           (-1, b.cell_name(r, "issued")), (1, b.cell_name(r, "repealed"))),
                ))
            if {"prev_count", "change"} <= set(cols):
                rules.append(Linear(
                    id=f"xy-prev-count-{kebab(r.key)}", severity=W,
                    description=f"表二“{r.label}”：{cols['prev_count'].label}应等于上年报告的{cols['prev_count'].label}"
                    f"加{cols['change'].label}",
                    terms=((1, b.cell_name(r, "prev_count")), (-1, prior_name(b.cell_name(r, "prev_count"))),
                           (-1, prior_name(b.cell_name(r, "change")))),
                ))
    headline = [t3.cell_name(t3.head_rows[0], "total"), t3.cell_name(t3.results_total, "total")]
    headline += [form.table4.cell_name(g, "total") for g in form.table4.groups]
    headline += [b.cell_name(r, c) for b in form.table2.blocks for r in b.rows for c in b.columns
                 if c.key == "decisions"]
    labels = {c.name: f"{c.row_label}／{c.col_label}" for c in form.cells()}
    for name in headline:
        rules.append(Jump(
            id=f"xy-jump-{kebab(name.lower())}", severity=INFO,
            description=f"“{labels[name]}”与上年相比变化超过{JUMP_FACTOR}倍，请核实",
            cell=name, other=prior_name(name), factor=JUMP_FACTOR,
        ))
    for f in form.text_fields:
        if f.required is None:
            continue
        rules.append(TextSimilar(
            id=f"xy-same-text-{kebab(f.key)}", severity=W,
            description=f"文字部分“{form.text_title(f.key)}”与上年报告相同或几乎相同（内容雷同）",
            cell=text_name(f), other=prior_name(text_name(f)), threshold=SAME_TEXT,
        ))
    return tuple(rules)

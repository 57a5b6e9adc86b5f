"""The declarations match the statutory reference and the data-key contract."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import statutory_labels

from govinfo_xlsx.errors import GovinfoError
from govinfo_xlsx.forms import form_for_year, get_form, parse_report_year
from govinfo_xlsx.forms.model import table2_cells


def _table3_labels(form) -> list[str]:
    t = form.table3
    out = [r.label for r in t.head_rows] + [t.results_label]
    for g in t.results:
        out.append(g.label)
        out.extend(r.label for r in g.rows)
    out.append(t.results_total.label)
    out.extend(r.label for r in t.tail_rows)
    return out


def test_table3_2021_labels_equal_the_reference_verbatim():
    assert _table3_labels(get_form("gov-2021")) == statutory_labels()["table3_row_labels_2021"]


def test_table3_2019_differs_only_in_a_single_other_row():
    labels = statutory_labels()
    only_2021 = labels["table3_rows_only_in_2021"]
    assert only_2021 and set(only_2021) <= set(labels["table3_row_labels_2021"])
    expected = [x for x in labels["table3_row_labels_2021"] if x not in only_2021]
    assert _table3_labels(get_form("gov-2019")) == expected


@pytest.mark.parametrize("form_id", ["gov-2019", "gov-2021"])
def test_table2_blocks_equal_the_reference(form_id):
    form = get_form(form_id)
    got = [{"caption": b.caption, "columns": [c.label for c in b.columns], "rows": [r.label for r in b.rows]}
           for b in form.table2.blocks]
    assert got == statutory_labels()["table2_blocks"][form_id]


def test_table2_cell_counts():
    assert len(list(table2_cells(get_form("gov-2019").table2))) == 22
    assert len(list(table2_cells(get_form("gov-2021").table2))) == 10


def test_data_keys_contract():
    f19, f21 = get_form("gov-2019"), get_form("gov-2021")
    for f in (f19, f21):
        assert [c.key for c in f.table3.columns] == [
            "natural", "commercial", "research", "social", "legal", "other_org", "total"]
        assert [g.key for g in f.table4.groups] == ["review", "suit_direct", "suit_after_review"]
        assert [c.key for c in f.table4.columns] == ["upheld", "corrected", "other", "pending", "total"]
    common = (["new", "carried_over", "granted", "partial"] + [f"denied_{i}" for i in range(1, 9)]
              + [f"unable_{i}" for i in range(1, 4)] + [f"not_processed_{i}" for i in range(1, 6)])
    assert [r.key for r in f19.table3.data_rows()] == common + ["other", "total", "carry_forward"]
    assert [r.key for r in f21.table3.data_rows()] == common + ["other_1", "other_2", "other_3", "total",
                                                                  "carry_forward"]
    assert len(f19.table3.data_rows()) == 23 and len(f21.table3.data_rows()) == 25
    assert [b.key for b in f19.table2.blocks] == ["art20_1", "art20_5", "art20_6", "art20_8", "art20_9"]
    assert [b.key for b in f21.table2.blocks] == ["art20_1", "art20_5", "art20_6", "art20_8"]
    names19 = {c.name for c in f19.cells()}
    assert {"T2_art20_5_other_services_change", "T2_art20_9_procurement_amount",
            "T2_art20_1_rules_total_public"} <= names19
    names21 = {c.name for c in f21.cells()}
    assert {"T2_art20_1_rules_issued", "T2_art20_8_fees_amount", "T2_art20_1_normative_in_force",
            "T3_other_3_natural", "T4_suit_after_review_total", "INFO_agency", "INFO_year",
            "INFO_date"} <= names21
    def t2_columns(f):
        return {c.key for b in f.table2.blocks for c in b.columns}

    assert t2_columns(f19) == {"made", "published", "total_public", "prev_count", "change", "decisions",
                               "projects", "amount"}
    assert t2_columns(f21) == {"issued", "repealed", "in_force", "decisions", "amount"}
    assert {r.key for b in f19.table2.blocks for r in b.rows} == {
        "rules", "normative", "licensing", "other_services", "penalty", "coercion", "fees", "procurement"}


def test_input_kinds_and_units():
    f19, f21 = get_form("gov-2019"), get_form("gov-2021")
    assert f21.cell("T2_art20_8_fees_amount").kind.key == "money"
    assert "万元" in f21.cell("T2_art20_8_fees_amount").col_label
    amount19 = f19.cell("T2_art20_9_procurement_amount")
    assert amount19.kind.key == "money" and "元" in amount19.kind.message and "元" not in amount19.col_label
    assert f19.cell("T2_art20_5_licensing_change").kind.minimum < 0
    assert f21.cell("T3_new_natural").kind.minimum == 0


def test_totals_are_formulas_and_everything_else_is_input():
    f = get_form("gov-2021")
    totals = {c.name for c in f.cells() if not c.is_input}
    assert "T3_new_total" in totals and "T3_total_natural" in totals and "T4_review_total" in totals
    assert "T3_carry_forward_natural" not in totals
    assert len(totals) == 25 + 6 + 3  # the 总计 column, the （七）总计 row, table 四


def test_rule_ids_are_unique_and_stable():
    for form_id in ("gov-2019", "gov-2021"):
        ids = [r.id for r in get_form(form_id).rules]
        assert len(ids) == len(set(ids))
        assert "t3-balance-natural" in ids and "t4-total-review" in ids
    assert "text-part6-fee" in [r.id for r in get_form("gov-2021").rules]
    assert "text-part6-fee" not in [r.id for r in get_form("gov-2019").rules]


@pytest.mark.parametrize("year,form_id", [(2019, "gov-2019"), (2020, "gov-2019"), (2021, "gov-2021"),
                                          (2026, "gov-2021")])
def test_year_selects_format(year, form_id):
    assert form_for_year(year).id == form_id


@pytest.mark.parametrize("text", ["2018", "abc", "２０２５", "2029", "", "20.5"])
def test_bad_years_are_refused(text):
    import datetime as dt

    with pytest.raises(GovinfoError):
        parse_report_year(text, today=dt.date(2026, 11, 27))


def test_next_year_is_allowed():
    import datetime as dt

    assert parse_report_year("2027", today=dt.date(2026, 11, 27)) == 2027


def test_nothing_reads_outside_the_repository():
    """A clone without ../shared beside it runs its tests: no code or test names the shared folder."""
    from conftest import ROOT

    offenders = [
        str(p.relative_to(ROOT)) for d in ("govinfo_xlsx", "tests", "scripts") for p in (ROOT / d).rglob("*")
        if p.suffix in (".py", ".sh") and p != Path(__file__) and re.search(r"\.\./shared|parent\s*/\s*\"shared\"|shared/reference",
                                                     p.read_text(encoding="utf-8"))
    ]
    assert offenders == []

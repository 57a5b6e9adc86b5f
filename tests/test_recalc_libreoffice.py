"""The template's live checks agree with the Python rules after a real recalculation.

Filled workbooks (a consistent data set, then one mutation per rule and a few
typical clerk mistakes) are opened and recalculated by LibreOffice headless;
the checks sheet it computes must fail exactly the rules that the Python
evaluation fails.  In CI these tests fail when LibreOffice is missing.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import CASES, require_libreoffice
from libreoffice import read_checks_csv, recalc_checks

from govinfo_xlsx.forms.data import failed_ids, with_totals
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.template.writer import FAILED, PASSED

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def recalculated(scenario_books, tmp_path_factory):
    """{form id: {scenario: (values, {rule id: (diff, result)}, CHECK_FAILED)}} from one LibreOffice run
    (each workbook's checks sheet as LibreOffice computed it, saved as CSV)."""
    require_libreoffice()
    outs = recalc_checks([book for _, _, _, book in scenario_books], tmp_path_factory.mktemp("recalc") / "out")
    results: dict[str, dict[str, Any]] = {}
    for (form_id, name, values, book), out in zip(scenario_books, outs):
        rows, check_failed = read_checks_csv(out, book)
        results.setdefault(form_id, {})[name] = (values, rows, check_failed)
    return results


def _check(form_id: str, scenario: str, recalculated) -> set[str]:
    form = form_for_year(dict(CASES)[form_id])
    values, rows, check_failed = recalculated[form_id][scenario]
    assert set(rows) == {r.id for r in form.rules}
    assert {res for _, res in rows.values()} <= {PASSED, FAILED}, rows
    lo_failed = {rid for rid, (_, res) in rows.items() if res == FAILED}
    py_failed = failed_ids(form, values)
    assert lo_failed == py_failed, (scenario, lo_failed ^ py_failed)
    assert check_failed == len(lo_failed)
    return lo_failed


@pytest.mark.parametrize("form_id", [c[0] for c in CASES])
def test_consistent_data_passes_every_check(form_id, recalculated):
    assert _check(form_id, "consistent", recalculated) == set()


@pytest.mark.parametrize(
    "form_id,rule_id",
    [(fid, r.id) for fid, year in CASES for r in form_for_year(year).rules],
)
def test_each_broken_rule_is_reported_by_the_spreadsheet_and_by_python(form_id, rule_id, recalculated):
    failed = _check(form_id, f"rule-{rule_id}", recalculated)
    assert rule_id in failed
    # The spreadsheet's difference equals the Python one for the broken rule.
    form = form_for_year(dict(CASES)[form_id])
    values, rows, _ = recalculated[form_id][f"rule-{rule_id}"]
    rule = next(r for r in form.rules if r.id == rule_id)
    assert rows[rule_id][0] == pytest.approx(rule.evaluate(with_totals(form, values)).diff)


@pytest.mark.parametrize("form_id", [c[0] for c in CASES])
@pytest.mark.parametrize("scenario,expected", [
    ("unit-suffix", {"t3-inputs", "t3-balance-natural", "t3-balance-total"}),
    ("full-width", {"t4-inputs"}),
    ("fraction", {"t3-inputs", "t3-balance-legal", "t3-balance-total"}),
    ("blank-is-zero", {"t3-blank"}),
])
def test_clerk_mistakes(form_id, scenario, expected, recalculated):
    assert _check(form_id, scenario, recalculated) == expected


@pytest.mark.parametrize("form_id", [c[0] for c in CASES])
def test_empty_template_reports_blanks_and_missing_text_only(form_id, recalculated):
    failed = _check(form_id, "empty-template", recalculated)
    assert {"t2-blank", "t3-blank", "t4-blank", "info-agency", "text-part5"} <= failed
    assert all(f.startswith(("info-", "text-")) or f.endswith("-blank") for f in failed), failed

"""A second spreadsheet engine: Gnumeric recalculates the same workbooks as the LibreOffice tests
(a consistent data set, one mutation per rule, typical clerk mistakes) and must agree with the
Python rules on every one, so the formulas do not depend on one engine's leniency.
In CI these tests fail when Gnumeric (ssconvert) is missing."""

from __future__ import annotations

import zipfile
from typing import Any

import pytest
from conftest import CASES, require_gnumeric
from gnumeric import recalc
from libreoffice import read_checks
from mutations import scenarios
from resaved import assert_reads_as_filled, filled_as_sent

from govinfo_xlsx.forms.data import failed_ids, with_totals
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.template.writer import FAILED, PASSED

pytestmark = pytest.mark.gnumeric


@pytest.fixture(scope="module")
def recalculated(scenario_books, tmp_path_factory):
    """{form id: {scenario: (values, {rule id: (diff, result)}, CHECK_FAILED, the workbook as filled, as
    Gnumeric saved it)}}."""
    require_gnumeric()
    outs = recalc([book for _, _, _, book in scenario_books], tmp_path_factory.mktemp("gnumeric") / "out")
    results: dict[str, dict[str, Any]] = {}
    for (form_id, name, values, filled), out in zip(scenario_books, outs):
        rows, check_failed = read_checks(out)
        results.setdefault(form_id, {})[name] = (values, rows, check_failed, filled, out)
    return results


def _scenario_ids() -> list[tuple[str, str]]:
    return [(fid, name) for fid, year in CASES for name in scenarios(form_for_year(year), year)]


@pytest.mark.parametrize("form_id,scenario", _scenario_ids())
def test_gnumeric_agrees_with_python(form_id, scenario, recalculated):
    form = form_for_year(dict(CASES)[form_id])
    values, rows, check_failed, _, _ = recalculated[form_id][scenario]
    assert set(rows) == {r.id for r in form.rules}
    assert {res for _, res in rows.values()} <= {PASSED, FAILED}, rows
    gnumeric_failed = {rid for rid, (_, res) in rows.items() if res == FAILED}
    assert gnumeric_failed == failed_ids(form, values), gnumeric_failed ^ failed_ids(form, values)
    assert check_failed == len(gnumeric_failed)
    full = with_totals(form, values)
    for rule in form.rules:  # every rule's difference, not only pass or fail
        assert rows[rule.id][0] == pytest.approx(rule.evaluate(full).diff), rule.id
    if scenario.startswith("rule-"):
        assert scenario[len("rule-"):] in gnumeric_failed


def test_missing_gnumeric_fails_in_ci(monkeypatch):
    """On a developer machine without Gnumeric these tests skip; in CI they fail."""
    import conftest

    monkeypatch.setattr(conftest, "ssconvert", lambda: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="ssconvert"):
        conftest.require_gnumeric()
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        conftest.require_gnumeric()


@pytest.mark.parametrize("form_id,scenario", _scenario_ids())
def test_a_workbook_saved_by_gnumeric_reads_as_it_was_filled(form_id, scenario, recalculated):
    """Another program's save (Gnumeric pretty-prints the XML and has no very hidden sheets): the
    form is recognised, the data and findings are those of the workbook as it was filled."""
    _, _, _, filled, saved = recalculated[form_id][scenario]
    assert_reads_as_filled(filled, saved, form_id)


@pytest.mark.parametrize("form_id,year", CASES, ids=[c[0] for c in CASES])
def test_the_template_as_sent_filled_and_saved_by_gnumeric(tmp_path, form_id, year):
    """The workbook as make-template writes it, filled and saved by Gnumeric (which keeps its custom
    properties but pretty-prints them), is recognised by its custom property and reads as filled."""
    require_gnumeric()
    filled = filled_as_sent(year, tmp_path)
    saved = recalc([filled], tmp_path / "out")[0]
    assert b"govinfo_form_id" in zipfile.ZipFile(saved).read("docProps/custom.xml")
    found = assert_reads_as_filled(filled, saved, form_id)
    assert any("balance" in rule for rule, _, _ in found)

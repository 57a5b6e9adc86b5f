"""ingest against LibreOffice: round trip through a real save, agreement on generated data, real .xls."""

from __future__ import annotations


import pytest
from conftest import CASES, require_libreoffice
from fill import consistent_values, fill
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from libreoffice import convert, failed_checks
from resaved import assert_reads_as_filled, filled_as_sent

from govinfo_xlsx.cli import ingest_main
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.ingest import ingest
from govinfo_xlsx.writer import write_template

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    require_libreoffice()
    d = tmp_path_factory.mktemp("tpl")
    return {fid: write_template(form_for_year(y), y, d / f"{fid}.xlsx") for fid, y in CASES}


@pytest.mark.parametrize("form_id,year", CASES, ids=[c[0] for c in CASES])
def test_round_trip_through_a_libreoffice_save(templates, tmp_path, form_id, year):
    form = form_for_year(year)
    values = consistent_values(form, year)
    values["T3_granted_natural"] = None  # one blank cell survives the save as blank
    values["T3_new_natural"] -= consistent_values(form, year)["T3_granted_natural"]
    (tmp_path / "in").mkdir()
    filled = fill(templates[form_id], values, tmp_path / "in" / "filled.xlsx")
    saved = convert([filled], tmp_path / "out")[0]
    direct, through = ingest(filled), ingest(saved)
    assert through.data == direct.data
    assert [(f.rule, f.cell) for f in through.findings] == [(f.rule, f.cell) for f in direct.findings] == [
        ("t3-blank", "D8")]
    assert through.data["table3"]["new"]["natural"] == values["T3_new_natural"]


@pytest.mark.parametrize("form_id,year", CASES, ids=[c[0] for c in CASES])
def test_the_template_as_sent_saved_by_libreoffice(templates, tmp_path, form_id, year):
    """The workbook as make-template writes it, filled and saved by LibreOffice, reads as it was filled."""
    filled = filled_as_sent(year, tmp_path)
    found = assert_reads_as_filled(filled, convert([filled], tmp_path / "out")[0], form_id)
    assert any("balance" in rule for rule, _, _ in found)


cell_values = st.one_of(
    st.integers(min_value=0, max_value=30),
    st.integers(min_value=0, max_value=30),
    st.none(),
    st.integers(min_value=-5, max_value=-1),
    st.sampled_from([0.5, 2.25, 10**9]),
)


@pytest.mark.parametrize("form_id,year", CASES, ids=[c[0] for c in CASES])
@settings(max_examples=12, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_ingest_and_the_spreadsheet_fail_the_same_rules(templates, tmp_path_factory, form_id, year, data):
    form = form_for_year(year)
    values = consistent_values(form, year)
    names = sorted(n for n in values if n[:3] in ("T2_", "T3_", "T4_"))
    changed = data.draw(st.lists(st.sampled_from(names), min_size=0, max_size=8, unique=True))
    for name in changed:
        v = data.draw(cell_values)
        values[name] = -v if (isinstance(v, int) and v > 0 and "change" in name and v % 2) else v
    tmp = tmp_path_factory.mktemp("agree")
    filled = fill(templates[form_id], values, tmp / "filled.xlsx")
    lo = failed_checks(convert([filled], tmp / "out")[0])
    declared = {r.id for r in form.rules}
    reported = {f.rule for f in ingest(filled).findings if f.rule in declared}
    assert reported == lo, (changed, reported ^ lo)


def test_an_old_xls_is_refused(templates, tmp_path, capsys):
    xls = convert([templates["gov-2021"]], tmp_path, "xls")[0]
    before = xls.read_bytes()
    assert ingest_main([str(xls)]) == 2
    assert ".xls" in capsys.readouterr().err and xls.read_bytes() == before

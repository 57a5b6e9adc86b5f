"""ingest against LibreOffice: round trip through a real save, agreement on generated data, real .xls."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CASES, require_libreoffice
from fill import consistent_values, fill
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from libreoffice import convert, read_checks_csv, recalc_checks
from resaved import assert_reads_as_filled, filled_as_sent

from govinfo_xlsx.cli import ingest_main
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.checks.ingest import ingest
from govinfo_xlsx.template.writer import FAILED

pytestmark = pytest.mark.libreoffice


def round_trip_book(template, year: int, path):
    form = form_for_year(year)
    values = consistent_values(form, year)
    values["T3_granted_natural"] = None  # one blank cell survives the save as blank
    values["T3_new_natural"] -= consistent_values(form, year)["T3_granted_natural"]
    return values, fill(template, values, path)


cell_values = st.one_of(
    st.integers(min_value=0, max_value=30),
    st.integers(min_value=0, max_value=30),
    st.none(),
    st.integers(min_value=-5, max_value=-1),
    st.sampled_from([0.5, 2.25, 10**9]),
)
EXAMPLES = 12  # random workbooks per format


def drawn_books(template, year: int, folder) -> list[tuple[list[str], dict, Path]]:
    """EXAMPLES workbooks of random values (hypothesis draws them): [(changed names, values, path)]."""
    form = form_for_year(year)
    names = sorted(n for n in consistent_values(form, year) if n[:3] in ("T2_", "T3_", "T4_"))
    out: list = []

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def draw(data):
        values = consistent_values(form, year)
        changed = data.draw(st.lists(st.sampled_from(names), min_size=0, max_size=8, unique=True))
        for name in changed:
            v = data.draw(cell_values)
            values[name] = -v if (isinstance(v, int) and v > 0 and "change" in name and v % 2) else v
        out.append((changed, values, fill(template, values, folder / f"{form.id}-{len(out):03d}.xlsx")))

    draw()
    return out


@pytest.fixture(scope="module")
def saved(templates, tmp_path_factory):
    """Every workbook of this module's xlsx tests, filled, then recalculated by LibreOffice: {test: {form id:
    [(what was filled, the filled workbook, LibreOffice's copy)]}}.  The round trips are saved as xlsx (one
    run); the drawn workbooks, whose checks sheet is all their test reads, give that sheet as CSV (a second
    run: an xlsx save costs LibreOffice twice the time)."""
    require_libreoffice()
    tmp = tmp_path_factory.mktemp("saved")
    books: list[tuple[str, str, object, Path]] = []
    for form_id, year in CASES:
        d = tmp / form_id
        (d / "drawn").mkdir(parents=True)
        values, path = round_trip_book(templates[form_id], year, d / "round-trip.xlsx")
        books.append(("round-trip", form_id, values, path))
        books.append(("as-sent", form_id, None, filled_as_sent(year, d / "as-sent")))
        for changed, values, path in drawn_books(templates[form_id], year, d / "drawn"):
            books.append(("drawn", form_id, {n: values[n] for n in changed}, path))
    # one name per file: LibreOffice writes <stem>.xlsx into the output folder
    staged = tmp / "in"
    staged.mkdir()
    inputs = []
    for k, (_, form_id, _, path) in enumerate(books):
        inputs.append(staged / f"{k:03d}.xlsx")
        inputs[-1].write_bytes(path.read_bytes())
    drawn = [i for i, book in enumerate(books) if book[0] == "drawn"]
    others = [i for i in range(len(books)) if i not in drawn]
    saved = dict(zip(others, convert([inputs[i] for i in others], tmp / "out")))
    saved.update(zip(drawn, recalc_checks([inputs[i] for i in drawn], tmp / "checks")))
    outs = [saved[i] for i in range(len(books))]
    result: dict = {}
    for (test, form_id, what, path), out in zip(books, outs):
        result.setdefault(test, {}).setdefault(form_id, []).append((what, path, out))
    return result


@pytest.mark.parametrize("form_id,year", CASES, ids=[c[0] for c in CASES])
def test_round_trip_through_a_libreoffice_save(saved, form_id, year):
    [(values, filled, through_lo)] = saved["round-trip"][form_id]
    direct, through = ingest(filled), ingest(through_lo)
    assert through.data == direct.data
    assert [(f.rule, f.cell) for f in through.findings] == [(f.rule, f.cell) for f in direct.findings] == [
        ("t3-blank", "D8")]
    assert through.data["table3"]["new"]["natural"] == values["T3_new_natural"]


@pytest.mark.parametrize("form_id,year", CASES, ids=[c[0] for c in CASES])
def test_the_template_as_sent_saved_by_libreoffice(saved, form_id, year):
    """The workbook as make-template writes it, filled and saved by LibreOffice, reads as it was filled."""
    [(_, filled, through_lo)] = saved["as-sent"][form_id]
    found = assert_reads_as_filled(filled, through_lo, form_id)
    assert any("balance" in rule for rule, _, _ in found)


@pytest.mark.parametrize("form_id,year", CASES, ids=[c[0] for c in CASES])
def test_ingest_and_the_spreadsheet_fail_the_same_rules(saved, form_id, year):
    """On random workbooks (hypothesis draws the values; LibreOffice recalculates them all in one run),
    ingest fails exactly the declared rules the template's live checks fail."""
    declared = {r.id for r in form_for_year(year).rules}
    drawn = saved["drawn"][form_id]
    assert len(drawn) >= EXAMPLES
    for changed, filled, out in drawn:
        lo = {rule for rule, (_, result) in read_checks_csv(out, filled)[0].items() if result == FAILED}
        reported = {f.rule for f in ingest(filled).findings if f.rule in declared}
        assert reported == lo, (filled.name, changed, reported ^ lo)


def test_an_old_xls_is_refused(templates, tmp_path, capsys):
    require_libreoffice()
    xls = convert([templates["gov-2021"]], tmp_path, "xls")[0]
    before = xls.read_bytes()
    assert ingest_main([str(xls)]) == 2
    assert ".xls" in capsys.readouterr().err and xls.read_bytes() == before

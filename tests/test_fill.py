"""The fill helper keeps each template loaded and puts it back after every fill, and writes only the cells
it set into the package the blank template saves as (tests/fill.py): every part it writes must be what a
fresh openpyxl load and save of the template writes, fill after fill, whatever the order, when a value
changes a cell's style (openpyxl's own save then), and after a fill that failed half-way."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest
from conftest import CASES
from fill import consistent_values, fill
from mutations import scenarios

from govinfo_xlsx.forms import form_for_year


def _parts(path) -> dict[str, bytes]:
    """Every part of the package but docProps/core.xml (openpyxl stamps the time of saving there)."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def _fresh(template, values, out):
    return fill(template, values, out, tweak=lambda wb: None)  # a tweak makes fill load the template anew


@pytest.mark.parametrize("form_id,year", CASES, ids=[c[0] for c in CASES])
def test_a_kept_template_fills_as_a_fresh_load_does(templates, tmp_path, form_id, year):
    form = form_for_year(year)
    sets = list(scenarios(form, year).values())
    odd = dict(consistent_values(form, year))
    odd.update(INFO_agency="=1+1", INFO_date=dt.datetime(year + 1, 3, 4, 5, 6), T3_new_natural=None,
               T3_granted_natural="12件")
    restyled = {**sets[0], "INFO_agency": dt.datetime(year, 5, 6)}  # a date where text goes: the cell's style changes
    runs = sets[:3] + [odd, restyled, {}] + sets[::-25]  # values set, then left out; dates, text, blanks
    for i, values in enumerate(runs):
        kept, fresh = fill(templates[form_id], values, tmp_path / f"k{i}.xlsx"), _fresh(
            templates[form_id], values, tmp_path / f"f{i}.xlsx")
        assert _parts(kept) == _parts(fresh), i


def test_a_fill_that_fails_half_way_leaves_the_template_as_it_was(templates, tmp_path):
    form_id, year = CASES[1]
    values = consistent_values(form_for_year(year), year)
    broken = {**dict(list(values.items())[:20]), "NO_SUCH_NAME": 1}
    with pytest.raises(KeyError):
        fill(templates[form_id], broken, tmp_path / "broken.xlsx")
    with pytest.raises(FileNotFoundError):
        fill(templates[form_id], values, tmp_path / "no" / "such" / "folder.xlsx")
    assert _parts(fill(templates[form_id], {}, tmp_path / "k.xlsx")) == _parts(
        _fresh(templates[form_id], {}, tmp_path / "f.xlsx"))

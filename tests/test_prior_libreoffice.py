"""The prefilled template's live cross-year checks agree with ingest after a LibreOffice recalculation."""

from __future__ import annotations

import pytest
from conftest import require_libreoffice
from fill import fill
from libreoffice import read_checks_csv, recalc_checks
from test_prior import CHAINS, year_values

from govinfo_xlsx.cli import main
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.checks.ingest import ingest
from govinfo_xlsx.template.prior import load_prior
from govinfo_xlsx.template.writer import FAILED, write_template

pytestmark = pytest.mark.libreoffice


def _scenarios(form, year, last):
    base = year_values(form, year, last.data)
    out = {"consistent": base}
    for c in form.table3.input_columns[:2]:
        v = dict(base)
        v[f"T3_carried_over_{c.key}"] += 1
        v[f"T3_new_{c.key}"] -= 1
        out[f"carried-{c.key}"] = v
    if "T2_art20_1_rules_in_force" in base and last.form == "gov-2021":
        out["in-force"] = {**base, "T2_art20_1_rules_in_force": base["T2_art20_1_rules_in_force"] + 3}
    if "T2_art20_5_licensing_prev_count" in base:
        out["prev-count"] = {**base, "T2_art20_5_licensing_prev_count": 99}
    return out


def test_prefilled_templates_recalculated(tmp_path):
    require_libreoffice()
    jobs = []
    (tmp_path / "in").mkdir()
    for last_year, year in CHAINS:
        last_form, form = form_for_year(last_year), form_for_year(year)
        d = tmp_path / str(year)
        d.mkdir()
        last_xlsx = fill(write_template(last_form, last_year, d / "l.xlsx"), year_values(last_form, last_year),
                         d / "last.xlsx")
        tpl = d / "tpl.xlsx"
        assert main(["make-template", str(year), "-o", str(tpl), "--prior", str(last_xlsx)]) == 0
        last = load_prior(last_xlsx)
        for name, values in _scenarios(form, year, last).items():
            jobs.append((year, name, fill(tpl, values, tmp_path / "in" / f"{year}-{name}.xlsx")))
    outs = recalc_checks([j[2] for j in jobs], tmp_path / "out")
    seen = set()
    for (year, name, filled), out in zip(jobs, outs):
        rows, check_failed = read_checks_csv(out, filled)
        lo = {rule for rule, (_, result) in rows.items() if result == FAILED}
        assert check_failed == len(lo)
        py = {f.rule for f in ingest(filled).findings}
        assert lo == py, (year, name, lo ^ py)
        if name == "consistent":
            assert lo == set()
        else:
            assert lo and all(i.startswith("xy-") for i in lo), (year, name, lo)
            seen |= lo
    assert {"xy-carried-over-natural", "xy-carried-over-total", "xy-in-force-rules", "xy-prev-count-licensing"} <= seen

"""The leader's brief fits two A4 pages for a typical batch (40 agencies): printed by LibreOffice."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
from pathlib import Path

import pytest
from conftest import require_libreoffice
from fill import consistent_values
from libreoffice import convert
from test_report_pdf import require_tool

from govinfo_xlsx.cli import main
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.forms.organs import GOVERNMENT
from govinfo_xlsx.template.writer import build_template

YEAR = 2026
GOV = "安和市人民政府"


def batch(folder: Path, n: int = 40, seed: int = 3) -> tuple[Path, Path, Path]:
    """A typical round of a city: ``n`` departments and the government itself, last year's workbooks
    (--prior-dir), and this year's inbox in which 2 are missing, 3 have errors, 2 are late and most
    carry warnings. Returns (inbox, prior folder, roster)."""
    rng = random.Random(seed)
    names = [f"安和市第{k + 1}局" for k in range(n)] + [GOV]
    inbox, prior = folder / "inbox", folder / "prior"
    inbox.mkdir(parents=True)
    prior.mkdir()
    for year, where in ((YEAR - 1, prior), (YEAR, inbox)):
        form = form_for_year(year)
        for k, name in enumerate(names):
            if year == YEAR and k in (5, 17):
                continue  # 未报送
            v = consistent_values(form, year)
            v["INFO_agency"] = name
            for key in list(v):
                if key.startswith(("T2_", "T4_")) and isinstance(v[key], int):
                    v[key] = rng.randint(0, 30)
            grow = rng.randint(0, 60)
            v["T3_new_natural"] += grow
            v["T3_granted_natural"] += grow
            if name == GOV:
                v["INFO_kind"] = GOVERNMENT
            for c in form.table3.input_columns:  # 上年结转 = last year's 结转 (the same every year here)
                carried, carry = f"T3_carried_over_{c.key}", f"T3_carry_forward_{c.key}"
                v[f"T3_new_{c.key}"] += v[carried] - v[carry]
                v[carried] = v[carry]
            if year == YEAR and k in (3, 11, 29):
                v["T3_new_legal"] += 2  # a broken 勾稽关系: 有错误
            if year == YEAR and k in (8, 23):
                v["INFO_date"] = dt.datetime(YEAR + 1, 2, 20)  # after the departments' deadline
            if year == YEAR and k % 3:
                v["INFO_phone"] = None  # a warning to explain
            (where / f"{name}.xlsx").write_bytes(build_template(form, year, values=v))
    roster = folder / "名单.csv"
    roster.write_text("机关名称\n" + "\n".join(names) + "\n", encoding="utf-8")
    return inbox, prior, roster


@pytest.mark.libreoffice
def test_brief_of_a_40_agency_batch_prints_on_two_pages(tmp_path):
    require_libreoffice()
    pdfinfo = require_tool("pdfinfo")
    inbox, prior, roster = batch(tmp_path / "round")
    brief = tmp_path / "简报.docx"
    code = main(["collect", str(inbox), "-o", str(tmp_path / "汇总.xlsx"), "--roster", str(roster),
                 "--year", str(YEAR), "--prior-dir", str(prior), "--brief", str(brief), "--no-progress"])
    assert code == 1 and brief.exists()  # 有错误 and 未报送 in the batch
    pdf, = convert([brief], tmp_path / "pdf", "pdf")
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages <= 2, f"the brief runs to {pages} pages"

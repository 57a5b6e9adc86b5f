"""The committed blank workbooks in xlsx_templates/ are up to date."""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))

import build_templates  # noqa: E402

from govinfo_xlsx.forms import form_for_year  # noqa: E402
from govinfo_xlsx.template.writer import build_template  # noqa: E402


def test_one_template_per_format():
    assert sorted(form_for_year(y).id for y in build_templates.YEARS) == ["gov-2019", "gov-2021"]
    committed = sorted(p.name for p in (ROOT / "xlsx_templates").glob("*.xlsx"))
    assert committed == sorted(p.name for _, p in build_templates.targets())


def test_templates_are_not_stale():
    for year, path in build_templates.targets():
        assert path.read_bytes() == build_template(form_for_year(year), year), (
            f"{path.name} is stale: run python scripts/build_templates.py")


def test_example_workbook_is_not_stale():
    from govinfo_xlsx.examples import EXAMPLE_XLSX, build_example

    assert EXAMPLE_XLSX.read_bytes() == build_example(), "stale: run python scripts/build_templates.py"

"""Regenerate the ready-to-send blank workbooks in xlsx_templates/ and the bundled example workbook.

The report years are listed here, not derived from today's date, so the files
only change when the code does.  tests/test_xlsx_templates.py fails when the
committed files are stale: run `python scripts/build_templates.py` then.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govinfo_xlsx.files.atomic import write_bytes_atomic  # noqa: E402
from govinfo_xlsx.examples import EXAMPLE_XLSX, build_example  # noqa: E402
from govinfo_xlsx.forms import form_for_year  # noqa: E402
from govinfo_xlsx.template.writer import default_template_name, write_template  # noqa: E402

# One blank template per statutory format.
YEARS = (2020, 2026)
TEMPLATE_DIR = ROOT / "xlsx_templates"


def targets() -> list[tuple[int, Path]]:
    return [(y, TEMPLATE_DIR / f"{form_for_year(y).id}_{default_template_name(y)}") for y in YEARS]


def main() -> int:
    TEMPLATE_DIR.mkdir(exist_ok=True)
    for year, path in targets():
        write_template(form_for_year(year), year, path)
        print(f"wrote {path.relative_to(ROOT)}")
    write_bytes_atomic(EXAMPLE_XLSX, build_example())
    print(f"wrote {EXAMPLE_XLSX.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

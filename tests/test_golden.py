"""The template's XML parts equal the golden copies (python scripts/update_golden.py)."""

from __future__ import annotations

import pytest
from golden import GOLDEN_CASES, REPORT_DIR, build_case, example_report_files, golden_dir, pretty_parts


@pytest.mark.parametrize("form_id,year,agency", GOLDEN_CASES, ids=[c[0] for c in GOLDEN_CASES])
def test_template_parts_equal_golden(form_id, year, agency):
    parts = pretty_parts(build_case(form_id, year, agency))
    d = golden_dir(form_id, year)
    on_disk = {p.relative_to(d).as_posix() for p in d.rglob("*") if p.is_file()}
    assert on_disk == set(parts), "parts differ: run python scripts/update_golden.py if intended"
    for name, text in parts.items():
        assert (d / name).read_text(encoding="utf-8") == text, (
            f"{name} differs from the golden copy: run python scripts/update_golden.py if intended")


@pytest.mark.parametrize("name", ["yongkang-2020.md", "yongkang-2020.html"])
def test_example_report_equals_golden(name):
    got = example_report_files()[name].decode("utf-8")
    assert got == (REPORT_DIR / name).read_text(encoding="utf-8"), (
        f"{name} differs from the golden copy: run python scripts/update_golden.py if intended")

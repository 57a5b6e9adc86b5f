"""The template's XML parts equal the golden copies (python scripts/update_golden.py)."""

from __future__ import annotations

import pytest
from golden import GOLDEN_CASES, build_case, golden_dir, pretty_parts


@pytest.mark.parametrize("form_id,year,agency", GOLDEN_CASES, ids=[c[0] for c in GOLDEN_CASES])
def test_template_parts_equal_golden(form_id, year, agency):
    parts = pretty_parts(build_case(form_id, year, agency))
    d = golden_dir(form_id, year)
    on_disk = {p.relative_to(d).as_posix() for p in d.rglob("*") if p.is_file()}
    assert on_disk == set(parts), "parts differ: run python scripts/update_golden.py if intended"
    for name, text in parts.items():
        assert (d / name).read_text(encoding="utf-8") == text, (
            f"{name} differs from the golden copy: run python scripts/update_golden.py if intended")

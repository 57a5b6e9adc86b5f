from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from gnumeric import ssconvert  # noqa: E402
from libreoffice import soffice  # noqa: E402

from govinfo_xlsx.forms import all_forms, form_for_year  # noqa: E402

# (form id, report year) used throughout: one year per statutory format.
CASES = [("gov-2019", 2020), ("gov-2021", 2026)]


@pytest.fixture(params=CASES, ids=[c[0] for c in CASES])
def case(request):
    form_id, year = request.param
    form = form_for_year(year)
    assert form.id == form_id
    return form, year


def require_libreoffice() -> str:
    exe = soffice()
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is required in CI: scripts/test.sh installs it (apt-get)")
        pytest.skip("LibreOffice not installed (run scripts/test.sh to install it)")
    return exe


def require_gnumeric() -> str:
    exe = ssconvert()
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Gnumeric (ssconvert) is required in CI: scripts/setup.sh --office installs it (apt-get)")
        pytest.skip("Gnumeric not installed (run scripts/test.sh to install it)")
    return exe


def statutory_labels() -> dict:
    """The labels of the official formats (tests/data/statutory_labels.json, copied verbatim from
    国办公开办函〔2019〕60号 and 〔2021〕30号): the facts the declarations are compared against."""
    import json

    return json.loads((DATA / "statutory_labels.json").read_text(encoding="utf-8"))


__all__ = ["CASES", "DATA", "ROOT", "all_forms", "require_gnumeric", "require_libreoffice", "statutory_labels"]

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


@pytest.fixture(scope="session")
def template(tmp_path_factory):
    """A blank template of the 2021 format for 2026, written once per test run (per xdist worker)."""
    from govinfo_xlsx.template.writer import write_template

    return write_template(form_for_year(2026), 2026, tmp_path_factory.mktemp("template") / "template.xlsx")


@pytest.fixture(scope="session")
def templates(tmp_path_factory):
    """{form id: a blank template} for each of CASES, written once per test run (per xdist worker)."""
    from govinfo_xlsx.template.writer import write_template

    d = tmp_path_factory.mktemp("templates")
    return {fid: write_template(form_for_year(y), y, d / f"{fid}.xlsx") for fid, y in CASES}


@pytest.fixture(scope="session")
def scenario_books(templates, tmp_path_factory):
    """The recalculation scenarios of both formats (mutations.scenarios), filled once in the test run for
    both spreadsheet engines (the two xdist workers share the work: shared.make_once):
    [(form id, scenario, values, workbook)]."""
    import hashlib

    from fill import fill
    from mutations import scenarios
    from shared import make_once, run_folder

    key = hashlib.sha256(b"".join(templates[form_id].read_bytes() for form_id, _ in CASES)).hexdigest()[:16]
    d = run_folder(tmp_path_factory, f"scenarios-{key}")
    books, jobs = [], []
    for form_id, year in CASES:
        for i, (name, values) in enumerate(scenarios(form_for_year(year), year).items()):
            path = d / f"{form_id}-{i:03d}.xlsx"
            books.append((form_id, name, values, path))
            jobs.append((path, lambda out, t=templates[form_id], v=values: fill(t, v, out)))
    make_once(jobs)
    return books


ENGINE_MARKS = ("libreoffice", "gnumeric")


def pytest_collection_modifyitems(config, items):
    """Test files that run a spreadsheet engine first (their module fixtures recalculate or convert many
    workbooks in one run: the longest pieces of work), then the others, each group with its larger files
    first.  scripts/test.sh hands the files to its two workers in this order (``--no-loadscope-reorder``),
    so the long pieces start at once and the short files even out the end."""
    by_file: dict[str, list] = {}
    for item in items:
        by_file.setdefault(item.nodeid.split("::")[0], []).append(item)

    def weight(tests: list) -> tuple[bool, int]:
        engine = any(t.get_closest_marker(m) for t in tests for m in ENGINE_MARKS)
        return (not engine, -len(tests))

    items[:] = [item for _, tests in sorted(by_file.items(), key=lambda kv: weight(kv[1])) for item in tests]


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

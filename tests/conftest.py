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
SECONDS = DATA / "test_seconds.json"  # {test file: seconds its tests took}: scripts/test_seconds.py writes it
SECONDS_KEY = "govinfo/test_seconds"  # the same, from this checkout's last runs (pytest's cache)


def file_seconds(config) -> dict[str, float]:
    """How long each test file took: this checkout's last runs (pytest's cache), else the committed table."""
    import json

    known = json.loads(SECONDS.read_text(encoding="utf-8")) if SECONDS.exists() else {}
    cache = getattr(config, "cache", None)
    if cache is not None:
        known.update(cache.get(SECONDS_KEY, {}))
    return known


def pytest_collection_modifyitems(config, items):
    """The longest test files first (what they took last time; a file not measured yet counts a tenth of a
    second a test, half a minute more when it runs a spreadsheet engine).  scripts/test.sh hands the files
    to its two workers in this order (``--no-loadscope-reorder``), so the long pieces (the spreadsheet
    engines' module fixtures among them) start at once and the short files even out the end; a long file
    handed out last would leave the other worker idle."""
    by_file: dict[str, list] = {}
    for item in items:
        by_file.setdefault(item.nodeid.split("::")[0], []).append(item)
    seconds = file_seconds(config)

    def guess(tests: list) -> float:  # not measured yet: a spreadsheet engine's file is long whatever its count
        engine = any(t.get_closest_marker(m) for t in tests for m in ENGINE_MARKS)
        return 30.0 + len(tests) if engine else 0.1 * len(tests)

    order = sorted(by_file, key=lambda f: (-seconds.get(f, guess(by_file[f])), f))
    items[:] = [item for f in order for item in by_file[f]]


_TOOK: dict[str, float] = {}


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::")[0]
    _TOOK[path] = _TOOK.get(path, 0.0) + report.duration


def pytest_sessionfinish(session):
    """Each test file's time (setup, call and teardown of its tests), kept in pytest's cache for the next
    run's order: by the run that reports (the xdist controller, or a run without workers), when whole files
    ran (no -k, -m or --lf)."""
    config = session.config
    opt = config.option
    if hasattr(config, "workerinput") or not _TOOK or getattr(config, "cache", None) is None \
            or getattr(opt, "keyword", "") or getattr(opt, "markexpr", "") or getattr(opt, "lf", False):
        return
    known = config.cache.get(SECONDS_KEY, {})
    known.update({f: round(t, 1) for f, t in _TOOK.items()})
    config.cache.set(SECONDS_KEY, known)


def require(found: str | None, what: str, hint: str) -> str:
    """``found`` (the path of a program the test needs), else the test fails in CI (``CI=true``: the test
    command installs every such program) and is skipped elsewhere, saying what is missing."""
    if found is not None:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is required in CI: scripts/setup.sh --office installs it (apt-get)")
    pytest.skip(f"{what} not installed ({hint})")


def require_libreoffice() -> str:
    return require(soffice(), "LibreOffice", "run scripts/test.sh to install it")


def require_gnumeric() -> str:
    return require(ssconvert(), "Gnumeric (ssconvert)", "run scripts/test.sh to install it")


def statutory_labels() -> dict:
    """The labels of the official formats (tests/data/statutory_labels.json, copied verbatim from
    国办公开办函〔2019〕60号 and 〔2021〕30号): the facts the declarations are compared against."""
    import json

    return json.loads((DATA / "statutory_labels.json").read_text(encoding="utf-8"))


__all__ = ["CASES", "DATA", "ROOT", "all_forms", "require_gnumeric", "require_libreoffice", "statutory_labels"]

"""Packaging (issue 20, point 3): a LICENSE in the wheel and the sdist, the license as an SPDX
expression (no setuptools deprecation warning), an sdist that holds what its tests need.

Building the wheel and the sdist and listing them is the smoke round's first step (scripts/smoke.py,
run by scripts/test.sh); these checks are the fast, static half."""

from __future__ import annotations

import re
import sys

from conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_license_is_an_spdx_expression_with_its_file():
    project = PYPROJECT["project"]
    assert project["license"] == "MIT"  # a string: the table form is what setuptools warns about
    assert project["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "govinfo-xlsx contributors" in text
    # setuptools reads license = "MIT" (PEP 639) from version 77 on
    req = next(r for r in PYPROJECT["build-system"]["requires"] if r.startswith("setuptools"))
    assert tuple(map(int, re.search(r">=\s*([\d.]+)", req).group(1).split("."))) >= (77,)


def test_sdist_holds_what_the_tests_need():
    manifest = (ROOT / "MANIFEST.in").read_text(encoding="utf-8").split("\n")
    for needed in ("include LICENSE README.md", "graft tests", "graft docs", "graft scripts", "graft xlsx_templates"):
        assert needed in manifest


def _test_command(tmp_path, pytest_rc: int, smoke_rc: int, *args: str):
    """scripts/test.sh in a copy of the checkout whose setup and Python are stand-ins: (exit code, output,
    the Python's calls in order)."""
    import os
    import shutil
    import subprocess

    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "test.sh", tmp_path / "scripts" / "test.sh")
    (tmp_path / "scripts" / "setup.sh").write_text("exit 0\n", encoding="utf-8")
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text('#!/bin/sh\necho "$*" >> calls\n'
                      f'case "$1" in -m) echo suite; exit {pytest_rc};; *) sleep 1; echo smoke; exit {smoke_rc};; esac\n',
                      encoding="utf-8")
    python.chmod(0o755)
    p = subprocess.run(["bash", str(tmp_path / "scripts" / "test.sh"), *args], capture_output=True, text=True,
                       env={k: v for k, v in os.environ.items() if k != "PYTEST_XDIST_WORKER"}, timeout=60)
    return p.returncode, p.stdout, (tmp_path / "calls").read_text(encoding="utf-8").splitlines()


def test_the_test_command_runs_the_smoke_round_and_fails_when_either_fails(tmp_path):
    for pytest_rc, smoke_rc, expected in ((0, 0, 0), (1, 0, 1), (0, 1, 1)):
        run = tmp_path / f"{pytest_rc}{smoke_rc}"
        run.mkdir()
        code, out, calls = _test_command(run, pytest_rc, smoke_rc)
        assert code == expected and out.split() == ["suite", "smoke"]  # the smoke round's report after the suite's
        assert sorted(c.split()[0] for c in calls) == ["-m", "scripts/smoke.py"]
    code, out, calls = _test_command(tmp_path, 0, 1, "tests/test_cli.py")  # a part of the suite: no smoke round
    assert code == 0 and calls == ["-m pytest -q -n 2 --dist loadfile --no-loadscope-reorder tests/test_cli.py"]


def test_the_smoke_round_names_an_absent_python():
    import subprocess

    p = subprocess.run([sys.executable, str(ROOT / "scripts" / "smoke.py"), "--list", "--pythons", "3.10,3.99"],
                       capture_output=True, text=True, encoding="utf-8")
    assert p.returncode == 0 and "未找到 Python 3.99，跳过" in p.stdout
    assert "Python 3.10：" in p.stdout

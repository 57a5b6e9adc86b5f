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


def test_the_test_command_runs_the_smoke_round():
    script = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert "scripts/smoke.py" in script
    assert script.index("-m pytest") < script.index(".venv/bin/python scripts/smoke.py")


def test_the_smoke_round_names_an_absent_python():
    import subprocess

    p = subprocess.run([sys.executable, str(ROOT / "scripts" / "smoke.py"), "--list", "--pythons", "3.10,3.99"],
                       capture_output=True, text=True, encoding="utf-8")
    assert p.returncode == 0 and "未找到 Python 3.99，跳过" in p.stdout
    assert "Python 3.10：" in p.stdout

"""The helpers that let the engine tests share work: shared.make_once (files made once per run by
whichever xdist worker claims them) and the LibreOffice kept running per test process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import require_libreoffice

MAKER = """
import os, sys, time
sys.path.insert(0, {tests!r})
from pathlib import Path
from shared import make_once

folder = Path({folder!r})

def make(name):
    def write(part):
        with open(folder / "made.log", "a") as log:
            log.write(f"{{name}} {{os.getpid()}}\\n")
        time.sleep(0.01)
        part.write_text(name)
    return write

(folder / f"ready-{{os.getpid()}}").touch()
while len(list(folder.glob("ready-*"))) < 2:  # both processes start together
    time.sleep(0.01)
paths = make_once([(folder / f"{{k:02d}}.txt", make(f"{{k:02d}}")) for k in range(40)])
assert [p.read_text() for p in paths] == [f"{{k:02d}}" for k in range(40)]
"""


def test_two_processes_make_each_file_once(tmp_path):
    """Two processes asking for the same 40 files at once: each file is made by one of them, both see
    all 40, and both did part of the work."""
    script = MAKER.format(tests=str(Path(__file__).parent), folder=str(tmp_path))
    procs = [subprocess.Popen([sys.executable, "-c", script]) for _ in range(2)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    made = [line.split() for line in (tmp_path / "made.log").read_text().splitlines()]
    assert sorted(name for name, _ in made) == [f"{k:02d}" for k in range(40)]
    assert len({pid for _, pid in made}) == 2
    assert not list(tmp_path.glob(".*"))  # no part left under its temporary name


@pytest.mark.libreoffice
@pytest.mark.skipif(sys.platform != "linux", reason="the running LibreOffice is found by its pipe in /tmp (Linux)")
def test_conversions_in_one_process_use_one_libreoffice(tmp_path):
    """Two conversion runs in one process are done by the same LibreOffice, which keeps running."""
    require_libreoffice()
    import libreoffice
    from govinfo_xlsx.forms import form_for_year
    from govinfo_xlsx.template.writer import write_template

    src = write_template(form_for_year(2026), 2026, tmp_path / "t.xlsx")
    first = libreoffice.convert([src], tmp_path / "a", "csv")
    instance = libreoffice._Instance._current
    assert instance is not None and instance.proc.poll() is None
    second = libreoffice.convert([src], tmp_path / "b", "csv")
    assert libreoffice._Instance._current is instance and instance.proc.poll() is None
    assert first[0].read_bytes() == second[0].read_bytes() and first[0].stat().st_size > 0


def test_names_no_formula_uses_are_left_out_of_the_copy_libreoffice_recalculates(tmp_path):
    """libreoffice.without_names: the names a formula refers to are kept (the 2021 template's text sheet
    colours its cells by INFO_kind), every other name goes, and nothing else of the workbook changes."""
    import zipfile

    from libreoffice import workbook_names, without_names

    from govinfo_xlsx.forms import form_for_year
    from govinfo_xlsx.template.writer import write_template

    book = write_template(form_for_year(2021), 2021, tmp_path / "t.xlsx")
    copy, = without_names([book], tmp_path / "copy")
    before, after = workbook_names(book), workbook_names(copy)
    assert len(before[1]) > 200 and set(after[1]) == {"INFO_kind"}
    assert after[0] == before[0] and after[1]["INFO_kind"] == before[1]["INFO_kind"]
    with zipfile.ZipFile(book) as a, zipfile.ZipFile(copy) as b:
        assert a.namelist() == b.namelist()
        assert [n for n in a.namelist() if a.read(n) != b.read(n)] == ["xl/workbook.xml"]

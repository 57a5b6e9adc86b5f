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

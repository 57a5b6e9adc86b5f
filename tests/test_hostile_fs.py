"""The file system says no: an output folder that cannot be written, a full disk, a full temporary folder.

Found before the batch runs where it can be; otherwise one Chinese line naming the target file (never
a temporary file, never “None”), exit 2, the previous output kept, no partial file left.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys

import pytest
from fill import inbox_of
from hostile import run_cli, small_tmpfs

from govinfo_xlsx.forms import form_for_year

FORM = form_for_year(2026)


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    return inbox_of(tmp_path_factory.mktemp("fs"), FORM, 2026)


@pytest.fixture
def tiny_disk(tmp_path):
    """A 200 KB file system (tmpfs; needs root, as in the project's CI container)."""
    yield from small_tmpfs(tmp_path / "小盘", "200k")


def test_unwritable_output_is_found_before_the_batch(inbox, capsys, monkeypatch):
    checked = []
    monkeypatch.setattr("govinfo_xlsx.collect.run.iter_sources", lambda paths: checked.append(paths) or iter(()))
    code, out, err = run_cli(capsys, ["collect", str(inbox), "-o", "/proc/汇总.xlsx"])
    assert code == 2 and checked == []  # refused before any file was listed
    assert err.strip().splitlines() == [err.strip()] and "“/proc/汇总.xlsx”" in err and ".tmp" not in err


def test_output_that_is_a_folder(inbox, tmp_path, capsys):
    (tmp_path / "汇总.xlsx").mkdir()
    code, out, err = run_cli(capsys, ["collect", str(inbox), "-o", str(tmp_path / "汇总.xlsx")])
    assert code == 2 and "同名的目录已存在" in err


def test_disk_full_while_the_summary_is_written(inbox, tmp_path, capsys, monkeypatch):
    """xlsxwriter reports a full disk as FileCreateError: one line naming the summary, never “None”."""
    import xlsxwriter

    def full(self):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xlsxwriter.Workbook, "_store_workbook", full)
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(b"previous")
    code, stdout, err = run_cli(capsys, ["collect", str(inbox), "-o", str(out), "--no-progress"])
    assert code == 2 and err.strip() == f"错误：无法写入“{out}”：磁盘空间已满，原有文件（如有）保持不变。"
    assert out.read_bytes() == b"previous" and sorted(p.name for p in tmp_path.iterdir()) == ["汇总.xlsx"]


def test_a_really_full_disk(inbox, tiny_disk):
    out = tiny_disk / "汇总.xlsx"
    out.write_bytes(b"previous")
    filler = tiny_disk / "filler"
    with open(filler, "wb") as f:  # leave a few KB: the check before the batch passes, the summary does not fit
        try:
            f.write(b"\0" * (200 * 1024 - 8 * 1024))
        except OSError:
            pass
    run = subprocess.run([sys.executable, "-m", "govinfo_xlsx", "collect", str(inbox), "-o", str(out), "--json",
                          str(tiny_disk / "汇总.json")], capture_output=True, text=True)
    err = run.stderr  # the real stderr: nothing printed at exit either ("Exception ignored ... Traceback")
    assert run.returncode == 2 and f"“{tiny_disk}" in err and "磁盘空间已满" in err, err
    assert len(err.strip().splitlines()) == 1, err
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler", "汇总.xlsx"]


def test_a_full_temporary_folder(inbox, tiny_disk, tmp_path):
    with open(tiny_disk / "filler", "wb") as f:  # room for Python's probe of TMPDIR, not for the database
        try:
            f.write(b"\0" * (200 * 1024 - 12 * 1024))
        except OSError:
            pass
    out = tmp_path / "汇总.xlsx"
    run = subprocess.run([sys.executable, "-m", "govinfo_xlsx", "collect", str(inbox), "-o", str(out)],
                         capture_output=True, text=True, env={**os.environ, "TMPDIR": str(tiny_disk)})
    assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert "临时文件夹" in run.stderr and "TMPDIR" in run.stderr and "Traceback" not in run.stderr
    assert not out.exists()


def test_ingest_reports_are_all_or_nothing_on_a_full_disk(inbox, tiny_disk, capsys):
    out = tiny_disk / "报告"
    with open(tiny_disk / "filler", "wb") as f:
        try:
            f.write(b"\0" * (200 * 1024 - 40 * 1024))
        except OSError:
            pass
    code, stdout, err = run_cli(capsys, ["ingest", str(inbox / "甲局.xlsx"), "-o", str(out)])
    assert code == 2 and "磁盘空间已满" in err
    assert list(out.iterdir()) == []  # no partial report, no temporary file

"""Inputs that are not files, workers that outlive their parent, temporary files left behind (issue 27,
point 5): a FIFO, a device or a /proc link is skipped or refused with a note, never opened; workers die
with their parent, SIGKILL included; no temporary file stays, a full disk included."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fill import consistent_values, fill
from hostile import run_cli, small_tmpfs

from conftest import ROOT
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.template.writer import write_template

FORM = form_for_year(2026)
EXAMPLE = ROOT / "govinfo_xlsx" / "examples" / "yongkang-2020.xlsx"
PUBLISHED = ROOT / "tests" / "fixtures" / "published"
CLI = [sys.executable, "-m", "govinfo_xlsx"]
pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and signals of POSIX")


def _cli(args: list[str], timeout: int = 60, **kw) -> subprocess.CompletedProcess:
    """The CLI in its own process, with a time limit: a blocked open fails the test instead of hanging it."""
    return subprocess.run(CLI + [str(a) for a in args], capture_output=True, text=True, encoding="utf-8",
                          timeout=timeout, **kw)


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "报送"
    d.mkdir()
    shutil.copy(EXAMPLE, d / "永康.xlsx")
    os.mkfifo(d / "管道.xlsx")
    os.symlink("/proc/kmsg", d / "内核.xlsx")
    os.symlink("/dev/zero", d / "零.html")
    return d


def test_collect_skips_fifos_devices_and_proc_links_with_a_note(folder, tmp_path):
    p = _cli(["collect", folder, "-o", tmp_path / "S.xlsx", "--json", tmp_path / "c.json", "--no-progress"])
    rows = {Path(r["file"]).name: r for r in json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["rows"]}
    assert p.returncode == 1, p.stderr
    assert rows["永康.xlsx"]["status"] == "仅警告"
    assert "命名管道" in rows["管道.xlsx"]["notes"] or "命名管道" in json.dumps(rows["管道.xlsx"], ensure_ascii=False)
    text = (tmp_path / "c.json").read_text(encoding="utf-8")
    assert "是命名管道（FIFO），不是普通文件，已跳过" in text and "/proc/kmsg" in text


def test_collect_with_jobs_and_a_fifo_named_directly(folder, tmp_path):
    p = _cli(["collect", folder / "管道.xlsx", folder / "永康.xlsx", "-o", tmp_path / "S.xlsx", "--jobs", "2",
              "--json", tmp_path / "c.json", "--no-progress"])
    assert p.returncode == 1 and "是命名管道" in (tmp_path / "c.json").read_text(encoding="utf-8")


def test_audit_skips_them_too(folder, tmp_path):
    shutil.copy(PUBLISHED / "lg-2024.txt", folder / "lg-2024.txt")
    os.mkfifo(folder / "管道.html")
    p = _cli(["audit", folder, "-o", tmp_path / "A.xlsx", "--json", tmp_path / "a.json", "--no-progress"])
    assert p.returncode in (0, 1), p.stderr
    text = (tmp_path / "a.json").read_text(encoding="utf-8")
    assert "是命名管道（FIFO）" in text and "是设备文件" in text


@pytest.mark.parametrize("args", [
    ["ingest", "{fifo}"],
    ["ingest", str(EXAMPLE), "--config", "{fifo}"],
    ["ingest", str(EXAMPLE), "--prior", "{fifo}.json"],
    ["collect", str(EXAMPLE), "-o", "{tmp}/S.xlsx", "--roster", "{fifo}.csv"],
    ["collect", str(EXAMPLE), "-o", "{tmp}/S.xlsx", "--config", "{fifo}"],
    ["extract", "{fifo}.html"],
    ["ingest", "/proc/kmsg"],
], ids=["ingest", "config", "prior", "roster", "collect-config", "extract", "proc"])
def test_a_fifo_given_by_name_is_refused_at_once(args, tmp_path):
    fifo = tmp_path / "管道"
    for name in (fifo, Path(f"{fifo}.json"), Path(f"{fifo}.csv"), Path(f"{fifo}.html")):
        os.mkfifo(name)
    p = _cli([a.format(fifo=fifo, tmp=tmp_path) for a in args], timeout=30)
    assert p.returncode == 2, p.stderr
    assert ("命名管道" in p.stderr or "虚拟文件" in p.stderr) and "Traceback" not in p.stderr


# -- workers die with their parent ---------------------------------------------------------------------

def _children(pid: int) -> set[int]:
    out = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            pass
    return out


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] not in ("Z", "X")
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc")
@pytest.mark.parametrize("command", ["collect", "audit"])
def test_workers_die_with_a_parent_killed_by_sigkill(command, tmp_path):
    box = tmp_path / "box"
    box.mkdir()
    if command == "collect":
        for i in range(150):  # the parent is killed long before the end
            shutil.copy(EXAMPLE, box / f"{i}.xlsx")
    else:
        for i in range(150):  # the parent is killed long before the end
            shutil.copy(PUBLISHED / "lg-2024.txt", box / f"{i}.txt")
    parent = subprocess.Popen(CLI + [command, str(box), "-o", str(tmp_path / "S.xlsx"), "--jobs", "2", "--no-progress"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline and parent.poll() is None:
        workers = _children(parent.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the workers never started"
    parent.kill()  # as the out-of-memory killer does: no handler runs in the parent
    parent.wait()
    deadline = time.monotonic() + 15
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for w in left:
        os.kill(w, signal.SIGKILL)
    assert not left, "workers outlived their parent"


# -- temporary files -----------------------------------------------------------------------------------

@pytest.fixture
def tiny_tmp(tmp_path):
    """A small tmpfs as TMPDIR (needs root, as in the project's CI container)."""
    yield from small_tmpfs(tmp_path / "临时", "600k")


def test_audit_leaves_no_temporary_file_even_on_a_full_disk(tiny_tmp, tmp_path):
    """The audit table is written into the full temporary folder: xlsxwriter's own temporary files
    went to the system's temporary folder and stayed there."""
    out = tiny_tmp / "A.xlsx"
    filler = tiny_tmp / "填充"
    env = {**os.environ, "TMPDIR": str(tiny_tmp)}
    box = tmp_path / "box"
    box.mkdir()
    for i in range(30):
        shutil.copy(PUBLISHED / "lg-2024.txt", box / f"{i}.txt")
    p = _cli(["audit", box, "-o", out, "--no-progress"], env=env, timeout=300)
    assert p.returncode in (0, 1), p.stderr
    size = out.stat().st_size
    out.unlink()
    free = os.statvfs(tiny_tmp).f_bavail * os.statvfs(tiny_tmp).f_frsize
    filler.write_bytes(b"x" * max(0, free - size // 3))  # room for a third of the table only
    p = _cli(["audit", box, "-o", out, "--no-progress"], env=env, timeout=300)
    assert p.returncode == 2 and "磁盘空间已满" in p.stderr and "Traceback" not in p.stderr
    assert sorted(x.name for x in tiny_tmp.iterdir()) == ["填充"]


def test_collect_leaves_no_temporary_file_even_on_a_full_disk(tiny_tmp, tmp_path):
    template = write_template(FORM, 2026, tmp_path / "t.xlsx")
    box = tmp_path / "box"
    box.mkdir()
    for i in range(12):
        v = consistent_values(FORM, 2026)
        v["INFO_agency"] = f"第{i}局"
        fill(template, v, box / f"{i}.xlsx")
    env = {**os.environ, "TMPDIR": str(tiny_tmp)}
    out = tmp_path / "S.xlsx"
    (tiny_tmp / "填充").write_bytes(b"x" * (os.statvfs(tiny_tmp).f_bavail * os.statvfs(tiny_tmp).f_frsize - 60_000))
    p = _cli(["collect", box, "-o", out, "--no-progress", "--jobs", "2"], env=env, timeout=300)
    assert p.returncode == 2 and "Traceback" not in p.stderr, p.stderr
    assert sorted(x.name for x in tiny_tmp.iterdir()) == ["填充"]
    assert sorted(x.name for x in tmp_path.iterdir()) == ["box", "t.xlsx", "临时"]


def test_run_cli_in_process_still_works(tmp_path, capsys):
    code, _, err = run_cli(capsys, ["ingest", str(EXAMPLE)])
    assert code == 0, err

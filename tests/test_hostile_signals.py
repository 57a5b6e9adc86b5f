"""Ctrl-C and SIGTERM to a running parallel collect (real processes, real signals).

One Chinese line, exit 130 / 143, the worker processes gone, no temporary folder or database left,
no partial file in the output folder, the previous summary untouched.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fill import consistent_values, fill

from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.template.writer import write_template

FORM = form_for_year(2026)
FILES = 1500


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    d = tmp_path_factory.mktemp("signals")
    template = write_template(FORM, 2026, d / "template.xlsx")
    v = consistent_values(FORM, 2026)
    v["T3_new_natural"] += 1  # an error in every file: annotated copies are being written when the signal comes
    one = fill(template, v, d / "one.xlsx")
    box = d / "收件箱"
    box.mkdir()
    for i in range(FILES):
        os.link(one, box / f"{i:05d}.xlsx")
    return box


def _children(pid: int) -> set[int]:
    try:
        return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("sig,code,words", [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "Ctrl-C")])
def test_signal_ends_a_parallel_collect_cleanly(inbox, tmp_path, sig, code, words):
    out, ann, tmp = tmp_path / "输出", tmp_path / "退回", tmp_path / "tmp"
    out.mkdir()
    tmp.mkdir()
    previous = out / "汇总.xlsx"
    previous.write_bytes(b"the summary of last week")
    proc = subprocess.Popen(
        [sys.executable, "-m", "govinfo_xlsx", "collect", str(inbox), "-o", str(previous), "--json",
         str(out / "汇总.json"), "--jobs", "2", "--annotate-dir", str(ann), "--no-progress"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env={**os.environ, "TMPDIR": str(tmp)})
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (len(workers) < 2 or not ann.exists()):
        workers |= _children(proc.pid)
        time.sleep(0.05)
    assert len(workers) >= 2 and proc.poll() is None, "the batch ended before the signal could be sent"
    time.sleep(0.5)
    workers |= _children(proc.pid)
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)  # Ctrl-C: the terminal signals the whole process group
    else:
        proc.send_signal(sig)  # SIGTERM: to the main process only, as `kill` or a service manager does
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in stderr, stderr
    time.sleep(0.2)
    assert not [w for w in workers if _alive(w)], "worker processes outlived the run"
    assert list(tmp.iterdir()) == []  # no govinfo-collect-* folder, no collect.sqlite3
    assert sorted(p.name for p in out.iterdir()) == ["汇总.xlsx"]  # no JSON, no temporary file
    assert previous.read_bytes() == b"the summary of last week"
    assert not [p for p in ann.iterdir() if not p.name.endswith(".校验批注.xlsx")]  # no partial copy
    assert len(list(inbox.iterdir())) == FILES

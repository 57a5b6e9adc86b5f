"""Files made once per test run although both xdist workers need them (test helper).

Each worker asks for the same list of files; a worker claims a file (an exclusive ``.claim`` file
beside it), makes it under a temporary name and moves it into place, and skips the files the other
worker claimed, then waits for them.  Both workers starting together each make about half.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable, Sequence


def run_folder(tmp_path_factory, name: str) -> Path:
    """A folder every worker of this test run sees (under the run's base temp folder), created once."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # pytest-of-<user>/pytest-<n>/popen-gw<k>: the run's folder is the parent
    folder = base / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def make_once(jobs: Sequence[tuple[Path, Callable[[Path], object]]], timeout: float = 900) -> list[Path]:
    """The paths of ``jobs`` [(path, make)], each made once in this run: ``make(p)`` writes the file p.
    Raises when a file another worker claimed is not there after ``timeout`` seconds."""
    waiting = []
    for path, make in jobs:
        if path.exists():
            continue
        try:
            os.close(os.open(path.with_name(path.name + ".claim"), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            waiting.append(path)
            continue
        part = path.with_name(f".{os.getpid()}-{path.name}")
        make(part)
        os.replace(part, path)
    deadline = time.monotonic() + timeout
    for path in waiting:
        while not path.exists():
            if time.monotonic() > deadline:
                raise RuntimeError(f"{path} was claimed by another worker but not written in {timeout} s")
            time.sleep(0.05)
    return [path for path, _ in jobs]

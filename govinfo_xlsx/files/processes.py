"""Worker processes: how they start, and that they never outlive the run.

``GOVINFO_START_METHOD`` (``fork``, ``spawn`` or ``forkserver``) chooses how worker processes
start; the default is Python's (``spawn`` on Windows and macOS, where ``fork`` does not exist or is
unsafe).  The tests run ``--jobs N`` under each to show the results do not depend on it.

A worker dies with its parent, even when the parent is killed outright (SIGKILL, as the
out-of-memory killer sends): on Linux the kernel sends it SIGTERM when the parent goes
(``prctl(PR_SET_PDEATHSIG)``), and on every system a watchdog thread notices that its parent has
gone (the parent pid changes) and ends it.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from typing import Any

START_METHOD_ENV = "GOVINFO_START_METHOD"
WATCH_SECONDS = 1.0
_PR_SET_PDEATHSIG = 1


def context() -> Any:
    """The multiprocessing context for worker pools (``GOVINFO_START_METHOD``, else Python's default)."""
    import multiprocessing

    from ..errors import GovinfoError

    method = os.environ.get(START_METHOD_ENV, "").strip()
    if not method:
        return multiprocessing.get_context()
    if method not in multiprocessing.get_all_start_methods():
        raise GovinfoError(f"环境变量 {START_METHOD_ENV}={method} 无效，可用："
                           + "、".join(multiprocessing.get_all_start_methods()) + "。")
    return multiprocessing.get_context(method)


def die_with_parent(parent: int) -> None:
    """In a worker process: end (as on SIGTERM) as soon as process ``parent`` is gone."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
        except (OSError, AttributeError):  # no prctl (another libc): the watchdog alone
            pass
    if os.getppid() != parent:  # gone already, before the kernel was asked to tell us
        _parent_gone()
    threading.Thread(target=_watch, args=(parent,), name="govinfo-parent-watch", daemon=True).start()


def _watch(parent: int) -> None:
    import time

    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    _parent_gone()


def _parent_gone() -> None:
    from .atomic import remove_in_progress
    from .interrupt import EXIT_SIGTERM

    remove_in_progress()
    os._exit(EXIT_SIGTERM)

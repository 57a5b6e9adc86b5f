"""Ctrl-C and SIGTERM: end a run with one Chinese line and exit 130 / 143, never a traceback.

The handlers raise (``KeyboardInterrupt`` for SIGINT, ``Interrupted`` for SIGTERM), so every
``finally`` and ``with`` on the way out runs: worker processes are terminated, temporary files and
the batch's database are removed, an output being written is dropped before its rename (the
previous output stays).  A second signal during that clean-up is ignored rather than cutting it
short.  Worker processes ignore SIGINT (the terminal sends it to the whole process group; the main
process decides) and die at once on SIGTERM.
"""

from __future__ import annotations

import signal
from contextlib import contextmanager
from typing import Any, Iterator

EXIT_SIGINT, EXIT_SIGTERM = 128 + signal.SIGINT, 128 + signal.SIGTERM


class Interrupted(BaseException):
    """SIGTERM arrived. A BaseException, like KeyboardInterrupt, so that no ``except Exception`` that
    isolates one file from a batch can swallow it."""


def _ignore_further() -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)


def _on_sigint(signum: int, frame: Any) -> None:
    _ignore_further()
    raise KeyboardInterrupt


def _on_sigterm(signum: int, frame: Any) -> None:
    _ignore_further()
    raise Interrupted


@contextmanager
def handled() -> Iterator[None]:
    """Install the handlers for the duration of a command (main thread only), then restore them."""
    try:
        old = {sig: signal.signal(sig, handler) for sig, handler in
               ((signal.SIGINT, _on_sigint), (signal.SIGTERM, _on_sigterm))}
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


def _worker_sigterm(signum: int, frame: Any) -> None:
    import os

    from .atomic import remove_in_progress

    remove_in_progress()  # an annotated copy being written leaves no temporary file behind
    os._exit(EXIT_SIGTERM)


def in_worker() -> None:
    """For a worker process: ignore SIGINT, end at once on SIGTERM (whatever the parent had installed)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_sigterm)

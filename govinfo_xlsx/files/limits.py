"""Bounded cost per file: one published report is read in a process of its own, under limits.

A report read by ``extract`` or ``audit`` may be hostile (a few KB of ruled lines that cost a PDF
table finder minutes, a compressed-stream bomb, thousands of pages). Each file is therefore read in a
child process forked for it, with

- a CPU-time limit (``seconds``; the child is stopped when it is over, and killed a few seconds
  later if it does not stop; a generous wall-clock limit catches a child that waits instead),
- a memory limit (``memory_mb`` of address space more than the process had when it started),
- a page limit for PDFs (``pages``) and a text limit (``text_chars``), checked by the readers
  through ``active()``.

Whatever happens in the child, the caller gets the function's result or a ``LimitError`` (a
``GovinfoError``) whose message names the file and the reason in Chinese: 超时, 内存超限,
页数过多, 文字过多 or an abnormal end. Where ``os.fork`` does not exist (Windows) the function runs
in this process, with the page and text limits only.
"""

from __future__ import annotations

import math
import os
import pickle
import signal
import sys
from dataclasses import dataclass
from typing import Any, Callable

from ..errors import GovinfoError


@dataclass(frozen=True)
class Limits:
    seconds: float = 60.0  # CPU seconds per file
    memory_mb: int = 1536  # address space per file, beyond what the process held before
    pages: int = 200  # pages of a PDF
    text_chars: int = 5_000_000  # characters of text read from one file

    def describe(self) -> str:
        return f"每份文件限时 {self.seconds:g} 秒、内存 {self.memory_mb} MB、PDF 至多 {self.pages} 页"


DEFAULT = Limits()
WALL_FACTOR = 5  # a child may take this many times its CPU limit in wall-clock time (a busy machine)
KILL_GRACE = 5  # seconds of CPU past the limit before the kernel kills a child that did not stop
_active = DEFAULT


class LimitError(GovinfoError):
    """A file went over a limit (or its reading process ended abnormally); the message says which."""


class _OverTime(BaseException):
    """Raised in the child by SIGXCPU: a BaseException, so no ``except Exception`` swallows it."""


def active() -> Limits:
    """The limits the file being read is under (the readers check pages and text against them)."""
    return _active


def too_many_pages(name: str, pages: int) -> LimitError:
    return LimitError(f"{name}：页数过多（{pages} 页，上限 {_active.pages} 页），不像是一份年度报告，未读取。")


def too_much_text(name: str, chars: int) -> LimitError:
    return LimitError(f"{name}：文字过多（超过 {_active.text_chars:,} 字，已读到 {chars:,} 字），不像是一份年度报告，未读取。")


def over_time(name: str, limits: Limits) -> LimitError:
    return LimitError(f"{name}：超时（读取超过 {limits.seconds:g} 秒），已停止读取；文件可能含有异常复杂的内容。")


def over_memory(name: str, limits: Limits) -> LimitError:
    return LimitError(f"{name}：内存超限（读取需要超过 {limits.memory_mb} MB 内存），已停止读取；文件可能含有压缩炸弹等异常内容。")


def run_limited(name: str, func: Callable[..., Any], *args: Any, limits: Limits = DEFAULT) -> Any:
    """``func(*args)`` in a forked child under ``limits``; its result (which must pickle), or the
    GovinfoError it raised (as a GovinfoError with the same message), or a LimitError naming ``name``."""
    global _active
    if not hasattr(os, "fork"):  # pragma: no cover - Windows: no isolation, the readers' limits only
        previous, _active = _active, limits
        try:
            return func(*args)
        finally:
            _active = previous
    import ctypes  # noqa: F401 - loaded before the fork: the child asks the kernel to die with its parent
    import select
    import time
    import warnings

    read_end, write_end = os.pipe()
    parent = os.getpid()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # "multi-threaded, use of fork()" (3.12+)
        pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(write_end, parent, func, args, limits)
    os.close(write_end)
    chunks: list[bytes] = []
    status, usage, waited_too_long = 0, None, True
    try:
        deadline = time.monotonic() + limits.seconds * WALL_FACTOR + 10
        while time.monotonic() < deadline:
            ready, _, _ = select.select([read_end], [], [], min(deadline - time.monotonic(), 1.0))
            if ready:
                chunk = os.read(read_end, 1 << 20)
                if not chunk:
                    waited_too_long = False
                    break
                chunks.append(chunk)
    finally:
        os.close(read_end)
        try:
            os.kill(pid, signal.SIGKILL)  # gone already, or over the wall-clock limit, or interrupted
        except ProcessLookupError:
            pass
        _, status, usage = os.wait4(pid, 0)
    data = b"".join(chunks)
    kind, body = data[:1], data[1:]
    if kind == b"O" and not waited_too_long:
        try:
            return pickle.loads(body)
        except Exception:  # a result cut short: the child ended while writing it
            kind = b""
    if kind == b"E":
        raise GovinfoError(body.decode("utf-8", "replace"))
    if kind == b"L":
        raise LimitError(body.decode("utf-8", "replace"))
    if kind == b"M":
        raise over_memory(name, limits)
    if kind == b"X":
        raise LimitError(f"{name}：读取时出错（{body.decode('ascii', 'replace')}），文件可能已损坏，无法读取。")
    signalled = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
    cpu = usage.ru_utime + usage.ru_stime
    if kind == b"T" or waited_too_long or signalled == signal.SIGXCPU or cpu >= limits.seconds:
        raise over_time(name, limits)
    if signalled == signal.SIGKILL:
        raise over_memory(name, limits)  # the kernel's out-of-memory killer
    raise LimitError(f"{name}：读取时处理进程异常退出（{_how(status)}），文件可能已损坏，无法读取。")


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        try:
            return f"信号 {signal.Signals(os.WTERMSIG(status)).name}"
        except ValueError:
            return f"信号 {os.WTERMSIG(status)}"
    return f"退出码 {os.WEXITSTATUS(status)}"


def _child(fd: int, parent: int, func: Callable[..., Any], args: tuple, limits: Limits) -> None:
    """Run in the forked child: set the limits, run, write one status byte and the result, exit."""
    global _active
    code = 0
    try:
        _active = limits
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the terminal's Ctrl-C is the parent's to handle
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        import faulthandler

        faulthandler.disable()  # a crash of the child is reported by the parent, in one line
        _die_with(parent)
        _set_limits(limits)
        signal.signal(signal.SIGXCPU, _on_xcpu)
        try:
            payload = b"O" + pickle.dumps(func(*args), protocol=pickle.HIGHEST_PROTOCOL)
        except LimitError as e:
            payload = b"L" + str(e).encode("utf-8", "replace")
        except GovinfoError as e:
            payload = b"E" + str(e).encode("utf-8", "replace")
        _write_all(fd, payload)
    except _OverTime:
        _write_all(fd, b"T")
    except MemoryError:
        _write_all(fd, b"M")
    except BaseException as e:  # anything else: its name only (nothing that may need memory or time)
        try:
            _write_all(fd, b"X" + type(e).__name__.encode("ascii", "replace"))
        except BaseException:
            code = 1
    finally:
        os._exit(code)


def _on_xcpu(signum: int, frame: Any) -> None:
    signal.signal(signal.SIGXCPU, signal.SIG_IGN)
    raise _OverTime


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view[: 1 << 20]):]


def _die_with(parent: int) -> None:
    """Linux: the kernel kills this child when the process that forked it dies (SIGKILL included)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def _set_limits(limits: Limits) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a child stopped by the kernel leaves no core file
    seconds = max(1, math.ceil(limits.seconds))
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or hard > seconds + KILL_GRACE:
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + KILL_GRACE))
    memory = _address_space() + limits.memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > memory:
        try:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        except (ValueError, OSError):  # pragma: no cover - a platform without RLIMIT_AS
            pass


def _address_space() -> int:
    """The address space this process holds now (Linux: /proc/self/statm; elsewhere 0)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0

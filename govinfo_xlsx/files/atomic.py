"""Write output files atomically: a temporary file beside the target, then rename.

A failure to write (a full disk, a folder without write permission, a name too long for the file
system) is a ``WriteError`` naming the target file, never the temporary one, and leaves the target
as it was.
"""

from __future__ import annotations

import errno
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import GovinfoError

WHY = {
    errno.ENOSPC: "磁盘空间已满", errno.EDQUOT: "磁盘配额已用完", errno.EFBIG: "文件超出允许的大小",
    errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.EROFS: "磁盘为只读",
    errno.ENAMETOOLONG: "文件名过长", errno.ENOENT: "所在的目录不存在", errno.ENOTDIR: "所在位置不是目录",
    errno.EISDIR: "同名的目录已存在",
}


IN_PROGRESS: set[str] = set()  # temporary files being written in this process
DEFERRING: list = []  # outputs.Outputs of the run under way: their files are put in place together


class WriteError(GovinfoError):
    """An output file could not be written; the message names it."""

    def __init__(self, path: Path | str, error: BaseException, all_outputs: bool = False) -> None:
        self.path = Path(path)
        kept = "本次的输出均未写出，原有文件保持不变" if all_outputs else "原有文件（如有）保持不变"
        super().__init__(f"无法写入“{path}”：{why(error)}，{kept}。")


def why(error: BaseException) -> str:
    """A Chinese reason for an OSError (or an exception wrapping one, as xlsxwriter's FileCreateError)."""
    os_error = os_error_in(error)
    if os_error is None:
        return str(error) or type(error).__name__
    return WHY.get(os_error.errno or 0) or os_error.strerror or str(os_error)


def os_error_in(error: BaseException) -> OSError | None:
    """The OSError behind ``error``: itself, its first argument (xlsxwriter) or its cause."""
    for candidate in (error, *(error.args[:1]), error.__cause__, error.__context__):
        if isinstance(candidate, OSError):
            return candidate
    return None


@contextmanager
def atomic_path(path: Path, suffix: str = ".tmp") -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; renamed into place when the block succeeds.

    Nothing is left behind when writing fails (or the run is interrupted), and an existing target
    stays as it was."""
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:60]}.", suffix=suffix, dir=path.parent or ".")
    except OSError as e:
        raise WriteError(path, e) from None
    os.close(fd)
    IN_PROGRESS.add(tmp)
    batch = next((b for b in DEFERRING if b.covers(path)), None)
    deferred = False
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        if batch is not None:  # put in place with the run's other outputs (outputs.Outputs.commit)
            batch.defer(Path(tmp), path)
            deferred = True
        else:
            os.replace(tmp, path)
    except GovinfoError:
        raise
    except Exception as e:
        if os_error_in(e) is None:
            raise
        _release(e)
        raise WriteError(path, e) from None
    finally:
        IN_PROGRESS.discard(tmp)
        try:
            if not deferred:
                os.unlink(tmp)
        except FileNotFoundError:
            pass


def _release(error: BaseException) -> None:
    """Let go of what the failed writer still holds (xlsxwriter's open ZipFile, in the frames of the
    traceback) now, quietly: closed later, at exit, it would fail again on the full disk and print
    "Exception ignored ... Traceback" after our one line."""
    import gc
    import sys
    import traceback

    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        seen: set[int] = set()
        pending = [error]
        while pending:  # the error, the OSError it wraps, and what they were raised during
            e = pending.pop()
            if id(e) in seen:
                continue
            seen.add(id(e))
            traceback.clear_frames(e.__traceback__)
            pending += [x for x in (*e.args[:1], e.__cause__, e.__context__) if isinstance(x, BaseException)]
        gc.collect()
    finally:
        sys.unraisablehook = hook


def remove_in_progress() -> None:
    """Remove the temporary files of writes still under way (a worker process ended by a signal)."""
    for tmp in list(IN_PROGRESS):
        try:
            os.unlink(tmp)
        except OSError:
            pass


def write_bytes_atomic(path: Path, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def make_folder(folder: Path | str, target: Path | str | None = None) -> None:
    """Create an output folder (and its parents) that does not exist yet; WriteError naming ``target``
    (or the folder) when it cannot be."""
    folder = Path(folder)
    if folder.is_dir():
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise WriteError(target or folder, e) from None


def check_writable(path: Path | str, *, folder: bool = False) -> None:
    """Before a long run: can a file be created at ``path`` (or, with ``folder``, inside it)? Tries for
    real (a temporary file, removed at once), since permissions alone do not tell a full or read-only
    disk. Raises WriteError naming ``path``."""
    path = Path(path)
    where = path if folder else path.parent
    if not folder and path.is_dir():
        raise WriteError(path, IsADirectoryError(errno.EISDIR, "is a directory"))
    if not where.is_dir():
        raise WriteError(path, FileNotFoundError(errno.ENOENT, "no such directory"))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".govinfo-check.", dir=where)
    except OSError as e:
        raise WriteError(path, e) from None
    os.close(fd)
    os.unlink(tmp)

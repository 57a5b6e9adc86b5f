"""A run's outputs: checked before the batch, guarded against a second run, replaced together.

``with Outputs(files, folders) as outputs:`` (collect, audit)

- on entry, before any work: each output's folder is created; a file can be created there; an
  output is not a folder; it is not open in Excel (Excel's owner file ``~$NAME.xlsx`` beside it) and,
  on Windows, the existing file can be opened for writing (Excel holds an open workbook locked);
- for the whole run a lock file beside each output (``.~govinfo-lock.NAME``, an OS lock: one left by
  a killed run does not block the next) refuses a second run writing the same output;
- while the block runs, every ``atomic.atomic_path`` to one of the files, or into one of the folders,
  is deferred: written in full under a temporary name; ``commit()`` then puts them all in place,
  each previous output moved aside first, and on any failure puts back the ones already replaced:
  all or nothing.  Leaving the block without ``commit()`` removes what was written.

Each failure is one Chinese line (GovinfoError, exit 2) naming the output.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable

from . import atomic
from .atomic import WriteError, check_writable, make_folder, why
from ..errors import GovinfoError

LOCK_PREFIX = ".~govinfo-lock."  # ".~" names are skipped by collect's listing (collect/source.py)


class OutputBusy(GovinfoError):
    """An output is open in Excel or being written by another run."""


def excel_owner_files(path: Path) -> list[Path]:
    """The owner files Excel (and Word, WPS) keep beside an open document: ``~$`` and the name, or, for
    a long name, the name with its first two characters replaced."""
    names = {"~$" + path.name, "~$" + path.name[2:]} if len(path.name) > 2 else {"~$" + path.name}
    return [path.parent / n for n in sorted(names)]


def check_replaceable(path: Path) -> None:
    """Raise OutputBusy when ``path`` is open in Excel (an owner file beside it, or, on Windows, a file
    that cannot be opened for writing)."""
    for owner in excel_owner_files(path):
        if owner.exists():
            raise OutputBusy(f"“{path}”正在 Excel 或 WPS 中打开（旁边有锁定文件“{owner.name}”），无法替换："
                             "请先关闭它再运行（如已关闭，可删除该锁定文件）。")
    if os.name == "nt" and path.is_file():
        try:
            with open(path, "r+b"):
                pass
        except OSError as e:
            raise OutputBusy(f"“{path}”无法替换（{why(e)}，可能正在其他程序中打开）：请先关闭它再运行。") from None


def check_folder_replaceable(folder: Path) -> None:
    """Raise OutputBusy when a file of an output folder is open in Excel, WPS or Word (``~$data.csv``)."""
    owner = next(iter(sorted(Path(folder).glob("~$*"))), None)
    if owner is not None:
        raise OutputBusy(f"“{folder}”中有文件正在 Excel、WPS 或 Word 中打开（锁定文件“{owner.name}”），无法替换："
                         "请先关闭它再运行（如已关闭，可删除该锁定文件）。")


class _Lock:
    """An exclusive, non-blocking OS lock on a lock file; the file is removed on release."""

    def __init__(self, path: Path, output: Path) -> None:
        self.path, self.output, self.fd = path, output, -1

    def acquire(self) -> None:
        for _ in range(5):  # the file may be removed by its holder between our open and our lock
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as e:
                raise WriteError(self.output, e) from None
            if not _try_lock(fd):
                holder = _read_small(fd)
                os.close(fd)
                raise OutputBusy(f"“{self.output}”正由另一次运行写出{f'（进程 {holder}）' if holder else ''}，"
                                 "请等它结束后再运行（两次运行不能写同一输出）。")
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                self.fd = fd
                try:
                    os.ftruncate(fd, 0)
                    os.write(fd, str(os.getpid()).encode())
                except OSError:  # a full disk: the lock holds all the same
                    pass
                return
            os.close(fd)
        raise OutputBusy(f"“{self.output}”正由另一次运行写出，请等它结束后再运行。")

    def release(self) -> None:
        if self.fd < 0:
            return
        try:
            os.unlink(self.path)
        except OSError:
            pass
        os.close(self.fd)  # closing lets go of the lock
        self.fd = -1


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    except OSError:  # a file system without locks: go on unguarded rather than refuse every run
        return True


def _read_small(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip() if hasattr(os, "pread") else ""
    except OSError:
        return ""
    return text if text.isdigit() else ""


class Outputs:
    """The outputs of one run (see the module's doc)."""

    def __init__(self, files: Iterable[Path | str], folders: Iterable[Path | str] = ()) -> None:
        self.files = [Path(f) for f in files]
        self.folders = [Path(f) for f in folders]
        self.pending: dict[Path, Path] = {}  # target -> its complete temporary file
        self.written: list[Path] = []
        self._locks: list[_Lock] = []
        self._keys: set[Path] = set()
        self._folder_keys: set[Path] = set()

    # -- before the batch --------------------------------------------------------------------------
    def __enter__(self) -> "Outputs":
        seen: dict[Path, Path] = {}
        for f in self.files:
            if _key(f) in seen:
                raise GovinfoError(f"“{seen[_key(f)]}”和“{f}”是同一个文件：每个输出应各用一个文件名。")
            seen[_key(f)] = f
        for f in self.files:
            make_folder(f.parent, f)
            check_writable(f)
            check_replaceable(f)
        for d in self.folders:
            if d.exists() and not d.is_dir():
                raise GovinfoError(f"“{d}”不是目录。")
            make_folder(d)
            check_writable(d, folder=True)
            check_folder_replaceable(d)
        try:
            for f in self.files:
                self._lock(f.parent / (LOCK_PREFIX + f.name), f)
            for d in self.folders:
                self._lock(d / (LOCK_PREFIX.rstrip(".")), d)
        except BaseException:
            self._release()
            raise
        self._keys = {_key(f) for f in self.files}
        self._folder_keys = {_key(d / "x").parent for d in self.folders}
        atomic.DEFERRING.append(self)
        return self

    def _lock(self, path: Path, output: Path) -> None:
        lock = _Lock(path, output)
        lock.acquire()
        self._locks.append(lock)

    def __exit__(self, *exc: object) -> None:
        if self in atomic.DEFERRING:
            atomic.DEFERRING.remove(self)
        for tmp in self.pending.values():  # not committed: nothing of this run is left
            _unlink(tmp)
        self.pending.clear()
        self._release()

    def _release(self) -> None:
        for lock in self._locks:
            lock.release()
        self._locks.clear()

    # -- during the run (atomic.atomic_path) ---------------------------------------------------------
    def covers(self, path: Path) -> bool:
        k = _key(path)
        return k in self._keys or k.parent in self._folder_keys

    def defer(self, tmp: Path, path: Path) -> None:
        """``tmp`` holds ``path`` complete; put it in place at ``commit``."""
        old = self.pending.pop(path, None)
        if old is not None and old != tmp:
            _unlink(old)
        self.pending[path] = tmp

    # -- after it --------------------------------------------------------------------------------------
    def commit(self) -> list[Path]:
        """Put every written output in place, all or none; returns them in the order written."""
        done: list[tuple[Path, Path | None]] = []  # target, where its previous version was moved
        target = None
        try:
            for target, tmp in list(self.pending.items()):
                if os.path.lexists(target):
                    done.append((target, _aside(target)))
                    os.replace(tmp, target)
                else:
                    os.replace(tmp, target)
                    done.append((target, None))
                del self.pending[target]
        except OSError as e:
            self._roll_back(done)
            raise WriteError(target or Path("?"), e, all_outputs=True) from None
        except BaseException:  # interrupted in the middle: as if nothing was written
            self._roll_back(done)
            raise
        for _, backup in done:
            if backup is not None:
                _unlink(backup)
        self.written = [t for t, _ in done]
        return self.written

    def _roll_back(self, done: list[tuple[Path, Path | None]]) -> None:
        for target, backup in reversed(done):
            try:
                if backup is None:
                    os.unlink(target)
                elif os.path.lexists(backup):
                    os.replace(backup, target)
            except OSError:
                pass


def _aside(target: Path) -> Path:
    """Move an existing output to a temporary name beside it (to be removed, or put back)."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name[:60]}.", suffix=".old", dir=target.parent)
    os.close(fd)
    os.replace(target, name)
    return Path(name)


def _key(path: Path) -> Path:
    path = Path(path)
    return Path(os.path.realpath(path.parent)) / path.name


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass

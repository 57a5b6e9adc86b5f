"""One submitted file (``Source``): on disk, or a member of a zip archive.

The bottom of the batch's file handling: ``archive.py`` lists and reads zip
archives into sources, ``inbox.py`` walks files, folders and archives; both
build on this module and it imports neither.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..reading.intake import MAX_FILE_BYTES

SKIP_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}


@dataclass(frozen=True)
class Source:
    """One submitted file: on disk, or a member of a zip archive (perhaps inside another archive)."""

    label: str  # what the office sees: the path, or archive!member (always valid text)
    path: str  # the file on disk (the archive for a member); may hold surrogates (names in GBK bytes)
    member: str = ""  # the raw member name inside the archive, as zipfile lists it
    locator: str = ""  # the member's index in its archive ("3"; "3/5" inside an inner archive)
    error: str = ""  # known before reading: why this source cannot be read (an encrypted member, ...)
    time: float = 0.0  # a member's time as its archive stores it (seconds since the epoch; 0: unknown)
    data: bytes | None = field(default=None, compare=False, repr=False)  # a member's bytes, once read

    @property
    def name(self) -> str:
        return (self.label.rsplit("!", 1)[-1]).replace("\\", "/").rsplit("/", 1)[-1]

    def read(self) -> bytes:
        """The file's bytes. A file larger than any workbook is refused before it is read. A member's
        bytes are read by the batch's ``archive.ArchiveReader`` (which keeps the archive open and
        fills ``data``): collect and audit load every source through it before it is checked."""
        if self.data is not None:
            return self.data
        if self.error:
            raise SourceError(self.error)
        if self.locator:
            raise ValueError(f"{self.label}: a member of an archive is read by archive.ArchiveReader.load")
        from ..files.plainfile import not_plain

        special = not_plain(self.path)  # a FIFO or /proc/kmsg would block the worker for ever
        if special:
            raise SourceError(f"{special}，已跳过。")
        with open(self.path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise SourceError(too_big(size))
            return f.read(MAX_FILE_BYTES + 1)


class SourceError(OSError):
    """A source that cannot be read, with the Chinese reason (an OSError: whoever reads sources already
    handles that)."""


def unreadable(source: Source, e: OSError) -> str:
    """A batch row's error for a source whose bytes could not be read: the reason known for it (a
    ``SourceError``), else the system's."""
    if isinstance(e, SourceError):
        return f"{source.label}：{e}"
    return f"{source.label}：无法读取（{e.strerror or e}）。"


def read_into(source: Source, result: dict) -> bytes | None:
    """A worker's first step for one source: its bytes, with their SHA-256 in ``result["sha256"]``;
    None, with the reason in ``result["error"]``, where they cannot be read."""
    import hashlib

    try:
        data = source.read()
    except OSError as e:
        result["error"] = unreadable(source, e)
        return None
    result["sha256"] = hashlib.sha256(data).hexdigest()
    return data


def damaged_archive(e: Exception) -> str:
    """Why an archive (or a member) could not be read when it failed in a way nobody foresaw."""
    return f"读取压缩包时出错（{type(e).__name__}），文件可能已损坏：请重新打包后报送。"


def mb(n: int) -> int:
    return max(1, n // 1024 // 1024)


def too_big(size: int) -> str:
    return f"文件过大（{mb(size)} MB，上限 {mb(MAX_FILE_BYTES)} MB），不像是年度报告填报表，已拒绝读取。"


def skipped(name: str) -> bool:
    """Files a batch ignores: system files, Office lock files, macOS resource forks."""
    base = name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return (not base or base.lower() in SKIP_NAMES or base.startswith(("~$", ".~", "._"))
            or "__MACOSX/" in name.replace("\\", "/"))

"""Find the submitted files: plain files, folders (recursive) and zip archives (``archive.py``).

Zip archives made on Chinese Windows store file names in GBK without the
UTF-8 flag; Python reads those as cp437, so the names are re-decoded here.
Files on disk whose names are GBK bytes (as Linux ``unzip`` leaves them) are
opened by their real name and shown decoded (``safetext.readable_name``).
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..errors import GovinfoError
from ..intake import MAX_FILE_BYTES
from ..safetext import readable_name

SKIP_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}
UTF8_FLAG = 0x800


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
        """The file's bytes. A file larger than any workbook is refused before it is read; members are
        normally read by the batch's ``ArchiveReader`` (which keeps the archive open)."""
        if self.data is not None:
            return self.data
        if self.error:
            raise SourceError(self.error)
        if self.locator:
            from .archive import ArchiveReader

            with ArchiveReader() as reader:
                return reader.load(self).read()
        with open(self.path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_FILE_BYTES:
                from .archive import too_big

                raise SourceError(too_big(size))
            return f.read(MAX_FILE_BYTES + 1)


class SourceError(OSError):
    """A source that cannot be read, with the Chinese reason (an OSError: whoever reads sources already
    handles that)."""


def decode_member_name(info: zipfile.ZipInfo) -> str:
    """The real name of a zip member: UTF-8 when flagged, else GBK (GB18030), else as read."""
    if info.flag_bits & UTF8_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return info.filename


def skipped(name: str) -> bool:
    """Files a batch ignores: system files, Office lock files, macOS resource forks."""
    base = name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return (not base or base.lower() in SKIP_NAMES or base.startswith(("~$", ".~", "._"))
            or "__MACOSX/" in name.replace("\\", "/"))


def _walk(folder: str) -> Iterator[str]:
    """Files under a folder, one at a time: no listing of a large folder is held, and plain strings
    rather than pathlib (which interns every file name it parses)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(entry.path)
            elif not skipped(entry.name) and entry.is_file():
                yield entry.path


def iter_sources(paths: list[str]) -> Iterator[Source]:
    """Every submitted file under the given paths, in no particular order (the caller sorts)."""
    from .archive import list_members

    for p in map(str, paths):
        for f in _walk(p) if os.path.isdir(p) else iter([p]):
            label = readable_name(f)
            if f.lower().endswith(".zip"):
                yield from list_members(f, label)
            else:
                yield Source(label, f)


def check_paths(paths: list[str]) -> None:
    for p in map(Path, paths):
        if not p.exists():
            raise GovinfoError(f"{p}：文件或目录不存在。")

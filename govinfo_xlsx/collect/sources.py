"""Find the submitted files: plain files, folders (recursive) and zip archives.

Zip archives made on Chinese Windows store file names in GBK without the
UTF-8 flag; Python reads those as cp437, so the names are re-decoded here.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import GovinfoError
from ..intake import MAX_FILE_BYTES

SKIP_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}
UTF8_FLAG = 0x800


@dataclass(frozen=True)
class Source:
    """One submitted file: on disk, or a member of a zip archive."""

    label: str  # what the office sees: the path, or archive!member
    path: str  # the file on disk (the archive for a member)
    member: str = ""  # the raw member name inside the archive, as zipfile lists it

    @property
    def name(self) -> str:
        return (self.label.rsplit("!", 1)[-1]).replace("\\", "/").rsplit("/", 1)[-1]

    def read(self) -> bytes:
        if not self.member:
            with open(self.path, "rb") as f:
                return f.read()
        with zipfile.ZipFile(self.path) as z:
            info = z.getinfo(self.member)
            if info.file_size > MAX_FILE_BYTES:
                raise OSError("压缩包中的文件解压后过大")
            return z.read(info)


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


def _skipped(name: str) -> bool:
    base = name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return (not base or base.lower() in SKIP_NAMES or base.startswith(("~$", ".~", "._"))
            or "__MACOSX/" in name.replace("\\", "/"))


def _zip_sources(path: str) -> Iterator[Source]:
    try:
        with zipfile.ZipFile(path) as z:
            infos = [i for i in z.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError):
        yield Source(str(path), str(path))  # reported as unreadable by the worker
        return
    for info in infos:
        name = decode_member_name(info)
        if not _skipped(name):
            yield Source(f"{path}!{name}", str(path), info.filename)


def _walk(folder: str) -> Iterator[str]:
    """Files under a folder, one at a time: no listing of a large folder is held, and plain strings
    rather than pathlib (which interns every file name it parses)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(entry.path)
            elif not _skipped(entry.name) and entry.is_file():
                yield entry.path


def iter_sources(paths: list[str]) -> Iterator[Source]:
    """Every submitted file under the given paths, in no particular order (the caller sorts)."""
    for p in map(str, paths):
        for f in _walk(p) if os.path.isdir(p) else iter([p]):
            if f.lower().endswith(".zip"):
                yield from _zip_sources(f)
            else:
                yield Source(f, f)


def check_paths(paths: list[str]) -> None:
    for p in map(Path, paths):
        if not p.exists():
            raise GovinfoError(f"{p}：文件或目录不存在。")

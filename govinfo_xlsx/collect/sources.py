"""Find the submitted files: plain files, folders (recursive) and zip archives.

Zip archives made on Chinese Windows store file names in GBK without the
UTF-8 flag; Python reads those as cp437, so the names are re-decoded here.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

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
            return Path(self.path).read_bytes()
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


def _zip_sources(path: Path) -> list[Source]:
    try:
        with zipfile.ZipFile(path) as z:
            infos = [i for i in z.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError):
        return [Source(str(path), str(path))]  # reported as unreadable by the worker
    out = []
    for info in infos:
        name = decode_member_name(info)
        if not _skipped(name):
            out.append(Source(f"{path}!{name}", str(path), info.filename))
    return sorted(out, key=lambda s: s.label)


def find_sources(paths: list[str]) -> list[Source]:
    """Every submitted file under the given paths, in a stable order."""
    out: list[Source] = []
    for p in map(Path, paths):
        if not p.exists():
            raise GovinfoError(f"{p}：文件或目录不存在。")
        if p.is_dir():
            files = []
            for root, dirs, names in os.walk(p):
                dirs.sort()
                files += [Path(root) / n for n in sorted(names) if not _skipped(n)]
        else:
            files = [p]
        for f in files:
            out += _zip_sources(f) if f.suffix.lower() == ".zip" else [Source(str(f), str(f))]
    return out

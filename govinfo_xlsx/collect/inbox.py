"""Find the submitted files of a batch (its inbox): plain files, folders (recursive) and zip archives (``archive.py``).

Each is a ``source.Source``. Files on disk whose names are GBK bytes (as Linux ``unzip`` leaves them) are
opened by their real name and shown decoded (``safetext.readable_name``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from ..errors import GovinfoError
from ..files.safetext import readable_name
from .archive import list_members
from .source import Source, damaged_archive, skipped


def _walk(folder: str) -> Iterator[str]:
    """Files under a folder, one at a time: no listing of a large folder is held, and plain strings
    rather than pathlib (which interns every file name it parses)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(entry.path)
            elif not skipped(entry.name) and (entry.is_file() or _special(entry)):
                yield entry.path  # (a FIFO or device becomes a row saying so: Source.read never opens it)


def _special(entry: os.DirEntry) -> bool:
    """A FIFO, device or socket (what ``is_file`` and ``is_dir`` are not), or a link to one."""
    import stat

    try:
        mode = entry.stat().st_mode
    except OSError:  # a broken link
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISSOCK(mode)


def iter_sources(paths: list[str]) -> Iterator[Source]:
    """Every submitted file under the given paths, in no particular order (the caller sorts)."""
    for p in map(str, paths):
        for f in _walk(p) if os.path.isdir(p) else iter([p]):
            label = readable_name(f)
            if f.lower().endswith(".zip"):
                yield from _members(f, label)
            else:
                yield Source(label, f)


def _members(path: str, label: str) -> Iterator[Source]:
    """An archive's members; an archive that fails in a way nobody foresaw becomes one unreadable
    source, and the batch goes on."""
    try:
        yield from list_members(path, label)
    except Exception as e:  # a damaged archive must never stop the batch
        yield Source(label, path, error=damaged_archive(e))


def check_paths(paths: list[str]) -> None:
    for p in map(Path, paths):
        if not p.exists():
            raise GovinfoError(f"{p}：文件或目录不存在。")

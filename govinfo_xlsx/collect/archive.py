"""Zip archives in a batch: listed once, read member by member with the archive kept open.

A coordinating office receives archives of every kind: made on Chinese Windows (GBK names without
the UTF-8 flag), password-protected, damaged in transit (a bad CRC, cut off), holding another
archive, holding two files of one name, or tens of thousands of files.  Each case becomes a row
with a reason the office can act on; nothing stops the batch.

Cost is linear in the number of members: the central directory is read once to list the members
(``list_members``), and ``ArchiveReader`` keeps the archive being read open, so the members (which
come back in label order, one archive's members together) are each a seek and a decompression,
never a re-reading of the directory.  Member count, member size, the total size and the nesting
depth are bounded.

Zip archives made on Chinese Windows store file names in GBK without the UTF-8 flag; Python reads
those as cp437, so the names are re-decoded here (``decode_member_name``).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import replace
from typing import IO, Iterator

from ..reading.intake import DAMAGED_ZIP, MAX_FILE_BYTES
from .source import Source, damaged_archive, mb, skipped, too_big

MAX_MEMBERS = 100_000  # per archive; a province has a few thousand reporting agencies
MAX_TOTAL_BYTES = 20 * 1024**3  # uncompressed, per archive
MAX_DEPTH = 2  # an archive inside an archive is read; one more level is reported
MAX_NESTED_BYTES = 512 * 1024 * 1024  # an inner archive is held in memory while its members are read
ENCRYPTED_FLAG = 0x1
UTF8_FLAG = 0x800

DAMAGED = "压缩包已损坏或不完整（可能下载或传输中断），无法列出其中的文件：请重新打包后发送。"
ENCRYPTED = "加密的压缩包：请解压或提供不加密的文件。"
BAD_MEMBER = "压缩包中的这个文件已损坏（校验不符或数据不完整）：请重新打包后发送。"


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


def list_members(path: str, label: str) -> Iterator[Source]:
    """The sources in the archive at ``path`` (shown as ``label``), including those of archives inside
    it; a damaged or oversized archive is one source carrying its error."""
    try:
        with open(path, "rb") as f:
            yield from _list(f, path, label, "", 1)
    except OSError as e:
        yield Source(label, path, error=f"无法读取压缩包（{e.strerror or e}）。")


def _list(fileobj: IO[bytes], path: str, label: str, prefix: str, depth: int) -> Iterator[Source]:
    try:
        z = zipfile.ZipFile(fileobj)
        infos = z.infolist()
    except DAMAGED_ZIP:
        yield Source(label, path, locator=prefix, error=DAMAGED)
        return
    problem = _archive_problem(z, infos)
    if problem:
        yield Source(label, path, locator=prefix, error=problem)
        return
    seen: dict[str, int] = {}
    for index, info in enumerate(infos):
        if info.is_dir():
            continue
        name = decode_member_name(info)
        if skipped(name):
            continue
        n = seen[name] = seen.get(name, 0) + 1
        shown = f"{label}!{name}" + (f"（第{n}个同名文件）" if n > 1 else "")
        locator = f"{prefix}/{index}" if prefix else str(index)
        source = Source(shown, path, info.filename, locator=locator, time=_stored_time(info))
        error = _member_problem(info)
        if error:
            yield replace(source, error=error)
        elif name.lower().endswith(".zip"):
            yield from _nested(z, info, source, depth)
        else:
            yield source


def _stored_time(info: zipfile.ZipInfo) -> float:
    """The member's time from the archive's directory (read with the listing: re-submissions order an
    agency's files by it without opening the archive again); 0 when it is no date."""
    try:
        return dt.datetime(*info.date_time).timestamp()
    except (ValueError, OverflowError, OSError, TypeError):
        return 0.0


def _nested(z: zipfile.ZipFile, info: zipfile.ZipInfo, source: Source, depth: int) -> Iterator[Source]:
    if depth >= MAX_DEPTH:
        yield replace(source, error=f"压缩包嵌套过深（超过{MAX_DEPTH}层）：请解压后把其中的文件直接发送。")
        return
    if info.file_size > MAX_NESTED_BYTES:
        yield replace(source, error=f"压缩包中的压缩包过大（{mb(info.file_size)} MB）：请解压后分别发送。")
        return
    try:
        data = _read(z, info, MAX_NESTED_BYTES)
    except _MemberError as e:
        yield replace(source, error=str(e))
        return
    yield from _list(io.BytesIO(data), source.path, source.label, source.locator, depth + 1)


def _archive_problem(z: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> str:
    if len(infos) > MAX_MEMBERS:
        return f"压缩包中的文件过多（{len(infos)} 个，上限 {MAX_MEMBERS} 个）：请分成几个压缩包发送。"
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_BYTES:
        return f"压缩包解压后过大（{mb(total)} MB）：请分成几个压缩包发送。"
    files = [i for i in infos if not i.is_dir()]
    if files and all(i.flag_bits & ENCRYPTED_FLAG for i in files):
        return ENCRYPTED
    declared = _declared_count(z)
    if declared is not None and declared != len(infos):
        return DAMAGED
    end = getattr(z, "start_dir", None)
    if end is not None and any(i.header_offset + i.compress_size > end for i in infos):
        return DAMAGED
    return ""


def _declared_count(z: zipfile.ZipFile) -> int | None:
    """The number of entries the end-of-archive record declares (a cut-off archive lists fewer)."""
    try:
        fp = z.fp
        if fp is None:
            return None
        endrec = zipfile._EndRecData(fp)  # the same record ZipFile read; not kept by it
        return None if endrec is None else endrec[zipfile._ECD_ENTRIES_TOTAL]
    except (AttributeError, OSError, IndexError):
        return None


def _member_problem(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & ENCRYPTED_FLAG:
        return ENCRYPTED
    if info.file_size > MAX_FILE_BYTES and not info.filename.lower().endswith(".zip"):
        return too_big(info.file_size)
    return ""


class _MemberError(Exception):
    """A member cannot be read; the message is the Chinese reason."""


def _read(z: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """A member's bytes, never more than ``limit`` (a size field can lie), its CRC checked."""
    try:
        with z.open(info) as f:
            data = f.read(limit + 1)
    except RuntimeError:  # "File ... is encrypted, password required"
        raise _MemberError(ENCRYPTED) from None
    except NotImplementedError:
        raise _MemberError(f"压缩方式不受支持（方式 {info.compress_type}）：请用标准的 zip 格式重新打包。") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zipfile.LargeZipFile):
        raise _MemberError(BAD_MEMBER) from None
    except Exception:  # zlib.error and the like: the data is damaged
        raise _MemberError(BAD_MEMBER) from None
    if len(data) > limit:
        raise _MemberError(too_big(len(data)))
    return data


class ArchiveReader:
    """Reads members, keeping the current archive (and inner archive) open between calls."""

    def __init__(self) -> None:
        self._path: str | None = None
        self._file: IO[bytes] | None = None
        self._zip: zipfile.ZipFile | None = None
        self._infos: list[zipfile.ZipInfo] = []
        self._inner_key: tuple[str, str] | None = None
        self._inner: tuple[zipfile.ZipFile, list[zipfile.ZipInfo]] | None = None

    def __enter__(self) -> "ArchiveReader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
        if self._file is not None:
            self._file.close()
        self._path, self._file, self._zip, self._infos = None, None, None, []
        self._inner_key, self._inner = None, None

    def load(self, source: Source) -> Source:
        """``source`` with its bytes (a member) or its error; a plain file is returned as it is (the
        worker reads it)."""
        if source.error or not source.locator:
            return source
        try:
            return replace(source, data=self._member(source))
        except _MemberError as e:
            return replace(source, error=str(e))
        except Exception as e:  # a damaged archive must never stop the batch
            return replace(source, error=damaged_archive(e))

    def _member(self, source: Source) -> bytes:
        z, infos = self._open(source.path)
        steps = [int(i) for i in source.locator.split("/")]
        for depth, index in enumerate(steps[:-1]):
            key = (source.path, "/".join(map(str, steps[: depth + 1])))
            if self._inner_key != key:
                data = _read(z, infos[index], MAX_NESTED_BYTES)
                try:
                    inner = zipfile.ZipFile(io.BytesIO(data))
                except DAMAGED_ZIP:
                    raise _MemberError(DAMAGED) from None
                self._inner_key, self._inner = key, (inner, inner.infolist())
            assert self._inner is not None
            z, infos = self._inner
        return _read(z, infos[steps[-1]], MAX_FILE_BYTES)

    def _open(self, path: str) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
        if self._path != path:
            self.close()
            try:
                self._file = open(path, "rb")
                self._zip = zipfile.ZipFile(self._file)
            except DAMAGED_ZIP:
                self.close()
                raise _MemberError(DAMAGED) from None
            self._path, self._infos = path, self._zip.infolist()
        assert self._zip is not None
        return self._zip, self._infos

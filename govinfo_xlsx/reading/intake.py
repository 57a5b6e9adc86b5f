"""Checks on an untrusted file before any parser sees it.

Refuses, with a Chinese message naming the file, everything that is not a
plain xlsx package: missing files, directories, old .xls and encrypted files
(OLE containers), macro workbooks, damaged or truncated zips, zip bombs
(limits on members, total size and compression ratio) and XML with a DTD
(entity expansion), which no genuine xlsx part contains.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UnreadableWorkbookError

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 2000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_MEMBER_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, per member ...
# ... for members above this size only: every text cell of the template filled with 32,767 repeated
# characters (Excel's limit) makes a sheet of a few MB that compresses a thousandfold, and is no bomb
RATIO_FROM = 16 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CHUNK = 256 * 1024
KEEP_BYTES = 16 * 1024  # XML parts up to this size are read whole once, checked and kept for the reader
PROLOG_CHUNK = 4096
PROLOG_FIRST = 512  # a prolog is a few dozen bytes: inflate that much first, then PROLOG_CHUNK at a time
# the parts of a workbook the reader reads; the others (styles, theme, document properties) are only
# checked, which needs no more than their prolog
READ_PARTS = ("xl/worksheets/", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "docProps/custom.xml")
# what opening a damaged zip or reading a damaged member raises: zlib.error is no OSError (a flipped
# bit in deflated data gives it); NotImplementedError is a version or compression method zipfile does
# not know (a damaged header says "version 8.4"); RuntimeError an encrypted member
DAMAGED_ZIP = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError,
               NotImplementedError, RuntimeError)
DAMAGED_MESSAGE = "文件已损坏或不完整（可能下载或传输中断），请重新保存后报送。"


@dataclass(frozen=True)
class Package:
    """A checked xlsx package held in memory (the file is read exactly once, and each of its parts
    decompressed at most once)."""

    path: Path | str
    data: bytes
    zip: zipfile.ZipFile
    parts: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)

    def read(self, name: str) -> bytes:
        part = self.parts.get(name)
        if part is None:
            part = _inflate(self.data, self.zip.getinfo(name))
            if part is None:
                try:
                    part = self.zip.read(name)
                except DAMAGED_ZIP:
                    raise UnreadableWorkbookError(f"{self.path}：{DAMAGED_MESSAGE}") from None
            self.parts[name] = part
        return part

    def has(self, name: str) -> bool:
        return name in self.zip.NameToInfo


def open_package(path: Path | str, data: bytes | None = None, kind: str = "xlsx") -> Package:
    """Check and open a package; ``data`` are its bytes when they do not come from ``path``
    (a member of a zip archive, say), and ``path`` then only names it in messages.
    ``kind`` is "xlsx" (a workbook) or "docx" (a Word document)."""
    if data is None:
        path = Path(path)
    # else ``path`` stays the caller's label: a batch names thousands of files, and pathlib would
    # intern every one of those names
    shown = str(path)

    def fail(why: str) -> UnreadableWorkbookError:
        return UnreadableWorkbookError(f"{shown}：{why}")

    if data is None:
        if not path.exists():
            raise fail("文件不存在，请检查文件名和路径。")
        if path.is_dir():
            raise fail("这是一个目录，不是 xlsx 文件。")
        from ..files.plainfile import not_plain

        if not_plain(path):  # never opened: a FIFO or /proc/kmsg blocks for ever
            raise fail(not_plain(path) + "，已拒绝读取。")
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise fail(f"文件过大（{size // 1024 // 1024} MB），不像是年度报告填报表，已拒绝读取。")
            data = path.read_bytes()
        except OSError as e:
            raise fail(f"无法读取文件（{e.strerror}）。") from None
    elif len(data) > MAX_FILE_BYTES:
        raise fail(f"文件过大（{len(data) // 1024 // 1024} MB），不像是年度报告填报表，已拒绝读取。")
    if data.startswith(OLE_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            raise fail("文件设置了打开密码（已加密），请在 Excel 或 WPS 中取消打开密码后重新报送。")
        raise fail("这是旧版 Excel（.xls）文件，请用本年度的 xlsx 填报模板填写后报送。")
    if not data.startswith(b"PK"):
        raise fail("不是 xlsx 文件（文件内容不是 Office Open XML 格式），请使用填报模板。")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except DAMAGED_ZIP:
        raise fail(DAMAGED_MESSAGE) from None
    if len(infos) > MAX_MEMBERS:
        raise fail("文件内部结构异常（压缩包成员过多），已拒绝读取。")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > MAX_MEMBER_UNCOMPRESSED or total > MAX_UNCOMPRESSED or (
            info.file_size > RATIO_FROM and ratio > MAX_RATIO
        ):
            raise fail("文件解压后体积异常（疑似压缩炸弹），已拒绝读取。")
    names = {i.filename for i in infos}
    types = None
    if kind == "docx":
        if "word/document.xml" not in names:
            raise fail("不是 Word 文档（.docx）。")
    elif "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise fail("这是 Word 文档，不是 Excel 填报表。")
        raise fail("不是 xlsx 工作簿（缺少 xl/workbook.xml），请使用填报模板。")
    elif "xl/vbaProject.bin" in names or (types := _content_types(zf, fail, data)).find(b"macroEnabled") >= 0:
        raise fail("这是启用宏的工作簿（.xlsm），请另存为 .xlsx 后报送。")
    parts: dict[str, bytes] = {}
    for info in infos:
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        if types is not None and info is zf.NameToInfo.get("[Content_Types].xml"):  # read whole above
            dtd = bool(_prolog_verdict(_as_utf8(types)))  # None: it ends inside its prolog, no DTD
        elif info.file_size <= KEEP_BYTES and (kind != "xlsx" or info.filename.startswith(READ_PARTS)):
            part = parts[info.filename] = _read(zf, info, fail, data)
            part = _as_utf8(part)
            # rfind: CPython's backward search is several times faster than ``in`` on XML, whose
            # frequent quotes and brackets slow the forward one (same answer)
            dtd = part.rfind(b"<!DOCTYPE") >= 0 or part.rfind(b"<!ENTITY") >= 0
        else:  # larger parts are decompressed only if and when the reader needs them
            dtd = _prolog_has_dtd(zf, info, fail, data)
        if dtd:
            raise fail("文件中含有不安全的 XML 声明（DOCTYPE/ENTITY），已拒绝读取。")
    return Package(path, data, zf, parts)


def _raw_member(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """The stored bytes of a plain (unencrypted, deflated or stored) member, from its local header;
    None for anything else."""
    if info.flag_bits & 1 or info.compress_type not in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
        return None
    at = info.header_offset
    if data[at:at + 4] != b"PK\x03\x04":
        return None
    start = at + 30 + int.from_bytes(data[at + 26:at + 28], "little") + int.from_bytes(data[at + 28:at + 30], "little")
    return data[start:start + info.compress_size]


def _inflate(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """A plain deflated or stored member inflated straight from the package's bytes, its size and
    CRC checked (zipfile's file objects cost more than the inflating); None for anything else,
    which zipfile then reads."""
    raw = _raw_member(data, info)
    if raw is None:
        return None
    try:
        # bounded by the declared size: a member that inflates past it is refused, never expanded
        out = raw if info.compress_type == zipfile.ZIP_STORED \
            else zlib.decompressobj(-15).decompress(raw, info.file_size + 1)
    except zlib.error:
        return None
    return out if len(out) == info.file_size and zlib.crc32(out) == info.CRC else None


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo, fail, data: bytes = b"") -> bytes:
    out = _inflate(data, info) if data else None
    if out is not None:
        return out
    try:
        return zf.read(info)
    except DAMAGED_ZIP:
        raise fail(DAMAGED_MESSAGE) from None


def _prolog_has_dtd(zf: zipfile.ZipFile, info: zipfile.ZipInfo, fail, data: bytes = b"") -> bool:
    """Whether an XML member declares a DTD, read only as far as its root element: a document type
    declaration can stand only in the prolog (XML 1.0, 2.8), before the first element.  A UTF-16
    part (byte order mark) is decoded first."""
    raw = _raw_member(data, info) if data else None
    if raw is not None:  # a plain member: its first bytes inflated straight from the package's bytes
        d = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
        try:
            head = d.decompress(raw, PROLOG_FIRST) if d else raw[:PROLOG_FIRST]
            while True:
                verdict = _prolog_verdict(_as_utf8(head))
                if verdict is not None:
                    return verdict
                more = (d.decompress(d.unconsumed_tail, PROLOG_CHUNK) if d
                        else raw[len(head):len(head) + PROLOG_CHUNK])
                if not more:
                    break
                head += more
        except zlib.error:
            pass  # damaged: zipfile reads it below and says so
        else:
            return False  # the part ended inside its prolog: not well-formed, but no DTD either
    head = b""
    try:
        with zf.open(info) as f:
            while chunk := f.read(PROLOG_CHUNK):
                head += chunk
                verdict = _prolog_verdict(_as_utf8(head))
                if verdict is not None:
                    return verdict
    except DAMAGED_ZIP:
        raise fail(DAMAGED_MESSAGE) from None
    return False  # the part ended inside its prolog: not well-formed, but no DTD either


def _as_utf8(text: bytes) -> bytes:
    """A UTF-16 part (byte order mark) as UTF-8, up to its last whole code unit; others as they are."""
    if text.startswith((b"\xff\xfe", b"\xfe\xff")):
        return text[: len(text) // 2 * 2].decode("utf-16", errors="ignore").encode()
    return text


def _prolog_verdict(head: bytes) -> bool | None:
    """True: a DTD; False: the root element starts first; None: need more bytes."""
    at = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while True:
        at = head.find(b"<", at)
        if at < 0 or len(head) < at + 9:
            return None
        if head.startswith(b"<?", at):
            end = head.find(b"?>", at)
        elif head.startswith(b"<!--", at):
            end = head.find(b"-->", at)
        elif head.startswith(b"<!", at):
            return True  # <!DOCTYPE, or anything else that is not an element
        else:
            return False
        if end < 0:
            return None
        at = end + 2


def _content_types(zf: zipfile.ZipFile, fail, data: bytes = b"") -> bytes:
    try:
        info = zf.getinfo("[Content_Types].xml")
        return (_inflate(data, info) if data else None) or zf.read(info)
    except KeyError:
        raise fail("不是 xlsx 工作簿（缺少 [Content_Types].xml）。") from None
    except DAMAGED_ZIP:
        raise fail(DAMAGED_MESSAGE) from None

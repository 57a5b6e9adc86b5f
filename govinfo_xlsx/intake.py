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
from dataclasses import dataclass
from pathlib import Path

from .errors import UnreadableWorkbookError

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
# what reading a damaged member raises: zlib.error is no OSError, a flipped bit in deflated data gives it
DAMAGED_ZIP = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError)
DAMAGED_MESSAGE = "文件已损坏或不完整（可能下载或传输中断），请重新保存后报送。"


@dataclass(frozen=True)
class Package:
    """A checked xlsx package held in memory (the file is read exactly once)."""

    path: Path | str
    data: bytes
    zip: zipfile.ZipFile

    def read(self, name: str) -> bytes:
        try:
            return self.zip.read(name)
        except DAMAGED_ZIP:
            raise UnreadableWorkbookError(f"{self.path}：{DAMAGED_MESSAGE}") from None

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
    except (zipfile.BadZipFile, OSError, ValueError):
        raise fail("文件已损坏或不完整（可能下载或传输中断），请重新保存后报送。") from None
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
    if kind == "docx":
        if "word/document.xml" not in names:
            raise fail("不是 Word 文档（.docx）。")
    elif "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise fail("这是 Word 文档，不是 Excel 填报表。")
        raise fail("不是 xlsx 工作簿（缺少 xl/workbook.xml），请使用填报模板。")
    elif "xl/vbaProject.bin" in names or _content_types(zf, fail).find(b"macroEnabled") >= 0:
        raise fail("这是启用宏的工作簿（.xlsm），请另存为 .xlsx 后报送。")
    for info in infos:
        if info.filename.endswith((".xml", ".rels", ".vml")) and _has_dtd(zf, info, fail):
            raise fail("文件中含有不安全的 XML 声明（DOCTYPE/ENTITY），已拒绝读取。")
    return Package(path, data, zf)


def _has_dtd(zf: zipfile.ZipFile, info: zipfile.ZipInfo, fail) -> bool:
    """Whether an XML member declares a DTD anywhere (streamed, chunk by chunk)."""
    tail = b""
    try:
        with zf.open(info) as f:
            while chunk := f.read(CHUNK):
                window = tail + chunk
                if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                    return True
                tail = window[-16:]
    except (*DAMAGED_ZIP, NotImplementedError):
        raise fail(DAMAGED_MESSAGE) from None
    return False


def _content_types(zf: zipfile.ZipFile, fail) -> bytes:
    try:
        return zf.read("[Content_Types].xml")
    except KeyError:
        raise fail("不是 xlsx 工作簿（缺少 [Content_Types].xml）。") from None
    except DAMAGED_ZIP:
        raise fail(DAMAGED_MESSAGE) from None

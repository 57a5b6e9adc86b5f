"""Hostile inputs a coordinating office really receives (test helper): damaged workbooks and archives.

Everything here edits the bytes of a valid workbook the way another program (or an attacker) would:
a cell's XML replaced, a zip member with a bad CRC, an encrypted member, names in GBK bytes, and so on.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from typing import Callable


def members(xlsx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def rebuild(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def edit_members(xlsx: bytes, edit: Callable[[str, bytes], bytes]) -> bytes:
    return rebuild({name: edit(name, data) for name, data in members(xlsx).items()})


def sheet_part(xlsx: bytes, sheet: str) -> str:
    """The package part of a sheet, by its name (as workbook.xml and its rels say)."""
    parts = members(xlsx)
    book, rels = parts["xl/workbook.xml"].decode(), parts["xl/_rels/workbook.xml.rels"].decode()
    for m in re.finditer(r"<sheet\b[^>]*>", book):
        tag = m.group(0)
        if f'name="{sheet}"' in tag:
            rid = re.search(r'r:id="([^"]+)"', tag).group(1)
            target = re.search(rf'<Relationship\b[^>]*Id="{rid}"[^>]*>', rels).group(0)
            path = re.search(r'Target="([^"]+)"', target).group(1)
            return path.lstrip("/") if path.startswith("/") else "xl/" + path
    raise KeyError(sheet)


def set_cell_xml(xlsx: bytes, sheet: str, ref: str, inner: str, t: str | None = "n", style: str | None = None) -> bytes:
    """Replace one cell's XML: ``inner`` is what goes between <c> and </c> (e.g. "<v>NaN</v>"),
    ``t`` the cell type attribute (None: none), ``style`` an s= index (None: keep the cell's own)."""
    part = sheet_part(xlsx, sheet)
    pattern = re.compile(rf'<c r="{ref}"(?P<attrs>[^>]*?)(?:/>|>.*?</c>)', re.S)

    def edit(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        text = data.decode("utf-8")
        m = pattern.search(text)
        assert m, f"{ref} not in {part}"
        s = re.search(r's="(\d+)"', m.group("attrs"))
        attrs = f' s="{style}"' if style is not None else (f' s="{s.group(1)}"' if s else "")
        attrs += f' t="{t}"' if t else ""
        return (text[:m.start()] + f'<c r="{ref}"{attrs}>{inner}</c>' + text[m.end():]).encode("utf-8")

    return edit_members(xlsx, edit)


def date_style(xlsx: bytes, sheet: str, ref: str) -> str:
    """The s= index of a cell (a date cell of the template keeps its date format)."""
    text = members(xlsx)[sheet_part(xlsx, sheet)].decode()
    return re.search(rf'<c r="{ref}"[^>]*?s="(\d+)"', text).group(1)


# -- archives -------------------------------------------------------------------------------------

def zip_of(members: list[tuple[str, bytes]], gbk: bool = False) -> bytes:
    """A zip archive of (name, bytes); duplicate names are kept (as some tools write them)."""
    import warnings

    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        warnings.simplefilter("ignore")  # "Duplicate name"
        for name, data in members:
            info = GbkInfo(name) if gbk else zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return out.getvalue()


class GbkInfo(zipfile.ZipInfo):
    """A member named in GBK without the UTF-8 flag, as Chinese Windows writes them."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits


def _patch_headers(archive: bytes, patch: Callable[[bytearray, int, bool], None], only: str | None = None) -> bytes:
    """Apply ``patch(buffer, offset, central)`` to every local header and central-directory entry
    (of the member named ``only``, if given)."""
    buf = bytearray(archive)
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        infos = [i for i in z.infolist() if only is None or i.filename == only]
        start = z.start_dir
    for info in infos:
        patch(buf, info.header_offset, False)
    pos = start
    while buf[pos:pos + 4] == b"PK\x01\x02":
        n, m, k = struct.unpack("<HHH", buf[pos + 28:pos + 34])
        name = bytes(buf[pos + 46:pos + 46 + n])
        if only is None or name == only.encode():
            patch(buf, pos, True)
        pos += 46 + n + m + k
    return bytes(buf)


def encrypted(archive: bytes, only: str | None = None) -> bytes:
    """The archive with its members flagged as encrypted (what a password-protected zip says)."""
    def patch(buf: bytearray, pos: int, central: bool) -> None:
        at = pos + (8 if central else 6)
        flags = struct.unpack("<H", buf[at:at + 2])[0] | 0x1
        buf[at:at + 2] = struct.pack("<H", flags)
    return _patch_headers(archive, patch, only)


def bad_crc(archive: bytes, only: str | None = None) -> bytes:
    """The archive with a wrong CRC-32 recorded for its members (data damaged in transit)."""
    def patch(buf: bytearray, pos: int, central: bool) -> None:
        at = pos + (16 if central else 14)
        crc = struct.unpack("<I", buf[at:at + 4])[0]
        buf[at:at + 4] = struct.pack("<I", crc ^ 0xDEADBEEF)
    return _patch_headers(archive, patch, only)


def unknown_version(archive: bytes, only: str | None = None) -> bytes:
    """The archive whose central directory says its members need zip version 8.4 to extract (a
    damaged header: zipfile refuses to list such an archive with NotImplementedError)."""
    def patch(buf: bytearray, pos: int, central: bool) -> None:
        if central:
            buf[pos + 6:pos + 8] = struct.pack("<H", 84)
    return _patch_headers(archive, patch, only)


def crc_of(data: bytes) -> int:
    return zlib.crc32(data)


# -- running the commands as a user would -----------------------------------------------------------

def run_cli(capsys, argv: list[str]) -> tuple[int, str, str]:
    """main(argv) in this process: (exit code, stdout, stderr); never a traceback on either stream."""
    from govinfo_xlsx.cli import main

    code = main(argv)
    captured = capsys.readouterr()
    for stream in (captured.out, captured.err):
        assert "Traceback" not in stream and "Error:" not in stream, stream
        assert "\x1b" not in stream and "\u202e" not in stream, stream
    assert code in (0, 1, 2), code
    return code, captured.out, captured.err


def collect_rows(capsys, paths: list, out_dir, *extra: str) -> tuple[int, list[dict], str]:
    """``collect PATHS -o OUT_DIR/汇总.xlsx --json OUT_DIR/汇总.json``: (exit code, rows, stderr).
    Asserts that the summary and JSON were written and nothing else was left in OUT_DIR."""
    import json
    from pathlib import Path

    out_dir = Path(out_dir)
    out_dir.mkdir(exist_ok=True)
    summary, js = out_dir / "汇总.xlsx", out_dir / "汇总.json"
    code, out, err = run_cli(capsys, ["collect", *map(str, paths), "-o", str(summary), "--json", str(js),
                                      "--no-progress", *extra])
    assert code in (0, 1), err
    assert sorted(p.name for p in out_dir.iterdir()) == ["汇总.json", "汇总.xlsx"]
    doc = json.loads(js.read_text(encoding="utf-8"), parse_constant=_no_constants)
    return code, doc["rows"], err


def _no_constants(name: str):
    raise AssertionError(f"JSON holds {name}")


def snapshot(folder) -> dict[str, tuple]:
    """Every file under a folder with its size, modification time and hash (to show that inputs are never
    modified; files over 100 MB, sparse test files, are compared by size and time)."""
    import hashlib
    from pathlib import Path

    out = {}
    for p in sorted(Path(folder).rglob("*")):
        if p.is_file():
            st = p.stat()
            digest = hashlib.sha256(p.read_bytes()).hexdigest() if st.st_size < 100 * 1024**2 else ""
            out[str(p.relative_to(folder))] = (st.st_size, st.st_mtime_ns, digest)
    return out

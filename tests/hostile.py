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
from pathlib import Path
from typing import Callable, Iterator


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


# -- published reports: small PDFs and pages that cost a reader far more than their size ---------------

def pdf_of(contents: list[bytes], *, compress: bool = False, raw_streams: list[bytes] | None = None,
           encrypt: bool = False) -> bytes:
    """A PDF with one page per content stream (Helvetica as /F1), written by hand: no PDF library is
    needed to build what a hostile sender builds. ``raw_streams``: already-encoded FlateDecode page
    contents (a stream bomb); ``encrypt``: an /Encrypt dictionary in the trailer (a password PDF)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    add(b"")  # 1: catalog, filled below
    add(b"")  # 2: pages
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids = []
    streams = [(zlib.compress(c) if compress else c, compress) for c in contents]
    streams += [(s, True) for s in raw_streams or []]
    for data, flate in streams:
        filt = b" /Filter /FlateDecode" if flate else b""
        content = add(b"<< /Length %d%s >>\nstream\n" % (len(data), filt) + data + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (content, font)))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    trailer_extra = b""
    if encrypt:
        enc = add(b"<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 /O <%s> /U <%s> >>"
                  % (b"11" * 32, b"22" * 32))
        trailer_extra = b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (enc, b"33" * 16, b"33" * 16)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    return bytes(out)


def text_page(lines: list[str]) -> bytes:
    """A page content stream writing ASCII lines top to bottom."""
    out = [b"BT /F1 9 Tf 40 800 Td 11 TL"]
    for line in lines:
        out.append(b"(" + line.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
                   + b") '")
    out.append(b"ET")
    return b"\n".join(out)


def ruled_pdf(lines: int) -> bytes:
    """One page of ``lines`` full-width horizontal rules crossed by ``lines`` columns of short vertical
    ticks, one tick across each rule, the ticks not touching each other: lines × lines crossings that
    form no cell, which pdfplumber's table finder tries pair by pair (its cost grows about as the
    fourth power of ``lines``: a few KB take minutes)."""
    dy, dx = 780 / lines, 555 / lines
    ops = [b"0.5 w"]
    for i in range(lines):
        y = 20 + i * dy
        ops.append(b"20 %.1f m 575 %.1f l S" % (y, y))
        for j in range(lines):
            x = 22 + j * dx
            ops.append(b"%.1f %.1f m %.1f %.1f l S" % (x, y - 2, x, y + 2))
    return pdf_of([b"\n".join(ops) + b"\n" + text_page(["Annual report"])], compress=True)


def stream_bomb_pdf(megabytes: int) -> bytes:
    """A PDF whose one page's content is a FlateDecode stream of ``megabytes`` MB of spaces (about a
    thousandth of that on disk). Built without compressing it all: one flushed block repeated."""
    chunk = b" " * (1 << 20)
    z = zlib.compressobj(9)
    first = z.compress(chunk) + z.flush(zlib.Z_FULL_FLUSH)
    again = z.compress(chunk) + z.flush(zlib.Z_FULL_FLUSH)
    adler = 1
    for _ in range(megabytes):
        adler = zlib.adler32(chunk, adler)
    data = first + again * (megabytes - 1) + b"\x03\x00" + struct.pack(">I", adler)
    return pdf_of([], raw_streams=[data])


def many_pages_pdf(pages: int, lines_per_page: int = 60) -> bytes:
    """A text-heavy PDF of ``pages`` pages (compressed: a few hundred bytes a page)."""
    line = "Lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore"
    return pdf_of([text_page([f"{p}.{i} {line}" for i in range(lines_per_page)]) for p in range(pages)],
                  compress=True)


def docx_of(body_xml: str) -> bytes:
    """A minimal Word file whose body is ``body_xml`` (w: elements), written by hand (fast at any size)."""
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
        'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '</Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {ns}><w:body>{body_xml}</w:body>'
                             '</w:document>',
    }
    return rebuild({k: v.encode("utf-8") for k, v in parts.items()})


def docx_paragraph(text: str) -> str:
    from xml.sax.saxutils import escape

    return f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>"


def docx_row(cells: list[str]) -> str:
    """A one-row table."""
    from xml.sax.saxutils import escape

    tcs = "".join(f"<w:tc><w:p><w:r><w:t>{escape(c)}</w:t></w:r></w:p></w:tc>" for c in cells)
    return f"<w:tbl><w:tr>{tcs}</w:tr></w:tbl>"


def small_tmpfs(mnt: Path, size: str) -> Iterator[Path]:
    """A fixture's body: ``mnt`` made and mounted as a tmpfs of ``size`` (needs root, as in the
    project's CI container; the test is skipped elsewhere), unmounted afterwards."""
    import subprocess

    import pytest

    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here (not root)")
    yield mnt
    subprocess.run(["umount", str(mnt)], check=False)

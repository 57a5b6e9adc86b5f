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

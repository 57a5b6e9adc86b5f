"""Workbook-structure protection, which xlsxwriter does not write.

``lock_structure`` inserts ``<workbookProtection lockStructure="1"/>`` into
``xl/workbook.xml`` (after ``<workbookPr>``, before ``<bookViews>``, as the
schema orders them) and rewrites the zip with the same member order, dates and
compression, so the output stays deterministic.
"""

from __future__ import annotations

import io
import zipfile
from typing import Callable, Mapping


def _hash(password: str) -> str:
    # The legacy 16-bit hash of ECMA-376 Part 4 §14.7.1, the same that
    # xlsxwriter uses for sheet protection.
    from xlsxwriter.worksheet import Worksheet

    return Worksheet._encode_password(None, password)  # type: ignore[arg-type]


def lock_structure(xlsx: bytes, password: str | None = None,
                   edits: Mapping[str, Callable[[bytes], bytes]] | None = None) -> bytes:
    """The workbook with its structure locked; ``edits`` rewrite other members on the way."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    attrs = 'lockStructure="1"'
    if password:
        attrs = f'workbookPassword="{_hash(password)}" ' + attrs
    element = f"<workbookProtection {attrs}/>".encode()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                marker = b"<bookViews>"
                if marker not in data or b"<workbookProtection" in data:
                    raise ValueError("unexpected xl/workbook.xml from xlsxwriter")
                data = data.replace(marker, element + marker, 1)
            elif edits and info.filename in edits:
                data = edits[info.filename](data)
            dst.writestr(info, data, compress_type=info.compress_type)
    return out.getvalue()

"""A1 cell addresses, in one place (as XlsxWriter keeps them in its ``utility``): column letters
and numbers, ``a1`` and its inverse.

XlsxWriter's own ``xlsxwriter.utility`` is not used here because this module is on the reading
path (``reader``, ``ingest``), which loads no xlsxwriter at all (importing it costs ~30 ms of every
``ingest``'s start); the writers that already hold xlsxwriter may call either.
"""

from __future__ import annotations


def column_letters(col: int) -> str:
    """1-based column number -> letters: 1 -> "A", 27 -> "AA" ("" for 0)."""
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_number(letters: bytes | str) -> int:
    """Letters -> 1-based column number: "A" -> 1, b"AA" -> 27 (case-insensitive)."""
    n = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        n = n * 26 + ord(ch) - 64
    return n


def a1(row: int, col: int, absolute: bool = True) -> str:
    """Zero-based (row, col) -> "$B$3" (or "B3" when not ``absolute``)."""
    d = "$" if absolute else ""
    return f"{d}{column_letters(col + 1)}{d}{row + 1}"


def row_col(ref: str) -> tuple[int, int]:
    """The inverse of ``a1``: "B3" -> (2, 1), zero-based (no $ signs)."""
    letters = "".join(ch for ch in ref if ch.isalpha())
    return int(ref[len(letters):]) - 1, column_number(letters) - 1

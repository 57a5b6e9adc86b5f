"""Lists longer than a worksheet holds: continued on further sheets, never cut silently.

A worksheet holds 1,048,576 rows, one of them the header. A list with more rows (the findings of a
very large batch, the claims of an audit) fills its sheet up to the last row but one, says in the last
row where it goes on, and goes on in “title（续）”, “title（续2）”… with the same header.
"""

from __future__ import annotations

from itertools import chain, islice
from typing import Any, Callable, Iterable, Iterator

MAX_ROWS = 1_048_575  # rows below the header row of one worksheet


def list_sheet(wb: Any, title: str, columns: Iterable[tuple[str, float]], head: Any) -> Any:
    """A new sheet for a list a reviewer reads and prints: A4 landscape, fit to the page's width, the
    header row (``columns``: label and width) frozen and repeated on every printed page."""
    ws = wb.add_worksheet(title)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.freeze_panes(1, 0)
    for c, (label, width) in enumerate(columns):
        ws.write_string(0, c, label, head)
        ws.set_column(c, c, width)
    return ws


def sheet_name(title: str, k: int) -> str:
    """The k-th sheet of a list: the title, then title（续）, title（续2）…"""
    return title if k == 0 else f"{title}（续{k if k > 1 else ''}）"


def continued(add_sheet: Callable[[str], Any], title: str, rows: Iterable[Any],
              write: Callable[[Any, Iterator[Any]], int], note_row: Callable[[str], Any]) -> list[tuple[Any, int]]:
    """Write ``rows`` over as many sheets as they need: ``add_sheet(name)`` makes a sheet,
    ``write(ws, rows)`` writes its header and the rows it is given and returns how many it wrote,
    ``note_row(text)`` makes the row that says where a full sheet goes on. Returns (sheet, rows written)."""
    rest: Iterator[Any] = iter(rows)
    sheets: list[tuple[Any, int]] = []
    while True:
        name, following = sheet_name(title, len(sheets)), sheet_name(title, len(sheets) + 1)
        carry: list[Any] = []

        def part(name: str = name, following: str = following, carry: list[Any] = carry) -> Iterator[Any]:
            yield from islice(rest, MAX_ROWS - 1)
            tail = list(islice(rest, 2))
            if len(tail) < 2:  # the sheet holds what is left
                yield from tail
                return
            carry.extend(tail)
            yield note_row(f"本表已达 Excel 工作表的行数上限（{MAX_ROWS + 1:,} 行），其余各行见“{following}”表。")

        ws = add_sheet(name)
        sheets.append((ws, write(ws, part())))
        if not carry:
            return sheets
        rest = chain(carry, rest)

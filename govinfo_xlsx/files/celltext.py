"""Values written into spreadsheet cells (CSV or xlsx): never a formula, never cut without saying so.

Text in a report or a workbook comes from agencies and web pages: an agency named
``=HYPERLINK("http://…","点此")`` or a cell holding ``=cmd|' /C calc'!A0`` or ``@SUM(1)`` is a formula
(or a DDE command) to Excel, LibreOffice and WPS when they open a CSV. One function per destination,
used by every writer:

- ``csv_cell``: text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
  leading apostrophe (``'=HYPERLINK(…)``), and so does text that already starts with an apostrophe.
  Reading back is therefore exact: drop one leading apostrophe from any text that starts with one
  (``from_csv_cell``). Numbers stay numbers: -5 is a number, only the text "-5" gets the apostrophe.
- ``xlsx_text`` / ``write_value``: xlsx cells are written with ``write_string`` (never a formula or a
  link, whatever the text); text longer than a cell holds (32,767 characters) is cut with a note in the
  cell saying so and how long it was; the JSON outputs keep it whole.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
XLSX_MAX_CHARS = 32_767  # what one Excel cell holds


CSV_NOTE = ("CSV 中以 =、+、-、@、制表符或回车开头的文字（电子表格会当作公式或命令）前加了一个英文撇号（'），"
            "原文以撇号开头的也多加一个；读取时去掉开头的一个撇号即得原文。数字不加。")


def csv_cell(value: Any) -> Any:
    """``value`` for a CSV cell: text a spreadsheet would take for a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, ESCAPE)):
        return ESCAPE + value
    return value


def from_csv_cell(text: str) -> str:
    """The text ``csv_cell`` was given (one leading apostrophe dropped)."""
    return text[1:] if text.startswith(ESCAPE) else text


def cut_note(length: int) -> str:
    return f"……（此处截断：全文 {length:,} 字，超过 Excel 单元格上限 {XLSX_MAX_CHARS:,} 字；全文见 JSON 输出）"


def xlsx_text(text: str) -> str:
    """``text`` as an xlsx cell holds it: whole, or cut with a note saying so."""
    if len(text) <= XLSX_MAX_CHARS:
        return text
    note = cut_note(len(text))
    return text[: XLSX_MAX_CHARS - len(note)] + note


def write_value(ws: Any, row: int, col: int, v: Any, fmt: Any = None) -> None:
    """One cell of a list sheet in its Excel type: empty as blank, numbers as numbers (not True/False),
    anything else as text (write_string: never taken for a formula or a link; cut with a note if longer
    than a cell holds)."""
    if v is None or v == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(v, (int, float)) and not isinstance(v, bool):
        ws.write_number(row, col, v, fmt)
    else:
        ws.write_string(row, col, xlsx_text(str(v)), fmt)

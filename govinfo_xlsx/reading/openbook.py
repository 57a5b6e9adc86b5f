"""A workbook opened with openpyxl (annotating a clerk's copy, reading a reviewer's summary), quietly.

openpyxl warns on stderr, in English, about things it mends as it loads (a workbook saved by Gnumeric
has no default style, an unknown extension is dropped, a date out of range becomes an error cell).
Those lines mean nothing to a clerk or a reviewer and say nothing about the report: what matters is
found and said by the checks.  Every openpyxl load of a file the user gave goes through here.
"""

from __future__ import annotations

import warnings
from typing import IO, Any


def load_book(source: str | IO[bytes], **options: Any) -> Any:
    """``openpyxl.load_workbook(source, **options)`` without openpyxl's own warnings."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")
        return openpyxl.load_workbook(source, **options)

"""An annotated copy of the clerk's workbook: problem cells red, with a comment each."""

from __future__ import annotations

import io
from collections import defaultdict
from pathlib import Path

from .atomic import write_bytes_atomic
from .findings import ValidationReport
from .safetext import xml_text

FILL = "FFC7CE"


def annotate(report: ValidationReport, source: bytes, out: Path) -> Path:
    """Write a copy of ``source`` (the workbook bytes) with the findings marked."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    wb = openpyxl.load_workbook(io.BytesIO(source))
    notes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for f in report.sorted_findings():
        if f.cell and f.sheet in wb.sheetnames:
            said = f"\n说明：{f.explanation}" if f.explanation else ""
            notes[(f.sheet, f.cell)].append(f"[{f.rule}] {f.severity.value}：{f.message}{said}")
    fill = PatternFill("solid", fgColor=FILL)
    for (sheet, cell), texts in notes.items():
        c = wb[sheet][cell]
        c.fill = fill
        comment = Comment(xml_text("\n".join(texts)), "govinfo-xlsx")  # clerk text may hold control characters
        comment.width, comment.height = 320, 40 + 60 * len(texts)
        c.comment = comment
    buf = io.BytesIO()
    wb.save(buf)
    write_bytes_atomic(out, buf.getvalue())
    return out

"""Build, once, what the first reading in a process builds: the readers' modules, both declarations,
their label indexes, the compiled patterns.

An audit reads every report in a process forked for it (``files.limits.run_limited``); whatever the
reading builds in that process is lost when it ends.  ``warm()`` builds it in the process that forks, so
each forked reading starts with it (an audit of 30 short texts: 7.4 s before, 1.1 s after).  It reads a
short report of each format, as text and as a web page, written from the declarations; nothing it does
can fail the caller.
"""

from __future__ import annotations

import html
from typing import Any, Callable

_done = False


def warm(read: Callable[[str, bytes], Any] | None = None) -> None:
    """Once per process: ``read(name, data)`` (default: ``extract``) on each sample, after loading every
    reader's library."""
    global _done
    if _done:
        return
    _done = True
    try:
        import importlib

        from ..forms import all_forms
        from .run import extract

        for module in ("bs4", "docx", "pdfplumber", "opencc"):  # each reader's library
            try:
                importlib.import_module(module)
            except ImportError:  # pragma: no cover - an optional reader missing: its files say so
                pass
        reader = read or (lambda name, data: extract(name, data=data))
        for form in all_forms():
            lines = _sample(form)
            page = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
            for name, text in (("warm.txt", "\n".join(lines)),
                               ("warm.html", f"<html><head><title>{lines[0]}</title></head><body>{page}</body></html>")):
                reader(name, text.encode("utf-8"))
    except Exception:  # noqa: BLE001 - only a head start: the real reading reports its own trouble
        pass


def _sample(form) -> list[str]:  # noqa: ANN001 - forms.model.Form
    year = form.first_year
    t3, t4 = form.table3, form.table4
    zeros = " ".join("0" for _ in t3.columns)
    lines = [f"某某局{year}年政府信息公开工作年度报告"]
    for part in form.parts:
        lines.append(part.title)
        if part.number == "三":
            lines += [t3.title, *(f"{row.label} {zeros}" for row in t3.data_rows())]
        elif part.number == "四":
            lines += [t4.title, " ".join("0" for _ in t4.groups for _ in t4.columns)]
        elif part.number == "二":
            lines += [form.table2.title, *(f"{row.label} 0" for block in form.table2.blocks for row in block.rows)]
    return lines

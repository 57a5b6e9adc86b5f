"""The report's formats by name, in one light place (the command line's help lists them without
importing a renderer).

A format is its name here, its renderer in ``render.RENDERERS`` (the report context in, the file's
bytes out; a text format renders its template ``templates/report.<name>.j2``), and the file suffix
``.<name>``.  ``FORMATS`` are written by ``ingest -o`` by default; ``EXTRA_FORMATS`` only when asked
for by name.  Beside every format the report's data are written as JSON.
"""

from __future__ import annotations

FORMATS: dict[str, str] = {"docx": "Word", "html": "网页", "md": "Markdown"}
EXTRA_FORMATS: dict[str, str] = {"graphic": "图解，PNG 和 SVG"}  # report/graphic.py


def described(formats: dict[str, str]) -> str:
    """``docx（Word）、html（网页）…`` for help texts."""
    return "、".join(f"{name}（{what}）" for name, what in formats.items())

"""Golden copies of the template's XML parts, pretty-printed for readable diffs.

Update them after an intended change with:  python scripts/update_golden.py
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.dom import minidom

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
# (form id, report year, agency) of each golden template
GOLDEN_CASES = [("gov-2019", 2020, None), ("gov-2021", 2026, "示例市示例局")]


def pretty_parts(xlsx: bytes) -> dict[str, str]:
    parts = {}
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        for name in z.namelist():
            data = z.read(name)
            parts[name] = minidom.parseString(data).toprettyxml(indent="  ")
    return parts


def build_case(form_id: str, year: int, agency: str | None) -> bytes:
    from govinfo_xlsx.forms import get_form
    from govinfo_xlsx.template.writer import build_template

    return build_template(get_form(form_id), year, agency=agency)


def golden_dir(form_id: str, year: int) -> Path:
    return GOLDEN_DIR / f"{form_id}-{year}"


REPORT_DIR = GOLDEN_DIR / "report"


def example_report_files() -> dict[str, bytes]:
    """The Markdown and HTML report of the bundled example."""
    from govinfo_xlsx.examples import EXAMPLE_XLSX
    from govinfo_xlsx.checks.ingest import ingest
    from govinfo_xlsx.report.context import build_context
    from govinfo_xlsx.report.render import render_html, render_markdown

    context = build_context(ingest(EXAMPLE_XLSX))
    return {"yongkang-2020.md": render_markdown(context), "yongkang-2020.html": render_html(context)}


def write_golden() -> list[Path]:
    import shutil

    written = []
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    for name, data in example_report_files().items():
        (REPORT_DIR / name).write_bytes(data)
        written.append(REPORT_DIR / name)
    for form_id, year, agency in GOLDEN_CASES:
        d = golden_dir(form_id, year)
        shutil.rmtree(d, ignore_errors=True)  # parts of the template
        for name, text in pretty_parts(build_case(form_id, year, agency)).items():
            path = d / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written

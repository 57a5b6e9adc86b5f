"""Render the report files (DOCX, HTML, Markdown, JSON) for a validated workbook."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from ..atomic import write_bytes_atomic
from ..errors import GovinfoError
from ..findings import ValidationReport
from .context import build_context

FORMATS = ("docx", "html", "md")
TEMPLATES = Path(__file__).resolve().parent / "templates"


def _env() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html.j2"]),
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.filters["md"] = lambda s: str(s).replace("|", "\\|").replace("\n", " ")
    env.filters["label"] = _html_label
    return env


def _html_label(cell: dict[str, Any]) -> Any:
    """A table label for HTML: a short label's words joined by <wbr> (the cell keeps its words
    whole: CSS word-break keep-all), a long label as it is."""
    from markupsafe import Markup, escape

    if not cell.get("units"):
        return escape(cell["text"])
    return Markup("<wbr>").join(escape(u) for u in cell["units"])


def render_html(context: dict[str, Any]) -> bytes:
    from .docx import column_bounds, table_layout, table_size

    widths, min_widths, wide = {}, {}, {}
    for key, grid in context["tables"].items():  # the DOCX layout's proportions, from the content
        cols, wide[key] = table_layout(grid, key)  # wide: turned sideways in the DOCX
        share = [w / sum(cols) for w in cols]
        widths[key] = [f"{100 * f:.1f}" for f in share]
        # narrowest table in which every column still holds its widest word or figure (in em of the
        # table's text; a tenth more for bold headers and the browser's fonts)
        low, _ = column_bounds(grid, table_size(key))
        min_widths[key] = f"{1.1 * max(lo / table_size(key) / f for lo, f in zip(low, share)):.1f}"
    return _env().get_template("report.html.j2").render(
        **context, col_widths=widths, min_widths=min_widths, wide=wide).encode("utf-8")


def render_markdown(context: dict[str, Any]) -> bytes:
    text = _env().get_template("report.md.j2").render(**context)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.lstrip("\n").encode("utf-8")


def _render_docx(context: dict[str, Any]) -> bytes:
    from .docx import render_docx

    return render_docx(context)


RENDERERS: dict[str, Callable[[dict[str, Any]], bytes]] = {
    "docx": _render_docx, "html": render_html, "md": render_markdown,
}


def parse_formats(text: str) -> tuple[str, ...]:
    wanted = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise GovinfoError(f"未知的报告格式：{'、'.join(unknown) or '（空）'}；可用：{','.join(FORMATS)}")
    return wanted


def report_stem(report: ValidationReport) -> str:
    stem = f"{report.agency}{report.year}年政府信息公开工作年度报告" if report.agency and report.year else Path(
        report.path).stem
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in stem)


def write_report(report: ValidationReport, outdir: Path, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write the chosen formats plus the JSON data into outdir; returns the paths written."""
    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise GovinfoError(f"输出位置“{outdir}”不是目录。")
    outdir.mkdir(parents=True, exist_ok=True)
    context = build_context(report)
    stem = report_stem(report)
    written = []
    for fmt in formats:
        path = outdir / f"{stem}.{fmt}"
        write_bytes_atomic(path, RENDERERS[fmt](context))
        written.append(path)
    path = outdir / f"{stem}.json"
    write_bytes_atomic(path, (json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    written.append(path)
    return written

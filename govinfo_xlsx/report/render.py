"""Render the report files (DOCX, HTML, Markdown, JSON) for a validated workbook."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any, Callable

from ..files.atomic import atomic_path
from ..errors import GovinfoError
from ..checks.findings import ValidationReport, json_text
from ..files.safetext import Names, file_stem, markdown, xml_text
from . import formats
from .context import build_context

FORMATS = tuple(formats.FORMATS)  # written by default
EXTRA_FORMATS = tuple(formats.EXTRA_FORMATS)  # made only when asked for by name: the 图解, PNG and SVG (graphic.py)
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
    env.filters["md"] = lambda s: str(s).replace("\n", " ")  # context strings are escaped already
    env.filters["label"] = _html_label
    return env


def _html_label(cell: dict[str, Any]) -> Any:
    """A table label for HTML: a short label's words joined by <wbr> (the cell keeps its words
    whole: CSS word-break keep-all), a long label as it is."""
    from markupsafe import Markup, escape

    if not cell.get("units"):
        return escape(cell["text"])
    return Markup("<wbr>").join(escape(u) for u in cell["units"])


def _strings(value: Any, fn: Callable[[str], str]) -> Any:
    """A copy of a plain-data context with ``fn`` applied to every string in it."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, dict):
        return {k: _strings(v, fn) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_strings(v, fn) for v in value]
    return value


TABLE_FONT_PX = 14  # 10.5pt, the HTML tables' text
PAGE_PADDING_PX = 48  # the body's padding and a scroll bar beside the table's box


def render_html(context: dict[str, Any]) -> bytes:
    from .context import place_cells
    from .docx import column_bounds, table_layout, table_size

    widths, min_widths, wide, narrow, narrow_total, sticky, phone = {}, {}, {}, {}, {}, {}, {}
    for key, grid in context["tables"].items():  # the DOCX layout's proportions, from the content
        cols, wide[key] = table_layout(grid, key)  # wide: turned sideways in the DOCX
        share = [w / sum(cols) for w in cols]
        widths[key] = [f"{100 * f:.1f}" for f in share]
        # narrowest table in which every column still holds its widest word or figure (in em of the
        # table's text; a tenth more for bold headers and the browser's fonts)
        low, _ = column_bounds(grid, table_size(key))
        least = [1.1 * lo / table_size(key) for lo in low]
        min_widths[key] = f"{max(em / f for em, f in zip(least, share)):.1f}"
        # Below that width (a phone) the table scrolls in its box: each column at its least width,
        # the row labels (left of the first figure) sticky while the figures scroll under them.
        narrow[key] = [f"{em:.2f}" for em in least]
        narrow_total[key] = f"{sum(float(em) for em in narrow[key]):.2f}"
        phone[key] = round(float(min_widths[key]) * TABLE_FONT_PX) + PAGE_PADDING_PX
        figures = [c for _, c, cell in place_cells(grid["rows"], grid["columns"]) if cell["numeric"]]
        first = min(figures, default=0)
        rows: list[list[str]] = [[] for _ in grid["rows"]]
        for r, c, cell in place_cells(grid["rows"], grid["columns"]):
            rows[r].append(f"{sum(least[:c]):.2f}" if c + cell["colspan"] <= first and not cell["numeric"] else "")
        sticky[key] = rows
    return _env().get_template("report.html.j2").render(
        **context, col_widths=widths, min_widths=min_widths, wide=wide, narrow=narrow, narrow_total=narrow_total, sticky=sticky,
        phone=phone).encode("utf-8")


def render_markdown(context: dict[str, Any]) -> bytes:
    text = _env().get_template("report.md.j2").render(**_strings(context, markdown))
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
    unknown = [f for f in wanted if f not in FORMATS + EXTRA_FORMATS]
    if unknown or not wanted:
        raise GovinfoError(f"未知的报告格式：{'、'.join(unknown) or '（空）'}；可用：{','.join(FORMATS + EXTRA_FORMATS)}")
    return wanted


def report_stem(report: ValidationReport) -> str:
    """The file-name stem of a report: the agency and year (or the workbook's name), made safe."""
    stem = f"{report.agency}{report.year}年政府信息公开工作年度报告" if report.agency and report.year else Path(
        str(report.path)).stem
    return file_stem(stem)


def write_report(report: ValidationReport, outdir: Path, formats: tuple[str, ...] = FORMATS,
                 names: Names | None = None) -> list[Path]:
    """Write the chosen formats plus the JSON data into outdir; returns the paths written.

    Everything is rendered before anything is written, and the files are renamed into place only when
    all are written: a report is all there or not at all, and a failure keeps the previous files.
    ``names``: the names already used in this run (several workbooks of one agency get "…（2）",
    never each other's files)."""
    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise GovinfoError(f"输出位置“{outdir}”不是目录。")
    outdir.mkdir(parents=True, exist_ok=True)
    context = _strings(build_context(report), xml_text)
    graphic = "graphic" in formats
    formats = tuple(f for f in formats if f != "graphic")
    suffixes = tuple(f".{fmt}" for fmt in (*formats, "json"))
    if graphic:
        from .graphic import SUFFIXES

        suffixes += tuple(SUFFIXES.values())
    files = (names or Names()).claim_all(report_stem(report), suffixes)
    rendered = [RENDERERS[fmt](context) for fmt in formats]
    rendered.append(json_text(report.to_dict()).encode("utf-8"))
    skipped = None
    if graphic:
        from .graphic import render_graphic
        from .plots import NoCJKFont

        try:
            rendered += list(render_graphic(report).values())
        except NoCJKFont as e:  # the other formats are still written; the 图解 says why it is not
            skipped = e
    written = [outdir / name for name in files[:len(rendered)]]
    with ExitStack() as stack:  # every file to a temporary beside it; all renamed into place at the end
        for path, data in zip(written, rendered):
            stack.enter_context(atomic_path(path)).write_bytes(data)
    if skipped is not None:
        raise FormatSkipped(f"{report_stem(report)}：图解未生成。{skipped}", written)
    return written


class FormatSkipped(GovinfoError):
    """One format could not be made (the 图解 without a Chinese font); ``written``: the other files."""

    def __init__(self, message: str, written: list[Path]) -> None:
        super().__init__(message)
        self.written = written

"""The DOCX report's page flow, checked on the PDF LibreOffice prints from it: the closing never
stands alone on the last page, whatever the length of the last part, and no page before the last
is left more than half empty (tables follow the text and break between rows)."""

from __future__ import annotations

import copy
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import require_libreoffice
from fill import consistent_values
from test_report_docx import draft_context, example_context, gov2021_context
from test_report_pdf import docx_to_pdf, require_tool, squash

from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.checks.ingest import ingest
from govinfo_xlsx.report.context import build_context
from govinfo_xlsx.report.docx import PAGE_MM
from govinfo_xlsx.template.writer import build_template

pytestmark = pytest.mark.libreoffice

LINE_CHARS = 27  # 仿宋 三号 characters on the 156 mm line
PAGE_LINES = 22  # 28 pt lines on the 225 mm type area
SENTENCE = "本机关持续推进政府信息公开工作，"


def figures_context(tmp: Path, factor: dict[str, int], name: str) -> dict[str, Any]:
    """The consistent data set with the figures of each table multiplied (sums still hold)."""
    form = form_for_year(2026)
    values = {k: v * factor[k[:3]] if isinstance(v, (int, float)) and k[:3] in factor else v
              for k, v in consistent_values(form, 2026).items()}
    path = tmp / f"{name}.xlsx"
    path.write_bytes(build_template(form, 2026, values=values))
    report = ingest(path)
    assert report.ok, report.findings
    return build_context(report)


def with_last_part(context: dict[str, Any], lines: int) -> dict[str, Any]:
    """The context with its last part about ``lines`` lines long: paragraphs of up to four lines,
    the last one shortest, as a clerk writes them."""
    out = copy.deepcopy(context)
    sizes = [4] * ((lines - 1) // 4) + [(lines - 1) % 4 + 1]
    texts = []
    for n in sizes:
        chars = n * LINE_CHARS - 2 - 6  # first-line indent; the last line a little short
        texts.append((SENTENCE * (chars // len(SENTENCE) + 1))[:chars - 1] + "。")
    out["parts"][-1]["paragraphs"] = texts
    out["parts"][-1]["subsections"] = []
    return out


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, tuple[dict[str, Any], Path]]:
    """Every context rendered to DOCX and printed to PDF in one LibreOffice run."""
    require_libreoffice()
    require_tool("pdftotext")
    tmp = tmp_path_factory.mktemp("report-pages")
    gov2021 = gov2021_context(tmp)
    contexts = {"small": example_context(), "gov-2021": gov2021, "draft": draft_context(gov2021),
                "six-digit": figures_context(tmp, {"T2_": 49999, "T3_": 4999, "T4_": 49999}, "six"),
                "seven-digit": figures_context(tmp, {"T2_": 499999, "T3_": 49999, "T4_": 499999}, "seven")}
    for n in range(1, PAGE_LINES + 3):  # the last part one line longer at a time, over a whole page
        contexts[f"last-{n:02d}"] = with_last_part(gov2021, n)
    return docx_to_pdf(contexts, tmp)


WORD = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
PT_PER_MM = 72 / 25.4


def pages(path: Path) -> list[dict[str, Any]]:
    """Per page: its text above the page-number line and how far down the type area it reaches
    (0 at the top margin, 1 at the bottom margin)."""
    html = subprocess.run([require_tool("pdftotext"), "-bbox", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    out = []
    for page in html.split("</page>")[:-1]:
        width, height = map(float, PAGE.search(page).groups())
        top, bottom = ((PAGE_MM["top"], PAGE_MM["bottom"]) if width < height
                       else (PAGE_MM["right"], PAGE_MM["left"]))
        area_top, area_bottom = top * PT_PER_MM, height - bottom * PT_PER_MM
        words = [(float(m[1]), float(m[2]), m[3]) for m in WORD.finditer(page)]
        body = [w for w in words if w[1] <= area_bottom + 2]  # the page number sits below the type area
        low = max((w[1] for w in body), default=area_top)
        out.append({"text": squash("".join(w[2] for w in body)),
                    "fill": (low - area_top) / (area_bottom - area_top)})
    return out


def test_no_page_before_the_last_is_more_than_half_empty(printed):
    for key, (_, path) in printed.items():
        fills = [p["fill"] for p in pages(path)]
        assert all(f >= 0.5 for f in fills[:-1]), (key, [round(f, 2) for f in fills])


def test_the_closing_never_stands_alone(printed):
    """For every length of the last part, the last page holds text besides the organ and date."""
    for key, (context, path) in printed.items():
        last = pages(path)[-1]["text"]
        closing = squash(context["agency"]) + squash(context["date"])
        assert last.endswith(closing), key
        assert len(last) > len(closing) + 4, (key, last)


def test_wide_figures_keep_every_table_upright_and_whole(printed):
    """Seven-digit figures: 表四 is set in two parts on portrait pages, every figure on one line."""
    context, path = printed["seven-digit"]
    figures = {cell["text"] for grid in context["tables"].values() for row in grid["rows"] for cell in row
               if cell["numeric"]}
    assert max(len(f.split(".")[0]) for f in figures) == 7
    html = subprocess.run([require_tool("pdftotext"), "-bbox", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    sizes = [tuple(map(float, m.groups())) for m in PAGE.finditer(html)]
    assert all(w < h for w, h in sizes)
    words = set(re.findall(r">([^<]+)</word>", html))
    assert figures - words == set()


def test_no_printed_text_is_smaller_than_7_pt(printed):
    """Table text is 小五 (9 pt) at the smallest; nothing is shrunk below 7 pt (seven-digit figures
    included)."""
    for key in ("small", "six-digit", "seven-digit", "draft"):
        _, path = printed[key]
        html = subprocess.run([require_tool("pdftotext"), "-bbox", str(path), "-"],
                              capture_output=True, text=True, check=True).stdout
        heights = [float(m[2]) - float(m[1]) for m in WORD.finditer(html)]
        assert min(heights) / 1.3 >= 6.95, (key, min(heights))  # a word's box is about 1.3 × its size

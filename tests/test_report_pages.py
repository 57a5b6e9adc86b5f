"""The DOCX report's page flow, checked on the PDF LibreOffice prints from it: the closing never
stands alone on the last page, whatever the length of the last part (several paragraphs, or one
paragraph from one line to more than a page), and no page before the last is left more than half
empty (tables follow the text and break between rows).  A long last paragraph is split where its
last lines start (report.lines models the line breaks): the split must not show."""

from __future__ import annotations

import copy
import functools
import html
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
from govinfo_xlsx.report import lines as line_model
from govinfo_xlsx.report.docx import LINE_EMS, PAGE_MM
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


def with_last_paragraph(context: dict[str, Any], lines: int) -> dict[str, Any]:
    """The context without its tables (a shorter document to print) and with its last part one
    paragraph about ``lines`` lines long."""
    out = copy.deepcopy(context)
    for part in out["parts"]:
        part["table"] = None
    chars = lines * LINE_CHARS - 2 - 6
    out["parts"][-1]["paragraphs"] = [(SENTENCE * (chars // len(SENTENCE) + 1))[:chars - 1] + "。"]
    out["parts"][-1]["subsections"] = []
    return out


BASE = "本机关持续推进政府信息公开工作本机关持续推进政府信息公开工作"
# Paragraphs whose line breaks turn on the rules report.lines models: punctuation that hangs into
# the margin, closing marks that never start a line and opening ones that never end one, on the
# first (indented) line and on a full line; figures, percentages, Latin words, telephone numbers,
# document numbers, half-width punctuation and quotes (set in Times New Roman after Latin text).
PROBES = ([BASE[:25] + ch + BASE[:15] for ch in "；）：”！？、，。》」】"]
          + [BASE[:25] + "本" + BASE[:26] + ch + BASE[:15] for ch in "；）：”！？、，。》」】"]
          + [BASE[:24] + ch + BASE[:15] for ch in "（《“"]
          + [BASE[:25] + "……本机关持续推进",
             "本机关2020年共收到申请123件，" + BASE * 2,
             "本机关2020年共收到申请1234567件，办结率100%，" + BASE * 2,
             "本机关在www.example.gov.cn网站公开信息" + BASE * 2,
             "本机关在“中国政府网”公开（主动）信息" + BASE * 2,
             "全年办理“互联网+政务服务”事项12345件，占98.5%；" + BASE + "APP（移动端）" + BASE]
          # each pattern moved along the first line, so that it meets the line's end in one of them
          + [BASE[:k] + pattern + BASE for k in range(19, 26)
             for pattern in ("电话：0579-87654321，", "（国办公开办函〔2021〕30号）", "调研,推进;",
                             "年度,“政务公开日”")]
          + ["“政务公开日”" + BASE[:k] + "活动" + BASE for k in (15, 16, 17)])


def with_probes(context: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(context)
    out["parts"][-1]["paragraphs"] = list(PROBES)
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
    for n in range(5, PAGE_LINES + 5):  # one last paragraph (up to four lines: last-01 to last-04)
        contexts[f"one-{n:02d}"] = with_last_paragraph(gov2021, n)
    contexts["line-probes"] = with_probes(gov2021)
    return docx_to_pdf(contexts, tmp)


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
PT_PER_MM = 72 / 25.4


@functools.lru_cache(maxsize=None)
def bbox(path: Path) -> str:
    """The PDF's words with their boxes (``pdftotext -bbox``: XHTML, a <page> a page), read once."""
    return subprocess.run([require_tool("pdftotext"), "-bbox", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


@functools.lru_cache(maxsize=None)
def page_words(path: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    """Per page: the top and bottom of its type area (points from the page's top; the page number sits
    below it) and its words above the bottom, (left, top, right, bottom, text), in the order of the file."""
    out = []
    for page in bbox(path).split("</page>")[:-1]:
        width, height = map(float, PAGE.search(page).groups())
        top = (PAGE_MM["top"] if width < height else PAGE_MM["right"]) * PT_PER_MM
        bottom = height - (PAGE_MM["bottom"] if width < height else PAGE_MM["left"]) * PT_PER_MM
        words = [(float(m[1]), float(m[2]), float(m[3]), float(m[4]), html.unescape(m[5]))
                 for m in WORD.finditer(page)]
        out.append((top, bottom, [w for w in words if w[3] <= bottom + 2 and w[4].strip()]))
    return out


def pages(path: Path) -> list[dict[str, Any]]:
    """Per page: its text above the page-number line and how far down the type area it reaches
    (0 at the top margin, 1 at the bottom margin)."""
    return [{"text": squash("".join(w[4] for w in words)),
             "fill": (max((w[3] for w in words), default=top) - top) / (bottom - top)}
            for top, bottom, words in page_words(path)]


def page_total(path: Path) -> int:
    return len(page_words(path))


@functools.lru_cache(maxsize=None)
def page_lines(path: Path, index: int) -> list[dict[str, Any]]:
    """The lines of text above the page number on page ``index`` (0-based), top to bottom: text (spaces
    squashed), left and right edge in points.  A line is the words whose tops round to the same point.
    (pdftotext reads all 54 PDFs in about a second; pdfplumber took a twentieth of a second a page and
    gave the same lines, within 0.6 pt.)"""
    rows: dict[int, list[tuple[float, float, float, float, str]]] = {}
    for word in page_words(path)[index][2]:
        rows.setdefault(round(word[1]), []).append(word)
    return [{"text": squash("".join(w[4] for w in sorted(ws))), "x0": min(w[0] for w in ws),
             "x1": max(w[2] for w in ws)} for _, ws in sorted(rows.items())]


def test_no_page_before_the_last_is_more_than_half_empty(printed):
    empty = {}
    for key, (_, path) in printed.items():
        fills = [p["fill"] for p in pages(path)]
        if not all(f >= 0.5 for f in fills[:-1]):
            empty[key] = [round(f, 2) for f in fills]
    assert empty == {}


def test_the_closing_never_stands_alone(printed):
    """For every length of the last part, the last page holds at least two lines of the text
    before the organ and the date."""
    alone = {}
    for key, (context, path) in printed.items():
        last = [row["text"] for row in page_lines(path, page_total(path) - 1)]
        assert last[-2:] == [squash(context["agency"]), squash(context["date"])], key
        if len(last) < 4:
            alone[key] = last
    assert alone == {}


def last_paragraph_lines(path: Path) -> list[dict[str, Any]]:
    """The printed lines of the last part's text, from its heading to the closing: the pages from the last
    one with a line starting "六、" (read from the end) to the last page."""
    rows: list[dict[str, Any]] = []
    for index in reversed(range(page_total(path))):
        rows = page_lines(path, index) + rows
        if any(row["text"].startswith("六、") for row in page_lines(path, index)):
            break
    start = max(i for i, row in enumerate(rows) if row["text"].startswith("六、")) + 1
    return rows[start:-2]


def test_the_last_paragraphs_print_whole_however_they_are_split(printed):
    """Each paragraph of the last part, however long and wherever it was split, prints whole and
    as one paragraph: its first line indented, the others not, and every line but its last full
    (justified to the right margin; the line before a split letter-spaced to within a point or
    two)."""
    right = (210 - PAGE_MM["right"]) * PT_PER_MM
    left = PAGE_MM["left"] * PT_PER_MM
    for key, (context, path) in printed.items():
        if not key.startswith(("one-", "last-")):
            continue
        printed_paragraphs: list[list[dict[str, Any]]] = []
        for row in last_paragraph_lines(path):
            if row["x0"] > left + 16:  # an indented line starts a paragraph
                printed_paragraphs.append([])
            else:
                assert abs(row["x0"] - left) < 2 and printed_paragraphs, (key, row)
            printed_paragraphs[-1].append(row)
        texts = context["parts"][-1]["paragraphs"]
        assert ["".join(row["text"] for row in rows) for rows in printed_paragraphs] == list(map(squash, texts)), key
        for rows in printed_paragraphs:
            assert all(row["x1"] > right - 4 for row in rows[:-1]), (key, [round(r["x1"]) for r in rows])


def test_the_line_model_breaks_lines_as_libreoffice_does(printed):
    """report.lines sets each probe paragraph in the lines LibreOffice prints (a punctuation mark
    hanging from a justified first line LibreOffice leaves out of its PDF: its place still counts)."""
    rows = [row["text"] for row in last_paragraph_lines(printed["line-probes"][1])]
    for text in PROBES:
        model = [squash(line) for line in line_model.lines(text, LINE_EMS, 2)]
        got, rows = rows[:len(model)], rows[len(model):]
        assert all(g in (m, m[:-1]) for g, m in zip(got, model)) and len(got) == len(model), (text, got, model)


def test_wide_figures_keep_every_table_upright_and_whole(printed):
    """Seven-digit figures: 表四 is set in two parts on portrait pages, every figure on one line."""
    context, path = printed["seven-digit"]
    figures = {cell["text"] for grid in context["tables"].values() for row in grid["rows"] for cell in row
               if cell["numeric"]}
    assert max(len(f.split(".")[0]) for f in figures) == 7
    sizes = [tuple(map(float, m.groups())) for m in PAGE.finditer(bbox(path))]
    assert all(w < h for w, h in sizes)
    words = set(re.findall(r">([^<]+)</word>", bbox(path)))
    assert figures - words == set()


def test_no_printed_text_is_smaller_than_7_pt(printed):
    """Table text is 小五 (9 pt) at the smallest; nothing is shrunk below 7 pt (seven-digit figures
    included)."""
    for key in ("small", "six-digit", "seven-digit", "draft"):
        _, path = printed[key]
        heights = [float(m[4]) - float(m[2]) for m in WORD.finditer(bbox(path))]
        assert min(heights) / 1.3 >= 6.95, (key, min(heights))  # a word's box is about 1.3 × its size

"""The DOCX report through LibreOffice: it converts to a PDF of a sensible length with every label in it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import require, require_libreoffice
from libreoffice import convert
from fill import consistent_values
from test_report_docx import draft_context, example_context, gov2021_context

from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.checks.ingest import ingest
from govinfo_xlsx.report.context import build_context
from govinfo_xlsx.template.writer import build_template

from govinfo_xlsx.report.docx import render_docx

pytestmark = pytest.mark.libreoffice

# Header labels of the statutory tables that must survive the layout (merged cells included).
COMMON_LABELS = ["申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
                 "总计", "本年新收政府信息公开申请数量", "结转下年度继续办理", "行政复议", "行政诉讼",
                 "未经复议直接起诉", "复议后起诉", "结果维持", "尚未审结", "第二十条第（一）项", "信息内容"]
FORM_LABELS = {"gov-2019": ["第二十条第（九）项", "采购总金额", "对外公开总数量"],
               "gov-2021": ["第二十条第（八）项", "本年收费金额（单位：万元）", "现行有效件数"]}


def docx_to_pdf(contexts: dict[str, dict[str, Any]], tmp: Path) -> dict[str, tuple[dict[str, Any], Path]]:
    """Each context rendered to DOCX, all converted to PDF in one LibreOffice run: key -> (context, PDF)."""
    docs = []
    for key, context in contexts.items():
        path = tmp / f"{key}.docx"
        path.write_bytes(render_docx(context))
        docs.append(path)
    outs = convert(docs, tmp / "pdf", "pdf")
    return {key: (contexts[key], out) for key, out in zip(contexts, outs)}


def require_tool(name: str) -> str:
    return require(shutil.which(name), name, "poppler-utils")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, tuple[dict[str, Any], Path]]:
    """Both statutory formats rendered to DOCX and converted to PDF in one LibreOffice run."""
    require_libreoffice()
    tmp = tmp_path_factory.mktemp("report-pdf")
    contexts = {"gov-2019": example_context(), "gov-2021": gov2021_context(tmp), "six-digit": six_digit_context(tmp)}
    contexts["draft"] = draft_context(contexts["gov-2021"])
    return docx_to_pdf(contexts, tmp)


def six_digit_context(tmp: Path) -> dict[str, Any]:
    """A large bureau's workbook: the figures of the consistent data set scaled to five and six
    digits (table 三 by 4999, tables 二 and 四 by 49999; the tables' sums still hold)."""
    form = form_for_year(2026)
    factor = {"T2_": 49999, "T3_": 4999, "T4_": 49999}
    values = {k: v * factor[k[:3]] if isinstance(v, (int, float)) and k[:3] in factor else v
              for k, v in consistent_values(form, 2026).items()}
    path = tmp / "six-digit.xlsx"
    path.write_bytes(build_template(form, 2026, values=values))
    report = ingest(path)
    assert report.ok, report.findings
    return build_context(report)


@pytest.fixture(params=["gov-2019", "gov-2021"])
def pdf(request, pdfs):
    return pdfs[request.param] + (request.param,)


def pdf_text(path: Path) -> str:
    exe = require_tool("pdftotext")
    return subprocess.run([exe, str(path), "-"], capture_output=True, text=True, check=True).stdout


def page_count(path: Path) -> int:
    exe = require_tool("pdfinfo")
    info = subprocess.run([exe, str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


Word = tuple[str, float, float, float, float]  # text, xMin, yMin, xMax, yMax
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def pdf_words(path: Path) -> list[list[Word]]:
    """The words of each page with their boxes (pdftotext -bbox)."""
    exe = require_tool("pdftotext")
    html = subprocess.run([exe, "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [[(m[5], float(m[1]), float(m[2]), float(m[3]), float(m[4])) for m in WORD.finditer(page)]
            for page in html.split("</page>")]


def find_label(words: list[Word], label: str) -> bool:
    """Whether ``label`` is in one word, or wraps over words stacked in one narrow table cell.

    A label in a narrow column ("社会/公益/组织") comes out of pdftotext one piece per line,
    interleaved with the neighbouring cells, so it is followed down its column instead.
    """
    def below(prev: Word, rest: str) -> bool:
        if not rest:
            return True
        height = prev[4] - prev[2]
        for w in words:
            overlaps = w[1] < prev[3] and prev[1] < w[3]
            if overlaps and 0 < w[2] - prev[2] < 2 * height and (rest.startswith(w[0]) or w[0].startswith(rest)):
                if below(w, rest[len(w[0]):]):
                    return True
        return False

    for w in words:
        if label in w[0]:
            return True
        for cut in range(1, len(label)):
            if w[0].endswith(label[:cut]) and below(w, label[cut:]):
                return True
    return False


def test_page_count_is_sensible(pdf):
    _, path, _ = pdf
    assert 3 <= page_count(path) <= 8


def test_pdf_has_title_headings_and_closing(pdf):
    context, path, _ = pdf
    text = squash(pdf_text(path))
    assert squash(context["title"]) in text
    for part in context["parts"]:
        assert squash(part["title"]) in text
        for sub in part["subsections"]:
            assert squash(sub["title"]) in text
    assert squash(context["agency"]) in text and squash(context["date"]) in text
    assert "草稿" not in text


def test_pdf_has_every_table_label(pdf):
    _, path, form = pdf
    pages = pdf_words(path)
    for label in COMMON_LABELS + FORM_LABELS[form]:
        assert any(find_label(words, squash(label)) for words in pages), label


def test_pdf_page_numbers(pdf):
    _, path, _ = pdf
    pages = pdf_text(path).split("\f")
    numbered = [i + 1 for i, page in enumerate(pages) if re.search(rf"—\s*{i + 1}\s*—", page)]
    assert numbered == list(range(1, page_count(path) + 1))


def test_six_digit_figures_stay_whole(pdfs):
    """Every figure of every table comes out of the PDF as one word: none is broken over two lines."""
    context, path = pdfs["six-digit"]
    figures = {cell["text"] for grid in context["tables"].values() for row in grid["rows"] for cell in row
               if cell["numeric"]}
    assert max(len(f.lstrip("-").split(".")[0]) for f in figures) == 6
    words = {w[0] for page in pdf_words(path) for w in page}
    assert figures - words == set()


NUMBER_WORD = re.compile(r"[-\d.]+")


def test_labels_break_only_between_words(pdfs):
    """No line of a table label ends or starts inside a word (“仍不明/确”, “收费通/知”, “自然/人”):
    each piece of a label set on its own line is a run of its words (report/words.py)."""
    from govinfo_xlsx.report.words import label_units

    for key in ("gov-2019", "gov-2021", "six-digit", "draft"):
        context, path = pdfs[key]
        labels = {cell["text"] for grid in context["tables"].values() for row in grid["rows"] for cell in row
                  if not cell["numeric"]}
        bounds = {}
        for label in labels:
            cuts, at = {0}, 0
            for unit in label_units(label):
                at += len(unit)
                cuts.add(at)
            bounds[label] = cuts
        words = {w[0] for page in pdf_words(path) for w in page if w[4] - w[2] < 13}  # table text, not body
        pieces = [w for w in words if not NUMBER_WORD.fullmatch(w) and any(w in label and w != label for label in labels)]
        assert len(pieces) > 20, key  # labels do break over lines
        for piece in pieces:
            aligned = any(i in bounds[label] and i + len(piece) in bounds[label]
                          for label in labels for i in range(len(label)) if label.startswith(piece, i))
            assert aligned, (key, piece)
        assert "自然人" in words and "本年度" in words


def test_every_page_of_a_draft_says_so(pdfs):
    _, path = pdfs["draft"]
    pages = [p for p in pdf_text(path).split("\f") if p.strip()]
    assert len(pages) >= 3
    assert all("草稿" in page for page in pages)

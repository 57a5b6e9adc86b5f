"""The template as LibreOffice prints it: a 900-character 文字部分 in full, every page with the
agency, the sheet's name and the page number, and no text smaller than 7 pt (校验结果 fitted to the
width of a landscape page, the tables to their pages)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import require_libreoffice
from libreoffice import convert
from test_report_pdf import require_tool, squash

from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.template.layout import SHEET_NAMES
from govinfo_xlsx.template.writer import build_template

pytestmark = pytest.mark.libreoffice

AGENCY = "某某县财政局"
LONG_TEXT = ("本机关认真贯彻落实政府信息公开条例，持续推进决策、执行、管理、服务、结果公开，" * 40)[:899] + "。"
BOX_PER_POINT = 1.3  # pdftotext's word box is about 1.3 times the font size (ascent plus descent)
WORD = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>')


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> Path:
    require_libreoffice()
    tmp = tmp_path_factory.mktemp("template-print")
    form = form_for_year(2026)
    path = tmp / "t.xlsx"
    path.write_bytes(build_template(form, 2026, agency=AGENCY, values={"TEXT_part1_intro": LONG_TEXT}))
    [pdf] = convert([path], tmp, "pdf")
    return pdf


def page_texts(pdf: Path) -> list[str]:
    out = subprocess.run([require_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [p for p in out.split("\f") if p.strip()]


def test_a_long_part_prints_in_full(printed):
    assert len(LONG_TEXT) == 900
    printed_text = squash("".join(page_texts(printed))).replace("总述", "")  # its label sits beside it
    assert squash(LONG_TEXT) in printed_text


def test_every_page_names_the_agency_the_sheet_and_the_page(printed):
    pages = page_texts(printed)
    sheets = [name for key, name in SHEET_NAMES.items() if key != "meta"]
    seen = set()
    for n, text in enumerate(pages, 1):
        assert f"{AGENCY}2026年政府信息公开工作年度报告" in text, n
        assert f"第 {n} 页，共 {len(pages)} 页" in text, n
        named = [s for s in sheets if s in text.splitlines()[0]]
        assert named, (n, text.splitlines()[0])
        seen.update(named)
    assert seen == set(sheets)


def test_no_printed_text_is_smaller_than_7_pt(printed):
    html = subprocess.run([require_tool("pdftotext"), "-bbox", str(printed), "-"], capture_output=True, text=True,
                          check=True).stdout
    sizes = [(float(m[2]) - float(m[1])) / BOX_PER_POINT for m in WORD.finditer(html)]
    assert len(sizes) > 500
    assert min(sizes) >= 6.95, min(sizes)

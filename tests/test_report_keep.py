"""The DOCX report keeps its last body lines with the closing: the line model (report.lines) and
the paragraphs render_docx writes for it (the printed result is checked in test_report_pages)."""

from __future__ import annotations

import copy
import io
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from test_report_docx import example_context

from govinfo_xlsx.report import lines
from govinfo_xlsx.report.docx import KEEP_LAST_LINES, LINE_EMS, render_docx

TEXT = "本机关持续推进政府信息公开工作" * 12


def test_a_full_line_holds_27_characters_the_first_25():
    assert lines.lines(TEXT[:80], LINE_EMS, 2) == [TEXT[:25], TEXT[25:52], TEXT[52:79], TEXT[79:80]]


@pytest.mark.parametrize("mark", "，。、；：！？")
def test_a_comma_or_stop_hangs_into_the_margin(mark):
    text = TEXT[:25] + TEXT[:27] + mark + TEXT[:10]
    assert lines.lines(text, LINE_EMS, 2)[1] == TEXT[:27] + mark


@pytest.mark.parametrize("mark", "）》」”")
def test_a_closing_mark_takes_the_character_before_it_to_the_next_line(mark):
    text = TEXT[:25] + TEXT[:27] + mark + TEXT[:10]
    assert lines.lines(text, LINE_EMS, 2)[1:] == [TEXT[:26], TEXT[26] + mark + TEXT[:10]]


@pytest.mark.parametrize("mark", "（《“")
def test_an_opening_mark_never_ends_a_line(mark):
    text = TEXT[:24] + mark + TEXT[:10]
    assert lines.lines(text, LINE_EMS, 2) == [TEXT[:24], mark + TEXT[:10]]


def test_figures_and_latin_words_are_never_broken_and_set_apart():
    # indent 2 + 3 + 2 (2020) + 1 + 3 (123456) + 14 + four automatic spaces of 1/5 em: 25.8 ems;
    # APP (1.83 ems and a space) does not fit the 27.6 ems
    text = "本机关2020年123456" + TEXT[:14] + "APP" + TEXT[:5]
    assert lines.lines(text, LINE_EMS, 2)[0] == "本机关2020年123456" + TEXT[:14]
    assert lines.width("年2020年") == pytest.approx(4.4)
    assert lines.line_starts("www." + "example" * 20 + ".cn", LINE_EMS) is None


def test_a_number_breaks_after_its_hyphen_and_stays_with_the_bracket_before_it():
    text = TEXT[:20] + "电话0579-87654321"
    assert lines.lines(text, LINE_EMS, 2) == [TEXT[:20] + "电话0579-", "87654321"]
    text = TEXT[:19] + "办函〔2021〕30号"
    assert lines.lines(text, LINE_EMS, 2) == [TEXT[:19] + "办函", "〔2021〕30号"]


def test_a_quote_after_latin_text_or_at_the_start_is_narrow():
    assert lines.width("“政务”") == pytest.approx(0.444 + 2 + 1)
    assert lines.width("“政务”", "年") == pytest.approx(4)
    assert lines.width("“政务”", "5") == pytest.approx(0.444 + 2 + 1)


def body_paragraphs(data: bytes) -> list[Any]:
    return [p for p in docx.Document(io.BytesIO(data)).paragraphs if p.style.name == "Normal"]


def with_last(paragraphs: list[str]) -> dict[str, Any]:
    context = copy.deepcopy(example_context())
    context["parts"][-1]["paragraphs"] = paragraphs
    context["parts"][-1]["subsections"] = []
    return context


def keeps(p: Any) -> bool:
    return bool(p.paragraph_format.keep_with_next)


def test_a_long_last_paragraph_gives_its_last_two_lines_to_the_closing():
    text = TEXT[:150]  # six lines
    body = body_paragraphs(render_docx(with_last([text])))
    head, tail, blank = body[-3:]
    assert head.text + tail.text == text
    assert lines.lines(text, LINE_EMS, 2)[-2:] == lines.lines(tail.text, LINE_EMS)
    assert not keeps(head) and keeps(tail) and keeps(blank) and blank.text == ""
    ind = tail._p.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLine")) == "0" and ind.get(qn("w:firstLineChars")) == "0"
    # the line before the split is letter-spaced to the margin, as justification would set it
    spacing = head.runs[-1]._r.rPr.find(qn("w:spacing"))
    assert head.runs[-1].text == lines.lines(text, LINE_EMS, 2)[-3] and 0 < int(spacing.get(qn("w:val"))) <= 8


def test_a_short_last_paragraph_moves_whole_and_a_one_line_one_takes_lines_of_the_one_before():
    short = TEXT[:25 + 27 * (KEEP_LAST_LINES - 1)]
    body = body_paragraphs(render_docx(with_last([TEXT[:100], short])))
    assert body[-2].text == short and keeps(body[-2]) and not keeps(body[-3])
    body = body_paragraphs(render_docx(with_last([TEXT[:150], "本年度无其他需要报告的事项。"])))
    assert [keeps(p) for p in body[-4:]] == [False, True, True, True]
    assert body[-4].text + body[-3].text == TEXT[:150]

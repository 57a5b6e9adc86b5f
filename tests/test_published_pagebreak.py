"""Tables a page break or a narrow page scrambled in PDF text (issue 22: the false 错误 of the PDF variants).

Each case is a real report of the built part (tests/fixtures/published, SOURCES.md) in a form a site or user
gives (its tab copy, its one node a line, its browser copy), with the lines that Chromium's PDF of the page
and pdftotext gave for the part a page break or a 120 mm page scrambled (scripts/published_forms.py makes
those PDFs; measured by scripts/measure_published.py --variants). None reads the hold-out.
"""

from __future__ import annotations

from pathlib import Path

from test_published import HERE, _forms

from govinfo_xlsx.extract.run import extract


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _tab(name: str) -> str:
    return _forms().tab_copy((HERE / f"{name}.html").read_text(encoding="utf-8"))


def _line(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(start))


def test_rows_a_narrow_page_broke_into_pieces_are_unchecked_not_missing(tmp_path):
    """shanghai-2019 printed on a 120 mm page: the row "1.信访举报投诉类申请" beside its group label came out as
    "（五） 1.信 148 1" / "不予处 访举" / "理 报投" / "诉类" / "申请", and the blank row "5.要求行政机关确认或重新出具
    已获取信息" as two characters a line. Both rows are named by the pieces: 无法核对, never “未找到”."""
    text = _tab("shanghai-2019")
    five, blank = _line(text, "（五）不予处理\t1.信访"), _line(text, "5.要求行政机关确认")
    text = text.replace(five, "（五） 1.信 148 1\n不予处 访举\n理 报投\n诉类\n申请").replace(
        blank, "5.要\n求行\n政机\n关确\n认或\n重新\n出具\n已获\n取信\n息")
    report = extract(_write(tmp_path, "r.txt", text))
    assert not [f for f in report.errors if f.rule == "pub-row-missing"], [f.message for f in report.errors]
    unchecked = " ".join(f.message for f in report.findings if f.rule == "pub-row-unchecked")
    assert "1.信访举报投诉类申请" in unchecked and "5.要求行政机关确认或重新出具已获取信息" in unchecked


def test_a_label_whose_numbering_a_narrow_column_printed_after_its_words(tmp_path):
    """pingtan-hzs-2025 through pdftotext -layout of a 120 mm page: "危及“三安全 0 0 0 0 0 0 0" / "3." / "一稳定”".
    The row is named (its words in order, the numbering apart): 无法核对, not missing."""
    text = _tab("pingtan-hzs-2025")
    row = _line(text, "3.危及")
    report = extract(_write(tmp_path, "r.txt", text.replace(row, "       危及“三安全 0 0 0 0 0 0 0\n      3.\n      一稳定”")))
    assert not [f for f in report.errors if f.rule == "pub-row-missing" and f.sheet == "表三"], \
        [f.message for f in report.errors]
    assert any(f.rule == "pub-row-unchecked" and "3.危及“三安全一稳定”" in f.message for f in report.findings)


def test_a_page_number_between_a_caption_and_its_header(tmp_path):
    """hongze-2023 through pdftotext -layout: the page's number "-2-" stands between "第二十条第（六）项" and its
    header. It is page furniture, not text that ends 表二: 行政处罚 and 行政强制 are read."""
    text = _tab("pingtan-hzs-2024").replace("第二十条第（六）项\n", "第二十条第（六）项\n\n     -2-\n")
    assert "     -2-\n" in text
    report = extract(_write(tmp_path, "r.txt", text))
    assert report.data["table2"]["art20_6"]["penalty"]["decisions"] == 0
    assert not [f for f in report.errors if f.sheet == "表二"], [f.message for f in report.errors]


def test_a_stray_numeral_before_a_part_heading_is_not_joined_to_it(tmp_path):
    """shuyang-fgj-2023 through pdftotext of its A4 print: a "3." left by the page break stands right before
    "四、政府信息公开行政复议、行政诉讼情况". A numeral alone is joined to the title after it only when that line
    does not open with a numbering of its own: part 四 is found (never “缺少第四部分”)."""
    text = _tab("shuyang-fgj-2023")
    heading = "\n四、政府信息公开行政复议、行政诉讼情况\n"
    assert heading in text
    report = extract(_write(tmp_path, "r.txt", text.replace(heading, "\n3.\n" + heading[1:])))
    assert "pub-part-missing" not in {f.rule for f in report.findings}, [f.message for f in report.errors]


def test_a_title_wrapped_inside_xinxi_gongkai(tmp_path):
    """putian-cgj-2024 through pdftotext of a 120 mm page: "莆田市城市管理局2024年度政府信" / "息公开工作年度报告":
    the line broke inside 信息公开 itself; the title is joined."""
    text = (HERE / "shanghai-2019.browser-copy.txt").read_text(encoding="utf-8")
    title = "2019年上海市人民政府办公厅政府信息公开工作年度报告"
    assert text.count(title) == 1
    report = extract(_write(tmp_path, "r.txt", text.replace(title, "2019年上海市人民政府办公厅政府信\n息公开工作年度报告")))
    assert (report.year, report.agency) == (2019, "上海市人民政府办公厅")


def test_a_title_line_that_pdf_text_spaced_into_cells(tmp_path):
    """shanghai-2019's PDF through pdftotext -layout: "           2019      年上海市人民政府办公厅政府信息公开工作年度报告"
    — the run of spaces makes the line a row of two cells; the title is still read."""
    text = (HERE / "shanghai-2019.browser-copy.txt").read_text(encoding="utf-8")
    title = "2019年上海市人民政府办公厅政府信息公开工作年度报告"
    report = extract(_write(tmp_path, "r.txt", text.replace(title, "           2019      年上海市人民政府办公厅政府信息公开工作年度报告")))
    assert (report.year, report.agency) == (2019, "上海市人民政府办公厅")


def test_figures_gathered_away_from_their_labels_make_no_blank_rows(tmp_path):
    """pingtan-hzs-2024 through pdftotext (no -layout): the figures of several rows of 表三 come together after
    one label, the labels after them one a line. A label followed by the next is then no sign of a row of blank
    cells: those rows are 无法核对, never read as blank (a wrong 空白 and a false “答复 18 件 / 办结 0 件”)."""
    lines = _forms().node_lines((HERE / "pingtan-hzs-2024.html").read_text(encoding="utf-8")).split("\n")
    start = lines.index("上年结转政府信息公开申请数量")
    end = lines.index("（七）总计")
    figures = [x for x in lines[start + 1:end] if x.strip().isdigit()]
    labels = [x for x in lines[start + 1:end] if not x.strip().isdigit()]
    assert len(figures) > 7 * 3 and labels
    text = "\n".join(lines[:start + 1] + figures + labels + lines[end:])
    report = extract(_write(tmp_path, "r.txt", text))
    status = report.published["cell_status"]
    assert status["T3_granted_total"] == "missing" and status["T3_partial_natural"] == "missing"
    assert not [f for f in report.findings if f.rule == "pub-cell-blank" and f.sheet == "表三"]
    # (its one known defect stays: 表四's 行政复议 总计 0 beside 结果维持 1, which the prose's "1起" contradicts)
    assert not [f for f in report.errors if f.sheet == "表三" or (f.rule.startswith("pub-prose") and "复议" not in f.message)], \
        [f.message for f in report.errors]


def test_table_four_whose_header_a_narrow_page_stacked_is_unchecked(tmp_path):
    """shanghai-2019 through pdftotext of a 120 mm page: 表四's header letters stacked a column each ("结结其尚" /
    "果果他未总" …) and its figures apart, blank cells lost ("5", "2 7 8", "1 9"). 表四 cannot be read: 无法核对,
    never “第四部分没有统计表” or “未找到表四”."""
    text = _tab("shanghai-2019")
    start = text.index("\n行政复议\t行政诉讼\n") + 1
    end = text.index("\n五、", start)
    scrambled = "行政复议\n行政诉讼\n未经复议直接 复议后起诉\n起诉\n结结其尚\n果果他未总\n维纠结审计结结其尚 结结其尚\n" \
                "持正果结 果果他未总果果他未总\n维纠结审计维纠结审计\n持正果结 持正果结\n5\n2 7 8\n1 9"
    report = extract(_write(tmp_path, "r.txt", text[:start] + scrambled + text[end:]))
    assert not [f for f in report.errors if f.sheet in ("表四", "第四部分")], [f.message for f in report.errors]
    assert report.published["tables"]["表四"] == "无法核对"


def test_a_title_whose_year_pdf_text_moved_to_the_end_of_its_line(tmp_path):
    """putian-cgj-2024 printed by Chromium on A4 and read: "莆田市城市管理局 年度政府信息公开工作2024" / "年度报告"
    (the year set in another font came last). The agency is the words before 年度政府信息公开, not
    "莆田市城市管理局年度政府信息公开工作"."""
    text = _tab("putian-cgj-2024")
    title = "\n莆田市城市管理局2024年度政府信息公开工作年度报告\n"
    assert text.count(title) == 1
    report = extract(_write(tmp_path, "r.txt", text.replace(title, "\n莆田市城市管理局 年度政府信息公开工作2024\n年度报告\n")))
    assert (report.year, report.agency) == (2024, "莆田市城市管理局")


def test_shares_a_line_break_cut_in_two_are_not_added_up(tmp_path):
    """shanghai-2019 through pdftotext: the list "予以公开及部分公开258件，占33.9%；不予公开35件，占4.34%；因本机关不掌"
    / "握等原因无法提供265件，占32.9%；……" is cut by the line's end, so one line holds two of its shares (38.24 %).
    The list goes on past the line: not added up there (the false “占比之和为 38.24%”). Whole, the report's own
    90.74 % is still a 警告."""
    text = (HERE / "shanghai-2019.browser-copy.txt").read_text(encoding="utf-8")
    cut = "因本机关不掌握等原因无法提供265件"
    report = extract(_write(tmp_path, "r.txt", text.replace(cut, "因本机关不掌\n握等原因无法提供265件")))
    assert [f.actual for f in report.findings if f.rule == "pub-prose-percent"] == []
    assert any(c["what"] == "各项占比之和" and c["status"] == "无法核对" for c in report.published["claims"])
    whole = extract(_write(tmp_path, "whole.txt", text))
    assert [f.actual for f in whole.findings if f.rule == "pub-prose-percent"] == [90.74]


def test_a_unit_pdf_text_set_apart_from_its_figure_is_quoted_as_printed(tmp_path):
    """shanghai-2019 through pdftotext -layout: the page's cell "251000元" comes out "251000 元". The finding
    quotes the cell as the page prints it ("251000元"), the same defect as in the page, not another one."""
    text = (HERE / "shanghai-2019.browser-copy.txt").read_text(encoding="utf-8")
    assert text.count("251000元") == 1
    report = extract(_write(tmp_path, "r.txt", text.replace("251000元", "251000 元")))
    assert [f.actual for f in report.findings if f.rule == "pub-cell-normalized" and f.sheet == "表二"] == ["251000元"]

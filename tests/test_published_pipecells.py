"""Stores' excerpts whose tables are a cell a line ended by " |" (issue 22: the spaced excerpts of the second
hold-out, since joined to the built part), and the other faults those excerpts showed.

Every case reads a real file of the built part (tests/fixtures/published, SOURCES.md) or a change of one;
none reads the hold-out.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_published import HERE, compare, expected_cells, hand_reading

from govinfo_xlsx.extract.run import extract

STORE_CELLS = ["ip61-tongji-2023", "lengshuitan-gky-2023", "gengma-sfj-2021", "changtu-wlg-2021b", "unknown-ju", "lintong-kfq-2021", "jiaxian-xizhen-2022"]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", STORE_CELLS)
def test_every_typed_cell_of_a_stored_excerpt_is_read_right(name):
    """表三's cells as the hand reading types them: a blank in place ("|" alone) stays blank, a figure lands in
    its column (表二's cells are checked below: the hand readings type “/” as blank, the reader reads it as 0
    with a 警告)."""
    got = {k: [n for n in v if n.startswith("T3_")] for k, v in compare(name, HERE / f"{name}.txt").items()}
    assert got["wrong"] == [] and got["invented"] == [] and got["not_found"] == [], got
    typed = [n for n in expected_cells(hand_reading(name)) if n.startswith("T3_")]
    assert typed and set(typed) <= set(got["correct"]), got


@pytest.mark.parametrize("name", ["ip61-tongji-2023", "lengshuitan-gky-2023", "gengma-sfj-2021", "zhenan-maoping-2022"])
def test_rows_of_a_cell_a_line_table_are_parted_by_their_labels(name):
    """The store writes no row ends: 第二十条第（五）项's caption and its 行政许可 row are not taken into
    第（一）项's block (the false 警告 “多出一行“行政许可”” and “未找到 行政许可”)."""
    report = extract(HERE / f"{name}.txt")
    assert not [f.message for f in report.findings if f.rule == "pub-label-changed"]
    assert report.data["table2"]["art20_5"]["licensing"]["decisions"] == 0
    assert not [f for f in report.findings if f.rule == "pub-row-missing" and f.sheet == "表二"]


def test_blank_cells_in_place_and_a_line_of_pipes_after_the_row(tmp_path):
    """ip61: "一、本年新收…… |", six lone "|", "0 |", "||": six blank cells and 总计 0; the "||" after a row
    whose cells are all in place is the row's end, not cells."""
    report = extract(HERE / "ip61-tongji-2023.txt")
    new = report.data["table3"]["new"]
    assert [new[c] for c in ("natural", "commercial", "research", "social", "legal", "other_org", "total")] \
        == [None] * 6 + [0]
    assert report.published["cell_status"]["T3_new_natural"] == "blank"
    assert [f.sheet for f in report.findings if f.rule == "pub-cell-blank"] == ["表三"]


def test_figures_whose_empty_cells_were_moved_after_them_are_unchecked():
    """yueyang: "一、本年新收…… |", "3 |", "3 |", "|||||||": the store wrote the empty cells together after the
    filled ones, so which columns hold the 3s is not known. The rows are 无法核对, no figure is placed."""
    report = extract(HERE / "yueyang-nanhu-2019.txt")
    status = report.published["cell_status"]
    assert all(status[f"T3_new_{c}"] == "missing" for c in ("natural", "commercial", "total"))
    unchecked = [f for f in report.findings if f.rule == "pub-row-unchecked" and f.sheet == "表三"]
    assert unchecked and "一、本年新收政府信息公开申请数量" in unchecked[0].message
    assert report.data["table2"]["art20_1"]["rules"] == {"made": 0, "published": 0, "total_public": 0}


def test_a_figure_written_with_a_word_stays_in_its_row():
    """unknown-ju: 行政许可 "6 |", "减4 |", "2 |": "减4" is the row's 本年增/减, not the label of a new row
    (the false 警告 “多出一行“减4””), and it is read as -4 with a 警告 (a word in a number cell)."""
    report = extract(HERE / "unknown-ju.txt")
    assert not [f.message for f in report.findings if f.rule == "pub-label-changed"]
    assert report.data["table2"]["art20_5"]["licensing"] == {"prev_count": 6, "change": -4, "decisions": 2}
    assert [(f.rule, f.actual) for f in report.findings if f.sheet == "表二"] == [("pub-cell-normalized", "减4")]


def test_the_last_cell_of_a_cut_text_is_read_only_when_nothing_of_it_can_be_cut(tmp_path):
    """gengma ends "0 |" × 3, "0": the store cut the text after a 0 of 表三 (a count that begins with 0 is 0).
    A cut "1" may be the start of "12": not read."""
    text = (HERE / "gengma-sfj-2021.txt").read_text(encoding="utf-8")
    assert text.endswith("\n0")
    status = extract(HERE / "gengma-sfj-2021.txt").published["cell_status"]
    assert status["T3_carried_over_social"] == "ok"
    status = extract(_write(tmp_path, "r.txt", text[:-1] + "1")).published["cell_status"]
    assert status["T3_carried_over_social"] == "missing" and status["T3_carried_over_research"] == "ok"


def test_a_header_label_a_line_break_cut_is_joined(tmp_path):
    """A store's cell a line whose header cell "本年新<br>制作数量" came as two cells: one column label again,
    so 第二十条第（一）项's rows are read (never “未找到 规章”)."""
    text = (HERE / "unknown-ju.txt").read_text(encoding="utf-8")
    assert "本年新 制作数量 |\n本年新 公开数量 |\n" in text
    text = text.replace("本年新 制作数量 |\n本年新 公开数量 |\n", "本年新 |\n制作数量 |\n本年新 |\n公开数量 |\n")
    report = extract(_write(tmp_path, "r.txt", text))
    assert report.data["table2"]["art20_1"]["rules"] == {"made": 0, "published": 0, "total_public": 0}
    assert not [f for f in report.findings if f.sheet == "表二" and f.rule in ("pub-label-changed", "pub-row-missing")]


def test_labels_with_a_word_left_out_or_mistyped_are_read_and_named():
    """lintong: "二、上年结转政府信息公开数量" (without 申请) and the header "本年处理绝对数量" (决定 mistyped):
    the rows are read, each label named by pub-label-changed."""
    report = extract(HERE / "lintong-kfq-2021.txt")
    assert report.data["table3"]["carried_over"]["total"] == 0
    assert report.data["table2"]["art20_6"]["penalty"]["decisions"] == 0
    changed = {f.sheet: f.message for f in report.findings if f.rule == "pub-label-changed"}
    assert "本年处理绝对数量" in changed["表二"] and "二、上年结转政府信息公开数量" in changed["表三"]


def test_a_row_label_before_a_label_the_text_cuts_is_a_row_of_blanks():
    """jiaxian (labels only, every cell blank) ends "2.没有现成信息需要另行制作" / "3.补正后申请内容": the row
    before the cut label is blank like the others."""
    status = extract(HERE / "jiaxian-xizhen-2022.txt").published["cell_status"]
    assert status["T3_unable_2_total"] == "blank"


def test_a_text_that_keeps_each_line_once_shows_no_blank_rows():
    """xiongxian: the store kept each distinct line once, so 表三's zeros are gone and its labels follow one
    another: that is not a table of blank cells (the false 警告 “表三有 154 个空白单元格”) but 无法核对."""
    report = extract(HERE / "xiongxian-xiang-2019.txt")
    assert not [f for f in report.findings if f.rule == "pub-cell-blank"]
    assert report.published["tables"]["表三"] == "无法核对"


def test_shares_of_a_whole_the_list_leaves_part_of_are_not_a_sum_to_check(tmp_path):
    """putian-szf-2019: 343件占62.9%、35件占6.4%、146件占26.8%、7件占1.3% of 545 (14 applications are not listed):
    97.4 % is right, not the false 警告 “占比之和不等于100%”. A share that is not its count's part still is."""
    text = (HERE / "putian-szf-2019.txt").read_text(encoding="utf-8")
    assert not [f for f in extract(HERE / "putian-szf-2019.txt").findings if f.rule == "pub-prose-percent"]
    assert "不予公开35件，占6.4%" in text
    report = extract(_write(tmp_path, "r.txt", text.replace("不予公开35件，占6.4%", "不予公开35件，占4.6%")))
    assert [f.actual for f in report.findings if f.rule == "pub-prose-percent"] == [95.6]


def test_the_hand_readings_used_here_are_excerpts():
    assert not any(hand_reading(n).get("complete") for n in STORE_CELLS)

"""What the reader could not read is 无法核对, never also a 错误 (issue 22, after the hold-out's one measurement).

Each case is made from a real report of the built part (tests/fixtures/published, SOURCES.md) in a form
that sites give, or is a minimal made-up text; none reads the hold-out.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_published import HERE, _forms

from govinfo_xlsx.extract.run import extract


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _repeats_collapsed(text: str) -> str:
    """A site archive's text that leaves out every line equal to the one before it: a table of zeros,
    one node a line, keeps its header cells and a single "0"."""
    out: list[str] = []
    for line in text.split("\n"):
        if not out or line != out[-1]:
            out.append(line)
    return "\n".join(out)


def _table4_ambiguous(text: str) -> str:
    """表四's single "0" (fifteen zeros with repeats left out) made "0 / 1 / 0": a 1 and its group's 总计 in any
    of the groups, so more than one placement fits every sum and its cells cannot be read (collapsed.py)."""
    i = text.index("复议后起诉")
    j = text.index("\n0\n", i)
    return text[:j] + "\n0\n1\n0\n" + text[j + 3:]


@pytest.mark.parametrize("name", ["pingtan-2019", "pingtan-2020"])
def test_a_table_present_but_not_read_is_unchecked_not_empty(tmp_path, name):
    """表四, one node a line with repeats left out, whose lines fit more than one placement: its header cells
    are there, its cells are not readable. The table is 无法核对, never "第四部分没有统计表"."""
    text = _table4_ambiguous(_repeats_collapsed(_forms().node_lines((HERE / f"{name}.html").read_text(encoding="utf-8"))))
    assert "\n结果\n维持\n" in text or "\n结果维持\n" in text  # the header is in the text
    report = extract(_write(tmp_path, "archive.txt", text))
    rules = {(f.rule, f.sheet) for f in report.findings}
    assert not {("pub-table-empty", "第四部分"), ("pub-table-missing", "表四")} & rules, [f.message for f in report.errors]
    assert ("pub-table-unchecked", "表四") in rules
    assert report.published["tables"]["表四"] == "无法核对"
    assert report.published["verdict"] == "无法完整核对"


def test_a_part_without_its_table_is_still_empty(tmp_path):
    """Part 四 with prose only (“本年度未发生行政复议、行政诉讼”): the table is truly absent, still a 错误."""
    text = _repeats_collapsed(_forms().node_lines((HERE / "pingtan-2020.html").read_text(encoding="utf-8")))
    head, rest = text.split("\n政府信息公开行政复议、行政诉讼情况\n", 1)
    rest = "五、" + rest.split("\n五、", 1)[1]
    path = _write(tmp_path, "archive.txt", head + "\n政府信息公开行政复议、行政诉讼情况\n本年度未发生行政复议、行政诉讼。\n" + rest)
    report = extract(path)
    assert ("pub-table-empty", "第四部分") in {(f.rule, f.sheet) for f in report.errors}


def test_a_table_under_a_repeated_heading_is_unchecked_not_empty(tmp_path):
    """The next part's heading printed again right after part 四's (a site's archive text): 表四 falls
    under it. The text holds 表四's header, so 表四 is 无法核对, not “第四部分没有统计表”."""
    text = _table4_ambiguous(_repeats_collapsed(_forms().node_lines((HERE / "pingtan-2020.html").read_text(encoding="utf-8"))))
    title = "\n政府信息公开行政复议、行政诉讼情况\n"
    assert title in text
    report = extract(_write(tmp_path, "archive.txt", text.replace(title, title + "五、\n存在的主要问题及改进情况\n")))
    rules = {(f.rule, f.sheet) for f in report.findings}
    assert not {("pub-table-empty", "第四部分"), ("pub-table-missing", "表四")} & rules, [f.message for f in report.errors]
    assert ("pub-table-unchecked", "表四") in rules and report.published["tables"]["表四"] == "无法核对"


def _bar_cells(text: str, after: str, before: str) -> str:
    """A store's text whose every table cell, one a line, ends in " |": the lines between ``after`` and
    ``before``."""
    a = text.index(after) + len(after)
    b = text.index(before, a)
    return text[:a] + "\n".join(line + " |" for line in text[a:b].split("\n")) + text[b:]


def test_another_tables_labels_in_the_cells_are_a_misplaced_read(tmp_path):
    """A store's copy that runs 表二's header cells into where 表四's row is read ("信息内容", "本年增/减",
    "采购总金额" among its figures): text without a digit that is a label of a table means the table was not
    placed. 表四 is 无法核对, never “不是数字” 错误, and none of its cells is taken as read."""
    text = _forms().node_lines((HERE / "pingtan-2020.html").read_text(encoding="utf-8"))
    zeros = "\n总计\n" + "0\n" * 15 + "五、"
    assert zeros in text
    cells = ["0"] * 15
    for at, label in ((2, "信息内容"), (6, "本年增/减"), (10, "采购总金额")):
        cells.insert(at, label)
    report = extract(_write(tmp_path, "r.txt", text.replace(zeros, "\n总计\n| " + " | ".join(cells) + " |\n五、")))
    assert not [f for f in report.findings if f.rule == "pub-cell-not-number"], [f.message for f in report.errors]
    assert not [f for f in report.errors if f.sheet == "表四"], [f.message for f in report.errors]
    assert "表四" in {f.sheet for f in report.findings if f.rule == "pub-table-unchecked"}
    assert report.published["tables"]["表四"] == "无法核对"
    assert report.published["cells"]["table4"]["ok"] == 0


def test_a_word_in_a_number_cell_is_still_not_a_number(tmp_path):
    """A cell with a word that is no table's label ("不详") is still 不是数字 (a defect of the report)."""
    text = (HERE / "lg-2024.txt").read_text(encoding="utf-8")
    assert "行政事业性收费 | 0 |" in text
    report = extract(_write(tmp_path, "r.txt", text.replace("行政事业性收费 | 0 |", "行政事业性收费 | 不详 |")))
    assert [(f.sheet, f.actual) for f in report.errors if f.rule == "pub-cell-not-number"] == [("表二", "不详")]


@pytest.mark.parametrize("cell,value,rules", [
    # 万元 to the 分 (six decimals) is what the format's unit allows: the unit in the cell is a 警告
    ("43.788万元", 43.788, {"pub-cell-normalized"}),
    ("43.78812万元", 43.78812, {"pub-cell-normalized"}),
    ("43.7881", 43.7881, set()),
    # beyond the 分: read as printed, with a 提示 for the precision
    ("43.7881234万元", 43.7881234, {"pub-cell-precision", "pub-cell-normalized"}),
    ("43.7881234", 43.7881234, {"pub-cell-precision"}),
])
def test_money_with_its_unit_and_more_decimals_is_read_not_an_error(tmp_path, cell, value, rules):
    """A published 收费金额 in 万元 with its unit in the cell ("43.788万元") or more decimals than the 分
    is read as printed: never 错误 “最多保留…位小数”."""
    text = (HERE / "lg-2024.txt").read_text(encoding="utf-8")
    report = extract(_write(tmp_path, "r.txt", text.replace("行政事业性收费 | 0 |", f"行政事业性收费 | {cell} |")))
    assert report.data["table2"]["art20_8"]["fees"]["amount"] == value
    on_cell = {f.rule for f in report.findings if f.sheet == "表二" and f.row_label == "行政事业性收费"}
    assert on_cell == rules, [f.message for f in report.findings]
    assert not [f for f in report.errors if f.sheet == "表二"]


def test_rows_of_a_table_whose_part_heading_is_missing_are_unchecked_not_missing(tmp_path):
    """Part 二's heading left out (表二 follows part 一's text), in a site archive's text that drops repeated
    lines: 规章 / 规范性文件 each show one “0” for three cells. The rows cannot be read, and the reader
    looks for their numbers where 表二 was read (part 一), so they are 无法核对, not “未找到”."""
    text = _repeats_collapsed(_forms().node_lines((HERE / "pingtan-2020.html").read_text(encoding="utf-8")))
    heading = "\n二、\n主动公开政府信息情况\n"
    assert heading in text
    report = extract(_write(tmp_path, "archive.txt", text.replace(heading, "\n")))
    rules = {(f.rule, f.sheet) for f in report.findings}
    assert ("pub-part-missing", "正文") in rules  # the heading is truly missing
    assert ("pub-row-missing", "表二") not in rules, [f.message for f in report.errors]
    assert ("pub-row-unchecked", "表二") in rules


def test_a_part_whose_content_follows_the_next_heading_is_not_called_empty(tmp_path):
    """“六、其他需要报告的事项” printed before “五、存在的主要问题及改进情况”, part 六's text after part 五's:
    the order is the defect (错误); part 六 is not “没有内容” but 无法核对."""
    text = _forms().node_lines((HERE / "pingtan-2020.html").read_text(encoding="utf-8"))
    h5, h6 = "\n五、\n存在的主要问题及改进情况\n", "\n六、\n其他需要报告的事项\n"
    assert h5 in text and h6 in text
    report = extract(_write(tmp_path, "r.txt", text.replace(h6, "\n").replace(h5, h6 + h5[1:])))
    rules = {(f.rule, f.sheet) for f in report.findings}
    assert ("pub-part-order", "正文") in {(f.rule, f.sheet) for f in report.errors}
    assert ("pub-part-empty", "第六部分") not in rules, [f.message for f in report.errors]
    assert any(f.rule == "pub-part-unchecked" and "六" in f.message for f in report.findings)


def test_a_header_label_cut_over_three_lines_is_joined(tmp_path):
    """A site archive gives “本年增/减” as three lines, “本年增” / “/” / “减”: the label is joined whole, not
    read as a changed label “本年增/” (a false 警告)."""
    text = _forms().node_lines((HERE / "pingtan-2019.html").read_text(encoding="utf-8"))
    assert "\n本年增/减\n" in text
    report = extract(_write(tmp_path, "r.txt", text.replace("\n本年增/减\n", "\n本年增\n/\n减\n")))
    assert not [f.message for f in report.findings if f.rule == "pub-label-changed"]
    assert report.published["tables"]["表二"] == "已读取"


@pytest.mark.parametrize("printed,value", [("1.8533万元", 18533), ("18533（元）", 18533), ("1.8533（万元）", 18533)])
def test_a_2019_procurement_amount_with_its_own_unit_is_read_in_yuan(tmp_path, printed, value):
    """The 2019 table prints no unit for 采购总金额 (kept in 元 here): a report that writes "1.8533万元"
    gives its own unit, read exactly as 18533元 with the unit finding, never 错误 “单位与本栏不符”; a figure
    with its unit in brackets on a line of its own ("18533（元）") is a cell of the row, not lost text."""
    text = (HERE / "putian-tjj-2020.txt").read_text(encoding="utf-8")
    assert "\n1.8533万元\n" in text
    report = extract(_write(tmp_path, "r.txt", text.replace("\n1.8533万元\n", f"\n{printed}\n")))
    assert report.data["table2"]["art20_9"]["procurement"]["amount"] == value
    on_cell = [f for f in report.findings if f.sheet == "表二" and f.row_label == "政府集中采购"]
    assert [(f.rule, f.severity.value) for f in on_cell] == [("pub-cell-normalized", "警告")]
    assert not [f for f in report.errors if f.sheet == "表二"], [f.message for f in report.errors]


LISTED = """某某管理委员会2020年政府信息公开工作年度报告
一、总体情况
（一）概述
2020年，我委认真贯彻落实《条例》。
（二）主动公开政府信息情况
1.所做的工作、采取的措施
一是完善目录建设；二是完善审核程序。
2.主动公开的政府信息的数量
2020年全年，我委发布信息总计362条。
3.公开的主要内容
"""


def test_an_arabic_item_under_a_chinese_numbered_part_is_no_part_heading(tmp_path):
    """"2.主动公开的政府信息的数量" after "1.所做的工作" under "一、总体情况" goes on the list: it is neither
    part 二 nor a misnumbered heading (a text cut there is unsegmented, never 错误 “编号应为二、”)."""
    report = extract(_write(tmp_path, "r.txt", LISTED))
    assert "pub-part-numbering" not in {f.rule for f in report.findings}, [f.message for f in report.findings]
    assert not [f for f in report.errors if f.sheet == "正文"], [f.message for f in report.errors]


def test_parts_numbered_in_arabic_figures_still_open_their_parts(tmp_path):
    """A report that numbers its parts "1." "2." (with a list "1." inside part 1) still has its part 二, with
    the numbering finding: the list rule applies under parts numbered "一、" only."""
    text = LISTED.replace("一、总体情况", "1.总体情况").replace("2.主动公开的政府信息的数量", "2.主动公开政府信息情况")
    report = extract(_write(tmp_path, "r.txt", text))
    numbering = [f for f in report.findings if f.rule == "pub-part-numbering"]
    assert any(f.expected == "二、" for f in numbering), [f.message for f in report.findings]

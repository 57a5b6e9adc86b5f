"""Reports as the world publishes them (issue 22): one text node a line, headings worded a little
differently, label variants, titles with prefixes, PDF spacing; what cannot be read is 无法核对,
never a false 错误.

The variants are made from the real fixtures of tests/fixtures/published (SOURCES.md), or are real
text kept as small fixtures of their own (noted in SOURCES.md).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_published import HERE, _forms, compare, hand_reading

from govinfo_xlsx.extract.run import extract

ABSENCE = {"pub-part-missing", "pub-part-order", "pub-part-empty", "pub-table-empty", "pub-table-missing",
           "pub-row-missing", "pub-cell-missing", "pub-format-unknown"}


node_lines = _forms().node_lines  # scripts/published_forms.py


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _false_errors(name: str, report) -> list:
    """Errors that no defect found by reading accounts for."""
    exp = hand_reading(name)
    return [f.to_dict() for f in report.errors if not any(f.rule == d["rule"] for d in exp["defects"])]


@pytest.mark.parametrize("name", ["pingtan-2019", "pingtan-2020"])
def test_one_node_a_line_is_rebuilt_into_parts_and_tables(tmp_path, name):
    path = _write(tmp_path, "nodes.txt", node_lines((HERE / f"{name}.html").read_text(encoding="utf-8")))
    assert "一、\n总体情况\n" in path.read_text(encoding="utf-8")  # the numeral apart from its title
    report = extract(path)
    got = compare(name, path, report)
    assert got["wrong"] == [] and got["not_found"] == [] and got["invented"] == [], got
    assert not ABSENCE & {f.rule for f in report.findings}
    assert _false_errors(name, report) == []


@pytest.mark.parametrize("name,tables", [("shanghai-2019", ["表三", "表四"]), ("shuyang-fgj-2023", ["表三"])])
def test_one_node_a_line_with_blank_cells_lost_is_unchecked_not_missing(tmp_path, name, tables):
    """Blank cells leave no line: a row's numbers cannot be put in their columns. The table is
    无法核对, the report 无法完整核对, never 通过 and never 缺少."""
    path = _write(tmp_path, "nodes.txt", node_lines((HERE / f"{name}.html").read_text(encoding="utf-8")))
    report = extract(path)
    got = compare(name, path, report)
    assert got["wrong"] == [] and got["invented"] == [], got  # what is read is right
    assert not ABSENCE & {f.rule for f in report.findings}, [f.to_dict() for f in report.findings]
    assert _false_errors(name, report) == []
    unchecked = [f for f in report.findings if f.rule in ("pub-table-unchecked", "pub-row-unchecked")]
    assert sorted(f.sheet for f in unchecked) == tables and {f.severity.value for f in unchecked} == {"提示"}
    assert report.published["verdict"] == "无法完整核对" and not report.ok
    assert sorted({u["section"] for u in report.published["unchecked"]}) == tables


# ---------------------------------------------------------------- honest degradation


ARCHIVE = HERE / "pingtan-2019.archive.txt"  # the site archive's text of pingtan-2019 (SOURCES.md)


def test_an_archive_s_one_line_text_is_segmented_and_its_run_together_tables_read(capsys):
    """The site archive's text of pingtan-2019: a "标题:" line, then the whole article on one line,
    headings run into the text and table cells run together ("规章000规范性文件898989",
    "（一）予以公开7000007", "一、本年新收政府信息公开申请数量230 000023")."""
    from govinfo_xlsx.cli import main

    report = extract(ARCHIVE)
    assert (report.year, report.agency, report.published["date"]) == (2019, "平潭综合实验区", "2020-01-20")
    assert report.errors == [], [f.to_dict() for f in report.errors]
    assert not ABSENCE & {f.rule for f in report.findings}  # all six parts found, no table called missing
    got = compare("pingtan-2019", ARCHIVE, report)
    assert got["wrong"] == [] and got["invented"] == [], got
    assert not [n for n in got["not_found"] if not n.startswith("T2_")]  # every cell of 表三 and 表四 read
    assert report.data["table2"]["art20_1"]["rules"] == {"made": 0, "published": 0, "total_public": 0}
    # "898989" for three cells, "3960181" for three: no way to tell them apart, so not read: 无法核对
    unread = [f for f in report.findings if f.rule == "pub-row-unchecked"]
    assert [f.sheet for f in unread] == ["表二"] and "“规范性文件”" in unread[0].message
    assert report.published["tables"] == {"表二": "部分读取（部分无法核对）", "表三": "已读取", "表四": "已读取"}
    parted = [f for f in report.findings if f.rule == "pub-cells-parted"]
    assert parted and "230 000023" in parted[0].message and parted[0].severity.value == "提示"
    assert report.published["verdict"] == "无法完整核对"
    assert report.data["text"]["part6"] == "无其他需要报告的事项"
    assert main(["extract", str(ARCHIVE)]) == 1
    assert "结论：无法完整核对" in capsys.readouterr().out


@pytest.mark.parametrize("digits,width,table,cells", [
    ("7000007", 7, "三", ["7", "0", "0", "0", "0", "0", "7"]),  # every cell a single digit
    ("0 0 0 0 0 00", 7, "三", ["0"] * 7),
    ("230 000023", 7, "三", ["23", "0", "0", "0", "0", "0", "23"]),  # parted by the row's sum
    ("320000032", 7, "三", ["32", "0", "0", "0", "0", "0", "32"]),
    ("200020000000000", 15, "四", ["2", "0", "0", "0", "2"] + ["0"] * 10),
    ("898989", 3, "二", None),  # three cells of 表二, no sum to go by
    ("3960181", 3, "二", None),
    ("1111", 3, "三", None),
    ("75394432.52元", 1, "二", ["75394432.52元"]),
])
def test_run_together_cells_are_parted_only_when_the_text_tells_them_apart(digits, width, table, cells):
    from govinfo_xlsx.extract.runs import part_cells

    assert part_cells(digits, width, table) == cells


def test_run_together_digits_with_two_ways_to_part_them_are_not_read():
    from govinfo_xlsx.extract.runs import part_cells

    # 1,0,10,0,0,0,11 and 10,1,0,0,0,0,11 both add up: which one the page meant cannot be told
    assert part_cells("101000011", 7, "三") is None
    assert part_cells("101000011 ", 7, "三") is None
    assert part_cells("1 01000011", 7, "三") == ["1", "0", "10", "0", "0", "0", "11"]  # the space decides


def test_text_cut_before_its_second_part_is_unsegmented_not_missing():
    report = extract(HERE / "acheng-2021.txt")  # a store's excerpt cut inside part 一
    rules = {f.rule for f in report.findings}
    assert "pub-text-unsegmented" in rules and not ABSENCE & rules
    assert report.published["verdict"] == "无法完整核对" and not report.ok


def test_rows_whose_cells_lost_their_places_are_unchecked(tmp_path):
    """One row of a tab-separated copy given a cell a line with its blank cells lost: that row is
    无法核对, the others are read."""
    from test_published import tab_copy

    text = tab_copy((HERE / "shanghai-2019.html").read_text(encoding="utf-8"))
    row = next(line for line in text.splitlines() if "1.本机关不掌握相关政府信息" in line)
    cells = [c.strip() for c in row.split("\t") if c.strip()]
    path = _write(tmp_path, "copy.txt", text.replace(row, "\n".join(cells)))
    report = extract(path)
    unchecked = [f for f in report.findings if f.rule == "pub-row-unchecked"]
    assert len(unchecked) == 1 and "1.本机关不掌握相关政府信息" in unchecked[0].message
    assert "pub-row-missing" not in {f.rule for f in report.findings}
    got = compare("shanghai-2019", path, report)
    assert got["wrong"] == [] and got["invented"] == [] and len(got["not_found"]) == 7
    assert report.published["verdict"] == "有错误"  # the report's own defects stay errors
    assert [u["what"] for u in report.published["unchecked"]] == ["1.本机关不掌握相关政府信息"]
    assert report.published["tables"]["表三"] == "部分读取（部分无法核对）"
    assert report.published["tables"]["表二"] == "已读取"


def test_a_heading_worded_beyond_recognition_is_unchecked_not_missing(tmp_path):
    html = (HERE / "pingtan-2019.html").read_text(encoding="utf-8")
    assert "三、收到和处理政府信息公开申请情况" in html
    path = _write(tmp_path, "r.html", html.replace("三、收到和处理政府信息公开申请情况", "三、年度数据统计"))
    report = extract(path)
    part = [f for f in report.findings if f.rule == "pub-part-unchecked"]
    assert len(part) == 1 and "三、年度数据统计" in part[0].message
    assert not {"pub-part-missing", "pub-part-order", "pub-table-empty"} & {f.rule for f in report.findings}
    got = compare("pingtan-2019", path, report)
    assert got["wrong"] == [] and got["not_found"] == [], got  # the tables are still read by their labels
    assert report.published["verdict"] == "无法完整核对"


# ---------------------------------------------------------------- robust reading


@pytest.mark.parametrize("old,new", [
    ("三、收到和处理政府信息公开申请情况", "三、行政机关收到和处理政府信息公开申请情况。"),
    ("一、总体情况", "一 、总体情况："),
    ("四、政府信息公开行政复议、行政诉讼情况", "四．政府信息公开行政复议、行政诉讼情况"),
    ("五、存在的主要问题及改进情况", "五 、 存 在 的 主 要 问 题 及 改 进 情 况"),  # PDF text, a space between characters
])
def test_headings_by_numeral_and_meaning(tmp_path, old, new):
    html = (HERE / "pingtan-2019.html").read_text(encoding="utf-8")
    assert old in html
    report = extract(_write(tmp_path, "r.html", html.replace(old, new, 1)))
    rules = {f.rule for f in report.findings}
    assert not {"pub-part-missing", "pub-part-unchecked", "pub-part-numbering", "pub-table-empty"} & rules
    assert [f.rule for f in report.findings] == [f.rule for f in extract(HERE / "pingtan-2019.html").findings]


@pytest.mark.parametrize("render", ["tab", "nodes"])
def test_label_variants_are_read_with_a_label_finding(tmp_path, render):
    """Labels as unseen reports printed them: rows 本年度新收 / 上年度结转, a header typo
    本年新作数量, added words 对外公开总数量（2019年起） and 采购总金额（元）."""
    from test_published import tab_copy

    html = (HERE / "pingtan-2019.html").read_text(encoding="utf-8")
    for old, new in (("<span>制作数量</span>", "<span>作数量</span>"), ("对外公开总数量", "对外公开总数量（2019年起）"),
                     ("采购总金额", "采购总金额（元）"), ("一、本年新收政府信息公开申请数量", "本年度新收"),
                     ("二、上年结转政府信息公开申请数量", "上年度结转")):
        assert html.count(old) == 1, old
        html = html.replace(old, new)
    text = tab_copy(html) if render == "tab" else node_lines(html)
    path = _write(tmp_path, "r.txt", text)
    report = extract(path)
    got = compare("pingtan-2019", path, report)
    assert got["wrong"] == [] and got["not_found"] == [] and got["invented"] == [], got
    notes = {f.sheet: f.message for f in report.findings if f.rule == "pub-label-changed"}
    assert "“本年新作数量”（统一格式为“本年新制作数量”）" in notes["表二"]
    assert "对外公开总数量(2019年起)" in notes["表二"] and "采购总金额(元)" in notes["表二"]
    assert "本年度新收" in notes["表三"] and "上年度结转" in notes["表三"]
    assert not ABSENCE & {f.rule for f in report.findings}


def test_a_2021_report_with_the_2019_single_other_row_is_read_and_reported():
    report = extract(HERE / "hongze-2024.pdf")
    older = [f for f in report.findings if f.rule == "pub-row-older-format"]
    assert len(older) == 1 and older[0].severity.value == "错误" and older[0].sheet == "表三"
    assert report.published["older_rows"]["（六）其他处理"]["total"] == 0
    assert "pub-row-missing" not in {f.rule for f in report.findings}  # the three rows are not "not found"


def test_audit_rows_say_what_could_not_be_checked(tmp_path):
    import json

    from openpyxl import load_workbook

    from govinfo_xlsx.cli import main

    folder = tmp_path / "年报"
    folder.mkdir()
    (folder / "archive.txt").write_bytes(ARCHIVE.read_bytes())
    (folder / "pingtan-2019.html").write_bytes((HERE / "pingtan-2019.html").read_bytes())
    out, js = tmp_path / "审核.xlsx", tmp_path / "审核.json"
    assert main(["audit", str(folder), "-o", str(out), "--json", str(js), "--no-progress"]) == 1
    rows = {r["file"].rsplit("/", 1)[-1]: r for r in json.loads(js.read_text(encoding="utf-8"))["rows"]}
    assert rows["archive.txt"]["status"] == "无法完整核对" and rows["archive.txt"]["unchecked"] == "表二"
    assert rows["archive.txt"]["errors"] == 0
    assert rows["pingtan-2019.html"]["status"] == "仅警告" and rows["pingtan-2019.html"]["unchecked"] == ""
    sheet = load_workbook(out, read_only=True)["报告情况"]
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    col = table[0].index("无法核对")
    assert ["无法完整核对", "表二"] in [[r[table[0].index("状态")], r[col]] for r in table[1:]]


def test_labels_each_on_a_line_with_no_numbers_are_rows_of_blank_cells():
    """jiaxian-xizhen-2022: a 2022 report printing the 2019 tables' labels, every cell blank, a label a
    line: the rows are read as blank (as the page shows them), which tells the format."""
    report = extract(HERE / "jiaxian-xizhen-2022.txt")
    assert report.form == "gov-2019" and "pub-wrong-format" in {f.rule for f in report.errors}
    t3 = report.published["cell_status"]
    assert [t3[f"T3_{row}_{col}"] for row in ("new", "granted", "denied_8") for col in ("natural", "total")] \
        == ["blank"] * 6
    assert report.data["table2"]["art20_5"]["licensing"] == {"prev_count": None, "change": None, "decisions": None}
    assert report.published["cells"]["table2"]["blank"] == 22


def test_a_count_with_another_measure_word_is_read_with_a_warning():
    report = extract(HERE / "pingtan-czj-2020.txt")  # 政府集中采购 2笔 984361元 (cells spaced)
    assert report.data["table2"]["art20_9"]["procurement"] == {"projects": 2, "amount": 984361}
    units = {f.actual for f in report.findings if f.rule == "pub-cell-normalized"}
    assert {"2笔", "984361元"} <= units
    assert not report.errors, [f.to_dict() for f in report.errors]


# ---------------------------------------------------------------- more prose claims

SH_T4 = ("<tr><td><p>5</p></td><td>&nbsp;</td><td>&nbsp;</td><td><p>2</p></td><td><p>7</p></td><td><p>8</p></td><td>&nbsp;</td>"
         "<td>&nbsp;</td><td><p>1</p></td><td><p>9</p></td><td>&nbsp;</td><td>&nbsp;</td><td>&nbsp;</td><td>&nbsp;</td><td>&nbsp;</td></tr>")


def test_suits_are_direct_plus_after_review(tmp_path):
    """"诉讼9件" against 表四's 未经复议直接起诉 9 + 复议后起诉 1 = 10 (the issue's 7 against 7 + 1)."""
    html = (HERE / "shanghai-2019.html").read_text(encoding="utf-8")
    assert html.count(SH_T4) == 1 and "诉讼9件" in html
    after = SH_T4.replace("<td>&nbsp;</td><td>&nbsp;</td><td>&nbsp;</td><td>&nbsp;</td><td>&nbsp;</td></tr>",
                          "<td><p>1</p></td><td>0</td><td>0</td><td>0</td><td><p>1</p></td></tr>")
    report = extract(_write(tmp_path, "r.html", html.replace(SH_T4, after)))
    suits = [c for c in report.published["claims"] if c["what"] == "行政诉讼"]
    assert [(c["value"], c["table_value"], c["status"]) for c in suits] == [(9, 10, "矛盾")]
    assert ("pub-prose-number", 9) in {(f.rule, f.actual) for f in report.errors}
    same = [c for c in extract(HERE / "shanghai-2019.html").published["claims"] if c["what"] == "行政诉讼"]
    assert [(c["value"], c["table_value"], c["status"]) for c in same] == [(9, 9, "一致")]


@pytest.mark.parametrize("sentence,found", [
    ("申请均已办结。", True),  # shanghai 2019 carried 72 applications over
    ("上述申请已全部办结。", True),
    ("上述申请均在法定期限内办结。", False),  # a time limit, not "nothing left"
    ("所有申请均已按要求办理完成。", True),
    ("上述申请均已按时办结。", True),  # 已: done, on time
    ("所有申请均已答复完毕。", True),
    ("上述申请均按时办结。", False),  # no 已: the time limit only
])
def test_all_done_against_carried_over(tmp_path, sentence, found):
    html = (HERE / "shanghai-2019.html").read_text(encoding="utf-8")
    anchor = "均在法定期限内予以答复。"
    assert html.count(anchor) == 1
    report = extract(_write(tmp_path, "r.html", html.replace(anchor, anchor + sentence)))
    hits = [f for f in report.findings if f.rule == "pub-prose-all-done"]
    assert [(f.actual, f.severity.value) for f in hits] == ([(72, "警告")] if found else [])
    if found:
        assert any(c["what"] == "全部办结" and c["status"] == "矛盾" for c in report.published["claims"])


def test_all_done_with_nothing_carried_over_agrees(tmp_path):
    html = (HERE / "pingtan-2020.html").read_text(encoding="utf-8")
    said = "受理的申请件已按规定在法定期限内予以答复。"
    assert html.count(said) == 1
    page = html.replace(said, said + "上述申请均已办结。")
    report = extract(_write(tmp_path, "r.html", page))
    assert "pub-prose-all-done" not in {f.rule for f in report.findings}
    assert [c["status"] for c in report.published["claims"] if c["what"] == "全部办结"] == ["一致"]


def test_a_sentence_left_over_from_last_year(tmp_path):
    """lnst-qianjin-2020 says "2020年度我街道未收到申请人提出的依申请公开": the same page as a 2021
    report, as when last year's text is copied, gets a hint; the 2020 report itself does not."""
    text = (HERE / "lnst-qianjin-2020.txt").read_text(encoding="utf-8")
    assert "pub-prose-year" not in {f.rule for f in extract(HERE / "lnst-qianjin-2020.txt").findings}
    path = _write(tmp_path, "r.txt", text.replace("前进街道2020年政府信息公开工作年度报告", "前进街道2021年政府信息公开工作年度报告"))
    report = extract(path)
    assert report.year == 2021
    hints = [f for f in report.findings if f.rule == "pub-prose-year"]
    assert any("2020年度我街道未收到" in f.message and f.actual == 2020 for f in hints)
    assert {f.severity.value for f in hints} == {"提示"}


def test_a_unit_in_a_money_cell_is_a_warning(tmp_path):
    from test_published import tab_copy

    text = tab_copy((HERE / "pingtan-2019.html").read_text(encoding="utf-8")).replace("75394432.52元", "481714587.29元")
    report = extract(_write(tmp_path, "r.txt", text))
    unit = [f for f in report.findings if f.rule == "pub-cell-normalized"]
    assert [(f.severity.value, f.actual, f.expected) for f in unit] == [("警告", "481714587.29元", 481714587.29)]
    assert report.data["table2"]["art20_9"]["procurement"]["amount"] == 481714587.29


def test_rows_never_named_are_missing_and_rows_not_parted_are_unchecked():
    """pingtan-hzs-2025: 第二十条第（一）项 has no 规章 row at all (an error), and its 行政规范性文件 row
    reads "3024" for three cells (无法核对); its part 四 heading says 行政复议与行政诉讼."""
    report = extract(HERE / "pingtan-hzs-2025.txt")
    missing = [f for f in report.findings if f.rule == "pub-row-missing"]
    assert [(f.sheet, f.message) for f in missing] == [("表二", "表二中未找到 1 行：“规章”。")]
    unsure = [f for f in report.findings if f.rule == "pub-row-unchecked"]
    assert len(unsure) == 1 and "“行政规范性文件”" in unsure[0].message and "规章" not in unsure[0].message
    assert "pub-part-unchecked" not in {f.rule for f in report.findings}


@pytest.mark.parametrize("title", [
    "永康市行政服务中心 2020 年度政府信息公开\n年度报告",  # PDF text: spaces around the year, wrapped
    "永康市行政服务中心 2 0 2 0 年度政府信息公开年度报告",  # digits spaced
    "标题：永康市行政服务中心2020年度政府信息公开年度报告",  # an archive's label
])
def test_agency_and_year_from_titles_as_pdf_text_and_archives_give_them(tmp_path, title):
    text = (HERE / "yongkang-2020.txt").read_text(encoding="utf-8")
    head = "          永康市行政服务中心\n2020年度政府信息公开年度报告\n"
    assert text.startswith(head)
    report = extract(_write(tmp_path, "r.txt", title + "\n" + text[len(head):]))
    assert (report.year, report.agency) == (2020, "永康市行政服务中心")


def test_a_misprinted_header_in_run_together_text_keeps_the_block():
    """pingtan-gaj-2021: "信息内容本年制发件数本年废纸件数现行有效件数规章000行政规范性文件002"."""
    report = extract(HERE / "pingtan-gaj-2021.txt")
    assert report.data["table2"]["art20_1"]["normative"] == {"issued": 0, "repealed": 0, "in_force": 2}
    notes = [f.message for f in report.findings if f.rule == "pub-label-changed" and f.sheet == "表二"]
    assert notes and "“本年废纸件数”（统一格式为“本年废止件数”）" in notes[0]
    assert "pub-row-missing" not in {f.rule for f in report.findings}


def test_rebuilding_and_parting_stay_linear(tmp_path):
    """Four times the lines cost about four times as much (a quadratic path would cost sixteen): a
    node-a-line page with many short lines and numbers, and an archive line with many tables."""
    import time

    base = node_lines((HERE / "pingtan-2019.html").read_text(encoding="utf-8"))
    arch = ARCHIVE.read_text(encoding="utf-8")
    seg = arch[arch.index("第二十条第（一）项"):arch.index("三、收到和处理")]

    def cost(n: int) -> float:
        pad = "".join(f"第{i}项工作\n{i % 7}\n" for i in range(n))
        nodes = _write(tmp_path, f"n{n}.txt", base.replace("总体情况\n", "总体情况\n" + pad, 1))
        many = _write(tmp_path, f"a{n}.txt", arch.replace("五、存在的主要问题及改进情况",
                                                          "五、存在的主要问题及改进情况" + seg * (n // 50), 1))
        start = time.perf_counter()
        extract(nodes)
        extract(many)
        return time.perf_counter() - start

    cost(500)  # warm up
    small, large = cost(1500), cost(6000)
    assert large < 10 * small, (small, large)


def test_a_report_without_title_or_headings_is_unchecked_not_refused():
    """iaiso-gongjijin-2020: a store's copy of a report's beginning with neither title nor part
    headings ("(一)主动***息的数量…"); it says it is a report under the 条例. Read, never refused as
    "not a report", and said to be 无法完整核对 — its missing year and agency are hints, not errors."""
    report = extract(HERE / "iaiso-gongjijin-2020.txt")
    assert report.errors == [], [f.to_dict() for f in report.errors]
    rules = {f.rule: f.severity.value for f in report.findings}
    assert rules["pub-text-unsegmented"] == "提示" and rules["pub-year-unknown"] == "提示"
    assert report.published["verdict"] == "无法完整核对" and not report.ok


def test_sums_that_fail_on_a_parted_row_are_hints(tmp_path):
    """A row parted by its sum ("240 000024" = 24,0,0,0,0,0,24) that then breaks the balance of 表三:
    the parting may be wrong, so the failure is a hint naming that, never a 错误."""
    text = ARCHIVE.read_text(encoding="utf-8")
    assert text.count("申请数量230 000023") == 1
    report = extract(_write(tmp_path, "r.txt", text.replace("申请数量230 000023", "申请数量240 000024")))
    assert report.data["table3"]["new"]["natural"] == 24
    balance = [f for f in report.findings if f.rule.startswith("t3-balance")]
    assert balance and {f.severity.value for f in balance} == {"提示"} and "拆分可能有误" in balance[0].message
    assert not [f for f in report.errors if f.rule.startswith("t3-")]


@pytest.mark.parametrize("name", ["pingtan-syq-2023", "pingtan-syq-2025"])
def test_rows_with_several_partings_are_read_by_the_column_totals(name):
    """Rows such as "（一）予以公开" whose run-together digits part in more than one way that adds up:
    the one choice that makes every column's （七）总计 the sum of the results is read, and named."""
    report = extract(HERE / f"{name}.txt")
    got = compare(name, HERE / f"{name}.txt", report)
    assert got["wrong"] == [] and got["invented"] == [], got
    assert not [n for n in got["not_found"] if n.startswith(("T3_", "T4_"))], got["not_found"]
    parted = next(f for f in report.findings if f.rule == "pub-cells-parted")
    assert "按（七）总计" in parted.message
    assert not [f for f in report.findings if f.rule == "pub-row-unchecked" and f.sheet == "表三"]


def test_a_converter_s_markdown_rows_extra_columns_and_parted_labels():
    """shanghai-office-2025: a PDF-to-Markdown conversion: rows with an extra empty column
    ("| 1.属于国家秘密 | 4 | 0 | … | 4 |  |"), a label wrapped into two paragraphs above its numbers'
    row. Every cell read is right; no false 错误; rows whose labels were lost are 无法核对."""
    name = "shanghai-office-2025"
    report = extract(HERE / f"{name}.txt")
    got = compare(name, HERE / f"{name}.txt", report)
    assert got["wrong"] == [] and got["invented"] == [], got
    t3 = report.data["table3"]
    assert t3["denied_1"] == {"natural": 4, "commercial": 0, "research": 0, "social": 0, "legal": 0,
                              "other_org": 0, "total": 4}
    assert t3["partial"]["total"] == 2
    assert not {"pub-total-blank", "pub-prose-number"} & {f.rule for f in report.errors}
    assert report.published["verdict"] in ("无法完整核对", "有错误")
    # its title as the PDF gave it: "正文" / "2025 年上海市人民政府办公厅政府信息公开" / "工作年度报告"
    assert (report.year, report.agency) == (2025, "上海市人民政府办公厅")
    assert report.published["title"] == "2025年上海市人民政府办公厅政府信息公开工作年度报告"


@pytest.mark.parametrize("name,agency", [
    ("guyang-xiashihao-2022", "下湿壕镇政府"),  # "…2022年信息公开工作年度报告" without 政府
    ("lintao-xintian-2022", "临洮县新添镇"),  # the title quoted in the opening: 现发布《…》
    ("taojiang-songmutang-2022", "桃江县松木塘镇人民政府"),  # a bare title, then the organ, then the title again
])
def test_agency_from_titles_worded_and_placed_otherwise(name, agency):
    report = extract(HERE / f"{name}.txt")
    assert (report.year, report.agency) == (2022, agency)
    assert "pub-agency-unknown" not in {f.rule for f in report.findings}


def test_a_table_published_as_a_picture_is_unchecked_not_missing(tmp_path):
    """pingtan-2019 with its 表三 given as a picture (as many sites publish the tables): 无法核对."""
    html = (HERE / "pingtan-2019.html").read_text(encoding="utf-8")
    start = html.index("<table", html.index("三、收到和处理政府信息公开申请情况"))
    end = html.index("</table>", start) + len("</table>")
    report = extract(_write(tmp_path, "r.html", html[:start] + '<p><img src="biao3.png"/></p>' + html[end:]))
    rules = {f.rule for f in report.findings}
    assert not {"pub-table-empty", "pub-table-missing"} & rules, [f.to_dict() for f in report.errors]
    unsure = [f for f in report.findings if f.rule == "pub-table-unchecked"]
    assert [f.sheet for f in unsure] == ["表三"] and "图片" in unsure[0].message
    assert report.published["verdict"] == "无法完整核对"


@pytest.mark.parametrize("sentence,claims", [
    # a count of one outcome is compared with that outcome's row, never with the 21 handled
    ("共办结申请21件，其中予以公开答复7件。", [("办结", 21, 21, "一致"), ("予以公开", 7, 7, "一致")]),
    ("其中予以公开答复9件。", [("予以公开", 9, 7, "矛盾")]),
    # an outcome the tables have no row of by that name: unchecked
    ("共办结申请21件，其中同意公开答复 7 件。", [("办结", 21, 21, "一致"), ("同意公开", 7, None, "无法核对")]),
    ("共办结申请21件，其中公开答复7件。", [("办结", 21, 21, "一致"), ("公开答复", 7, None, "无法核对")]),
])
def test_a_count_of_one_outcome_is_not_the_applications_handled(tmp_path, sentence, claims):
    html = (HERE / "pingtan-2020.html").read_text(encoding="utf-8")
    said = "受理的申请件已按规定在法定期限内予以答复。"
    assert html.count(said) == 1
    report = extract(_write(tmp_path, "r.html", html.replace(said, said + sentence)))
    got = [(c["what"], c["value"], c["table_value"], c["status"]) for c in report.published["claims"]
           if c["what"] != "新收申请"]
    assert got == claims
    wrong = [f.actual for f in report.findings if f.rule == "pub-prose-number"]
    assert wrong == [c[1] for c in claims if c[3] == "矛盾"]


def test_pingtan_czj_s_disclosed_answers_are_not_its_applications_handled():
    """pingtan-czj-2024: "办结依申请2件，其中公开答复1件": the 1 is not compared with the 2 handled."""
    report = extract(HERE / "pingtan-czj-2024.txt")
    handled = [(c["value"], c["status"]) for c in report.published["claims"] if c["what"] == "办结"]
    assert handled == [(2, "一致")]
    assert 1 not in {f.actual for f in report.findings if f.rule == "pub-prose-number"}


YK_PROCUREMENT = "\t第二十条第（九）项\n\n\t信息内容\n\t采购项目数量\n\t采购总金额\n\n\t政府集中采购\n\t2\n\t[bookmark: _GoBack]1828582元\n"


@pytest.mark.parametrize("table,printed", [
    # a PDF converter's Markdown: the amount on a row of its own under its column's label
    ("| 第二十条第（九）项 | | |\n| 信息内容 | 采购项目数量 | 采购总金额 |\n| 政府集中采购 | 2 | |\n"
     "| 采购总金额 | 1828582元 |\n", "1828582元"),
    # every character set apart by the PDF's text
    ("| 第二十条第（九）项 | | |\n| 信息内容 | 采购项目数量 | 采购总金额 |\n| 政府集中采购 | 2 | 1 8 2 8 5 8 2 . 5 元 |\n",
     "1828582.5元"),
    # the unit in brackets, the sign before the figure
    ("| 第二十条第（九）项 | | |\n| 信息内容 | 采购项目数量 | 采购总金额 |\n| 政府集中采购 | 2 | 1828582（元） |\n",
     "1828582（元）"),
    ("| 第二十条第（九）项 | | |\n| 信息内容 | 采购项目数量 | 采购总金额 |\n| 政府集中采购 | 2 | ￥1828582 |\n",
     "￥1828582"),
])
def test_a_procurement_amount_with_its_unit_in_converted_pdf_text(tmp_path, table, printed):
    """yongkang-2020's 政府集中采购 row (2 / 1828582元) as PDF-to-text converters give it: the amount
    is read, with the unit warning, and no 错误 about the cell."""
    text = (HERE / "yongkang-2020.txt").read_text(encoding="utf-8")
    assert text.count(YK_PROCUREMENT) == 1
    report = extract(_write(tmp_path, "r.txt", text.replace(YK_PROCUREMENT, table)))
    assert report.data["table2"]["art20_9"]["procurement"]["projects"] == 2
    assert report.data["table2"]["art20_9"]["procurement"]["amount"] == float(re.sub(r"[^\d.]", "", printed))
    units = [(f.actual, f.severity.value) for f in report.findings if f.rule == "pub-cell-normalized"]
    assert units == [(printed, "警告")]
    assert not {"pub-cell-not-number", "pub-cell-missing", "pub-cell-blank"} & {f.rule for f in report.findings
                                                                               if f.sheet == "表二"}


@pytest.mark.parametrize("name", ["pingtan-czj-2022", "pingtan-jjf-2021", "lg-2024"])
def test_the_2019_label_in_a_2021_table_two_is_read_and_named(tmp_path, name):
    """A 2021-format 表二 printing the 2019 row label "规范性文件" (as shuyang-fgj-2023 does), in the
    site archive's run of digits, PDF-spaced text and pipes: the row is read, the label named."""
    text = (HERE / f"{name}.txt").read_text(encoding="utf-8")
    at = next(m.start() for m in re.finditer("行政规范性文件", text) if re.match(r"行政规范性文件\W{0,6}\d", text[m.start():]))
    report = extract(_write(tmp_path, "r.txt", text[:at] + text[at + 2:]))
    assert report.data["table2"]["art20_1"]["normative"] == extract(HERE / f"{name}.txt").data["table2"]["art20_1"]["normative"]
    changed = [f for f in report.findings if f.rule == "pub-label-changed"]
    assert len(changed) == 1 and "“规范性文件”（统一格式为“行政规范性文件”）" in changed[0].message
    assert changed[0].severity.value == "警告"


def test_a_2019_label_on_a_row_that_cannot_be_parted_is_not_a_missing_row(tmp_path):
    """pingtan-gwh-2024's archive text runs "行政规范性文件114251" together (no unique parting): printed
    as "规范性文件114251" the row is still named by the text, so it is 无法核对, not a missing row (错误)."""
    text = (HERE / "pingtan-gwh-2024.txt").read_text(encoding="utf-8")
    assert text.count("行政规范性文件114251") == 1
    report = extract(_write(tmp_path, "r.txt", text.replace("行政规范性文件114251", "规范性文件114251")))
    assert not [f for f in report.errors if f.sheet == "表二"], [f.message for f in report.errors]
    assert any(u["section"] == "表二" and u["status"] == "无法核对" for u in report.published["unchecked"])


def test_an_aspect_of_part_one_worded_like_part_two_does_not_open_it():
    """shanghai-stcsm-2024 numbers the aspects of part 一 "二、" to "六、" ("三、主动公开工作情况"), then
    the parts with the tables "一、主动公开政府信息情况", "二、收到和处理……": part 二 opens at its own
    (statutory) title, and each misnumbered part heading is named once."""
    report = extract(HERE / "shanghai-stcsm-2024.txt")
    numbering = sorted(f.message for f in report.findings if f.rule == "pub-part-numbering")
    assert len(numbering) == 4 and not any("主动公开工作情况" in m for m in numbering), numbering
    assert any("“一、主动公开政府信息情况”的编号应为“二、”" in m for m in numbering)
    part1 = "".join(v for k, v in report.data["text"].items() if k.startswith("part1")).replace("\n", "")
    assert "市科委根据市政府相关工作要求配合做好政策集中" in part1  # 六、政府信息公开平台建设 is in part 一


def test_a_clause_wrapped_over_two_lines_keeps_its_subject(tmp_path):
    """shanghai-stcsm-2024's PDF text: "……其他处理 14 件，转下一" / "年度办理答复的有 1 件。": the 1 is the
    applications carried into next year, not all applications handled (35)."""
    text = (HERE / "shanghai-stcsm-2024.txt").read_text(encoding="utf-8")
    assert "转下一\n年度办理答复的有 1 件" in text
    claims = [(c["what"], c["value"]) for c in extract(HERE / "shanghai-stcsm-2024.txt").published["claims"]]
    assert ("办结", 1) not in claims
    # the same words on one line are the carried-over count, checked against 表三 (1, the applicant columns)
    joined = extract(_write(tmp_path, "r.txt", text.replace("转下一\n年度办理答复", "转下一年度办理答复")))
    got = [(c["what"], c["value"], c["table_value"], c["status"]) for c in joined.published["claims"]]
    assert ("结转下年度", 1, 1, "一致") in got and ("办结", 1, 35, "矛盾") not in got


@pytest.mark.parametrize("name", ["yongkang-2020", "pingtan-czj-2020", "pingtan-syq-2023"])
def test_full_width_digits_and_spaces_are_read_as_digits(tmp_path, name):
    """Real reports with every digit and space typed full-width ("２０２０年度", U+3000), as some sites
    type them (scripts/published_forms.py full_width): the same year, agency, cells and findings."""
    path = HERE / f"{name}.txt"
    wide = _write(tmp_path, "r.txt", _forms().full_width(path.read_text(encoding="utf-8")))
    assert "２０" in wide.read_text(encoding="utf-8")
    report, base = extract(wide), extract(path)
    assert (report.year, report.agency) == (base.year, base.agency) == (hand_reading(name)["year"], hand_reading(name)["agency"])
    got = compare(name, wide, report)
    assert got["wrong"] == [] and got["invented"] == [] and got["not_found"] == compare(name, path, base)["not_found"]
    assert sorted((f.rule, f.sheet) for f in report.errors) == sorted((f.rule, f.sheet) for f in base.errors)


NAVIGATION = "首页\n政务公开\n政府信息公开 领导之窗 政府工作报告 公示公告 统计信息\n当前位置：\n政府信息公开年报\n"


@pytest.mark.parametrize("title", [
    "2019年上海市人民政府办公厅政府信息公开工作年度报告",
    "2019 年上海市人民政府办公厅政府信息公开工作\n年度报告",  # wrapped, as PDF text gives it
])
def test_the_title_after_a_page_s_navigation_naming_reports(tmp_path, title):
    """A browser copy of shanghai-2019 (innerText) under a site's navigation whose line names
    "政府信息公开" and "政府工作报告" (pingtan.gov.cn's menu): the title is the line with the year."""
    text = (HERE / "shanghai-2019.browser-copy.txt").read_text(encoding="utf-8")
    first = "2019年上海市人民政府办公厅政府信息公开工作年度报告"
    assert text.count(first) == 1
    report = extract(_write(tmp_path, "r.txt", NAVIGATION + text.replace(first, title)))
    assert (report.year, report.agency) == (2019, "上海市人民政府办公厅")
    assert not {"pub-year-unknown", "pub-agency-unknown"} & {f.rule for f in report.findings}


def test_the_title_from_a_cms_information_table(tmp_path):
    """shuyang-fgj-2023 copied as text without its title line: the CMS's information table above the
    article ("名称\t沭阳县发展和改革局2023年政府信息公开年度报告") still names the report."""
    text = _forms().tab_copy((HERE / "shuyang-fgj-2023.html").read_text(encoding="utf-8"))
    title = "\n沭阳县发展和改革局2023年政府信息公开年度报告\n"
    assert text.count(title) == 1
    report = extract(_write(tmp_path, "r.txt", text.replace(title, "\n")))
    assert (report.year, report.agency) == (2023, "沭阳县发展和改革局")


def test_brackets_a_line_each_are_joined_to_their_labels():
    """sanming-2022, a site archive's text with every node a line and half-width brackets each on a line
    ("(" / "二" / ")" / "部分公开" / "(" / "区分处理的" / "," / … / ")", "第二十条第" / "(" / "一" / ")" / "项"):
    every cell of 表二, 表三 and 表四 is read."""
    name = "sanming-2022"
    report = extract(HERE / f"{name}.txt")
    got = compare(name, HERE / f"{name}.txt", report)
    assert got["wrong"] == [] and got["not_found"] == [] and got["invented"] == [], got
    assert not [f for f in report.errors], [f.to_dict() for f in report.errors]


def test_a_count_of_one_outcome_and_others_is_not_that_outcome():
    """sanming-2025: "不予公开等其他类型164件" is 不予公开 and every other outcome: 无法核对, never 164 against
    the 26 of 不予公开."""
    report = extract(HERE / "sanming-2025.txt")
    said = [c for c in report.published["claims"] if c["value"] == 164]
    assert [(c["what"], c["status"]) for c in said] == [("不予公开", "无法核对")]
    assert 164 not in {f.actual for f in report.findings if f.rule == "pub-prose-number"}


def test_rows_whose_numbering_a_converter_moved_into_headings():
    """shuyang-xzf-2025, a converter's Markdown: "### (一) 予以公开" above "| 予以公开 | 290 | … |", a row
    "1. 申请人无正当理由逾期不补正, 行政机关……" with a comma for 、, and a header row "| 项目 | 本年新收件数 |
    上年结转件数 | …" of unrelated names: every row of 表三 read, no label finding for numbering or
    punctuation, the header row not taken for the row 本年新收."""
    name = "shuyang-xzf-2025"
    report = extract(HERE / f"{name}.txt")
    got = compare(name, HERE / f"{name}.txt", report)
    assert got["wrong"] == [] and got["invented"] == [] and not [n for n in got["not_found"] if n.startswith("T3_")]
    assert not [f for f in report.findings if f.rule == "pub-label-changed" and f.sheet == "表三"]
    assert report.data["table3"]["new"]["total"] == 713


def _spaced_copy(name: str) -> str:
    """A real page copied out of a PDF viewer: a row a line, its cells parted by runs of spaces."""
    return _forms().tab_copy((HERE / f"{name}.html").read_text(encoding="utf-8"), spacer=False).replace("\t", "   ")


def test_spaced_rows_whose_narrow_cells_are_parted_by_one_space(tmp_path):
    """pingtan-hzs-2024 as pdftotext -layout gives its narrow columns: "一、本年新收政府信息公开申请数量   28 0   0
    0   0   0   28" and 表四's "1 0 0   0   0 …": one space parts cells when that gives the row's width exactly."""
    text = _spaced_copy("pingtan-hzs-2024")
    rows = [line for line in text.splitlines() if line.startswith("一、本年新收") or line.startswith("1   0   0")]
    assert len(rows) == 2
    for row in rows:
        text = text.replace(row, re.sub(r"(?<=\d)   (?=\d)", " ", row, count=2))
    path = _write(tmp_path, "r.txt", text)
    report = extract(path)
    got = compare("pingtan-hzs-2024", path, report)
    assert got["wrong"] == [] and got["invented"] == [] and not [n for n in got["not_found"] if n.startswith(("T3_", "T4_"))]


def test_a_spaced_row_with_a_cell_lost_is_unchecked_never_missing_or_shifted(tmp_path):
    """The same copy with one cell of "（一）予以公开" and one of 表四 lost (a blank cell, or two cells run into
    one, leaves a row short): which is which cannot be told, so those rows are 无法核对, no cell of them is
    read into the wrong column, and nothing is called missing."""
    text = _spaced_copy("pingtan-hzs-2024")
    t3 = next(line for line in text.splitlines() if "（一）予以公开   18" in line)
    t4 = next(line for line in text.splitlines() if line.startswith("1   0   0"))
    path = _write(tmp_path, "r.txt", text.replace(t3, t3.replace("   0   0   18", "   0   18", 1))
                  .replace(t4, t4.replace("1   0   0", "1   0", 1)))
    report = extract(path)
    got = compare("pingtan-hzs-2024", path, report)
    assert got["wrong"] == [] and got["invented"] == [], got
    assert sorted({n.split("_")[1] for n in got["not_found"] if n.startswith("T3_")}) == ["granted"]
    assert len([n for n in got["not_found"] if n.startswith("T4_")]) == 15
    assert not {"pub-cell-missing", "pub-row-missing", "pub-table-missing"} & {f.rule for f in report.findings}
    unsure = {f.sheet: f for f in report.findings if f.rule in ("pub-row-unchecked", "pub-table-unchecked")}
    assert set(unsure) == {"表三", "表四"} and "（一）予以公开" in unsure["表三"].message
    assert report.published["verdict"] == "无法完整核对" or report.errors


def test_run_in_headings_worded_otherwise_in_an_archive_line():
    """pingtan-nyn-2021's archive text runs "……000000000000000五、政府信息公开存在的主要问题及改进情况2021年……"
    and "六、需要说明的其他事项与附表" into one line: both parts found, and 表四's fifteen zeros before them read."""
    name = "pingtan-nyn-2021"
    report = extract(HERE / f"{name}.txt")
    assert not {"pub-part-missing", "pub-table-missing", "pub-table-unchecked"} & {f.rule for f in report.findings}
    got = compare(name, HERE / f"{name}.txt", report)
    assert got["wrong"] == [] and not [n for n in got["not_found"] if n.startswith(("T3_", "T4_"))]


def test_handled_and_carried_over_figures_against_the_tables(tmp_path):
    """办结 and 结转 figures of the prose against 表三 (pingtan-2020: 21 handled, none carried over)."""
    html = (HERE / "pingtan-2020.html").read_text(encoding="utf-8")
    said = "受理的申请件已按规定在法定期限内予以答复。"
    assert html.count(said) == 1
    report = extract(_write(tmp_path, "r.html", html.replace(said, said + "全年共办结申请25件，结转下年度继续办理2件。")))
    got = {c["what"]: (c["value"], c["table_value"], c["status"]) for c in report.published["claims"]}
    assert got["办结"] == (25, 21, "矛盾") and got["结转下年度"] == (2, 0, "矛盾")
    assert {25, 2} <= {f.actual for f in report.errors if f.rule == "pub-prose-number"}


def test_a_part_numbered_otherwise_and_a_table_run_into_the_next_heading():
    """pingtan-jjp-2025's archive line: "……总计 000000000000000五、信息处理费收取情况……000六、存在的主要问题及
    改进措施……": 表四's zeros are read, the problems part is found and its numbering named, nothing called
    missing but the heading 其他需要报告的事项 the report does not have."""
    name = "pingtan-jjp-2025"
    report = extract(HERE / f"{name}.txt")
    rules = [(f.rule, f.severity.value) for f in report.findings if f.rule.startswith("pub-part") or f.sheet == "表四"]
    assert ("pub-part-numbering", "错误") in rules and not [r for r in rules if r[0] == "pub-table-missing"]
    assert [f.expected for f in report.findings if f.rule == "pub-part-missing"] == ["六"]
    assert report.published["tables"]["表四"] == "已读取"
    assert report.data["table4"]["review"]["total"] == 0


@pytest.mark.parametrize("name", ["pingtan-2019", "pingtan-hzs-2024"])
def test_table_rows_printed_as_lines_of_text(tmp_path, name):
    """A page whose tables have no ruled lines, printed to PDF (Chromium) and read as text: every row a line,
    its cells parted by one space ("规章 0 0 0", "信息内容 上一年项目数量 本年增/减 处理决定数量",
    "1.属于国家秘密 0 0 0 0 0 0 0"). The rows are read; a row shorter than its table is 无法核对; no 错误
    but the report's own."""
    text = _forms().tab_copy((HERE / f"{name}.html").read_text(encoding="utf-8"), spacer=False)
    lines = [re.sub(r"\s+", " ", line.replace("\t", " ").replace("\xa0", " ")).strip() for line in text.splitlines()]
    path = _write(tmp_path, "r.txt", "\n".join(lines) + "\n")
    report = extract(path)
    got = compare(name, path, report)
    assert got["wrong"] == [] and got["invented"] == [], got
    assert not [n for n in got["not_found"] if n.startswith(("T2_art20_5", "T2_art20_6"))]
    from test_measure_published import measure

    exp = hand_reading(name)
    _, left, _ = measure.match(report.errors, exp["defects"] + exp.get("defensible", []))
    assert [report.errors[i].to_dict() for i in left] == []


def test_a_table_a_converter_left_out_is_unchecked_not_missing(tmp_path):
    """pingtan-2019's page through pandoc into pipe-table Markdown: 表二 (cells spanning columns) is written
    as "[TABLE]". The table is 无法核对, never "没有统计表"."""
    html = (HERE / "pingtan-2019.html").read_text(encoding="utf-8")
    start = html.index("<table", html.index("二、主动公开政府信息情况"))
    end = html.index("</table>", start) + len("</table>")
    text = _forms().tab_copy(html[:start] + "<p>[TABLE]</p>" + html[end:])
    report = extract(_write(tmp_path, "r.md", text))
    assert not {"pub-table-empty", "pub-table-missing"} & {f.rule for f in report.findings}
    unsure = [f for f in report.findings if f.rule == "pub-table-unchecked"]
    assert [f.sheet for f in unsure] == ["表二"] and "[TABLE]" in unsure[0].message


@pytest.mark.parametrize("mark", ["# {}", "## **{}**", "__{}__"])
def test_a_title_with_markdown_marks(tmp_path, mark):
    """A converter's Markdown of shuyang-fgj-2023 (pandoc gfm writes its title "# 沭阳县发展和改革局2023年……"):
    the marks are not part of the agency's name."""
    text = _forms().tab_copy((HERE / "shuyang-fgj-2023.html").read_text(encoding="utf-8"))
    title = "\n沭阳县发展和改革局2023年政府信息公开年度报告\n"
    assert text.count(title) == 1
    # pandoc keeps the page's <div>s and a complex <table> as raw HTML: the file is read as a page
    raw = '<div class="article">\n\n<table><tr><td>索引号</td><td>014314799/2024-00002</td></tr></table>\n\n'
    report = extract(_write(tmp_path, "r.md", raw + text.replace(title, "\n" + mark.format(title.strip()) + "\n")))
    assert (report.year, report.agency) == (2023, "沭阳县发展和改革局")


def test_a_row_with_blank_columns_at_both_ends_is_unchecked(tmp_path):
    """shanghai-2019 through pandoc: "| 三、本年度办理结果 | （一）予以公开 | | 258 | 12 |   |   | 1 | 1 |   |" (the
    merged third label column blank, the blank 总计 last): more cells than columns, blank at both ends, so
    which columns hold 258 … cannot be told. The row is 无法核对, never read shifted into a false 错误."""
    text = _forms().tab_copy((HERE / "shanghai-2019.html").read_text(encoding="utf-8"))
    row = next(line for line in text.splitlines() if "（一）予以公开" in line)
    path = _write(tmp_path, "r.md", text.replace(
        row, "| 三、本年度办理结果 | （一）予以公开 | | 258 | 12 |   |   | 1 | 1 |   |"))
    report = extract(path)
    got = compare("shanghai-2019", path, report)
    assert got["wrong"] == [] and got["invented"] == []
    assert sorted(n for n in got["not_found"] if n.startswith("T3_")) == sorted(
        n for n in got["not_found"] + got["correct"] if n.startswith("T3_granted_"))
    assert not [f for f in report.errors if f.rule.startswith("t3-")], [f.message for f in report.errors]
    assert any(f.rule == "pub-row-unchecked" and "（一）予以公开" in f.message for f in report.findings)


def test_a_wrapped_line_without_a_year_does_not_hide_the_title(tmp_path):
    """shuyang-fgj-2023's tab copy with its first title-like text wrapped (published_forms.wrapped_title: the
    CMS table's 名称 cell "……2023 年政府信息公开" / "年度报告"): the lines "政府信息公开" / "年度报告" of the
    menu and the wrap have no year; the title line with the year names the report."""
    text = _forms().wrapped_title(_forms().tab_copy((HERE / "shuyang-fgj-2023.html").read_text(encoding="utf-8")))
    assert "\n年度报告\n" in text
    report = extract(_write(tmp_path, "r.txt", text))
    assert (report.year, report.agency) == (2023, "沭阳县发展和改革局")


def test_a_row_a_pdf_wrapped_around_its_cells_is_unchecked_not_missing(tmp_path):
    """pingtan-hzs-2024 printed on a narrow page (Chromium) and read: its "（二）部分公开" row came out as the
    lines "（二）部分公开（区分 6 0 0 0 0 0 6本 处理的，只计这一情" / "年 形，不计其他情形）". The row is named
    and its numbers are there: 无法核对, not a missing row."""
    text = _forms().tab_copy((HERE / "pingtan-hzs-2024.html").read_text(encoding="utf-8"))
    row = next(line for line in text.splitlines() if line.startswith("（二）部分公开"))
    path = _write(tmp_path, "r.txt", text.replace(
        row, "（二）部分公开（区分 6 0 0 0 0 0 6本 处理的，只计这一情\n年 形，不计其他情形）"))
    report = extract(path)
    assert "pub-row-missing" not in {f.rule for f in report.findings}, [f.message for f in report.errors]
    assert any(f.rule == "pub-row-unchecked" and "（二）部分公开" in f.message for f in report.findings)


SH_TITLE = "2019年上海市人民政府办公厅政府信息公开工作年度报告"


@pytest.mark.parametrize("title", [
    "年上海市人民政府办公厅政府信息公开工作年度报告",  # pdftotext of the printed page lost the year
    "2019 年上海市人民政府办公厅政府信息公开工\n作年度报告",  # wrapped inside 工作 (a 120 mm page)
])
def test_a_title_as_pdf_text_gives_it(tmp_path, title):
    """shanghai-2019's browser copy with its title as pdftotext gave it from Chromium's print of the page: the
    year from the period the report states ("统计期限从2019年1月1日到12月31日止") where the title lost it, the
    title joined where it wrapped inside a word."""
    text = (HERE / "shanghai-2019.browser-copy.txt").read_text(encoding="utf-8")
    assert text.count(SH_TITLE) == 1
    report = extract(_write(tmp_path, "r.txt", text.replace(SH_TITLE, title)))
    assert (report.year, report.agency) == (2019, "上海市人民政府办公厅")


def _shuyang_lines() -> list[str]:
    return _forms().tab_copy((HERE / "shuyang-fgj-2023.html").read_text(encoding="utf-8")).splitlines()


def test_the_cms_name_cell_as_pdf_text_without_its_colon(tmp_path):
    """shuyang-fgj-2023 as PDF text: its information table's row "名称 沭阳县发展和改革局2023年……年度报告" is a
    line, and the page's title line is not there: "名称" is not part of the agency."""
    title = "沭阳县发展和改革局2023年政府信息公开年度报告"
    lines = [("名称 " + title if line.startswith("名称\t") else line) for line in _shuyang_lines() if line != title]
    report = extract(_write(tmp_path, "r.txt", "\n".join(lines) + "\n"))
    assert (report.year, report.agency) == (2023, "沭阳县发展和改革局")


def test_a_wrapped_sentence_naming_the_report_is_not_its_title(tmp_path):
    """shuyang-fgj-2023 as PDF text from a narrow page: the opening sentence wraps so that one line reads
    "《条例》）要求，现向社会公布沭阳县发展和改革局2023年度政府信息公开年度报告。" — a sentence, not the title."""
    title = "沭阳县发展和改革局2023年政府信息公开年度报告"
    lines = [line for line in _shuyang_lines() if line != title and not line.startswith("名称\t")]
    at = next(i for i, line in enumerate(lines) if line.startswith("根据《中华人民共和国"))
    first, rest = lines[at].split("（以下简称", 1)
    lines[at:at + 1] = [first + "（以下简称", rest.split("本年度报告")[0], title, "本年度报告" + rest.split("本年度报告", 1)[1]]
    assert lines[at + 1].startswith("《条例》）要求，现向社会公布")
    report = extract(_write(tmp_path, "r.txt", "\n".join(lines) + "\n"))
    assert (report.year, report.agency) == (2023, "沭阳县发展和改革局")


def test_table_two_as_pdftotext_layout_gives_it(tmp_path):
    """pingtan-hzs-2024's PDF through pdftotext -layout: "信息内容    本年制发件数 本年废止件数 现行有效件数"
    and "行政规范性文件 15    6      21" — one space where the columns are narrow. The header's labels and
    the row's label and first number are parted; the block is read."""
    text = _spaced_copy("pingtan-hzs-2024")
    header, row = "信息内容   本年制发件数   本年废止件数   现行有效件数", "行政规范性文件   15   6   21"
    assert text.count(header) == 1 and text.count(row) == 1
    path = _write(tmp_path, "r.txt", text.replace(header, "信息内容    本年制发件数 本年废止件数 现行有效件数")
                  .replace(row, "行政规范性文件 15    6      21"))
    report = extract(path)
    assert report.data["table2"]["art20_1"]["normative"] == {"issued": 15, "repealed": 6, "in_force": 21}
    assert not [f for f in report.errors if f.sheet == "表二"], [f.message for f in report.errors]


def test_a_long_label_wrapped_around_its_cells_names_its_row(tmp_path):
    """pingtan-hzs-2024's PDF through pdftotext -layout gives the row "1.申请人无正当理由逾期不补正、行政机关不再
    处理其政府信息公开申请" as "申请人无正当理由逾期不补正、行政机关不再处 0 0 0 0 0 0 0" / "1." / "理其政府信息公开
    申请": the row is named by the opening of its label, so it is 无法核对, not missing."""
    text = _forms().tab_copy((HERE / "pingtan-hzs-2024.html").read_text(encoding="utf-8"))
    row = next(line for line in text.splitlines() if "\t1.申请人无正当理由逾期不补正" in line)
    path = _write(tmp_path, "r.txt", text.replace(
        row, "          申请人无正当理由逾期不补正、行政机关不再处 0 0 0 0 0 0 0\n         1.\n         理其政府信息公开申请"))
    report = extract(path)
    assert "pub-row-missing" not in {f.rule for f in report.findings}, [f.message for f in report.errors]
    assert any(f.rule == "pub-row-unchecked" and "申请人无正当理由逾期不补正" in f.message for f in report.findings)


def test_table_four_as_three_small_tables_under_headings():
    """shuyang-xzf-2025, a converter's Markdown: 表四 as "### 行政复议" / "| 结果维持 | … | 总计 |" / "| 27 | 10 | 9 |
    15 | 61 |", then 行政诉讼（未经复议直接起诉） and （复议后起诉）: read as the one row of fifteen cells."""
    name = "shuyang-xzf-2025"
    report = extract(HERE / f"{name}.txt")
    got = compare(name, HERE / f"{name}.txt", report)
    assert got["wrong"] == [] and not [n for n in got["not_found"] if n.startswith("T4_")]
    assert report.published["tables"]["表四"] == "已读取"
    assert report.data["table4"]["suit_after_review"] == {"upheld": 8, "corrected": 0, "other": 1, "pending": 1,
                                                          "total": 10}

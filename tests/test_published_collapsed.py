"""Text that leaves out every line equal to the one before it (layout ``repeats-collapsed``, issue 22).

The real cases are the 莆田 site archive's text of the built part (tests/fixtures/published, SOURCES.md
"Layout repeats-collapsed"), compared cell for cell with their hand readings; the rules of ambiguity are
made-up rows. None reads the hold-out.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govinfo_xlsx.extract.collapsed import T4_ROW, expand_collapsed, expansions, looks_collapsed, solve
from govinfo_xlsx.extract.document import Block
from govinfo_xlsx.extract.run import extract
from govinfo_xlsx.forms import get_form

HERE = Path(__file__).parent / "fixtures" / "published"


def _hand(name: str) -> dict:
    return json.loads((HERE / "expected" / f"{name}.json").read_text(encoding="utf-8"))


def _cells(report, hand: dict, table: str) -> tuple[dict, dict]:
    """(read, by hand) for the cells of 表三 or 表四 the report read (status ok)."""
    form = get_form(hand["form"])
    t = form.table3 if table == "table3" else form.table4
    want = {t.cell_name(row, c): v for row, values in hand[table].items() if row != "columns"
            for c, v in zip(hand[table]["columns"], values)}
    status = report.published["cell_status"]
    got = {n: report.data[table][row][col] for row, cols in report.data[table].items() for col in cols
           for n in [t.cell_name(row, col)] if status.get(n) == "ok"}
    return got, want


@pytest.mark.parametrize("name", ["putian-cgj-2024", "putian-szf-2019", "putian-hyj-2020", "putian-tjj-2025"])
def test_real_archive_text_is_rebuilt_as_the_hand_reading(name):
    """Every cell of 表三 and 表四 read, and equal to the hand reading (both formats; 表三 rows such as
    "140 / 5 / 0 / 1 / 0 / 146" that only the column sums place; a label cut over four lines, "3.危及" /
    "“" / "三安全一稳定" / "”"; 表四 "1 / 0 / 1 / 0" whose zeros run from 复议 on into both 诉讼 groups)."""
    hand = _hand(name)
    report = extract(HERE / f"{name}.txt")
    for table in ("table3", "table4"):
        got, want = _cells(report, hand, table)
        assert got == want, table
    assert report.published["tables"]["表三"] == report.published["tables"]["表四"] == "已读取"
    assert "pub-cells-rebuilt" in {f.rule for f in report.findings}


def test_sums_used_to_place_cells_are_stated_unchecked():
    """Rows whose lines allow more than one placement are placed by the sums: those sums cannot show a
    defect, so they are 无法核对 (named, in the report's unchecked list), and the report never passes."""
    report = extract(HERE / "putian-cgj-2024.txt")
    placed = [f for f in report.findings if f.rule == "pub-cells-rebuilt" and "合计关系" in f.message]
    assert {f.sheet for f in placed} == {"表三", "表四"}
    assert "“5.属于三类内部事务信息”1 / 0 / 1" in next(f.message for f in placed if f.sheet == "表三")
    assert {u["what"] for u in report.published["unchecked"]} >= {"表三的合计与勾稽关系", "表四的合计与勾稽关系"}
    assert report.published["verdict"] == "无法完整核对"
    assert not report.errors


def test_rows_with_two_placements_are_not_read():
    """putian-cgj-2023: “19 / 0 / 1 / 0 / 20” (新收 and 总计) and “3 / 0 / 1 / 0 / 4” (部分公开): the 1 may
    stand under 商业企业, 科研机构 or 社会公益组织, and every sum holds each way: those rows are 无法核对,
    nothing is guessed, and every row read equals the hand reading."""
    hand = _hand("putian-cgj-2023")
    report = extract(HERE / "putian-cgj-2023.txt")
    got, want = _cells(report, hand, "table3")
    assert got and all(want[n] == v for n, v in got.items())
    status = report.published["cell_status"]
    assert all(status[f"T3_{row}_natural"] == "missing" for row in ("new", "partial", "total"))
    unread = next(f for f in report.findings if f.rule == "pub-cells-rebuilt" and "未能唯一地还原" in f.message)
    assert "“（七）总计”19 / 0 / 1 / 0 / 20" in unread.message and "不止一种" in unread.message
    assert report.published["verdict"] == "无法完整核对"
    assert not report.errors


def test_expansions_give_the_lines_back():
    rows = list(expansions((9, 0, 9), 7))
    assert len(rows) == 15 and (9, 0, 0, 0, 0, 0, 9) in rows
    assert list(expansions((0,), 15)) == [(0,) * 15]
    assert list(expansions((1, 1), 7)) == []  # two equal lines in a row are not this layout
    assert list(expansions(tuple(range(8)), 7)) == []


def test_the_row_sum_places_a_row():
    got, why = solve("gov-2021", {"denied_5": (9, 0, 9)}, {})
    assert got == {"denied_5": (9, 0, 0, 0, 0, 0, 9)} and not why


def test_two_placements_leave_the_row_unread():
    """“2 / 0 / 1 / 0 / 3”: 2 under 自然人, 1 under any of 商业企业 … 法律服务机构: the row's sum holds each way."""
    got, why = solve("gov-2021", {"granted": (2, 0, 1, 0, 3)}, {})
    assert got == {} and "不止一种" in why["granted"]


def test_the_column_sums_decide_between_placements():
    """The same row is placed when the rows given whole fix its columns: the 1 under 法律服务机构 in
    （七）总计 and 0 in every other result row."""
    whole = {"new": (2, 0, 0, 0, 1, 0, 3), "carried_over": (0,) * 7, "total": (2, 0, 0, 0, 1, 0, 3),
             "carry_forward": (0,) * 7}
    zero = {k: (0,) for k in ("partial", "denied_1", "denied_2", "denied_3", "denied_4", "denied_5", "denied_6",
                              "denied_7", "denied_8", "unable_1", "unable_2", "unable_3", "not_processed_1",
                              "not_processed_2", "not_processed_3", "not_processed_4", "not_processed_5",
                              "other_1", "other_2", "other_3")}
    got, why = solve("gov-2021", {"granted": (2, 0, 1, 0, 3), **zero}, whole)
    assert got["granted"] == (2, 0, 0, 0, 1, 0, 3) and not why


def test_a_broken_sum_leaves_the_row_unread():
    """“5 / 0 / 3”: no placement makes 总计 the sum of the applicant columns (a sum broken in the page, or a
    blank cell that left no line): not read, never placed."""
    got, why = solve("gov-2021", {"new": (5, 0, 3)}, {})
    assert got == {} and "不能使本行的总计" in why["new"]


def test_table4_all_zero_and_repeats_across_groups():
    got, _ = solve("gov-2021", {T4_ROW: (0,)}, {})
    assert got[T4_ROW] == (0,) * 15
    # the zeros after 复议's 1 run on over 直接起诉 and into 复议后起诉
    got, _ = solve("gov-2021", {T4_ROW: (1, 0, 1, 0)}, {})
    assert got[T4_ROW] == (1, 0, 0, 0, 1) + (0,) * 10
    got, why = solve("gov-2021", {T4_ROW: (0, 1, 0)}, {})  # a 1 and its total: 尚未审结 of any group, or …
    assert got == {} and "不止一种" in why[T4_ROW]


FILLER = ["1", "0"] * 10  # figures of the prose or other tables, lines apart repeating one another


def _p(lines: list[str]) -> list[Block]:
    return [Block("p", text=t, location=f"第{i + 1}段") for i, t in enumerate(lines)]


TABLE3 = ["三、收到和处理政府信息公开申请情况", "申请人情况", "一、本年新收政府信息公开申请数量", "9", "0", "9",
          "二、上年结转政府信息公开申请数量", "0", "三、本年度办理结果", "（一）予以公开", "9", "0", "9"]


def test_the_layout_is_told_by_the_whole_text():
    """No two neighbouring lines alike and many numbers a line: this layout. The same text a node a line
    that keeps its repeated zeros (any other copy) is not, and is left as it was."""
    lines = TABLE3 + FILLER
    assert looks_collapsed(_p(lines))
    kept = lines[:7] + ["0"] * 6 + lines[7:]  # 上年结转 with all its zeros
    assert not looks_collapsed(_p(kept))
    blocks = _p(kept)
    assert expand_collapsed(blocks, blocks) == (blocks, None)
    # a store that keeps each distinct line once: a dropped cell need not equal the one before it
    assert not looks_collapsed(_p(list(dict.fromkeys(lines))))


def test_collapsed_rows_become_rows_of_the_table():
    lines = TABLE3 + ["四、政府信息公开行政复议、行政诉讼情况", "行政复议", "行政诉讼", "结果维持", "复议后起诉", "总计", "0",
                      "五、存在的主要问题及改进情况"] + [f"{n}." for n in range(20)] + FILLER
    blocks = _p(lines)
    out, rebuilt = expand_collapsed(blocks, blocks)
    rows = [b.cells for b in out if b.kind == "row"]
    assert ("一、本年新收政府信息公开申请数量", "9", "0", "0", "0", "0", "0", "9") in rows
    assert ("二、上年结转政府信息公开申请数量", "0", "0", "0", "0", "0", "0", "0") in rows
    assert ("0",) * 15 in rows
    assert {label for _, label, _ in rebuilt.by_sums.values()} == {"一、本年新收政府信息公开申请数量", "（一）予以公开"}


@pytest.mark.parametrize("name", ["pingtan-2019", "pingtan-2020"])
def test_zeros_of_a_page_with_repeats_left_out_are_read(tmp_path, name):
    """A real page (built part) a node a line with every repeated line left out: 表四's fifteen zeros show as
    one "0" and are read as zeros. pingtan-2020's 表三 has sums broken in the page (its hand reading's
    defects): no rebuild makes them hold, so none of its collapsed rows is read, and the report says why."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from test_published import _forms
    from test_published_unread import _repeats_collapsed

    text = _repeats_collapsed(_forms().node_lines((HERE / f"{name}.html").read_text(encoding="utf-8")))
    path = tmp_path / "archive.txt"
    path.write_text(text, encoding="utf-8")
    report = extract(path)
    assert report.published["tables"]["表四"] == "已读取"
    assert all(v == 0 for group in report.data["table4"].values() for v in group.values())
    hand = _hand(name)
    got, want = _cells(report, hand, "table3")
    assert all(want[n] == v for n, v in got.items())
    if name == "pingtan-2020":
        assert report.published["tables"]["表三"] == "无法核对"
        assert any("不能使表中的合计关系全部成立" in f.message for f in report.findings if f.rule == "pub-cells-rebuilt")
    assert not report.errors


def test_table2_rows_of_zeros_are_read_and_others_unchecked():
    """putian-cgj-2024's 表二: “规章 / 0” is 0,0,0 (one line for three columns: every cell the same);
    “行政规范性文件 / 4 / 16” may be 4,4,16 or 4,16,16 and 表二 declares no sum: 无法核对, never missing."""
    report = extract(HERE / "putian-cgj-2024.txt")
    assert report.data["table2"]["art20_1"]["rules"] == {"issued": 0, "repealed": 0, "in_force": 0}
    assert report.published["cell_status"]["T2_art20_1_normative_issued"] == "missing"
    assert report.data["table2"]["art20_5"]["licensing"] == {"decisions": 78}
    unchecked = [f for f in report.findings if f.rule == "pub-row-unchecked" and f.sheet == "表二"]
    assert len(unchecked) == 1 and "“行政规范性文件”4 / 16" in unchecked[0].message
    assert not report.errors


def test_table2_row_truly_absent_stays_missing():
    """putian-slj-2024: its 第二十条第（一）项 has no 规章 row (a defect found by reading) and a 规范性文件 row
    “0 / 2” for three columns: the first is still a 错误, the second 无法核对."""
    report = extract(HERE / "putian-slj-2024.txt")
    missing = [f for f in report.errors if f.rule == "pub-row-missing"]
    assert len(missing) == 1 and "规章" in missing[0].message and "规范性文件" not in missing[0].message
    assert any(f.rule == "pub-row-unchecked" and "“规范性文件”0 / 2" in f.message for f in report.findings)


def test_table2_figure_cut_at_its_decimal_point_is_joined():
    """putian-slj-2023 prints 收费金额 “851” / “.” / “776247” (three lines): one figure."""
    lines = ["二、主动公开政府信息情况", "第二十条第（八）项", "信息内容", "本年收费金额（单位：万元）", "行政事业性收费",
             "851", ".", "776247", "三、收到和处理政府信息公开申请情况"] + FILLER
    blocks = _p(lines)
    out, _ = expand_collapsed(blocks, blocks)
    assert [b.text for b in out][4:6] == ["行政事业性收费", "851.776247"]


def test_rows_labelled_in_other_words_and_a_changed_header():
    """A row of 表三 in the prose's words (“本年度新收”) is rebuilt as 一、本年新收 (the reader reports the label);
    a 表二 block whose header the site changed (“2019年” / “项目数量” / “处理决定数量”, putian-szf-2019) is left
    alone: its rows are not said to be short of cells."""
    lines = ["三、收到和处理政府信息公开申请情况", "申请人情况", "本年度新收", "9", "0", "9",
             "二、上年结转政府信息公开申请数量", "0"] + FILLER
    blocks = _p(lines)
    out, _ = expand_collapsed(blocks, blocks)
    assert ("本年度新收", "9", "0", "0", "0", "0", "0", "9") in [b.cells for b in out if b.kind == "row"]
    report = extract(HERE / "putian-szf-2019.txt")
    assert not any("比栏目少" in f.message for f in report.findings)


def test_table2_figure_and_its_unit_on_two_lines_are_one_cell():
    """putian-yjj-2019 prints 采购总金额 “8.175万” / “元”: one cell “8.175万元”, read as 81750元 (the 2019 table
    prints no unit, so the report gives its own) with the unit finding, never the row 政府集中采购 said to be missing."""
    report = extract(HERE / "putian-yjj-2019.txt")
    assert report.data["table2"]["art20_9"]["procurement"] == {"projects": 4, "amount": 81750}
    assert any(f.rule == "pub-cell-normalized" and "8.175万元" in f.message for f in report.warnings)
    assert not [f for f in report.errors if f.rule == "pub-row-missing"]

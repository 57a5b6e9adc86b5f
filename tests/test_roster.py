"""Rosters as offices keep them (issue 21): CSV or workbook, GBK or UTF-8, title rows, 序号 and 机关类别
columns, merged cells; anything unclear refused naming the row."""

from __future__ import annotations

import openpyxl
import pytest

from govinfo_xlsx.collect.roster import load_roster, read_roster
from govinfo_xlsx.errors import GovinfoError
from govinfo_xlsx.forms.organs import DEPARTMENT, TOWNSHIP


def test_a_gbk_csv_with_a_title_row_and_number_column(tmp_path):
    path = tmp_path / "名单.csv"
    path.write_bytes("某县2026年度报送名单,,\n序号,单位名称,机关类别\n1,财政局,部门\n2,城关镇,乡镇\n".encode("gbk"))
    roster = load_roster(path)
    assert roster.agencies == ["财政局", "城关镇"]
    assert roster.kinds == {"财政局": DEPARTMENT, "城关镇": TOWNSHIP} and roster.year == 2026


def test_a_workbook_with_merged_title_and_header_cells(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "报送名单"
    ws.merge_cells("A1:C2")
    ws.append(["序号", "机关名称", "备注"])
    ws.append([1.0, "财政局", None])
    ws.append([2.0, "教育局", "新设"])
    path = tmp_path / "名单.xlsx"
    wb.save(path)
    assert read_roster(path) == ["财政局", "教育局"]


def test_a_plain_list_without_header_still_works(tmp_path):
    path = tmp_path / "名单.csv"
    path.write_text("财政局\n教育局\n", encoding="utf-8")
    assert read_roster(path) == ["财政局", "教育局"]


@pytest.mark.parametrize("text, words", [
    ("机关名称\n", ["只有表头", "第1行"]),  # issue 27: a header and nobody under it
    ("序号,单位名称\n1,财政局\n2,3\n", ["第3行", "“3”"]),
    ("序号,单位名称,机关类别\n1,财政局,部委\n", ["第2行", "部委", "机关类别"]),
    ("2026年度报送名单\n财政局\n", ["第1行", "标题"]),
    ("1,财政局\n2,教育局\n", ["第1行", "表头"]),
])
def test_unclear_rosters_are_refused_naming_the_row(tmp_path, text, words):
    path = tmp_path / "名单.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GovinfoError) as e:
        load_roster(path)
    assert all(w in str(e.value) for w in words), str(e.value)

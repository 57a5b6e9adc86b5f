"""Review decisions of round 1 (问题清单 → 审核意见) applied to round 2 with collect --review."""

from __future__ import annotations

import openpyxl
import pytest
from fill import consistent_values, fill

from govinfo_xlsx.cli import main
from govinfo_xlsx.collect.review import load_review
from govinfo_xlsx.collect.run import collect
from govinfo_xlsx.errors import GovinfoError
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.template.writer import write_template

FORM = form_for_year(2026)


def values(agency: str, **changes) -> dict:
    v = consistent_values(FORM, 2026)
    v["INFO_agency"] = agency
    v.update(changes)
    return v


@pytest.fixture(scope="module")
def rounds(tmp_path_factory):
    d = tmp_path_factory.mktemp("rounds")
    template = write_template(FORM, 2026, d / "t.xlsx")
    one, two = d / "第一轮", d / "第二轮"
    one.mkdir()
    two.mkdir()
    v = consistent_values(FORM, 2026)
    plan = {
        "甲局": dict(INFO_phone=None),  # 警告, accepted -> 通过
        "乙局": dict(INFO_website=None),  # 警告, to change, still there -> 有错误
        "丙局": dict(T3_granted_natural=f"{v['T3_granted_natural']}件"),  # 警告 (cell-normalized), accepted
        "丁局": dict(INFO_phone=None),  # 警告, no decision -> 仅警告
        "戊局": dict(T3_new_legal=v["T3_new_legal"] + 3),  # 错误 (two balance rules), both accepted -> 通过, summed
    }
    for agency, changes in plan.items():
        fill(template, values(agency, **changes), one / f"{agency}.xlsx")
    # round 2: 丙局 typed another figure with a unit: the value differs, the decision does not carry
    changed = dict(plan, 丙局=dict(T3_granted_natural=f"{v['T3_granted_natural'] + 1}件",
                                   T3_new_natural=v["T3_new_natural"] + 1))
    for agency, changes in changed.items():
        fill(template, values(agency, **changes), two / f"{agency}.xlsx")
    summary1 = d / "第一轮汇总.xlsx"
    assert main(["collect", str(one), "-o", str(summary1), "--no-progress"]) == 1
    wb = openpyxl.load_workbook(summary1)
    ws = wb["问题清单"]
    head = [c.value for c in ws[1]]
    col = {name: head.index(name) + 1 for name in ("机关", "规则编号", "审核意见")}
    decisions = {("甲局", "info-phone"): "已核实", ("乙局", "info-website"): "需修改",
                 ("丙局", "cell-normalized"): "已核实", ("戊局", "t3-balance-legal"): "已核实",
                 ("戊局", "t3-balance-total"): "已核实"}
    for r in range(2, ws.max_row + 1):
        key = (ws.cell(r, col["机关"]).value, ws.cell(r, col["规则编号"]).value)
        if key in decisions:
            ws.cell(r, col["审核意见"]).value = decisions[key]
    reviewed = d / "第一轮汇总（已审核）.xlsx"
    wb.save(reviewed)
    return {"dir": d, "one": one, "two": two, "summary1": summary1, "reviewed": reviewed}


def test_the_issue_list_has_a_review_column_ready_to_fill(rounds):
    wb = openpyxl.load_workbook(rounds["summary1"])
    ws = wb["问题清单"]
    head = [c.value for c in ws[1]]
    assert head[5] == "审核意见" and "填写值" in head  # beside the finding and the clerk's 说明 (issue 21)
    c = head.index("审核意见") + 1
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1 and lists[0].formula1 == '"已核实,需修改"'
    assert openpyxl.utils.get_column_letter(c) in str(lists[0].sqref)


def test_round_two_statuses_follow_the_decisions(rounds):
    with collect([str(rounds["two"])]) as col:
        before = {r["agency"]: r["status"] for r in col.rows()}
        assert col.totals["gov-2021"]["count"] == 4
    assert before == {"甲局": "仅警告", "乙局": "仅警告", "丙局": "仅警告", "丁局": "仅警告", "戊局": "有错误"}
    decisions = load_review(rounds["reviewed"])
    assert sorted(decisions.values()) == ["已核实"] * 4 + ["需修改"]
    with collect([str(rounds["two"])], review=decisions) as col:
        rows = {r["agency"]: r for r in col.rows()}
        reviews = {(f["agency"], f["rule"]): f["review"] for f in col.findings()}
        assert col.totals["gov-2021"]["count"] == 4  # 乙局 must change its file: out; 戊局's errors accepted: in
    assert rows["戊局"]["status"] == "通过" and rows["戊局"]["errors"] == 0
    assert rows["甲局"]["status"] == "通过" and reviews[("甲局", "info-phone")] == "已核实"
    assert rows["乙局"]["status"] == "有错误" and reviews[("乙局", "info-website")] == "需修改"
    assert rows["丙局"]["status"] == "仅警告" and reviews[("丙局", "cell-normalized")] == ""  # another value
    assert rows["丁局"]["status"] == "仅警告" and reviews[("丁局", "info-phone")] == ""


def test_cli_review_and_the_decisions_are_carried_into_the_new_summary(rounds, tmp_path):
    out = tmp_path / "第二轮汇总.xlsx"
    assert main(["collect", str(rounds["two"]), "-o", str(out), "--review", str(rounds["reviewed"]),
                 "--no-progress"]) == 1  # 乙局 must still change its file
    wb = openpyxl.load_workbook(out)
    status = {r[1]: r[2] for r in wb["报送情况"].iter_rows(min_row=2, values_only=True)}
    assert status == {"甲局": "通过", "乙局": "有错误", "丙局": "仅警告", "丁局": "仅警告", "戊局": "通过"}
    # the new summary is a review file in turn: round 3 sees the same decisions
    assert load_review(out) == {k: v for k, v in load_review(rounds["reviewed"]).items() if k[0] != "丙局"}


def test_bad_review_files_are_clear_errors(rounds, tmp_path, capsys):
    wb = openpyxl.load_workbook(rounds["reviewed"])
    ws = wb["问题清单"]
    c = [x.value for x in ws[1]].index("审核意见") + 1
    ws.cell(2, c).value = "同意"
    bad = tmp_path / "错.xlsx"
    wb.save(bad)
    with pytest.raises(GovinfoError) as e:
        load_review(bad)
    letter = openpyxl.utils.get_column_letter(c)
    assert f"{letter}2" in str(e.value) and "同意" in str(e.value) and "问题清单" in str(e.value)
    (tmp_path / "x.xlsx").write_bytes(b"not a workbook")
    for path in (tmp_path / "x.xlsx", tmp_path / "没有.xlsx", rounds["dir"] / "t.xlsx"):
        assert main(["collect", str(rounds["two"]), "-o", str(tmp_path / "s.xlsx"), "--review", str(path),
                     "--no-progress"]) == 2
        err = capsys.readouterr().err
        assert err.startswith("错误：") and "Traceback" not in err


def test_a_damaged_review_file_is_one_line(rounds, tmp_path, capsys):
    """A review file that opens as a zip but whose 问题清单 XML is damaged: one Chinese line, exit 2."""
    import zipfile

    bad = tmp_path / "坏.xlsx"
    with zipfile.ZipFile(rounds["reviewed"]) as src, zipfile.ZipFile(bad, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            out.writestr(info, b"<worksheet><sheetData><row" if info.filename.startswith("xl/worksheets/") else data)
    assert main(["collect", str(rounds["two"]), "-o", str(tmp_path / "s.xlsx"), "--review", str(bad),
                 "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "坏.xlsx" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "s.xlsx").exists()


def test_a_summary_written_before_the_new_layout_is_still_a_review_file(rounds, tmp_path):
    """Last year's summaries name the agency column 机关名称 (issue 21 renamed it 机关)."""
    wb = openpyxl.load_workbook(rounds["reviewed"])
    ws = wb["问题清单"]
    head = [c.value for c in ws[1]]
    ws.cell(1, head.index("机关") + 1).value = "机关名称"
    old = tmp_path / "旧版汇总.xlsx"
    wb.save(old)
    assert load_review(old) == load_review(rounds["reviewed"]) and load_review(old)

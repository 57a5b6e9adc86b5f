"""A county office's whole round (issue 21): two rounds of one inbox under the office's TOML, with a
roster workbook as offices keep it, review decisions of every kind, explanations, re-submissions and
the open-data export. Each test asserts one point of what the office must be able to rely on."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from fill import consistent_values, fill

from govinfo_xlsx.cli import main
from govinfo_xlsx.collect.review import load_review
from govinfo_xlsx.collect.run import collect
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.forms.organs import AUTHORISED, DEPARTMENT, GOVERNMENT, TOWNSHIP
from govinfo_xlsx.office.config import load_config
from govinfo_xlsx.template.writer import write_template

FORM = form_for_year(2026)
LAST = form_for_year(2025)
DEPARTMENTS = ["甲局", "乙局", "庚局", "辛局", "壬局", "癸局", "子局"]
ROSTER = [*[(a, DEPARTMENT) for a in DEPARTMENTS], ("丙镇人民政府", TOWNSHIP), ("丁县人民政府", GOVERNMENT),
          ("住房公积金中心", AUTHORISED)]
ACCEPTED_STATUSES = ("通过", "仅警告")
LONG = "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"


def values(agency: str, kind: str = DEPARTMENT, year: int = 2026, **changes) -> dict:
    v = consistent_values(FORM if year == 2026 else LAST, year)
    v["INFO_agency"] = agency
    v["INFO_kind"] = kind
    if kind in (GOVERNMENT, TOWNSHIP):  # a government's report states its 工作考核、社会评议和责任追究
        v["TEXT_part1_supervision"] += "本年度开展工作考核、社会评议，未发生责任追究。"
    v.update(changes)
    return v


def following(last: dict) -> dict:
    """The agency's 2026 figures that follow last year's: carried over what it carried forward, new texts."""
    v = values(last["INFO_agency"])
    for c in FORM.table3.input_columns:
        diff = last[f"T3_carry_forward_{c.key}"] - v[f"T3_carried_over_{c.key}"]
        v[f"T3_carried_over_{c.key}"] += diff
        v[f"T3_new_{c.key}"] -= diff
    return {k: x + "（2026年度）" if k.startswith("TEXT_") else x for k, x in v.items()}


def zero_tables(v: dict) -> dict:
    return {k: (0 if k.startswith(("T3_", "T4_")) else x) for k, x in v.items()}


def damaged_zip(path: Path, member: str, payload: bytes) -> None:
    """A zip whose member's bytes no longer match its CRC (a transfer that went wrong)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr(member, payload)
    raw = bytearray(buf.getvalue())
    at = raw.find(payload[200:240])
    raw[at] ^= 0xFF
    path.write_bytes(bytes(raw))


def roster_workbook(path: Path) -> None:
    """A roster as an office keeps it: a merged title row, 序号, 单位名称, 机关类别."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单"
    ws["A1"] = "2026年度政府信息公开工作年度报告报送名单"
    ws.merge_cells("A1:C1")
    ws.append(["序号", "单位名称", "机关类别"])
    for i, (agency, kind) in enumerate(ROSTER, start=1):
        ws.append([float(i), agency, kind])
    wb.save(path)


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    d = tmp_path_factory.mktemp("office")
    template = write_template(FORM, 2026, d / "模板.xlsx")
    last_template = write_template(LAST, 2025, d / "上年模板.xlsx")
    inbox, prior = d / "收件箱", d / "上年"
    inbox.mkdir()
    prior.mkdir()
    roster_workbook(d / "名单.xlsx")
    fill(last_template, values("子局", year=2025), prior / "子局2025.xlsx")
    (d / "本办.toml").write_text(
        "# 测试县政务公开办 2026 年度报告收集\n"
        'roster = "名单.xlsx"\nyear = 2026\nprior-dir = "上年"\nexport = "开放数据"\n'
        "require_explanation = true\n\n"
        '[deadlines]\n"县级以上人民政府部门" = "2月10日"\n', encoding="utf-8")
    # round 1 -------------------------------------------------------------------------------------
    fill(template, values("甲局"), inbox / "甲局.xlsx")
    (inbox / "甲局-副本.xlsx").write_bytes((inbox / "甲局.xlsx").read_bytes())
    # a warning explained in its 说明 cell, dated within the office's deadline (after the statutory 1月31日)
    fill(template, values("乙局", INFO_phone=None, INFO_date=dt.datetime(2027, 2, 5),
                          EXPLAIN_info_phone="本局联系电话已在门户网站公布。",
                          EXPLAIN_info_date_deadline="经县政府同意延期。"), inbox / "乙局.xlsx")
    fill(template, values("庚局"), inbox / "庚局.xlsx")
    fill(template, values("辛局"), inbox / "辛局.xlsx")
    fill(template, zero_tables(values("壬局")), inbox / "壬局.xlsx")
    v = values("癸局")
    fill(template, {**v, "T3_new_legal": "-1", "TEXT_part1_intro": LONG + "本年度主动公开政府信息一百条。"},
         inbox / "癸局.xlsx")
    fill(last_template, values("子局", year=2025), inbox / "子局.xlsx")  # last year's file sent by mistake
    (inbox / "丙镇人民政府.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    good = fill(template, values("丁县人民政府", GOVERNMENT), d / "丁县.xlsx").read_bytes()
    damaged_zip(inbox / "邮件附件.zip", "丁县人民政府/年报.xlsx", good)
    fill(template, values("住房公积金中心", DEPARTMENT), inbox / "住房公积金中心.xlsx")  # says 部门, roster 授权组织
    fill(template, values("名单外局"), inbox / "名单外局.xlsx")
    one = d / "第一轮汇总.xlsx"
    code1 = main(["collect", "--config", str(d / "本办.toml"), str(inbox), "-o", str(one), "--no-progress"])
    # the reviewer's decisions ---------------------------------------------------------------------
    wb = openpyxl.load_workbook(one)
    ws = wb["问题清单"]
    head = [c.value for c in ws[1]]
    decide = {("丁县人民政府", "collect-unreadable"): "已核实", ("甲局", "collect-duplicate-file"): "已核实",
              ("壬局", "peer-all-zero"): "需修改"}
    for r in range(2, ws.max_row + 1):
        key = (ws.cell(r, head.index("机关") + 1).value, ws.cell(r, head.index("规则编号") + 1).value)
        if key in decide:
            ws.cell(r, head.index("审核意见") + 1).value = decide[key]
    reviewed = d / "第一轮汇总（已审核）.xlsx"
    wb.save(reviewed)
    # round 2: the same inbox with the corrections added --------------------------------------------
    inbox2 = d / "收件箱2"
    import shutil

    shutil.copytree(inbox, inbox2)
    fill(template, values("丙镇人民政府", TOWNSHIP), inbox2 / "丙镇人民政府.xlsx")
    fill(template, values("壬局"), inbox2 / "壬局（更正）.xlsx")
    fill(template, {**v, "T3_new_legal": v["T3_new_legal"],
                    "TEXT_part1_intro": LONG + "本年度主动公开政府信息一百零二条。", "INFO_date": dt.datetime(2027, 1, 25)},
         inbox2 / "癸局（更正）.xlsx")
    (inbox2 / "丁县人民政府-重发.xlsx").write_bytes(good[:2000])  # another broken file, nobody has seen
    two = d / "第二轮汇总.xlsx"
    code2 = main(["collect", "--config", str(d / "本办.toml"), str(inbox2), "-o", str(two), "--review", str(reviewed),
                  "--no-progress"])
    return {"dir": d, "inbox": inbox, "inbox2": inbox2, "one": one, "two": two, "reviewed": reviewed,
            "code1": code1, "code2": code2, "template": template, "good": good}


def sheet_rows(path: Path, name: str) -> list[dict]:
    wb = openpyxl.load_workbook(path, read_only=True)  # one sheet streamed, not every sheet built
    try:
        rows = list(wb[name].iter_rows(values_only=True))
    finally:
        wb.close()
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def status_rows(path: Path) -> list[dict]:
    return sheet_rows(path, "报送情况")


def agency_col(rows: list[dict]) -> str:
    return "机关" if "机关" in rows[0] else "机关名称"


# 1. one state per agency ---------------------------------------------------------------------------

def test_unreadable_files_belong_to_their_roster_agency(office):
    rows = status_rows(office["one"])
    name = agency_col(rows)
    town = [r for r in rows if r[name] == "丙镇人民政府"]
    county = [r for r in rows if r[name] == "丁县人民政府"]
    assert [r["状态"] for r in town] == ["无法读取"] and town[0]["文件"].endswith("丙镇人民政府.xls")
    assert [r["状态"] for r in county] == ["无法读取"] and "校验不符" in county[0]["备注"]
    assert not [r for r in rows if r["状态"] == "无法读取" and not r[name]]  # no orphan rows
    assert office["code1"] == 1


def test_a_readable_file_supersedes_the_unreadable_one(office):
    rows = status_rows(office["two"])
    name = agency_col(rows)
    town = {r["文件"].rsplit("/", 1)[-1]: r["状态"] for r in rows if r[name] == "丙镇人民政府"}
    assert town == {"丙镇人民政府.xlsx": "通过", "丙镇人民政府.xls": "已替换"}
    not_ok = {r[name] for r in rows if r["状态"] not in (*ACCEPTED_STATUSES, "已替换")}
    # only 丁县 (its new file is broken too) and the file of another year keep the round open
    assert not_ok == {"丁县人民政府", "子局"}
    assert office["code2"] == 1
    county = [r for r in rows if r[name] == "丁县人民政府"]
    assert sorted(r["状态"] for r in county) == ["已替换", "无法读取"]


def test_the_exit_status_follows_the_current_state(office, tmp_path):
    inbox = office["inbox2"]
    (inbox / "丁县人民政府-重发.xlsx").unlink()
    fill(office["template"], values("丁县人民政府", GOVERNMENT), inbox / "丁县人民政府（第三次）.xlsx")
    (inbox / "子局.xlsx").unlink()
    fill(office["template"], following(values("子局", year=2025)), inbox / "子局2026.xlsx")
    out = tmp_path / "第三轮.xlsx"
    code = main(["collect", "--config", str(office["dir"] / "本办.toml"), str(inbox), "-o", str(out),
                 "--review", str(office["reviewed"]), "--no-progress"])
    rows = status_rows(out)
    assert {r["状态"] for r in rows} <= {*ACCEPTED_STATUSES, "已替换"}, [
        (r["机关名称"], r["状态"], r["备注"]) for r in rows if r["状态"] not in (*ACCEPTED_STATUSES, "已替换")]
    assert code == 0


# 2. decisions bound to what was reviewed ------------------------------------------------------------

def test_accepting_one_unreadable_file_accepts_no_other(office):
    findings = sheet_rows(office["two"], "问题清单")
    unreadable = {f["文件"].split("收件箱2/")[-1]: f["审核意见"] for f in findings
                  if f["规则编号"] == "collect-unreadable" and f["机关"] == "丁县人民政府"}
    assert unreadable == {"邮件附件.zip!丁县人民政府/年报.xlsx": "已核实", "丁县人民政府-重发.xlsx": None}


def test_a_decision_on_a_duplicate_file_is_carried_over(office):
    findings = sheet_rows(office["two"], "问题清单")
    dup = [f for f in findings if f["规则编号"] == "collect-duplicate-file"]
    assert [f["审核意见"] for f in dup] == ["已核实"]
    keys = load_review(office["two"])
    assert [k for k, v in keys.items() if k[1] == "collect-duplicate-file"]  # the next round has it too


def test_to_change_on_a_peer_hint_is_an_error_and_is_not_summed(office):
    decisions = load_review(office["reviewed"])
    config = load_config(office["dir"] / "本办.toml")
    with collect([str(office["inbox"])], roster=str(office["dir"] / "名单.xlsx"), year=2026, config=config,
                 review=decisions) as col:
        rows = list(col.rows())
        status = {r["agency"]: r["status"] for r in rows if r["status"] != "已替换"}
        assert status["壬局"] == "有错误"
        accepted = [r for r in rows if r["status"] in ACCEPTED_STATUSES and r["agency"] != "名单外局"]
        assert col.totals["gov-2021"]["count"] == len(accepted)  # outside the roster: shown, not summed


def test_the_summed_submissions_are_the_accepted_ones(office):
    rows = status_rows(office["two"])
    name = agency_col(rows)
    accepted = sorted(Path(r["文件"]).name for r in rows if r["状态"] in ACCEPTED_STATUSES and r[name] != "名单外局")
    assert accepted == sorted(Path(r["文件"]).name for r in rows if r["计入汇总"] == "是")
    totals = openpyxl.load_workbook(office["two"])["汇总"]
    texts = [c.value for row in totals.iter_rows() for c in row if isinstance(c.value, str)]
    assert sorted(t for t in texts if t in accepted) == accepted
    assert not any("名单外局" in t for t in texts)  # outside the roster: not summed
    assert "名单外局" in {r[name] for r in rows}


# 3. the office's configuration describes the round ---------------------------------------------------

def test_explanations_show_and_satisfy_require_explanation(office):
    findings = [f for f in sheet_rows(office["one"], "问题清单") if f["机关"] == "乙局"]
    phone = [f for f in findings if f["规则编号"] == "info-phone"]
    assert phone and phone[0]["机关的说明"] == "本局联系电话已在门户网站公布。" and phone[0]["级别"] == "警告"
    rows = {r["机关名称"]: r for r in status_rows(office["one"]) if r["状态"] != "已替换"}
    assert rows["乙局"]["状态"] == "仅警告"
    # dated 2027-02-05: within the office's 2月10日 for departments, so no deadline finding and no 逾期 note
    assert not [f for f in findings if "deadline" in f["规则编号"] or f["规则编号"] == "collect-late"]
    assert "逾期" not in (rows["乙局"]["备注"] or "")


def test_a_file_of_another_year_is_an_error_and_never_compared_with_itself(office):
    findings = [f for f in sheet_rows(office["one"], "问题清单") if f["机关"] == "子局"]
    assert "collect-wrong-year" in {f["规则编号"] for f in findings}
    assert not [f for f in findings if f["规则编号"].startswith("xy-")]
    rows = {r["机关名称"]: r for r in status_rows(office["one"]) if r["状态"] != "已替换"}
    assert rows["子局"]["状态"] == "有错误"


def test_without_a_year_the_batch_majority_decides_and_is_stated(office, tmp_path, capsys):
    with collect([str(office["inbox"])]) as col:
        rows = {r["agency"]: r for r in col.rows() if r["status"] != "已替换"}
        assert rows["子局"]["status"] == "有错误" and "年度" in rows["子局"]["notes"]
        assert col.year == 2026 and col.year_basis
    out = tmp_path / "s.xlsx"
    main(["collect", str(office["inbox"]), "-o", str(out), "--no-progress"])
    assert "按本批多数文件定为2026年度" in capsys.readouterr().err
    texts = [c.value for c in openpyxl.load_workbook(out)["汇总"]["A"] if isinstance(c.value, str)]
    assert any("2026年度" in t and "多数" in t for t in texts)


def test_command_line_options_override_the_config(office, tmp_path):
    out = tmp_path / "s.xlsx"
    main(["collect", "--config", str(office["dir"] / "本办.toml"), str(office["inbox"]), "-o", str(out),
          "--year", "2025", "--no-progress"])
    rows = status_rows(out)
    assert [r for r in rows if r["机关名称"] == "甲局" and r["状态"] == "有错误"]  # 2026 files: wrong year now


# 4. re-submissions as typed --------------------------------------------------------------------------

def test_resubmission_diffs_show_what_the_clerk_typed(office):
    replaced = [r for r in sheet_rows(office["two"], "重新报送") if r["机关名称"] == "癸局"]
    text = replaced[0]["改动的单元格（原值 → 新值）"]
    v = consistent_values(FORM, 2026)
    assert f"-1 → {v['T3_new_legal']}" in text
    assert "一百条" in text and "一百零二条" in text  # where the two texts differ, not two equal prefixes


# 5. rosters as offices keep them -------------------------------------------------------------------

def test_a_roster_workbook_with_a_title_row(office):
    rows = status_rows(office["one"])
    names = [r["机关名称"] for r in rows]
    assert not {"序号", "单位名称", "1.0", "2026年度政府信息公开工作年度报告报送名单"} & set(names)
    assert "未报送" not in {r["状态"] for r in rows}
    assert [n for n in dict.fromkeys(names) if n != "名单外局"] == [a for a, _ in ROSTER]


def test_a_workbook_whose_kind_contradicts_the_roster_gets_a_hint(office):
    findings = [f for f in sheet_rows(office["one"], "问题清单") if f["机关"] == "住房公积金中心"]
    hints = [f for f in findings if f["规则编号"] == "collect-kind-mismatch"]
    assert hints and hints[0]["级别"] == "提示" and AUTHORISED in hints[0]["问题"]


# 6. sheets a reviewer can work in ------------------------------------------------------------------

def test_the_issue_list_is_laid_out_for_the_reviewer(office):
    wb = openpyxl.load_workbook(office["two"])
    ws = wb["问题清单"]
    head = [c.value for c in ws[1]]
    assert head[:6] == ["机关", "级别", "位置", "问题", "机关的说明", "审核意见"]
    assert head.index("状态") > 5 and head.index("文件") > 5 and head.index("规则编号") > 5
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (1, None) and ws.page_setup.fitToHeight == 0 and ws.print_title_rows in ("1:1", "$1:$1")
    assert ws.cell(2, 4).alignment.wrap_text
    assert ws.print_area and "$G$" in ws.print_area  # on paper 机关 … 状态; the file and rule ID on screen
    tall = [r for r in range(2, ws.max_row + 1) if len(ws.cell(r, 4).value or "") > 60]
    assert tall and all(ws.row_dimensions[r].height and ws.row_dimensions[r].height > 20 for r in tall)
    rows = sheet_rows(office["two"], "问题清单")
    states = [r["状态"] for r in rows]
    assert set(states) == {"当前", "已替换"}
    assert states == sorted(states, key=lambda s: s != "当前")  # replaced files' findings apart, after
    current = [r for r in rows if r["状态"] == "当前"]
    order = [a for a, _ in ROSTER] + ["名单外局"]
    assert [order.index(r["机关"]) for r in current] == sorted(order.index(r["机关"]) for r in current)
    rank = {"错误": 0, "警告": 1, "提示": 2}
    for a, b in zip(current, current[1:]):
        if a["机关"] == b["机关"]:
            assert rank[a["级别"]] <= rank[b["级别"]]
    assert all("!" in (r["位置"] or "!") for r in current if r["规则编号"].startswith(("t3-", "info-")))


def test_the_status_sheet_shows_notes_beside_the_status(office):
    wb = openpyxl.load_workbook(office["one"])
    ws = wb["报送情况"]
    head = [c.value for c in ws[1]]
    assert head.index("备注") == head.index("状态") + 1
    fills = set()
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            fills.add(rule.dxf.fill.bgColor.rgb if rule.dxf and rule.dxf.fill else None)
    assert len(fills) == 6 and None not in fills  # six statuses, six fills
    rows = status_rows(office["one"])
    for r in rows:
        if r["状态"] not in ACCEPTED_STATUSES:
            assert r["新收"] is None and r["办结"] is None  # no partial sums
    notes = [r["备注"] for r in rows + status_rows(office["two"]) if r["备注"]]
    assert sum("；" in n for n in notes) >= 3  # several notes in one cell, read as one sentence:
    assert not [n for n in notes if re.search("[。；]；", n)]  # no 。 before its ；, no doubled mark


def test_the_totals_sheet_header_is_frozen(office):
    ws = openpyxl.load_workbook(office["two"])["汇总"]
    assert ws.freeze_panes


# 7. annotated copies --------------------------------------------------------------------------------

def test_annotated_copies_for_every_file_whose_clerk_must_act(office, tmp_path):
    fill(office["template"], values("丑局", INFO_website=None), tmp_path / "丑局.xlsx")
    fill(office["template"], values("寅局"), tmp_path / "寅局.xlsx")
    with collect([str(tmp_path)], annotate_dir=str(tmp_path / "退回")) as col:
        list(col.rows())
    assert [p.name.split("-")[0] for p in (tmp_path / "退回").iterdir()] == ["丑局"]


def test_a_finding_the_office_accepted_needs_no_annotated_copy_one_it_wants_changed_does(office, tmp_path):
    """Round 2 with --review: the clerk whose only finding (an unexplained warning) the office accepted
    gets no annotated copy, as its status says 通过; an explained warning the office wants changed
    (需修改) gets one; an error nobody decided still gets one."""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    fill(office["template"], values("丑局", INFO_website=None), inbox / "丑局.xlsx")
    fill(office["template"], values("辰局", INFO_website=None, EXPLAIN_info_website="本局不设单独网站。"),
         inbox / "辰局.xlsx")
    fill(office["template"], values("卯局", T3_new_legal=-1), inbox / "卯局.xlsx")
    one = tmp_path / "第一轮.xlsx"
    assert main(["collect", str(inbox), "-o", str(one), "--annotate-dir", str(tmp_path / "退回1"),
                 "--no-progress"]) == 1
    assert sorted(p.name.split("-")[0] for p in (tmp_path / "退回1").iterdir()) == ["丑局", "卯局"]
    wb = openpyxl.load_workbook(one)
    ws = wb["问题清单"]
    head = [c.value for c in ws[1]]
    decide = {("丑局", "info-website"): "已核实", ("辰局", "info-website"): "需修改"}
    decided = 0
    for r in range(2, ws.max_row + 1):
        key = (ws.cell(r, head.index("机关") + 1).value, ws.cell(r, head.index("规则编号") + 1).value)
        if key in decide:
            ws.cell(r, head.index("审核意见") + 1).value = decide[key]
            decided += 1
    assert decided == 2
    wb.save(one)
    two = tmp_path / "第二轮.xlsx"
    main(["collect", str(inbox), "-o", str(two), "--review", str(one), "--annotate-dir", str(tmp_path / "退回2"),
          "--no-progress"])
    assert sorted(p.name.split("-")[0] for p in (tmp_path / "退回2").iterdir()) == ["卯局", "辰局"]
    status = {r[agency_col(rows)]: r["状态"] for rows in [status_rows(two)] for r in rows}
    assert status["丑局"] == "通过" and status["卯局"] == "有错误"


# 8. open data that explains itself -----------------------------------------------------------------

def test_the_export_is_a_valid_data_package(office, tmp_path):
    from frictionless import Package

    assert (office["dir"] / "开放数据" / "datapackage.json").is_file()  # the config's folder, beside the config
    folder = tmp_path / "开放数据"  # the command line's folder overrides it
    main(["collect", "--config", str(office["dir"] / "本办.toml"), str(office["inbox2"]), "-o",
          str(tmp_path / "s.xlsx"), "--review", str(office["reviewed"]), "--export", str(folder), "--no-progress"])
    package = Package(str(folder / "datapackage.json"))
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    data = package.get_resource("data")
    fields = {f.name: f for f in data.schema.fields}
    assert fields["T3_new_natural"].title and "自然人" in fields["T3_new_natural"].title
    assert fields["T3_new_natural"].type == "integer" and fields["T3_total_total"].title
    assert fields["status"].title == "状态" and fields["file"].title
    with open(folder / "data.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert {r["status"] for r in rows} <= set(ACCEPTED_STATUSES)
    with open(folder / "findings.csv", encoding="utf-8-sig") as f:
        findings = list(csv.DictReader(f))
    files = {r["file"] for r in rows}
    assert any(f["file"] in files for f in findings)
    assert json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["resources"]


def test_the_office_may_sum_agencies_outside_the_roster(office, tmp_path):
    toml = tmp_path / "本办.toml"
    toml.write_text(f'roster = "{office["dir"] / "名单.xlsx"}"\nyear = 2026\nsum_outside_roster = true\n',
                    encoding="utf-8")
    with collect([str(office["inbox"] / "名单外局.xlsx"), str(office["inbox"] / "庚局.xlsx")],
                 config=load_config(toml)) as col:
        assert col.totals["gov-2021"]["count"] == 2
    with collect([str(office["inbox"] / "名单外局.xlsx"), str(office["inbox"] / "庚局.xlsx")],
                 roster=str(office["dir"] / "名单.xlsx"), year=2026) as col:
        assert col.totals["gov-2021"]["count"] == 1

"""Scoring packs (checks/scoring.py): the office's 扣分 table applied to a batch; the 评分 sheets."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from fill import consistent_values, fill
from openpyxl import load_workbook

from govinfo_xlsx.cli import main
from govinfo_xlsx.errors import GovinfoError
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.office.config import load_config
from govinfo_xlsx.checks.scoring import Item, Pack, score
from govinfo_xlsx.template.writer import write_template

FORM = form_for_year(2026)
PACK = """
["扣分"]
"满分" = 100
"未发布" = { "规则" = ["未报送"], "分值" = 2 }
"数据不一致" = { "规则" = ["t3-balance-*"], "分值" = 1, "上限" = 2 }
"未按时发布" = { "规则" = ["info-date-deadline*", "collect-late"], "分值" = 1 }
"info-phone" = 0.5
"""


def toml(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "本办.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_a_pack_applied_to_a_batch_gives_the_scores_computed_by_hand(tmp_path):
    tpl = write_template(FORM, 2026, tmp_path / "t.xlsx")
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    base = consistent_values(FORM, 2026)
    # 甲局: two columns out of balance -> t3-balance-natural, -legal and -total (3 findings, capped at 2 points)
    fill(tpl, {**base, "INFO_agency": "测试市甲局", "T3_new_natural": base["T3_new_natural"] + 1,
               "T3_new_legal": base["T3_new_legal"] + 1}, inbox / "甲.xlsx")
    # 乙局: written after 1月31日 (info-date-deadline, 1 point) and no phone (info-phone, 0.5)
    fill(tpl, {**base, "INFO_agency": "测试市乙局", "INFO_date": dt.datetime(2027, 2, 10), "INFO_phone": None},
         inbox / "乙.xlsx")
    fill(tpl, {**base, "INFO_agency": "测试市丙局"}, inbox / "丙.xlsx")  # clean: 100
    roster = tmp_path / "名单.csv"
    roster.write_text("机关名称\n测试市甲局\n测试市乙局\n测试市丙局\n测试市丁局\n", encoding="utf-8")  # 丁局 sent nothing: 2
    out, js = tmp_path / "汇总.xlsx", tmp_path / "汇总.json"
    main(["collect", str(inbox), "-o", str(out), "--roster", str(roster), "--config", str(toml(tmp_path, PACK)),
          "--json", str(js), "--no-progress"])
    rules = {(f["agency"], f["rule"]) for f in json.loads(js.read_text(encoding="utf-8"))["findings"]}
    assert {r for a, r in rules if a == "测试市甲局"} >= {"t3-balance-natural", "t3-balance-legal", "t3-balance-total"}
    assert {r for a, r in rules if a == "测试市乙局"} >= {"info-date-deadline", "info-phone"}
    ws = load_workbook(out)["评分"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2) if r[0].value and r[1].value is not None]
    scores = {r[0]: r[1] for r in rows}
    assert scores == {"测试市甲局": 98, "测试市乙局": 98.5, "测试市丙局": 100, "测试市丁局": 98}
    items = {(r[0], r[2]): r[3] for r in rows}
    assert items == {("测试市甲局", "数据不一致"): 2, ("测试市乙局", "未按时发布"): 1, ("测试市乙局", "info-phone"): 0.5,
                     ("测试市丙局", "无扣分"): 0, ("测试市丁局", "未发布"): 2}
    jia = next(r for r in rows if r[0] == "测试市甲局")
    assert jia[5] == 3 and "t3-balance-natural" in jia[4] and "勾稽关系" in jia[6]


def test_reviewers_decisions_and_uncheckable_findings():
    pack = Pack((Item("数据不一致", ("t3-*",), 1, 5), Item("退回未改", ("需修改",), 5, 5),
                 Item("未按时发布", ("pub-published-late",), 1, 1), Item("格式", ("pub-*",), 1, 3)), start=100)
    findings = [
        {"agency": "甲", "rule": "t3-balance-natural", "message": "a", "review": "已核实"},  # accepted: nothing
        {"agency": "甲", "rule": "t3-balance-legal", "message": "b", "review": "需修改"},  # 1 + 5 sent back
        {"agency": "乙", "rule": "pub-published-late", "message": "c", "actual": "无法核对"},  # never on 无法核对
        {"agency": "乙", "rule": "pub-date-unknown", "message": "d"},
        {"agency": "乙", "rule": "pub-table-unchecked", "message": "表三无法核对"},  # under the pub-* family below
        {"agency": "丙", "rule": "t3-balance-total", "message": "e"},  # not in the list of agencies
    ]
    got = {s["agency"]: s for s in score(pack, [("甲", False), ("乙", False)], findings)}
    assert got["甲"]["score"] == 94 and [d["item"] for d in got["甲"]["deductions"]] == ["数据不一致", "退回未改"]
    assert got["乙"]["score"] == 100 and got["乙"]["deductions"] == []
    assert set(got) == {"甲", "乙"}


def test_pack_errors_name_the_file_and_key(tmp_path):
    for text, word in (('["扣分"]\n"格式" = { "规则" = ["pub-nosuch"], "分值" = 1 }\n', "pub-nosuch"),
                       ('["扣分"]\n"无日期" = { "规则" = ["pub-date-unknown"], "分值" = 1 }\n', "无法核对"),
                       ('["扣分"]\n"表" = { "规则" = ["pub-table-unchecked"], "分值" = 1 }\n', "无法核对"),
                       ('["扣分"]\n"info-phone" = -1\n', "info-phone"),
                       ('["扣分"]\n"x" = { "规则" = ["zz-*"], "分值" = 1 }\n', "zz-*"),
                       ('["扣分"]\n"x" = { "规则" = ["info-phone"] }\n', "缺少分值")):
        with pytest.raises(GovinfoError, match=word):
            load_config(toml(tmp_path, text))
    config = load_config(toml(tmp_path, PACK))
    assert config.scoring.start == 100 and [i.name for i in config.scoring.items][:2] == ["未发布", "数据不一致"]


def test_audit_scores_published_reports(tmp_path):
    published = Path(__file__).parent / "fixtures" / "published"
    folder = tmp_path / "年报"
    folder.mkdir()
    shutil.copy(published / "minyi-2021.txt", folder)  # no publication date on the page
    roster = tmp_path / "名单.csv"
    roster.write_text("机关名称\n五常市民意乡\n某某县财政局\n", encoding="utf-8")
    pack = '["扣分"]\n"满分" = 10\n"未发布" = { "规则" = ["未报送"], "分值" = 2 }\n' \
           '"未按时发布" = { "规则" = ["pub-published-late"], "分值" = 1 }\n'
    js = tmp_path / "a.json"
    main(["audit", str(folder), "-o", str(tmp_path / "a.xlsx"), "--roster", str(roster), "--json", str(js),
          "--config", str(toml(tmp_path, pack)), "--no-progress"])
    doc = json.loads(js.read_text(encoding="utf-8"))
    scores = {s["agency"]: s["score"] for s in doc["scores"]}
    minyi = next(e for e in doc["evidence"] if e["agency"] == "五常市民意乡")
    assert minyi["timely"] == "无法核对"
    assert scores == {"五常市民意乡": 10, "某某县财政局": 8}  # no deduction rests on 无法核对
    assert "评分" in load_workbook(tmp_path / "a.xlsx", read_only=True).sheetnames


def test_the_readme_example_pack_loads(tmp_path):
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Scoring", 1)[1]
    pack = section.split("```toml", 1)[1].split("```", 1)[0]
    config = load_config(toml(tmp_path, pack))
    assert [i.name for i in config.scoring.items] == ["未发布", "未按时发布", "格式不规范", "数据不一致", "内容雷同", "退回未改"]

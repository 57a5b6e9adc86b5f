"""An office's configuration: severities, rules switched off, deadlines per kind, required explanations."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fill import consistent_values, fill

from govinfo_xlsx.cli import main
from govinfo_xlsx.collect.run import collect
from govinfo_xlsx.errors import GovinfoError
from govinfo_xlsx.forms import form_for_year, organs
from govinfo_xlsx.checks.ingest import ingest
from govinfo_xlsx.office.config import load_config

FORM = form_for_year(2026)


def toml(tmp_path, text: str, name: str = "本办.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def workbook(template, tmp_path, name="测试市财政局", **changes):
    v = consistent_values(FORM, 2026)
    v["INFO_agency"] = name
    v.update(changes)
    return fill(template, v, tmp_path / f"{name}.xlsx")


def test_severities_change_and_rules_switch_off(template, tmp_path):
    path = workbook(template, tmp_path, INFO_phone=None, INFO_website=None)
    plain = {f.rule: f.severity.value for f in ingest(path).findings}
    assert plain == {"info-phone": "警告", "info-website": "警告"}
    config = load_config(toml(tmp_path, '[rules]\n"info-phone" = "错误"\n"info-website" = "关闭"\n'))
    report = ingest(path, config=config)
    assert {f.rule: f.severity.value for f in report.findings} == {"info-phone": "错误"}
    assert not report.ok


def test_deadlines_per_kind_of_organ(template, tmp_path):
    # a township filing on 2月20日: late by the usual 1月31日 (a 提示, no statutory date), on time by an
    # office's 2月28日
    town = workbook(template, tmp_path, "测试县某某镇人民政府", INFO_kind=organs.TOWNSHIP,
                    INFO_date=dt.datetime(2027, 2, 20))
    plain = {f.rule: f.severity.value for f in ingest(town).findings if "deadline" in f.rule}
    assert plain == {"info-date-deadline-local": "提示"}
    config = load_config(toml(tmp_path, '[deadlines]\n"乡镇人民政府、街道办事处" = "2月28日"\n'))
    assert config.deadline(organs.TOWNSHIP).date_for(2026) == dt.date(2027, 2, 28)
    assert config.deadline(organs.DEPARTMENT) == organs.deadline(organs.DEPARTMENT)
    assert not [f for f in ingest(town, config=config).findings if "deadline" in f.rule]
    # an office's date earlier than 2月20日 makes it late under the same rule and severity
    strict = load_config(toml(tmp_path, '[deadlines]\n"乡镇人民政府、街道办事处" = "2-10"\n', "严.toml"))
    late = [f for f in ingest(town, config=strict).findings if "deadline" in f.rule]
    assert [(f.rule, f.severity.value) for f in late] == [("info-date-deadline-local", "提示")]
    assert "2027年2月10日" in late[0].message and "乡镇" in late[0].message
    # an earlier office deadline for departments makes a 1月20日 report late
    dept = workbook(template, tmp_path, "测试市财政局", INFO_kind=organs.DEPARTMENT, INFO_date=dt.datetime(2027, 1, 20))
    assert "info-date-deadline" not in {f.rule for f in ingest(dept).findings}
    early = load_config(toml(tmp_path, '[deadlines]\n"县级以上人民政府部门" = "1-15"\n', "早.toml"))
    late = [f for f in ingest(dept, config=early).findings if f.rule == "info-date-deadline"]
    assert len(late) == 1 and "2027年1月15日" in late[0].message and late[0].cell
    assert late[0].severity.value == "警告"


def test_unexplained_warnings_count_as_errors_when_required(template, tmp_path):
    config = load_config(toml(tmp_path, "require_explanation = true\n"))
    bare = workbook(template, tmp_path, "甲局", INFO_phone=None)
    report = ingest(bare, config=config)
    assert [f.severity.value for f in report.findings] == ["错误"] and not report.ok
    assert "说明" in report.findings[0].message
    explained = workbook(template, tmp_path, "乙局", INFO_phone=None, EXPLAIN_info_phone="本机关不设对外电话。")
    report = ingest(explained, config=config)
    assert [f.severity.value for f in report.findings] == ["警告"] and report.ok
    # a warning without a 说明 cell (read while parsing a cell, not a rule of the checks sheet) stays one
    v = consistent_values(FORM, 2026)
    unit = workbook(template, tmp_path, "丙局", T3_granted_natural=f"{v['T3_granted_natural']}件")
    report = ingest(unit, config=config)
    assert [(f.rule, f.severity.value) for f in report.findings] == [("cell-normalized", "警告")]


@pytest.mark.parametrize("text, words", [
    ('[rules]\n"t3-balance-natual" = "警告"\n', ["t3-balance-natual", "不存在", "t3-balance-natural"]),
    ('[rules]\n"info-phone" = "严重"\n', ["info-phone", "严重", "无效"]),
    ('[deadlines]\n"县政府" = "3-31"\n', ["县政府", "机关类型"]),
    ('[deadlines]\n"县级以上地方人民政府" = "2-30"\n', ["2-30", "无效"]),
    ('require_explanation = "yes"\n', ["require_explanation", "true"]),
    ('explain = true\n', ["explain", "不认识"]),
    ('[rules\n', ["TOML"]),
])
def test_bad_configurations_are_clear_errors(tmp_path, capsys, text, words):
    path = toml(tmp_path, text)
    with pytest.raises(GovinfoError) as e:
        load_config(path)
    assert all(w in str(e.value) for w in words), str(e.value)
    assert str(path) in str(e.value)
    assert main(["rules", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "Traceback" not in err


def test_rules_prints_the_effective_catalogue(tmp_path, capsys):
    path = toml(tmp_path, 'require_explanation = true\n[rules]\n"info-phone" = "错误"\n"collect-not-in-roster" = "关闭"\n'
                          '[deadlines]\n"乡镇人民政府、街道办事处" = "2-28"\n')
    assert main(["rules", "--config", str(path)]) == 0
    text = capsys.readouterr().out
    assert "| `info-phone` | 错误（本办设定，原为警告） |" in text
    assert "| `collect-not-in-roster` | 关闭（本办设定，原为警告） |" in text
    assert "乡镇人民政府、街道办事处公布期限：次年2月28日（本办规定）" in text
    assert "警告须填写说明：是" in text
    assert main(["rules"]) == 0
    assert "本办设定" not in capsys.readouterr().out


def test_collect_and_ingest_take_the_config(template, tmp_path, capsys):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    workbook(template, inbox, "甲局", INFO_phone=None)
    workbook(template, inbox, "名单外局")
    roster = tmp_path / "名单.csv"
    roster.write_text("甲局\n", encoding="utf-8")
    path = toml(tmp_path, '[rules]\n"info-phone" = "错误"\n"collect-not-in-roster" = "关闭"\n')
    config = load_config(path)
    with collect([str(inbox)], roster=str(roster), config=config) as col:
        rows = {r["agency"]: r for r in col.rows()}
        rules = {(f["agency"], f["rule"], f["severity"]) for f in col.findings()}
    assert rows["甲局"]["status"] == "有错误" and ("甲局", "info-phone", "错误") in rules
    assert rows["名单外局"]["status"] == "通过" and not any(r[1] == "collect-not-in-roster" for r in rules)
    out = tmp_path / "s.xlsx"
    assert main(["collect", str(inbox), "-o", str(out), "--config", str(path), "--no-progress"]) == 1
    js = tmp_path / "a.json"
    assert main(["ingest", str(inbox / "甲局.xlsx"), "--config", str(path), "--json", str(js)]) == 1
    assert [f["severity"] for f in json.loads(js.read_text(encoding="utf-8"))["findings"]] == ["错误"]
    assert main(["ingest", str(inbox / "甲局.xlsx"), "--config", str(tmp_path / "没有.toml")]) == 2
    assert "不存在" in capsys.readouterr().err

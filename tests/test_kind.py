"""The kind of organ in the template and the rules: INFO_kind, make-template --kind, the deadline
by kind (条例第四十九条) and the governments' 工作考核、社会评议、责任追究 (第五十条)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from conftest import CASES
from fill import cell, consistent_values, fill

from govinfo_xlsx.checks.catalogue import render_catalogue
from govinfo_xlsx.cli import main
from govinfo_xlsx.forms import all_forms, form_for_year
from govinfo_xlsx.forms.organs import AUTHORISED, DEPARTMENT, GOVERNMENT, ORGAN_KINDS, TOWNSHIP
from govinfo_xlsx.checks.ingest import ingest
from govinfo_xlsx.template.layout import SHEET_NAMES
from govinfo_xlsx.template.writer import build_template, write_template


def _instructions(path) -> str:
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True, read_only=True)  # one sheet streamed
    try:
        return "\n".join(str(r[0] or "") if r else "" for r in wb[SHEET_NAMES["instructions"]].iter_rows(values_only=True))
    finally:
        wb.close()


def test_kind_is_a_list_of_exactly_the_four_kinds(tmp_path):
    import openpyxl

    path = write_template(form_for_year(2026), 2026, tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    target = cell(wb, "INFO_kind")
    lists = [dv for dv in wb[SHEET_NAMES["info"]].data_validations.dataValidation
             if target.coordinate in dv.sqref]
    assert len(lists) == 1 and lists[0].type == "list"
    assert lists[0].formula1 == '"' + ",".join(ORGAN_KINDS) + '"'
    assert target.protection.locked is False


@pytest.mark.parametrize("args,kind,source", [
    (["--agency", "某某县人民政府"], GOVERNMENT, "根据机关名称“某某县人民政府”推断"),
    (["--agency", "某某县财政局"], DEPARTMENT, "根据机关名称"),
    (["--agency", "某某县人民政府", "--kind", DEPARTMENT], DEPARTMENT, "生成模板时指定"),
    (["--kind", AUTHORISED], AUTHORISED, "生成模板时指定"),
    ([], None, "机关类别尚未选择"),
])
def test_make_template_kind(tmp_path, args, kind, source):
    import openpyxl

    out = tmp_path / "t.xlsx"
    assert main(["make-template", "2026", "-o", str(out), *args]) == 0
    assert cell(openpyxl.load_workbook(out), "INFO_kind").value == kind
    text = _instructions(out)
    assert source in text
    if kind == GOVERNMENT:
        assert "2026年度报告的公布时限为2027年3月31日（条例第四十九条）" in text
    elif kind == AUTHORISED:
        assert "2026年度报告的公布时限为2027年1月31日（条例未规定期限，按通行做法）" in text


@pytest.mark.parametrize("typed,kind", [("乡镇人民政府", TOWNSHIP), ("街道办事处", TOWNSHIP), (TOWNSHIP, TOWNSHIP),
                                        ("部门", DEPARTMENT), ("政府", GOVERNMENT)])
def test_make_template_kind_by_either_half_or_short_name(tmp_path, typed, kind):
    import openpyxl

    out = tmp_path / "t.xlsx"
    assert main(["make-template", "2026", "-o", str(out), "--kind", typed]) == 0
    assert cell(openpyxl.load_workbook(out), "INFO_kind").value == kind


def test_kind_help_quotes_each_choice(capsys):
    """The help separates choices with “；” and quotes each, so “乡镇人民政府、街道办事处” reads as one."""
    with pytest.raises(SystemExit):
        main(["make-template", "--help"])
    help_text = "".join(capsys.readouterr().out.split())
    for kind in ORGAN_KINDS:
        assert f"“{kind}”" in help_text
    assert "乡镇人民政府/街道办事处" in help_text


def test_instructions_deadline_follows_the_kind_by_formula(tmp_path):
    """The 填报说明 line on the deadline is a formula on 基本信息's 机关类别: choosing another kind
    there changes it (each kind's wording is in the formula), and it speaks no command-line words."""
    import openpyxl

    out = tmp_path / "t.xlsx"
    assert main(["make-template", "2026", "-o", str(out), "--agency", "某某县财政局"]) == 0
    ws = openpyxl.load_workbook(out)[SHEET_NAMES["instructions"]]
    formulas = [c.value for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("=")]
    assert len(formulas) == 1 and "机关类别" in formulas[0] and "INFO_kind" not in formulas[0]
    assert "2027年3月31日（条例第四十九条）" in formulas[0] and "2027年1月31日（条例第四十九条）" in formulas[0]
    assert "2027年1月31日（条例未规定期限，按通行做法）" in formulas[0]
    text = _instructions(out)
    assert "make-template" not in text and "--" not in text
    assert "2026年度报告的公布时限为2027年1月31日（条例第四十九条）" in text


def test_make_template_refuses_an_unknown_kind(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        main(["make-template", "2026", "-o", str(tmp_path / "t.xlsx"), "--kind", "市直单位"])
    assert e.value.code == 2 and "--kind" in capsys.readouterr().err
    assert not (tmp_path / "t.xlsx").exists()


def test_instructions_numbered_once_each():
    for form_id, year in CASES:
        data = build_template(form_for_year(year), year)
        import openpyxl

        ws = openpyxl.load_workbook(io.BytesIO(data))[SHEET_NAMES["instructions"]]
        numbers = [str(r[0].value)[:2] for r in ws.iter_rows() if r[0].font.b and str(r[0].value)[1:2] == "、"]
        assert numbers == ["一、", "二、", "三、", "四、"], form_id
        text = "\n".join(str(r[0].value or "") for r in ws.iter_rows())
        assert "只有浅黄色" not in text and "橙色" in text and "灰蓝色" in text and "红色" in text


@pytest.mark.parametrize("form_id,year", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("kind,date,rule,severity", [
    (GOVERNMENT, (3, 20), None, None),  # a 县人民政府 report dated 3月20日 is on time
    (GOVERNMENT, (4, 2), "info-date-deadline", "警告"),
    (DEPARTMENT, (3, 20), "info-date-deadline", "警告"),
    (DEPARTMENT, (1, 31), None, None),
    (None, (2, 1), "info-date-deadline", "警告"),  # no kind: a department's deadline
    (TOWNSHIP, (2, 1), "info-date-deadline-local", "提示"),
    (AUTHORISED, (2, 1), "info-date-deadline-local", "提示"),
])
def test_deadline_follows_the_kind(tmp_path, form_id, year, kind, date, rule, severity):
    form = form_for_year(year)
    values = {**consistent_values(form, year), "INFO_kind": kind, "INFO_date": dt.datetime(year + 1, *date)}
    if kind in (GOVERNMENT, TOWNSHIP):
        values["TEXT_part1_supervision"] = "开展工作考核、社会评议，未发生责任追究。"
    report = ingest(fill(write_template(form, year, tmp_path / "t.xlsx"), values, tmp_path / "f.xlsx"))
    late = [f for f in report.findings if f.rule.startswith("info-date-deadline")]
    if rule is None:
        assert late == [] and [f for f in report.findings if f.rule != "info-kind"] == []
        return
    assert [(f.rule, f.severity.value, f.cell) for f in late] == [(rule, severity, "B6")]
    assert ("第四十九条" in late[0].message) == (severity == "警告")
    due = "3月31日" if kind == GOVERNMENT else "1月31日"
    assert f"{year + 1}年{due}前" in str(late[0].expected)


@pytest.mark.parametrize("kind,text,missing", [
    (GOVERNMENT, "本年度加强监督保障。", 3),
    (TOWNSHIP, "开展了工作考核和社会评议。", 1),
    (GOVERNMENT, "开展工作考核、社会评议，未发生责任追究情况。", 0),
    (DEPARTMENT, "本年度加强监督保障。", 0),  # departments' reports need not
    (AUTHORISED, "本年度加强监督保障。", 0),
])
def test_governments_report_assessment_evaluation_accountability(tmp_path, kind, text, missing):
    form = form_for_year(2026)
    values = {**consistent_values(form, 2026), "INFO_kind": kind, "TEXT_part1_supervision": text}
    report = ingest(fill(write_template(form, 2026, tmp_path / "t.xlsx"), values, tmp_path / "f.xlsx"))
    hits = [f for f in report.findings if f.rule == "text-part1-supervision-government"]
    assert len(hits) == (1 if missing else 0)
    if hits:
        assert hits[0].severity.value == "警告" and hits[0].sheet == SHEET_NAMES["text"]
        assert len(hits[0].actual) == missing


def test_catalogue_lists_the_deadlines_by_kind():
    text = render_catalogue(all_forms())
    statutory = next(line for line in text.splitlines() if "`info-date-deadline`" in line)
    local = next(line for line in text.splitlines() if "`info-date-deadline-local`" in line)
    assert "警告" in statutory and "第四十九条" in statutory and "3月31日" in statutory
    assert "提示" in local and "第四十九条" not in local
    assert "`text-part1-supervision-government`" in text


def test_long_texts_show_and_rows_refit(tmp_path):
    """Narrative rows are tall enough for the text written, and not marked as a fixed height, so
    Excel, WPS and LibreOffice refit them as the clerk types."""
    long = "本年度加强政府信息公开工作。" * 40  # 560 characters
    data = build_template(form_for_year(2026), 2026, values={"TEXT_part1_active": long})
    z = zipfile.ZipFile(io.BytesIO(data))
    names = {SHEET_NAMES[k]: i + 1 for i, k in enumerate(
        ("instructions", "info", "text", "table2", "table3", "table4", "checks"))}
    import re

    xml = z.read(f"xl/worksheets/sheet{names[SHEET_NAMES['text']]}.xml").decode()
    rows = {int(m.group(1)): m.group(0) for m in re.finditer(r'<row r="(\d+)"[^>]*>', xml)}
    import openpyxl

    target = cell(openpyxl.load_workbook(io.BytesIO(data)), "TEXT_part1_active")
    row = rows[target.row]
    assert "customHeight" not in row
    assert float(re.search(r'ht="([\d.]+)"', row).group(1)) >= 17 * len(long) * 2 / 60


@pytest.mark.parametrize("kind,message", [
    (DEPARTMENT, "成文日期2027年4月5日晚于公布时限2027年1月31日（县级以上人民政府部门，条例第四十九条），逾期64天。"),
    (GOVERNMENT, "成文日期2027年4月5日晚于公布时限2027年3月31日（县级以上地方人民政府，条例第四十九条），逾期5天。"),
    (TOWNSHIP, "成文日期2027年4月5日晚于通行的公布时限2027年1月31日（乡镇人民政府、街道办事处，"
               "条例未规定这类机关的期限，以本地要求为准），晚64天。"),
])
def test_late_date_names_the_date_the_deadline_and_the_days_late(tmp_path, kind, message):
    form = form_for_year(2026)
    v = consistent_values(form, 2026)
    v["INFO_date"], v["INFO_kind"] = dt.datetime(2027, 4, 5), kind
    path = tmp_path / "late.xlsx"
    path.write_bytes(build_template(form, 2026, values=v))
    assert [f.message for f in ingest(path).findings if "deadline" in f.rule] == [message]

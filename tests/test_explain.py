"""Explanations of warnings and hints: the 说明 column of the checks sheet, read back by ingest."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from conftest import require_libreoffice
from fill import cell, consistent_values, fill
from libreoffice import convert

from govinfo_xlsx.results.annotate import annotate
from govinfo_xlsx.results.console import summary
from govinfo_xlsx.checks.explain import HEADER
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.forms.model import explain_name
from govinfo_xlsx.checks.ingest import ingest
from govinfo_xlsx.template.layout import CHECK_COLUMNS, CHECKS_FIRST_ROW, RULE_ID_COLUMN, SHEET_NAMES
from govinfo_xlsx.report.context import build_context

FORM = form_for_year(2026)
WHY = "本机关2027年2月机构改革后才完成审签，已向市政务公开办报备。"


def late_values() -> dict:
    v = consistent_values(FORM, 2026)
    v["INFO_date"] = dt.datetime(2027, 2, 20)  # 警告 info-date-deadline
    v["INFO_phone"] = None  # 警告 info-phone
    return v


def test_every_warning_and_hint_rule_has_a_named_unlocked_explanation_cell(template):
    wb = openpyxl.load_workbook(template)
    ws = wb[SHEET_NAMES["checks"]]
    assert ws.cell(CHECKS_FIRST_ROW, len(CHECK_COLUMNS) + 1).value == HEADER
    ids = RULE_ID_COLUMN + 1
    rows = {ws.cell(r, ids).value: r for r in range(CHECKS_FIRST_ROW + 1, ws.max_row + 1) if ws.cell(r, ids).value}
    for rule in FORM.rules:
        name = explain_name(rule.id)
        if rule.severity.value == "错误":
            assert name not in wb.defined_names, name
            continue
        c = cell(wb, name)
        assert "-" not in name and c.row == rows[rule.id] and c.column == len(CHECK_COLUMNS) + 1, name
        assert c.protection.locked is False, name
    assert explain_name("info-date-deadline") == "EXPLAIN_info_date_deadline"


def test_findings_carry_the_explanation_everywhere(template, tmp_path):
    v = late_values()
    v["EXPLAIN_info_date_deadline"] = WHY
    path = fill(template, v, tmp_path / "迟报.xlsx")
    report = ingest(path)
    by_rule = {f.rule: f for f in report.findings}
    assert by_rule["info-date-deadline"].explanation == WHY
    assert by_rule["info-phone"].explanation is None
    doc = report.to_dict()
    assert {f["rule"]: f["explanation"] for f in doc["findings"]}["info-date-deadline"] == WHY
    assert f"（说明：{WHY}）" in summary(report)
    out = annotate(report, path.read_bytes(), tmp_path / "批注.xlsx")
    wb = openpyxl.load_workbook(out)
    f = by_rule["info-date-deadline"]
    assert f"说明：{WHY}" in wb[f.sheet][f.cell].comment.text


def test_the_draft_banner_shows_explained_warnings(template, tmp_path):
    from govinfo_xlsx.report.render import write_report

    v = late_values()
    v["EXPLAIN_info_date_deadline"] = WHY
    v["T3_new_natural"] += 1  # an error: the report is a draft
    report = ingest(fill(template, v, tmp_path / "草稿.xlsx"))
    context = build_context(report)
    assert context["draft"] and [e["rule"] for e in context["explained"]] == ["info-date-deadline"]
    written = write_report(report, tmp_path / "out", ("md", "html", "docx"))
    md = next(p for p in written if p.suffix == ".md").read_text(encoding="utf-8")
    html = next(p for p in written if p.suffix == ".html").read_text(encoding="utf-8")
    assert WHY in md and WHY in html
    import docx

    text = "\n".join(p.text for p in docx.Document(next(p for p in written if p.suffix == ".docx")).paragraphs)
    assert WHY in text


@pytest.mark.libreoffice
def test_explanations_round_trip_through_libreoffice(template, tmp_path):
    require_libreoffice()
    v = late_values()
    v["EXPLAIN_info_date_deadline"] = WHY
    v["EXPLAIN_info_phone"] = "联系电话见门户网站“联系我们”栏目。"
    src = fill(template, v, tmp_path / "说明.xlsx")
    saved = convert([src], tmp_path / "lo")[0]
    assert saved.read_bytes() != src.read_bytes()
    report = ingest(saved)
    got = {f.rule: f.explanation for f in report.findings}
    assert got["info-date-deadline"] == WHY
    assert got["info-phone"] == "联系电话见门户网站“联系我们”栏目。"


def test_an_explanation_from_a_hostile_cell_stays_text(template, tmp_path):
    """Clerk text with a line break, Markdown/HTML syntax and a control character: one line of the
    Markdown banner, escaped; the annotated copy is written (XML forbids the control character)."""
    from govinfo_xlsx.report.render import write_report

    v = late_values()
    v["EXPLAIN_info_date_deadline"] = "第一行\n- 第二行 <b>粗</b>"
    v["T3_new_natural"] += 1  # an error: the report is a draft with its banner
    path = fill(template, v, tmp_path / "怪说明.xlsx")
    report = ingest(path)
    f = next(f for f in report.findings if f.rule == "info-date-deadline")
    assert f.explanation and "\n" in f.explanation
    md = next(p for p in write_report(report, tmp_path / "out", ("md",)) if p.suffix == ".md").read_text("utf-8")
    line = next(x for x in md.splitlines() if "第一行" in x)
    assert line.startswith("> - ") and "第二行" in line and "<b>" not in md and "&lt;b&gt;" in line
    import dataclasses

    report.findings = [dataclasses.replace(x, explanation=x.explanation + "\x07") if x is f else x
                       for x in report.findings]  # a control character (a workbook may hold one as _x0007_)
    wb = openpyxl.load_workbook(annotate(report, path.read_bytes(), tmp_path / "批注.xlsx"))
    text = wb[f.sheet][f.cell].comment.text
    assert "第一行" in text and "\x07" not in text

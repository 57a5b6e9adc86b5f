"""Explanations of warnings and hints: the 说明 column of the checks sheet, read back by ingest."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from conftest import require_libreoffice
from fill import cell, consistent_values, fill
from libreoffice import convert

from govinfo_xlsx.annotate import annotate
from govinfo_xlsx.console import summary
from govinfo_xlsx.explain import HEADER, explain_name
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.ingest import ingest
from govinfo_xlsx.layout import CHECK_COLUMNS, CHECKS_FIRST_ROW, SHEET_NAMES
from govinfo_xlsx.report.context import build_context
from govinfo_xlsx.writer import write_template

FORM = form_for_year(2026)
WHY = "本机关2027年2月机构改革后才完成审签，已向市政务公开办报备。"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return write_template(FORM, 2026, tmp_path_factory.mktemp("t") / "t.xlsx")


def late_values() -> dict:
    v = consistent_values(FORM, 2026)
    v["INFO_date"] = dt.datetime(2027, 2, 20)  # 警告 info-date-deadline
    v["INFO_phone"] = None  # 警告 info-phone
    return v


def test_every_warning_and_hint_rule_has_a_named_unlocked_explanation_cell(template):
    wb = openpyxl.load_workbook(template)
    ws = wb[SHEET_NAMES["checks"]]
    assert ws.cell(CHECKS_FIRST_ROW, len(CHECK_COLUMNS) + 1).value == HEADER
    rows = {ws.cell(r, 1).value: r for r in range(CHECKS_FIRST_ROW + 1, ws.max_row + 1) if ws.cell(r, 1).value}
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

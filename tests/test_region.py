"""The region's picture: the 图表 sheet, the roll-up, years side by side, the leader's brief."""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import require_libreoffice
from fill import cell, consistent_values, fill
from libreoffice import convert
from resaved import assert_reads_as_filled

from govinfo_xlsx.cli import main
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.forms.organs import GOVERNMENT
from govinfo_xlsx.checks.ingest import ingest
from govinfo_xlsx.template.writer import write_template

YEAR = 2026
FORM = form_for_year(YEAR)
GOV = "永康市人民政府"
AGENCIES = [f"永康市第{k}局" for k in range(6)]


def values_of(form, year, name, k):
    v = consistent_values(form, year)
    v["INFO_agency"] = name
    v["T3_new_natural"] += k
    v["T3_granted_natural"] += k
    v["T4_review_upheld"] += k
    v["T4_suit_direct_corrected"] += 2 * k
    v["T2_art20_1_rules_issued"] += k
    if name == GOV:
        v["INFO_kind"] = GOVERNMENT
        v["T3_carry_forward_natural"] += 40  # its own 结转, unlike the departments' sum
        v["T3_new_natural"] += 40
    for c in form.table3.input_columns:  # 上年结转 = last year's 结转 (the same every year here)
        carried, carry = f"T3_carried_over_{c.key}", f"T3_carry_forward_{c.key}"
        v[f"T3_new_{c.key}"] += v[carried] - v[carry]
        v[carried] = v[carry]
    return v


def make_year(d: Path, year: int, names, bad=()) -> dict:
    """A folder of filled workbooks of one year; returns agency -> values."""
    form = form_for_year(year)
    template = write_template(form, year, d / f"template{year}.xlsx")
    inbox = d / f"inbox{year}"
    inbox.mkdir()
    out = {}
    for k, name in enumerate(names):
        v = values_of(form, year, name, k + year - 2024)
        if name in bad:
            v["T3_new_legal"] += 3  # a broken balance: 有错误, not summed
        else:
            out[name] = v
        fill(template, v, inbox / f"{name}.xlsx")
    return out


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    d = tmp_path_factory.mktemp("region")
    last = make_year(d, YEAR - 1, AGENCIES + [GOV])
    good = make_year(d, YEAR, AGENCIES[:5] + [GOV], bad=(AGENCIES[4],))
    late = values_of(FORM, YEAR, "永康市迟报局", 9)
    late["INFO_date"] = dt.datetime(YEAR + 1, 3, 1)
    fill(d / f"template{YEAR}.xlsx", late, d / f"inbox{YEAR}" / "迟报局.xlsx")
    good["永康市迟报局"] = late
    roster = d / "名单.csv"
    roster.write_text("机关名称\n" + "\n".join(AGENCIES + ["永康市迟报局", GOV]) + "\n", encoding="utf-8")
    return {"dir": d, "last": last, "good": good, "roster": roster}


def run_collect(region, *extra):
    d = region["dir"]
    return main(["collect", str(d / f"inbox{YEAR}"), "-o", str(d / "汇总.xlsx"), "--roster", str(region["roster"]),
                 "--year", str(YEAR), "--no-progress", *map(str, extra)])


def chart_refs(path: Path) -> list[tuple[str, list[str]]]:
    """(chart title, the ranges its series' values point at) of every chart in the workbook."""
    out = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)):
            xml = z.read(name).decode("utf-8")
            title = "".join(re.findall(r"<a:t>([^<]*)</a:t>", xml.split("</c:title>")[0]))
            out.append((title, re.findall(r"<c:val><c:numRef><c:f>([^<]*)</c:f>", xml)))
    return out


def totals_cells(path: Path) -> dict[str, float]:
    """A1 -> value of the numbers on 汇总."""
    ws = openpyxl.load_workbook(path)["汇总"]
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float))}


def cells_of(ref: str) -> tuple[str, list[str]]:
    sheet, rng = ref.split("!")
    first, last = rng.replace("$", "").split(":")
    col1, row1 = re.match(r"([A-Z]+)(\d+)", first).groups()
    col2, row2 = re.match(r"([A-Z]+)(\d+)", last).groups()
    assert col1 == col2
    return sheet.strip("'"), [f"{col1}{r}" for r in range(int(row1), int(row2) + 1)]


def test_chart_sheet_series_point_at_the_totals_cells(region):
    assert run_collect(region) == 1  # one agency 有错误, one 未报送
    path = region["dir"] / "汇总.xlsx"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[-1] == "图表"
    cached = openpyxl.load_workbook(path, data_only=True)["图表"]
    sheet = wb["图表"]
    totals = totals_cells(path)
    charts = dict(chart_refs(path))
    assert set(charts) == {"报送情况", "本年新收申请：按申请人类型", "申请办理结果", "行政复议、行政诉讼结果"}
    checked = 0
    for title, refs in charts.items():
        for ref in refs:
            name, cells = cells_of(ref)
            assert name == "图表"
            for a1 in cells:
                formula = sheet[a1].value
                assert isinstance(formula, str) and formula.startswith("="), (title, a1, formula)
                if title == "报送情况":
                    assert formula.startswith("=COUNTIF('报送情况'!$C:$C,")
                    continue
                parts = re.findall(r"'汇总'!\$([A-Z]+)\$(\d+)", formula)
                assert parts and formula == "=" + "+".join(f"'汇总'!${c}${r}" for c, r in parts)
                assert cached[a1].value == sum(totals[f"{c}{r}"] for c, r in parts)
                checked += 1
    assert checked == 6 + 6 + 8
    # the values are the batch's: 新收 by applicant and the statuses
    good = region["good"]
    applicants = {sheet.cell(r, 1).value: cached.cell(r, 2).value for r in range(1, 60)}
    assert applicants["自然人"] == sum(v["T3_new_natural"] for v in good.values())
    assert applicants["通过"] + applicants["仅警告"] == len(good)
    assert applicants["有错误"] == 1 and applicants["未报送"] == 1


@pytest.mark.libreoffice
def test_chart_sheet_in_libreoffice_draws_the_same_numbers(region, tmp_path):
    """LibreOffice recalculates the data block from 汇总 and 报送情况: the same values."""
    require_libreoffice()
    path = region["dir"] / "汇总.xlsx"
    run_collect(region)
    again, = convert([path], tmp_path / "lo")
    before = openpyxl.load_workbook(path, data_only=True)["图表"]
    after = openpyxl.load_workbook(again, data_only=True)["图表"]
    values = [(c.coordinate, c.value) for row in before.iter_rows(max_col=6) for c in row if isinstance(c.value, (int, float))]
    assert len(values) > 20
    assert all(after[a1].value == v for a1, v in values)


def rollup(region, tmp_path, *extra):
    out = tmp_path / "本级汇总.xlsx"
    assert run_collect(region, "--rollup", out, *extra) == 1
    return out


TO_WRITE = {"info-date", "text-part1-active", "text-part1-management", "text-part1-platform",
            "text-part1-supervision", "text-part5", "text-part6"}


def test_rollup_sums_the_accepted_submissions_and_ingests_clean(region, tmp_path, capsys):
    out = rollup(region, tmp_path)
    assert "已生成汇总报告" in capsys.readouterr().err
    report = ingest(out)
    assert report.agency == GOV and report.year == YEAR and report.data["info"]["kind"] == GOVERNMENT
    # what the government writes itself, the date and the text, is a 提示, not an 错误
    assert not report.errors and report.ok
    hints = {f.rule: f.message for f in report.findings if f.severity.value == "提示"}
    assert TO_WRITE <= set(hints)
    assert hints["info-date"] == "汇总报告的成文日期待本办填写。"
    assert hints["text-part5"].startswith("汇总报告的文字部分（") and hints["text-part5"].endswith("）待本办填写。")
    assert set(report.to_write) == {"date"} | {r.removeprefix("text-").replace("-", "_")
                                               for r in hints if r.startswith("text-")}
    assert all(report.data["text"][k] == "" for k in report.data["text"])
    depts = {a: v for a, v in region["good"].items() if a != GOV}  # the government's own workbook apart
    t3, t4 = report.data["table3"], report.data["table4"]
    assert t3["new"]["natural"] == sum(v["T3_new_natural"] for v in depts.values())
    assert t3["granted"]["legal"] == sum(v["T3_granted_legal"] for v in depts.values())
    assert t3["new"]["total"] == sum(v[f"T3_new_{c.key}"] for v in depts.values() for c in FORM.table3.input_columns)
    assert t4["review"]["total"] == sum(v[f"T4_review_{c}"] for v in depts.values()
                                        for c in ("upheld", "corrected", "other", "pending"))
    assert report.data["table2"]["art20_1"]["rules"]["issued"] == sum(
        v["T2_art20_1_rules_issued"] for v in depts.values())
    # what the office writes makes it pass, and the region's report renders
    filled = {f"TEXT_{f.key}": "本年度情况。工作考核、社会评议和责任追究情况。未收取信息处理费。" for f in FORM.text_fields}
    fill(out, {**filled, "INFO_date": dt.datetime(YEAR + 1, 3, 20)}, tmp_path / "定稿.xlsx")
    assert ingest(tmp_path / "定稿.xlsx").ok
    assert main(["ingest", str(tmp_path / "定稿.xlsx"), "-o", str(tmp_path / "报告"), "--format", "html"]) == 0
    html = next((tmp_path / "报告").glob("*.html")).read_text(encoding="utf-8")
    assert GOV in html


def test_rollup_ingests_without_errors_and_renders_with_the_parts_to_write(region, tmp_path, capsys):
    out = rollup(region, tmp_path)
    capsys.readouterr()
    assert main(["ingest", str(out)]) == 0
    console = capsys.readouterr()
    assert "汇总报告的成文日期待本办填写" in console.out + console.err
    assert main(["ingest", str(out), "-o", str(tmp_path / "报告"), "--format", "html,md"]) == 0
    assert "草稿" not in capsys.readouterr().err
    html = next((tmp_path / "报告").glob("*.html")).read_text(encoding="utf-8")
    md = next((tmp_path / "报告").glob("*.md")).read_text(encoding="utf-8")
    for text in (html, md):
        assert GOV in text and "草稿" not in text
        assert text.count("【待填写：本部分由本级政府撰写】") == 6 and "【成文日期待填写】" in text
    # a plain template of the same government, empty the same way, is still an 错误
    plain = tmp_path / "plain.xlsx"
    write_template(FORM, YEAR, plain, agency=GOV)
    assert TO_WRITE <= {f.rule for f in ingest(plain).errors}


def test_rollup_keeps_the_errors_that_are_not_about_what_is_left_to_write(region, tmp_path):
    out = rollup(region, tmp_path)
    # a clerk's negative number: 错误, as in any workbook
    typed = fill(out, {"T3_new_natural": -4}, tmp_path / "负数.xlsx")
    report = ingest(typed)
    assert "t3-inputs" in {f.rule for f in report.errors}
    assert "info-date" not in {f.rule for f in report.errors}
    # a 成文日期 that is no date: 错误; a late one: its deadline rule as declared
    assert "info-date" in {f.rule for f in ingest(fill(out, {"INFO_date": "不详"}, tmp_path / "d.xlsx")).errors}
    late = ingest(fill(out, {"INFO_date": dt.datetime(YEAR + 1, 8, 1)}, tmp_path / "late.xlsx"))
    assert late.ok and {f.rule: f.severity.value for f in late.findings}["info-date-deadline"] == "警告"
    # a filled part that does not mention what it must: as declared (警告), not excused
    key = "part1_supervision"
    part = ingest(fill(out, {f"TEXT_{key}": "本年度加强监督保障。"}, tmp_path / "p.xlsx"))
    severities = {f.rule: f.severity.value for f in part.findings}
    assert severities["text-part1-supervision-government"] == "警告"
    assert "text-part1-supervision" not in severities and key not in part.to_write


def test_rollup_sent_upward_is_judged_as_any_report(region, tmp_path):
    """A county's roll-up sent to the city as its report, the text not written: collect judges it as
    any report (有错误), only ingest on the office's own desk takes the empty parts as 待填写."""
    import json

    out = rollup(region, tmp_path)
    upward = tmp_path / "上报"
    upward.mkdir()
    (upward / out.name).write_bytes(out.read_bytes())
    js = tmp_path / "s.json"
    assert main(["collect", str(upward), "-o", str(tmp_path / "s.xlsx"), "--json", str(js), "--no-progress"]) == 1
    doc = json.loads(js.read_text(encoding="utf-8"))
    assert [r["status"] for r in doc["rows"]] == ["有错误"]
    assert TO_WRITE <= {f["rule"] for f in doc["findings"] if f["severity"] == "错误"}


@pytest.mark.libreoffice
def test_rollup_marker_survives_a_libreoffice_save(region, tmp_path):
    require_libreoffice()
    out = rollup(region, tmp_path)
    saved, = convert([out], tmp_path / "lo")
    assert_reads_as_filled(out, saved, FORM.id)
    report = ingest(saved)
    assert report.ok and "date" in report.to_write
    # the hidden 元数据 sheet alone says it (a program that drops custom properties)
    with zipfile.ZipFile(saved) as z:
        bare = {n: z.read(n) for n in z.namelist()}
    assert b"govinfo_rollup" in bare.get("docProps/custom.xml", b"")
    bare.pop("docProps/custom.xml")
    with zipfile.ZipFile(tmp_path / "bare.xlsx", "w") as z:
        for n, b in bare.items():
            z.writestr(n, re.sub(rb'<Override[^>]*custom\.xml"[^>]*/>', b"", b) if n == "[Content_Types].xml"
                       else re.sub(rb'<Relationship[^>]*custom\.xml"[^>]*/>', b"", b) if n == "_rels/.rels" else b)
    assert ingest(tmp_path / "bare.xlsx").ok


def test_rollup_formula_cells_hold_what_they_compute(region, tmp_path):
    """The cached totals (what a viewer shows without recalculating) are the sums."""
    out = rollup(region, tmp_path)
    wb = openpyxl.load_workbook(out, data_only=True)
    report = ingest(out)
    assert cell(wb, "T3_new_total").value == report.data["table3"]["new"]["total"]
    assert cell(wb, "T3_total_total").value == report.data["table3"]["total"]["total"]
    assert cell(wb, "T4_review_total").value == report.data["table4"]["review"]["total"]


def test_rollup_carried_over_comes_from_last_year(region, tmp_path):
    d = region["dir"]
    depts = [a for a in region["good"] if a != GOV]
    # the government's own workbook is in the batch: each summed agency's 结转 of last year
    # (--prior-dir), or its own 上年结转 when it has no workbook of last year (永康市迟报局)
    out = rollup(region, tmp_path, "--prior-dir", d / f"inbox{YEAR - 1}")
    report = ingest(out)
    assert not report.errors and TO_WRITE <= {f.rule for f in report.findings}
    last = region["last"]
    assert report.data["table3"]["carried_over"]["natural"] == sum(
        last[a]["T3_carry_forward_natural"] if a in last else region["good"][a]["T3_carried_over_natural"]
        for a in depts)
    # without it, last year's workbook of the government is last year's roll-up: its 结转
    alone = tmp_path / "本年部门"
    alone.mkdir()
    for a in depts:
        src = next(p for p in (d / f"inbox{YEAR}").iterdir() if region["good"][a]["INFO_agency"] in ingest(p).agency)
        (alone / src.name).write_bytes(src.read_bytes())
    out = tmp_path / "r.xlsx"
    main(["collect", str(alone), "-o", str(tmp_path / "s.xlsx"), "--prior-dir", str(d / f"inbox{YEAR - 1}"),
          "--rollup", str(out), "--rollup-agency", GOV, "--no-progress"])
    t3 = ingest(out).data["table3"]
    assert t3["carried_over"]["natural"] == last[GOV]["T3_carry_forward_natural"]  # 40 more than the departments'


def test_rollup_carried_over_from_last_years_package(region, tmp_path):
    """--history without --prior-dir: last year's 结转 of each agency from the package."""
    sub = tmp_path / "2025"
    sub.mkdir()
    values = make_year(sub, YEAR - 1, AGENCIES)
    v = values[AGENCIES[0]]
    v["T3_carry_forward_natural"] += 5  # last year's package says 5 more were carried forward
    v["T3_new_natural"] += 5
    fill(sub / f"template{YEAR - 1}.xlsx", v, sub / f"inbox{YEAR - 1}" / f"{AGENCIES[0]}.xlsx")
    main(["collect", str(sub / f"inbox{YEAR - 1}"), "-o", str(sub / "s.xlsx"), "--export", str(sub / "开放数据"),
          "--no-progress"])
    out = rollup(region, tmp_path, "--history", sub / "开放数据")
    depts = [a for a in region["good"] if a != GOV]
    assert ingest(out).data["table3"]["carried_over"]["natural"] == 5 + sum(
        region["good"][a]["T3_carried_over_natural"] for a in depts)


def test_rollup_needs_a_government(region, tmp_path, capsys):
    d = tmp_path / "部门"
    d.mkdir()
    for a in AGENCIES[:2]:
        (d / f"{a}.xlsx").write_bytes((region["dir"] / f"inbox{YEAR}" / f"{a}.xlsx").read_bytes())
    code = main(["collect", str(d), "-o", str(tmp_path / "s.xlsx"), "--rollup", str(tmp_path / "r.xlsx"),
                 "--no-progress"])
    assert code == 2
    err = capsys.readouterr().err
    assert "--rollup-agency" in err and (tmp_path / "s.xlsx").exists() and not (tmp_path / "r.xlsx").exists()
    assert main(["collect", str(d), "-o", str(tmp_path / "s.xlsx"), "--rollup", str(tmp_path / "r.xlsx"),
                 "--rollup-agency", "某县人民政府", "--no-progress"]) == 0
    assert ingest(tmp_path / "r.xlsx").agency == "某县人民政府"


def test_history_gives_one_point_per_year(region, tmp_path):
    """Two earlier years' exports and this year: three points in every series of 历年情况."""
    d = tmp_path
    packages = []
    for year in (YEAR - 2, YEAR - 1):
        names = AGENCIES[:3] if year == YEAR - 2 else AGENCIES
        sub = d / str(year)
        sub.mkdir()
        values = make_year(sub, year, names)
        assert main(["collect", str(sub / f"inbox{year}"), "-o", str(sub / "s.xlsx"), "--year", str(year),
                     "--export", str(sub / "开放数据"), "--no-progress"]) == 0
        packages.append((year, values, sub / "开放数据"))
    assert run_collect(region, "--history", *(p for _, _, p in packages)) == 1
    path = region["dir"] / "汇总.xlsx"
    charts = dict(chart_refs(path))
    trend = charts["历年情况"]
    assert len(trend) == 5
    sheet = openpyxl.load_workbook(path)["图表"]
    cached = openpyxl.load_workbook(path, data_only=True)["图表"]
    for ref in trend:
        _, cells = cells_of(ref)
        assert len(cells) == 3
    _, first = cells_of(trend[0])  # 本年新收申请, year by year
    col = first[0].rstrip("0123456789")
    rows = [int(a[len(col):]) for a in first]
    assert [sheet[f"A{r}"].value for r in rows] == [f"{y}年" for y in (YEAR - 2, YEAR - 1, YEAR)]
    for (year, values, _), a1 in zip(packages, first):
        assert cached[a1].value == sum(v[f"T3_new_{c.key}"] for v in values.values()
                                       for c in form_for_year(year).table3.input_columns)
    assert str(sheet[first[2]].value).startswith("='汇总'!")  # this year from the 汇总 cells
    assert cached[first[2]].value == sum(v[f"T3_new_{c.key}"] for v in region["good"].values()
                                         for c in FORM.table3.input_columns)


def test_history_reads_the_columns_by_name(tmp_path):
    """A package whose data.csv has other columns, in another order, and rows with errors."""
    from govinfo_xlsx.collect.history import read_history

    form = form_for_year(YEAR - 1)
    names = [c.name for c in form.cells() if c.name.startswith("T3_")]
    (tmp_path / "p").mkdir()
    with open(tmp_path / "p" / "data.csv", "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "status", "INFO_year", *reversed(names), "agency"])
        w.writerow(["a.xlsx", "通过", YEAR - 1, *[1] * len(names), "甲"])
        w.writerow(["b.xlsx", "有错误", YEAR - 1, *[100] * len(names), "乙"])
        w.writerow(["c.xlsx", "仅警告", YEAR - 1, *[2] * len(names), "丙"])
    (tmp_path / "p" / "datapackage.json").write_text(
        '{"resources": [{"name": "data", "path": "data.csv"}]}', encoding="utf-8")
    (yf,) = read_history([tmp_path / "p"])
    assert yf.year == YEAR - 1 and yf.count == 2
    assert yf.values["T3_new_natural"] == 3
    assert yf.values["T3_new_total"] == 3 * len(form.table3.input_columns)  # recomputed from the inputs
    with pytest.raises(Exception, match="data.csv"):
        read_history([tmp_path / "nothing"])
    # the Data Package's own word on what 汇总 summed wins over the status
    with open(tmp_path / "p" / "data.csv", "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["agency", "status", "summed", "year", *names])
        w.writerow(["甲", "通过", "true", YEAR - 1, *[1] * len(names)])
        w.writerow(["名单外", "通过", "false", YEAR - 1, *[100] * len(names)])
    (yf,) = read_history([tmp_path / "p" / "datapackage.json"])
    assert yf.count == 1 and yf.values["T3_new_natural"] == 1 and set(yf.agencies) == {"甲"}


def summary_row_total(path: Path, label: str) -> float:
    """The 总计 (last number) of a row of 汇总, found by its label."""
    ws = openpyxl.load_workbook(path)["汇总"]
    for row in ws.iter_rows():
        if any(c.value == label for c in row):
            return [c.value for c in row if isinstance(c.value, (int, float))][-1]
    raise KeyError(label)


def docx_tables(path: Path) -> list[list[list[str]]]:
    import docx

    return [[[c.text for c in row.cells] for row in t.rows] for t in docx.Document(str(path)).tables]


def docx_text(path: Path) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_brief_figures_equal_the_summary(region, tmp_path, capsys):
    d = region["dir"]
    brief = tmp_path / "简报.docx"
    assert run_collect(region, "--brief", brief, "--prior-dir", d / f"inbox{YEAR - 1}") == 1
    assert "已生成简报" in capsys.readouterr().err
    summary = d / "汇总.xlsx"
    text = docx_text(brief)
    assert "汇总表“汇总.xlsx”" in text  # names the summary it was made from
    assert "未报送：永康市第5局" in text and "逾期报送：永康市迟报局" in text and "有错误：永康市第4局" in text
    figures, tasks = docx_tables(brief)
    assert figures[0] == ["指标", f"{YEAR - 1}年", f"{YEAR}年", "比上年增减", "增减幅度",
                          "本级政府报告", "其余5份之和", "差额"]
    rows = {r[0]: r for r in figures}
    new = summary_row_total(summary, "一、本年新收政府信息公开申请数量")
    done = summary_row_total(summary, "（七）总计")
    assert rows["本年新收申请"][2] == f"{new:,}" and rows["办结总计"][2] == f"{done:,}"
    last_new = sum(v[f"T3_new_{c.key}"] for v in region["last"].values() for c in FORM.table3.input_columns)
    assert rows["本年新收申请"][1] == f"{last_new:,}"
    assert rows["本年新收申请"][3] == f"{new - last_new:+,}".replace("+-", "-")
    review = sum(v[f"T4_review_{c}"] for v in region["good"].values() for c in ("upheld", "corrected", "other", "pending"))
    assert rows["行政复议"][2] == f"{review:,}"
    # the 督办清单 names each agency that must act, with what it must do
    todo = {r[1]: r[3] for r in tasks[1:]}
    assert "尽快报送" in todo["永康市第5局"] and "改正" in todo["永康市第4局"] and "逾期" in todo["永康市迟报局"]
    # the government's own workbook beside the others' sum, and the difference
    own = sum(region["good"][GOV][f"T3_new_{c.key}"] for c in FORM.table3.input_columns)
    others = new - own
    assert rows["本年新收申请"][5:] == [f"{own:,}", f"{others:,}", f"{own - others:,}"]
    assert f"“本级政府报告”为“{GOV}”自己的报告" in text
    # the 公开率 of the region, from the summary's figures
    granted = summary_row_total(summary, "（一）予以公开") + summary_row_total(
        summary, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
    assert f"公开率（予以公开和部分公开{granted:,}件占办结{done:,}件）为{granted / done:.1%}" in text


def test_brief_as_html_and_with_three_years(region, tmp_path):
    """An .html brief, and a history of two packages: three years side by side."""
    sub = tmp_path / "2024"
    sub.mkdir()
    make_year(sub, YEAR - 2, AGENCIES[:3])
    main(["collect", str(sub / f"inbox{YEAR - 2}"), "-o", str(sub / "s.xlsx"), "--export", str(sub / "p"),
          "--no-progress"])
    brief = tmp_path / "简报.html"
    d = region["dir"]
    assert run_collect(region, "--brief", brief, "--history", sub / "p", "--prior-dir", d / f"inbox{YEAR - 1}") == 1
    page = brief.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "data:image/svg+xml;base64," in page
    for y in (YEAR - 2, YEAR - 1, YEAR):
        assert f"<th>{y}年</th>" in page
    assert "汇总表“汇总.xlsx”" in page


def test_brief_extension_and_history_are_checked_before_the_batch(region, tmp_path, capsys, monkeypatch):
    import govinfo_xlsx.collect.run as run

    def no_batch(*a, **k):
        raise AssertionError("the batch ran")

    monkeypatch.setattr(run, "collect", no_batch)
    assert run_collect(region, "--brief", tmp_path / "简报.pdf") == 2
    assert ".docx 或 .html" in capsys.readouterr().err
    assert run_collect(region, "--history", tmp_path / "没有") == 2
    assert "--history" in capsys.readouterr().err


def test_brief_and_rollup_when_nothing_could_be_summed(region, tmp_path, capsys):
    d = tmp_path / "坏"
    d.mkdir()
    (d / "坏.xlsx").write_bytes((region["dir"] / f"inbox{YEAR}" / f"{AGENCIES[4]}.xlsx").read_bytes())
    brief = tmp_path / "简报.docx"
    code = main(["collect", str(d), "-o", str(tmp_path / "s.xlsx"), "--brief", str(brief), "--rollup",
                 str(tmp_path / "r.xlsx"), "--rollup-agency", GOV, "--no-progress"])
    assert code == 2
    assert "没有可汇总的报告" in capsys.readouterr().err and not (tmp_path / "r.xlsx").exists()
    text = docx_text(brief)
    assert "有错误：永康市第4局" in text and "督办清单" in text
    assert [c[1] for c in chart_refs(tmp_path / "s.xlsx")] and len(chart_refs(tmp_path / "s.xlsx")) == 1


def test_brief_without_a_chinese_font_is_written_without_charts(region, tmp_path, monkeypatch, capsys):
    from matplotlib import font_manager

    from govinfo_xlsx.report import plots

    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    monkeypatch.setattr(plots.shutil, "which", lambda name: None)
    monkeypatch.delenv("GOVINFO_CJK_FONT", raising=False)
    plots._find_font.cache_clear()
    (region["dir"] / "汇总.xlsx").unlink(missing_ok=True)
    try:
        code = run_collect(region, "--brief", tmp_path / "简报.docx")
    finally:
        plots._find_font.cache_clear()
    assert code == 2  # said, and the summary and the brief are there
    assert "图表未生成" in capsys.readouterr().err
    assert "图表未生成" in docx_text(tmp_path / "简报.docx")
    assert (region["dir"] / "汇总.xlsx").exists()

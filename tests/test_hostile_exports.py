"""Hostile text in every export: no formula in any CSV or xlsx, no limit met silently.

Agency names and texts such as ``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``, ``@SUM(…)`` and ``+1+1`` reach
data.csv, findings.csv, SUMMARY.xlsx, AUDIT.xlsx and ``extract -o OUT.xlsx`` as text that round-trips,
never as a formula; numbers stay numbers. Lists longer than a sheet go on in continuation sheets, text
longer than a cell is marked as cut in the xlsx and kept whole in the JSON.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
from fill import consistent_values, fill
from hostile import run_cli, set_cell_xml

from govinfo_xlsx.files import sheetrows
from govinfo_xlsx.files.celltext import XLSX_MAX_CHARS, csv_cell, from_csv_cell
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.template.layout import Layout
from govinfo_xlsx.template.writer import write_template

FORM = form_for_year(2026)
PUBLISHED = Path(__file__).parent / "fixtures" / "published"
HOSTILE = ['=HYPERLINK("http://example.com/x","点此")', "=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
           "+1+1", "-2+3", "\t=1+1", "\r=1+1", "'已有撇号"]


@pytest.fixture(scope="module")
def valid(tmp_path_factory) -> bytes:
    d = tmp_path_factory.mktemp("valid")
    template = write_template(FORM, 2026, d / "template.xlsx")
    return fill(template, consistent_values(FORM, 2026), d / "valid.xlsx").read_bytes()


def _with(valid: bytes, name: str, inner: str, t: str | None = "inlineStr") -> bytes:
    sheet, ref = Layout(FORM).address(name)
    return set_cell_xml(valid, sheet, ref, inner, t)


def _text(valid: bytes, name: str, text: str) -> bytes:
    return _with(valid, name, f'<is><t xml:space="preserve">{escape(text)}</t></is>')


def _formula_cells(path: Path) -> list[str]:
    """Formula cells that hold data text (the tool's own formulas, such as a chart sheet's sums over
    汇总 or a template's totals, hold none of it)."""
    wb = openpyxl.load_workbook(path)
    return [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "f" and any(w in str(c.value) for w in ("HYPERLINK", "cmd", "SUM(1", "1+1", "2+3"))]


def _csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_cell_neutralises_and_round_trips(text):
    out = csv_cell(text)
    assert out.startswith("'") and from_csv_cell(out) == text


@pytest.mark.parametrize("value", ["某某局", "2025-01-20", "", "a=b", -5, -0.5, 3, None])
def test_csv_cell_leaves_plain_text_and_numbers_alone(value):
    assert csv_cell(value) == value


def test_collect_export_and_summary_hold_no_formula(valid, tmp_path, capsys):
    folder = tmp_path / "报送"
    folder.mkdir()
    for i, name in enumerate(HOSTILE):
        (folder / f"{i}.xlsx").write_bytes(_text(valid, "INFO_agency", name))
    negative = _with(_text(valid, "INFO_agency", "负数局"), "T3_new_natural", "<v>-3</v>", "n")
    (folder / "negative.xlsx").write_bytes(negative)  # a finding whose value is a number in every export
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = run_cli(capsys, ["collect", str(folder), "-o", str(out / "SUMMARY.xlsx"), "--json",
                                    str(out / "s.json"), "--export", str(out / "open"), "--no-progress"])
    assert code in (0, 1), err
    data_rows, findings = _csv(out / "open" / "data.csv"), _csv(out / "open" / "findings.csv")
    for rows in (data_rows, findings):
        for row in rows:
            for field in row:
                if field[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    float(field)  # only a number may start so (a negative one)
    agencies = {from_csv_cell(r[0]) for r in data_rows[1:]}
    names = {h.strip() for h in HOSTILE}  # ingest strips the white space around an agency's name
    assert agencies == names  # every name back exactly, apostrophe dropped
    assert any(r[findings[0].index("actual")] == "-3" for r in findings[1:])  # a number, no apostrophe
    assert {from_csv_cell(r[findings[0].index("agency")]) for r in findings[1:]} <= names | {"负数局"}
    package = json.loads((out / "open" / "datapackage.json").read_text(encoding="utf-8"))
    assert "撇号" in package["description"]
    fields = {f["name"]: f for r in package["resources"] for f in r["schema"]["fields"]}
    assert "撇号" in fields["agency"]["description"] and "撇号" not in fields["year"].get("description", "")
    assert _formula_cells(out / "SUMMARY.xlsx") == []
    wb = openpyxl.load_workbook(out / "SUMMARY.xlsx")
    shown = [ws for ws in wb.worksheets if ws.title == "报送情况"][0]
    column = [c.value for c in shown[1]].index("机关名称")
    assert {r[column] for r in shown.iter_rows(min_row=2, values_only=True)} == names | {"负数局"}  # as text


def test_audit_xlsx_and_extract_xlsx_hold_no_formula(tmp_path, capsys):
    page = (PUBLISHED / "yongkang-2020.txt").read_text(encoding="utf-8")
    hostile = page.replace("永康市行政服务中心", '=HYPERLINK("x.cn","点此")', 1)
    assert hostile != page
    folder = tmp_path / "报告"
    folder.mkdir()
    (folder / "r.txt").write_text(hostile, encoding="utf-8")
    code, _, err = run_cli(capsys, ["audit", str(folder), "-o", str(tmp_path / "AUDIT.xlsx"), "--no-progress"])
    assert (tmp_path / "AUDIT.xlsx").exists(), err
    assert _formula_cells(tmp_path / "AUDIT.xlsx") == []
    assert openpyxl.load_workbook(tmp_path / "AUDIT.xlsx")["报告情况"]["A2"].value.startswith("=HYPERLINK")
    code, _, err = run_cli(capsys, ["extract", str(folder / "r.txt"), "-o", str(tmp_path / "r.xlsx")])
    assert (tmp_path / "r.xlsx").exists(), err
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    texts = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert texts and all(c.data_type == "s" for c in texts)  # the agency, as text


# -- limits stated, never silent -----------------------------------------------------------------------

def test_findings_beyond_a_sheet_go_on_in_continuation_sheets(valid, tmp_path, capsys, monkeypatch):
    from govinfo_xlsx.collect.review import load_review

    monkeypatch.setattr(sheetrows, "MAX_ROWS", 5)  # a sheet of a header and 5 rows
    folder = tmp_path / "报送"
    folder.mkdir()
    for i in range(4):
        (folder / f"{i}.xlsx").write_bytes(_with(_text(valid, "INFO_agency", f"第{i}局"), "T3_new_natural", "<v>-3</v>",
                                                 "n"))
    out = tmp_path / "SUMMARY.xlsx"
    run_cli(capsys, ["collect", str(folder), "-o", str(out), "--json", str(tmp_path / "s.json"), "--no-progress"])
    findings = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["findings"]
    assert len(findings) > 10
    wb = openpyxl.load_workbook(out)
    names = [n for n in wb.sheetnames if n.startswith("问题清单")]
    assert names[:3] == ["问题清单", "问题清单（续）", "问题清单（续2）"]
    listed = 0
    for i, name in enumerate(names):
        rows = list(wb[name].iter_rows(min_row=2, values_only=True))
        assert len(rows) <= 5
        if i < len(names) - 1:  # a full sheet: 4 findings, then the note
            assert len(rows) == 5 and f"其余各行见“{names[i + 1]}”表" in rows[-1][0]
            rows = rows[:-1]
        listed += len(rows)
    assert listed == len(findings)  # nothing dropped
    last = wb[names[-1]]
    row = last.max_row
    column = [c.value for c in last[1]].index("审核意见") + 1
    last.cell(row, column).value = "已核实"
    wb.save(tmp_path / "reviewed.xlsx")
    header = [c.value for c in last[1]]
    agency, rule = (last.cell(row, header.index(h) + 1).value for h in ("机关", "规则编号"))
    decisions = load_review(tmp_path / "reviewed.xlsx")  # read from the continuation sheet
    assert [(k[0], k[1], v) for k, v in decisions.items()] == [(agency, rule, "已核实")]


def test_audit_claims_beyond_a_sheet_go_on_in_continuation_sheets(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sheetrows, "MAX_ROWS", 3)
    folder = tmp_path / "报告"
    folder.mkdir()
    shutil.copy(PUBLISHED / "huaian-2024.pdf", folder)
    shutil.copy(PUBLISHED / "shanghai-2019.html", folder)
    run_cli(capsys, ["audit", str(folder), "-o", str(tmp_path / "AUDIT.xlsx"), "--json", str(tmp_path / "a.json"),
                     "--no-progress"])
    claims = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))["claims"]
    wb = openpyxl.load_workbook(tmp_path / "AUDIT.xlsx")
    names = [n for n in wb.sheetnames if n.startswith("正文核对")]
    assert len(names) > 2 and names[1] == "正文核对（续）"
    rows = [r for n in names for r in wb[n].iter_rows(min_row=2, values_only=True) if "行数上限" not in (r[0] or "")]
    assert len(rows) == len(claims)


def test_text_longer_than_a_cell_is_cut_with_a_note_in_the_xlsx_and_whole_in_the_json(tmp_path, capsys):
    page = (PUBLISHED / "yongkang-2020.txt").read_text(encoding="utf-8")
    long = "改进" * 20_000  # 40,000 characters
    text = page.replace("六、其他需要报告的事项\n", f"六、其他需要报告的事项\n{long}\n", 1)
    assert text != page
    src = tmp_path / "r.txt"
    src.write_text(text, encoding="utf-8")
    code, _, err = run_cli(capsys, ["extract", str(src), "-o", str(tmp_path / "r.xlsx")])
    assert "超过 Excel 单元格上限" in err
    run_cli(capsys, ["extract", str(src), "-o", str(tmp_path / "r.json")])
    whole = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["data"]["text"]
    assert any(long in v for v in whole.values())
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    cut = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
           if isinstance(c.value, str) and "此处截断" in c.value]
    assert len(cut) == 1 and len(cut[0]) == XLSX_MAX_CHARS and cut[0].startswith("改进改进")
    assert f"全文 {len(next(v for v in whole.values() if long in v)):,} 字" in cut[0]


@pytest.mark.parametrize("value", ["[" * 5000 + "1" + "]" * 5000, "{a = " * 5000 + "1" + "}" * 5000])
def test_a_config_nested_thousands_deep_is_one_chinese_line(tmp_path, capsys, value):
    config = tmp_path / "本办.toml"
    config.write_text(f"rules = {value}\n", encoding="utf-8")
    code, _, err = run_cli(capsys, ["rules", "--config", str(config)])
    assert code == 2 and err.strip().splitlines() == [f"错误：配置文件“{config}”嵌套过深（数组或表一层套一层），不是有效的本办配置。"]


def test_a_list_cell_longer_than_a_cell_holds_is_cut_with_its_length(tmp_path):
    import xlsxwriter

    from govinfo_xlsx.files.celltext import write_value

    long = "问" * 40_000
    wb = xlsxwriter.Workbook(str(tmp_path / "l.xlsx"))
    ws = wb.add_worksheet("问题清单")
    write_value(ws, 0, 0, long)
    write_value(ws, 0, 1, "=1+1")
    write_value(ws, 0, 2, -3)
    wb.close()
    a, b, c = next(openpyxl.load_workbook(tmp_path / "l.xlsx")["问题清单"].iter_rows(max_row=1))
    assert len(a.value) == XLSX_MAX_CHARS and a.value.startswith("问问") and "全文 40,000 字" in a.value
    assert (b.value, b.data_type) == ("=1+1", "s") and (c.value, c.data_type) == (-3, "n")

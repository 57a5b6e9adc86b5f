"""Real published reports (tests/fixtures/published, sources in SOURCES.md) against hand readings.

Every table cell of the format is compared with the value typed by hand into
expected/<report>.json: read and equal, blank in the source and reported blank, or not in the
source and reported not found. Each defect found by reading is reported; nothing not read passes.
Run as a script, this module prints the tally over all real reports and their variants.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest

from govinfo_xlsx.extract.run import extract
from govinfo_xlsx.forms import get_form

HERE = Path(__file__).parent / "fixtures" / "published"
EXPECTED = HERE / "expected"
REPORTS = {
    "shanghai-2019": ["shanghai-2019.html", "shanghai-2019.docx", "shanghai-2019.pdf", "shanghai-2019.browser-copy.txt"],
    "hongze-2023": ["hongze-2023.pdf"],
    "hongze-2024": ["hongze-2024.pdf"],
    "shuyang-fgj-2023": ["shuyang-fgj-2023.html", "shuyang-fgj-2023.docx"],
    "yongkang-2020": ["yongkang-2020.txt"],
    "pingtan-2019": ["pingtan-2019.html", "pingtan-2019.docx"],
    "pingtan-2020": ["pingtan-2020.html"],
    "huaian-2024": ["huaian-2024.pdf"],
    "lg-2024": ["lg-2024.txt"],
    "dsz-2021": ["dsz-2021.txt"],
    "laifeng-2021": ["laifeng-2021.txt"],
    "minyi-2021": ["minyi-2021.txt"],
    "acheng-2021": ["acheng-2021.txt"],
    "lnst-qianjin-2020": ["lnst-qianjin-2020.txt"],
    "huangpi-2020": ["huangpi-2020.txt"],
}
CASES = [(name, f) for name, files in REPORTS.items() for f in files]


@functools.lru_cache(maxsize=None)
def read(file: str):
    """The extraction of a published report in tests/fixtures/published, made once for this module: its
    tests only read the report (each of CASES is checked four ways)."""
    return extract(HERE / file)


def hand_reading(name: str) -> dict:
    return json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))


def expected_cells(exp: dict) -> dict[str, object]:
    """Defined name -> value typed by hand (None: blank in the source); names absent: not in the source."""
    form = get_form(exp["form"])
    out: dict[str, object] = {}
    for blk in form.table2.blocks:
        got = exp["table2"].get(blk.key)
        for row in blk.rows:
            if got and row.key in got:
                for col, v in zip(got["columns"], got[row.key]):
                    out[blk.cell_name(row.key, col)] = v
    for table, key in ((form.table3, "table3"), (form.table4, "table4")):
        got = exp[key]
        for row, values in got.items():
            if row != "columns":
                for col, v in zip(got["columns"], values):
                    out[table.cell_name(row, col)] = v
    return out


def compare(name: str, path: Path, report=None) -> dict[str, list[str]]:
    """Table cells read correctly, wrongly (a wrong value, or blank/not found taken for a value), not
    found although the source has them, and invented (read although the source has no such cell)."""
    from govinfo_xlsx.forms.data import flat_values

    exp = hand_reading(name)
    report = report or extract(path)
    values = flat_values(get_form(report.form), report.data)
    want = expected_cells(exp)
    out: dict[str, list[str]] = {"correct": [], "wrong": [], "not_found": [], "invented": []}
    for n, status in report.published["cell_status"].items():
        if n not in want:
            (out["correct"] if status == "missing" else out["invented"]).append(n)
        elif status == "missing":
            out["not_found"].append(n)
        elif want[n] is None:
            (out["correct"] if status == "blank" else out["wrong"]).append(n)
        elif status == "ok" and values[n] == want[n]:
            out["correct"].append(n)
        else:
            out["wrong"].append(n)
    return out


@pytest.mark.parametrize("name,file", CASES, ids=[f for _, f in CASES])
def test_every_cell_against_the_hand_reading(name, file):
    got = compare(name, HERE / file, read(file))
    assert got["wrong"] == [] and got["not_found"] == [] and got["invented"] == [], got


@pytest.mark.parametrize("name,file", CASES, ids=[f for _, f in CASES])
def test_identity_and_every_known_defect_is_reported(name, file):
    exp = hand_reading(name)
    report = read(file)
    assert (report.form, report.year, report.agency) == (exp["form"], exp["year"], exp["agency"])
    assert report.published["date"] == exp["published"]
    for d in exp["defects"]:
        hits = [f for f in report.findings if f.rule == d["rule"]
                and ("actual" not in d or f.actual == d["actual"]) and ("sheet" not in d or f.sheet == d["sheet"])]
        assert hits, (d, [f.to_dict() for f in report.findings])


def false_findings(exp: dict, report) -> list:
    """Errors and warnings on a complete report that no defect found by reading accounts for: each finding
    matched to its own defect by rule and place (scripts/measure_published.py ``match``)."""
    from test_measure_published import measure

    serious = [f for f in report.findings if f.severity.value in ("错误", "警告")]
    _, left, _ = measure.match(serious, exp["defects"])
    return [serious[i] for i in left]


COMPLETE = [(name, f) for name, f in CASES if hand_reading(name).get("complete")]


@pytest.mark.parametrize("name,file", COMPLETE, ids=[f for _, f in COMPLETE])
def test_a_complete_report_has_no_false_findings(name, file):
    report = read(file)
    assert false_findings(hand_reading(name), report) == []


@pytest.mark.parametrize("name,file", CASES, ids=[f for _, f in CASES])
def test_never_passes_what_was_not_read(name, file):
    report = read(file)
    counts = {k: sum(c[k] for c in report.published["cells"].values()) for k in ("ok", "blank", "invalid", "missing")}
    if counts["missing"] or not report.year:
        assert not report.ok


def test_what_the_stored_excerpts_lack_is_named():
    lg = {f.rule: f for f in read("lg-2024.txt").findings}
    assert "8.属于行政查询事项" in lg["pub-row-missing"].message and lg["pub-row-missing"].sheet == "表三"
    assert lg["pub-cell-missing"].row_label == "7.属于行政执法案卷" and lg["pub-cell-missing"].col_label == "总计"
    assert lg["pub-table-missing"].sheet == "表四" and lg["pub-table-missing"].expected == 15
    assert "pub-agency-unknown" in lg and "pub-year-unknown" in lg
    minyi = {f.rule for f in read("minyi-2021.txt").findings}
    assert "pub-format-unknown" in minyi  # no table to tell the format: the year's is assumed, with a warning


def test_shanghai_claims_are_listed_with_their_status():
    report = read("shanghai-2019.html")
    claims = {(c["what"], c["value"]): c for c in report.published["claims"]}
    assert claims[("予以公开和部分公开", 258)]["status"] == "矛盾"
    assert claims[("予以公开和部分公开", 258)]["table_value"] == 275
    assert "总计列空白" in claims[("予以公开和部分公开", 258)]["basis"]
    assert claims[("不予公开", 35)]["status"] == "一致"  # 14+5+4+12 by the applicant columns
    assert claims[("办结", 805)]["basis"] == "总计列"
    assert claims[("全部维持", "全部维持")]["status"] == "矛盾"
    assert claims[("各项占比之和", 90.74)]["status"] == "矛盾"


def test_huaian_claims_agree_with_the_tables():
    claims = {c["what"]: c for c in read("huaian-2024.pdf").published["claims"]}
    assert {k: (c["value"], c["status"]) for k, c in claims.items()} == {
        "新收申请": (3119, "一致"), "上年结转": (34, "一致"), "办结": (3050, "一致"),
        "行政复议": (351, "一致"), "行政诉讼": (46, "一致")}


def test_hongze_2024_prose_contradicts_table_three():
    claims = [c for c in read("hongze-2024.pdf").published["claims"] if c["what"] == "新收申请"]
    assert [(c["value"], c["table_value"], c["status"]) for c in claims] == [(17, 95, "矛盾")]


def test_an_unknown_kind_is_late_only_after_every_kind_s_deadline(tmp_path):
    page = (HERE / "pingtan-2020.html").read_text(encoding="utf-8")
    assert read("pingtan-2020.html").published["kind"] is None  # 平潭综合实验区: no kind in the name
    late = tmp_path / "late.html"
    late.write_text(page.replace("2021-03-05 08:58", "2021-04-15 09:00"), encoding="utf-8")
    found = [f for f in extract(late).findings if f.rule == "pub-published-late"]
    assert len(found) == 1 and "任何一类机关" in found[0].message


def test_an_item_of_part_one_naming_applications_is_not_part_three():
    report = read("pingtan-2020.html")
    assert not {"pub-part-numbering", "pub-part-order", "pub-table-empty"} & {f.rule for f in report.findings}
    assert "pub-part-numbering" in {f.rule for f in read("yongkang-2020.txt").findings}  # 5、 is part 五


def test_results_in_words_and_changed_labels():
    shanghai = [f for f in read("shanghai-2019.html").findings if f.rule == "pub-prose-outcome"]
    assert len(shanghai) == 1 and "尚未审结 3 件" in shanghai[0].message and shanghai[0].cell == "第11段"
    huangpi = [f for f in read("huangpi-2020.txt").findings if f.rule == "pub-label-changed"]
    assert len(huangpi) == 1 and "多出一行“其他主动公开文件" in huangpi[0].message


def test_a_blank_total_column_is_one_finding_naming_its_rows():
    report = read("shanghai-2019.html")
    blank = [f for f in report.findings if f.rule == "pub-total-blank"]
    assert len(blank) == 1 and "（一）予以公开" in blank[0].message and blank[0].cell.startswith("第2个表格")
    assert not [f for f in report.findings if f.rule.startswith("t3-") and f.rule.endswith("-total")]


def test_a_blank_total_is_not_checked_as_0_by_the_balance(tmp_path):
    """shanghai-2019 with the 总计 cell of 一、本年新收 left blank as well: that total is unknown, not 0,
    so the column balance 一+二=三（七）+四 is not stated as broken; the blank total is named once."""
    html = (HERE / "shanghai-2019.html").read_text(encoding="utf-8")
    row_end = '<td><p align="center">1</p></td><td><p align="center">859</p></td></tr>'
    assert html.count(row_end) == 1
    page = tmp_path / "shanghai-2019.html"
    page.write_text(html.replace(row_end, row_end.replace(">859<", ">&nbsp;<")), encoding="utf-8")
    report = extract(page)
    assert not [f for f in report.errors if f.rule.startswith("t3-")], [f.message for f in report.errors]
    blank = [f for f in report.findings if f.rule == "pub-total-blank"]
    assert len(blank) == 1 and "本年新收" in blank[0].message


# ---------------------------------------------------------------- variants made from the real page


def _forms():
    """scripts/published_forms.py: the forms made of the real pages (tab copy, one node a line, ...)."""
    import importlib.util
    import sys

    if "published_forms" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "published_forms", Path(__file__).resolve().parent.parent / "scripts" / "published_forms.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules["published_forms"] = module
    return sys.modules["published_forms"]


tab_copy = _forms().tab_copy


@pytest.mark.parametrize("name", ["shanghai-2019", "pingtan-2019", "pingtan-2020", "shuyang-fgj-2023"])
def test_tab_separated_copy_with_caption_lines_blank_rows_and_nbsp(tmp_path, name):
    path = tmp_path / "copy.txt"
    path.write_text(tab_copy((HERE / f"{name}.html").read_text(encoding="utf-8")), encoding="utf-8")
    got = compare(name, path)
    assert got["wrong"] == [] and got["not_found"] == [] and got["invented"] == [], got


def test_space_separated_copy(tmp_path):
    text = (HERE / "lg-2024.txt").read_text(encoding="utf-8")
    text = re.sub(r" \| ?", "   ", text)  # the same rows, cells separated by runs of spaces
    path = tmp_path / "spaces.txt"
    path.write_text(text, encoding="utf-8")
    report = extract(path)
    got = compare("lg-2024", path, report)
    # the store cut the text inside "7.属于行政执法案卷" (six of its seven cells): spaced, a short row cannot be
    # told from one whose blank cell left no trace, so it is 无法核对 and none of it is read
    assert got["wrong"] == [] and got["invented"] == [], got
    assert sorted(got["not_found"]) == sorted(n for n in expected_cells(hand_reading("lg-2024")) if n.startswith("T3_denied_7_"))
    unsure = [f for f in report.findings if f.rule == "pub-row-unchecked"]
    assert len(unsure) == 1 and "7.属于行政执法案卷" in unsure[0].message


CMS_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>2019年上海市人民政府办公厅政府信息公开工作年度报告_政府信息公开年报_中国上海</title>
<meta name="SiteName" content="中国上海"><meta name="ArticleTitle" content="2019年上海市人民政府办公厅政府信息公开工作年度报告">
<meta name="PubDate" content="{pubdate}"><meta name="ContentSource" content="上海市人民政府办公厅"></head><body>
<div class="nav"><ul><li><a href="#">首页</a></li><li><a href="#">政府工作报告</a></li><li><a href="#">2019年政府工作报告</a></li></ul></div>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>
<div class="article">{body}</div>
<div class="footer"><p>主办单位：上海市人民政府办公厅</p><p>网站标识码3100000001 沪ICP备05013367号</p></div>
<p>【打印本页】【关闭窗口】</p></body></html>"""


def _article() -> str:
    html = (HERE / "shanghai-2019.html").read_text(encoding="utf-8")
    body = html.split("<body>", 1)[1].split("</body>", 1)[0]
    return body.replace("<p style='text-align: center;font-weight: bold;'>2019年上海市人民政府办公厅政府信息公开工作年度报告</p>", "")


def test_identity_from_the_page_tags_and_no_navigation_or_footer(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(CMS_PAGE.format(pubdate="2020-01-31 10:00", body=_article()), encoding="utf-8")
    report = extract(path)
    assert (report.year, report.agency, report.form) == (2019, "上海市人民政府办公厅", "gov-2019")
    assert report.published["date"] == "2020-01-31"
    assert report.data["text"]["part6"] == "无。"  # the footer did not join part 六
    assert not [f for f in report.findings if f.rule in ("pub-year-unknown", "pub-agency-unknown")]
    got = compare("shanghai-2019", path, report)
    assert got["wrong"] == [] and got["not_found"] == [], got


def test_unknown_year_is_an_error_never_a_pass(tmp_path):
    path = tmp_path / "page.html"
    page = CMS_PAGE.format(pubdate="2020-01-31", body=_article())
    page = re.sub(r"<title>.*?</title>", "<title>中国上海</title>", page)
    page = page.replace('<meta name="ArticleTitle" content="2019年上海市人民政府办公厅政府信息公开工作年度报告">', "")
    path.write_text(page, encoding="utf-8")
    report = extract(path)
    assert report.year is None and "pub-year-unknown" in {f.rule for f in report.errors}


@pytest.mark.parametrize("pubdate,kind_rule", [("2020-04-15", "警告"), ("2020-02-20", None)])
def test_publication_date_against_the_deadline_of_the_kind(tmp_path, pubdate, kind_rule):
    path = tmp_path / "page.html"
    path.write_text(CMS_PAGE.format(pubdate=pubdate, body=_article()), encoding="utf-8")
    report = extract(path)
    late = [f for f in report.findings if f.rule == "pub-published-late"]
    assert report.published["kind"] == "县级以上地方人民政府"  # 3月31日
    assert [f.severity.value for f in late] == ([kind_rule] if kind_rule else [])
    # a department's deadline is 1月31日: 2020-02-20 is late for it
    dept = tmp_path / "dept.html"
    dept.write_text(CMS_PAGE.format(pubdate=pubdate, body=_article()).replace("上海市人民政府办公厅", "上海市财政局"),
                    encoding="utf-8")
    assert "pub-published-late" in {f.rule for f in extract(dept).findings}


def test_money_with_more_decimals_is_read_with_a_hint(tmp_path):
    text = (HERE / "lg-2024.txt").read_text(encoding="utf-8").replace("行政事业性收费 | 0 |", "行政事业性收费 | 4166.2416193 |")
    path = tmp_path / "fees.txt"
    path.write_text(text, encoding="utf-8")
    report = extract(path)
    assert report.data["table2"]["art20_8"]["fees"]["amount"] == 4166.2416193
    hint = [f for f in report.findings if f.rule == "pub-cell-precision"]
    assert hint and hint[0].severity.value == "提示" and hint[0].row_label == "行政事业性收费"
    assert "pub-cell-not-number" not in {f.rule for f in report.findings}


def test_a_unit_that_does_not_fit_the_column_is_an_error(tmp_path):
    text = (HERE / "lg-2024.txt").read_text(encoding="utf-8").replace("行政事业性收费 | 0 |", "行政事业性收费 | 12元 |")
    path = tmp_path / "unit.txt"
    path.write_text(text, encoding="utf-8")
    found = [f for f in extract(path).findings if f.rule == "pub-cell-not-number"]
    assert found and found[0].severity.value == "错误" and "万元" in found[0].message


def test_a_scanned_pdf_gets_a_clear_message(tmp_path, capsys):
    from govinfo_xlsx.cli import main

    assert main(["extract", str(HERE / "scanned-page.pdf")]) == 2
    assert "没有文字层" in capsys.readouterr().err


if __name__ == "__main__":  # the tally for the note
    totals = {"correct": 0, "wrong": 0, "not_found": 0, "invented": 0, "defects": 0, "defects_found": 0, "false": 0}
    for name, file in CASES:
        got = compare(name, HERE / file, read(file))
        report = read(file)
        exp = hand_reading(name)
        found = sum(bool([f for f in report.findings if f.rule == d["rule"]
                          and ("actual" not in d or f.actual == d["actual"])
                          and ("sheet" not in d or f.sheet == d["sheet"])]) for d in exp["defects"])
        false = len(false_findings(exp, report)) if exp.get("complete") else 0
        totals["defects"] += len(exp["defects"])
        totals["defects_found"] += found
        totals["false"] += false
        in_source = len(expected_cells(exp))
        print(f"{file:36} in source {in_source:4}  correct {len([n for n in got['correct'] if n in expected_cells(exp)]):4}"
              f"  wrong {len(got['wrong']):3}  not found {len(got['not_found']):3}  defects {found}/{len(exp['defects'])}"
              f"  false {false}  verdict {'通过' if report.ok else '未通过'}")
        for k in ("correct", "wrong", "not_found", "invented"):
            totals[k] += len(got[k]) if k != "correct" else len([n for n in got["correct"] if n in expected_cells(exp)])
    print(totals)


def test_rows_rebuilt_from_an_archive_that_left_out_repeated_lines():
    """putian-yjj-2019: the 莆田 archive's text drops every line equal to the one before it; each of its
    表三 rows is one "0" or lines that allow one placement only, so the rows are rebuilt without the sums
    (``pub-cells-rebuilt``, 提示), equal to the hand reading (tests/test_published_collapsed.py has more)."""
    report = read("putian-yjj-2019.txt")
    hand = json.loads((EXPECTED / "putian-yjj-2019.json").read_text(encoding="utf-8"))
    rebuilt = [f for f in report.findings if f.rule == "pub-cells-rebuilt"]
    assert {f.sheet for f in rebuilt} == {"表三", "表四"} and all(f.severity.value == "提示" for f in rebuilt)
    assert all("合计关系" not in f.message for f in rebuilt)  # no row needed the sums: they stay checks
    assert report.data["table3"]["new"] == dict(zip(hand["table3"]["columns"], hand["table3"]["new"]))

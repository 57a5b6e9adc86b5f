"""extract: published reports back into data, with their defects found."""

from __future__ import annotations

from pathlib import Path

import pytest
from fill import consistent_values, fill

from govinfo_xlsx.cli import main
from govinfo_xlsx.examples import EXAMPLE_XLSX
from govinfo_xlsx.extract.run import extract
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.checks.ingest import ingest
from govinfo_xlsx.forms.data import flat_values
from govinfo_xlsx.report.context import build_context
from govinfo_xlsx.report.docx import render_docx
from govinfo_xlsx.report.render import render_html, render_markdown
from govinfo_xlsx.template.writer import write_template

YONGKANG = Path(__file__).parent / "fixtures" / "published" / "yongkang-2020.txt"
RENDERERS = {"html": render_html, "docx": render_docx, "md": render_markdown}


@pytest.fixture(scope="module", params=[2020, 2026], ids=["gov-2019", "gov-2021"])
def source(request, tmp_path_factory):
    year = request.param
    form = form_for_year(year)
    d = tmp_path_factory.mktemp(f"src{year}")
    v = consistent_values(form, year)
    for f in form.text_fields:
        topic = f.label[3:] if f.label.startswith("（") else f.label
        v[f"TEXT_{f.key}"] = f"在{topic}方面，本年度开展了多项工作，取得了明显成效，今后将继续加强。"
    v["TEXT_part5"] = "存在的问题主要是公开的及时性有待提高。\n下一步将完善发布审核机制。"
    report = ingest(fill(write_template(form, year, d / "t.xlsx"), v, d / "f.xlsx"))
    return report, build_context(report), d


@pytest.mark.parametrize("fmt", ["html", "docx", "md"])
def test_round_trip_of_our_own_reports(source, fmt):
    report, context, d = source
    path = d / f"report.{fmt}"
    path.write_bytes(RENDERERS[fmt](context))
    got = extract(path)
    assert got.form == report.form and got.year == report.year and got.agency == report.agency
    form = form_for_year(report.year)
    assert flat_values(form, got.data) == flat_values(form, report.data)
    assert got.data["info"]["date"] == report.data["info"]["date"]
    for key in ("address", "postcode", "phone", "website", "contact_dept"):
        assert got.data["info"][key] == report.data["info"][key], key
    for key, text in report.data["text"].items():
        if key != "part1_request":  # the report adds the computed 依申请公开 paragraph
            assert got.data["text"][key] == text, key
    assert got.findings == [], [f.to_dict() for f in got.findings]


def test_the_bundled_example_round_trips_too(tmp_path):
    report = ingest(EXAMPLE_XLSX)
    path = tmp_path / "example.html"
    path.write_bytes(render_html(build_context(report)))
    got = extract(path)
    form = form_for_year(2020)
    assert flat_values(form, got.data) == flat_values(form, report.data)


def test_the_real_2020_report(tmp_path):
    got = extract(YONGKANG)
    assert (got.form, got.year, got.agency) == ("gov-2019", 2020, "永康市行政服务中心")
    d = got.data
    assert d["table2"]["art20_9"]["procurement"] == {"projects": 2, "amount": 1828582}
    assert d["table2"]["art20_1"]["rules"]["made"] == 0
    assert d["table3"]["new"]["natural"] is None and d["table3"]["new"]["total"] == 0  # blank stays blank
    assert all(v is None for g in d["table4"].values() for v in g.values())  # never invented
    assert d["info"]["date"] == "2021-01-22" and d["info"]["postcode"] == "321300"
    found = {(f.rule, f.cell) for f in got.findings}
    assert ("pub-part-numbering", "第12段") in found  # "5、" for "五、"
    assert ("pub-table-empty", "第11段") in found  # part 四 has no table
    assert ("pub-cell-normalized", "第1个表格第18行") in found  # 1828582元: read, with a warning
    unit = next(f for f in got.findings if f.rule == "pub-cell-normalized")
    assert unit.severity.value == "警告" and unit.actual == "1828582元" and unit.expected == 1828582
    assert "pub-cell-not-number" not in {f.rule for f in got.findings}
    assert ("pub-stray-markup", "第1个表格第18行") in found
    assert any(f.rule == "pub-cell-blank" and f.actual == 126 for f in got.findings)
    assert d["text"]["part5"].startswith("行政服务中心政府信息公开工作虽已较好地落实")
    assert d["text"]["part1_supervision"].startswith("加强组织领导")
    out = tmp_path / "yk.xlsx"
    assert main(["extract", str(YONGKANG), "-o", str(out)]) == 1
    assert ingest(out).data["table2"]["art20_9"]["procurement"]["amount"] == 1828582


def _text_report(tables: str, year: int = 2021, heading5: str = "五、存在的主要问题及改进情况",
                 prose: str = "") -> str:
    return "\n".join([
        "某市某局", f"{year}年政府信息公开工作年度报告", "本报告根据条例编制。",
        "一、总体情况", f"本年度工作情况。{prose}", "二、主动公开政府信息情况", tables,
        "三、收到和处理政府信息公开申请情况", "{T3}", "四、政府信息公开行政复议、行政诉讼情况", "{T4}",
        heading5, "问题和改进。", "六、其他需要报告的事项", "无。", "某市某局", f"{year + 1}年1月20日",
    ])


def _t3_rows(form, sep: str, value=1) -> list[str]:
    rows = []
    for r in form.table3.data_rows():
        n = {"total": len(form.table3.result_rows()) * value, "new": 0}.get(r.key, value)
        if r.key == "carried_over":
            n = len(form.table3.result_rows()) * value + value
        cells = [r.label] + [str(n)] * 6 + [str(n * 6)]
        rows.append(sep.join(cells))
    return rows


T2_2021 = "\t第二十条第（一）项\n\n\t信息内容\n\t本年制发件数\n\t本年废止件数\n\t现行有效件数\n\n\t规章\n\t1\n\t0\n\t5\n\n"
T4 = "\t".join(["行政复议"] * 5 + ["行政诉讼"] * 10) + "\n" + "\t".join(["1", "0", "0", "0", "1"] + ["0"] * 10)


@pytest.mark.parametrize("sep", ["tab", "flat"])
def test_hand_made_text_layouts(tmp_path, sep):
    form = form_for_year(2021)
    rows = _t3_rows(form, "\t")
    t3 = "\n".join(rows) if sep == "tab" else "\n\n".join("\n".join("\t" + c for c in r.split("\t")) for r in rows)
    text = _text_report(T2_2021).replace("{T3}", t3).replace("{T4}", T4)
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    got = extract(path)
    assert got.form == "gov-2021" and got.year == 2021
    assert got.data["table2"]["art20_1"]["rules"] == {"issued": 1, "repealed": 0, "in_force": 5}
    assert got.data["table3"]["granted"]["legal"] == 1 and got.data["table3"]["other_3"]["total"] == 6
    assert got.data["table4"]["review"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    rules = {f.rule for f in got.findings}
    assert "t3-balance-natural" not in rules and "pub-part-missing" not in rules


def test_local_heading_wording_is_accepted(tmp_path):
    form = form_for_year(2021)
    text = _text_report(T2_2021, heading5="五、政府信息公开工作存在的主要问题及改进情况").replace(
        "{T3}", "\n".join(_t3_rows(form, "\t"))).replace("{T4}", T4)
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    assert not {"pub-part-missing", "pub-part-numbering"} & {f.rule for f in extract(path).findings}


def test_a_2021_report_with_the_2019_tables(tmp_path):
    form19 = form_for_year(2020)
    t2 = "\t第二十条第（九）项\n\n\t信息内容\n\t采购项目数量\n\t采购总金额\n\n\t政府集中采购\n\t2\n\t100\n\n"
    text = _text_report(t2, year=2021).replace("{T3}", "\n".join(_t3_rows(form19, "\t"))).replace("{T4}", T4)
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    got = extract(path)
    assert got.form == "gov-2019"
    assert [f.rule for f in got.errors][:1] == ["pub-wrong-format"]
    assert main(["extract", str(path), "-o", str(tmp_path / "x.xlsx")]) == 2


def test_html_tables_with_rowspan_and_colspan(tmp_path):
    form = form_for_year(2021)
    span = '<th rowspan="22">三、本年度办理结果</th>'
    t3 = "".join(
        "<tr>" + (span if r.key == "granted" else "") + f"<th>{r.label}</th>" + "<td>1</td>" * 6 + "<td>6</td></tr>"
        for r in form.table3.data_rows() if r.key not in ("new", "carried_over", "total", "carry_forward")
    )
    html = ("<html><body><p>某市某局2021年政府信息公开工作年度报告</p><h2>一、总体情况</h2><p>情况。</p>"
            "<h2>二、主动公开政府信息情况</h2><table><tr><td colspan=\"4\">第二十条第（一）项</td></tr>"
            "<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"
            "<tr><td>规章</td><td>1</td><td>0</td><td>5</td></tr></table>"
            "<h2>三、收到和处理政府信息公开申请情况</h2><table><tr><th colspan=\"3\" rowspan=\"3\">"
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</th><th colspan=\"7\">申请人情况</th></tr>"
            f"<tr><th colspan=\"3\">一、本年新收政府信息公开申请数量</th>{'<td>21</td>' * 6}<td>126</td></tr>"
            f"{t3}</table><h2>四、政府信息公开行政复议、行政诉讼情况</h2><h2>五、存在的主要问题及改进情况</h2>"
            "<p>问题。</p><h2>六、其他需要报告的事项</h2><p>无。</p></body></html>")
    path = tmp_path / "r.html"
    path.write_text(html, encoding="utf-8")
    got = extract(path)
    assert got.data["table3"]["granted"]["natural"] == 1 and got.data["table3"]["new"]["total"] == 126
    assert got.data["table3"]["carry_forward"]["natural"] is None  # a row that is not there stays None
    assert {"pub-table-empty"} <= {f.rule for f in got.findings}


def test_prose_that_contradicts_the_tables(tmp_path):
    form = form_for_year(2021)
    rows = _t3_rows(form, "\t")
    prose = "本年度新收政府信息公开申请5件。办理结果中，予以公开10件，占60%，部分公开3件，占30%。被申请行政复议2件。"
    text = _text_report(T2_2021, prose=prose).replace("{T3}", "\n".join(rows)).replace("{T4}", T4)
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    got = extract(path)
    prose_findings = [f for f in got.findings if f.rule.startswith("pub-prose")]
    said = {(f.rule, f.actual) for f in prose_findings}
    assert ("pub-prose-number", 5) in said  # new: table says 0
    assert ("pub-prose-number", 10) in said  # granted: table says 6
    assert ("pub-prose-number", 2) in said  # 复议: table says 1
    assert ("pub-prose-percent", 90.0) in said
    assert all(f.cell == "第5段" for f in prose_findings)


@pytest.mark.parametrize("content,suffix,words", [
    (b"%PDF-1.4 scanned", ".pdf", "PDF"),
    ("一份会议纪要，没有任何表格。".encode(), ".txt", "不像是政府信息公开工作年度报告"),
    (b"\x00\x01\x02binary", ".bin", "无法读取"),
])
def test_not_a_report_exits_2(tmp_path, capsys, content, suffix, words):
    path = tmp_path / f"x{suffix}"
    path.write_bytes(content)
    assert main(["extract", str(path)]) == 2
    assert words in capsys.readouterr().err


def test_parts_missing_out_of_order_and_empty(tmp_path):
    form = form_for_year(2021)
    text = _text_report(T2_2021).replace("{T3}", "\n".join(_t3_rows(form, "\t"))).replace("{T4}", T4)
    text = text.replace("六、其他需要报告的事项\n无。\n", "")
    text = text.replace("五、存在的主要问题及改进情况\n问题和改进。\n", "")
    text = text.replace("二、主动公开政府信息情况", "五、存在的主要问题及改进情况\n二、主动公开政府信息情况")
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    found = {f.rule: f for f in extract(path).findings}
    assert found["pub-part-missing"].expected == "六"
    assert found["pub-part-order"].actual == "一五二三四"
    assert found["pub-part-empty"].sheet == "第五部分"


def test_every_published_rule_has_a_test():
    from pathlib import Path

    from govinfo_xlsx.checks.catalogue import PUBLISHED_RULES

    here = Path(__file__).parent
    files = ("test_extract.py", "test_published.py", "test_published_variants.py")
    source = "".join((here / f).read_text(encoding="utf-8") for f in files)
    assert [r.id for r in PUBLISHED_RULES if f'"{r.id}"' not in source] == []


def _with_page(pdf: Path, extra: bytes) -> bytes:
    """``pdf`` with the pages of ``extra`` appended (pdfium, which pdfplumber already installs)."""
    import io

    import pypdfium2 as pdfium

    out = pdfium.PdfDocument(pdf.read_bytes())
    out.import_pages(pdfium.PdfDocument(extra))
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def test_a_page_too_full_of_rules_is_read_as_text_and_said_unchecked():
    from hostile import ruled_pdf

    pdf = Path(__file__).parent / "fixtures" / "published" / "hongze-2024.pdf"
    plain = extract(pdf)
    report = extract("hongze-2024+rules.pdf", data=_with_page(pdf, ruled_pdf(40)))
    hits = [f for f in report.findings if f.rule == "pub-page-unchecked"]
    assert [(f.cell, f.severity.value) for f in hits] == [("第6页", "提示")]
    assert [u["where"] for u in report.published["unchecked"] if u["section"] == "PDF"] == ["第6页"]
    assert report.published["cells"] == plain.published["cells"]  # the tables of the other pages are read


def test_tables_on_pages_not_searched_are_unchecked_not_missing(monkeypatch):
    from govinfo_xlsx.extract import document

    monkeypatch.setattr(document, "MAX_TABLE_CROSSINGS", 100)  # every table page of hongze-2024 is over it
    report = extract(Path(__file__).parent / "fixtures" / "published" / "hongze-2024.pdf")
    assert sorted(f.sheet for f in report.findings if f.rule == "pub-table-unchecked") == sorted(["表二", "表三", "表四"])
    assert [f.rule for f in report.findings if f.rule in ("pub-table-missing", "pub-table-empty")] == []
    assert report.verdict == "无法完整核对"
    assert [f.rule for f in report.findings if f.severity.value == "错误"] == []  # unchecked, not wrong
    assert any(f.rule == "pub-page-unchecked" for f in report.findings)

"""The report context, HTML and Markdown: content from the data, official tables, drafts."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fill import consistent_values, fill

from govinfo_xlsx.cli import main
from govinfo_xlsx.examples import EXAMPLE_XLSX
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.checks.ingest import ingest
from govinfo_xlsx.report.context import build_context, request_paragraph
from govinfo_xlsx.report.render import render_html, render_markdown
from govinfo_xlsx.template.writer import write_template


@pytest.fixture(scope="module")
def example():
    return build_context(ingest(EXAMPLE_XLSX))


@pytest.fixture(scope="module")
def filled_2021(tmp_path_factory):
    d = tmp_path_factory.mktemp("r21")
    form = form_for_year(2026)
    template = write_template(form, 2026, d / "t.xlsx")
    good = fill(template, consistent_values(form, 2026), d / "good.xlsx")
    v = consistent_values(form, 2026)
    v["T3_new_natural"] += 2
    bad = fill(template, v, d / "bad.xlsx")
    return good, bad


class Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.cells, self.srcs, self.headings = [], [], [], []
        self._tag = None

    def handle_starttag(self, tag, attrs):
        if tag == "wbr":  # a line-break opportunity inside a label: the cell's text goes on
            return
        a = dict(attrs)
        self._tag = tag
        if tag == "table":
            self.tables.append([])
        if tag in ("td", "th"):
            self.tables[-1].append((tag, a, ""))
        for key in ("src", "href"):
            if key in a:
                self.srcs.append(a[key])
        if tag == "link":
            self.srcs.append(a.get("href"))

    def handle_data(self, data):
        if self._tag in ("td", "th") and self.tables and data.strip():
            tag, a, text = self.tables[-1][-1]
            self.tables[-1][-1] = (tag, a, text + data.strip())
        if self._tag in ("h1", "h2", "h3") and data.strip():
            self.headings.append((self._tag, data.strip()))

    def handle_endtag(self, tag):
        self._tag = None


def test_example_headings_in_order(example):
    md = render_markdown(example).decode()
    heads = re.findall(r"^(#{1,3}) (.+)$", md, re.M)
    assert heads[0] == ("#", "永康市行政服务中心2020年政府信息公开工作年度报告")
    assert [h for lvl, h in heads if lvl == "##"] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert [h for lvl, h in heads if lvl == "###"] == [
        "（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）政府信息公开平台建设", "（五）监督保障"]
    assert md.rstrip().endswith("永康市行政服务中心\n\n2021年1月22日")
    assert "5、" not in md and "_GoBack" not in md and "1828582元" not in md


def test_example_opening_names_basis_period_and_contact(example):
    o = example["opening"]
    for words in ("《中华人民共和国政府信息公开条例》", "国办公开办函〔2019〕60号", "2020年1月1日至2020年12月31日",
                  "永康市金城路21号", "321300", "87101608", "六个部分"):
        assert words in o


def test_html_is_self_contained_with_merged_official_tables(example):
    html = render_html(example).decode()
    p = Tables()
    p.feed(html)
    assert p.srcs == [] and "<script" not in html and 'lang="zh-CN"' in html
    assert len(p.tables) == 3
    t3 = p.tables[1]
    note = next(c for c in t3 if c[2].startswith("（本列数据的勾稽关系为"))
    assert note[1].get("rowspan") == "3" and note[1].get("colspan") == "3"
    result = next(c for c in t3 if c[2] == "三、本年度办理结果")
    assert result[1].get("rowspan") == "20" and result[1].get("scope") == "row"
    tds = [c for t in p.tables for c in t if c[0] == "td"]
    assert len(tds) == 22 + 23 * 7 + 15
    assert all(re.fullmatch(r"\d+(\.\d+)?", c[2]) for c in tds), [c for c in tds if not c[2].isdigit()][:3]
    assert ("h1", "永康市行政服务中心2020年政府信息公开工作年度报告") in p.headings


def test_request_paragraph_is_computed_from_the_tables(filled_2021):
    good, _ = filled_2021
    report = ingest(good)
    d = report.data
    text = request_paragraph(form_for_year(2026), d)
    t3 = d["table3"]
    assert f"新收政府信息公开申请{t3['new']['total']}件" in text
    assert f"上年结转{t3['carried_over']['total']}件" in text
    assert f"办结{t3['total']['total']}件" in text
    assert f"予以公开{t3['granted']['total']}件，占{t3['granted']['total'] / t3['total']['total'] * 100:.1f}%" in text
    assert f"部分公开{t3['partial']['total']}件" in text
    assert f"结转下年度继续办理{t3['carry_forward']['total']}件" in text
    assert f"被申请行政复议{d['table4']['review']['total']}件" in text
    suits = d["table4"]["suit_direct"]["total"] + d["table4"]["suit_after_review"]["total"]
    assert f"提起行政诉讼{suits}件" in text
    shares = [float(x) for x in re.findall(r"占([\d.]+)%", text)]
    assert abs(sum(shares) - 100) < 0.5


def test_clerk_text_is_kept_when_long_enough(filled_2021):
    good, _ = filled_2021
    ctx = build_context(ingest(good))
    sub = ctx["parts"][0]["subsections"][1]
    assert sub["title"] == "（二）依申请公开" and sub["generated"]  # the fixture's text is short
    assert sub["paragraphs"][0].startswith("（二）依申请公开：本年度情况说明")


def test_draft_banner_and_exit_code(filled_2021, tmp_path, capsys):
    good, bad = filled_2021
    assert main(["ingest", str(bad), "-o", str(tmp_path / "bad"), "--format", "md,html"]) == 1
    md = next((tmp_path / "bad").glob("*.md")).read_text(encoding="utf-8")
    html = next((tmp_path / "bad").glob("*.html")).read_text(encoding="utf-8")
    assert md.startswith("> **草稿：未通过校验，不得发布**") and "[t3-balance-natural]" in md
    assert 'role="alert"' in html and "草稿：未通过校验，不得发布" in html
    assert sorted(p.suffix for p in (tmp_path / "bad").iterdir()) == [".html", ".json", ".md"]
    assert main(["ingest", str(good), "-o", str(tmp_path / "good"), "--format", "md"]) == 0
    assert "草稿" not in next((tmp_path / "good").glob("*.md")).read_text(encoding="utf-8")


def test_format_needs_output_and_known_names(filled_2021, tmp_path, capsys):
    good, _ = filled_2021
    assert main(["ingest", str(good), "--format", "md"]) == 2
    assert main(["ingest", str(good), "-o", str(tmp_path), "--format", "pdf"]) == 2
    err = capsys.readouterr().err
    assert "-o" in err and "pdf" in err


def test_markdown_table3_reads_well_when_rendered(example):
    """表三 in Markdown: the applicant columns as its one header row, each group label once on a
    row of its own, its rows set in under it, the 勾稽 note under the table (not as a header)."""
    import shutil
    import subprocess

    md = render_markdown(example).decode()
    part = md.split("## 三、")[1].split("## 四、")[0]
    rows = [line for line in part.splitlines() if line.startswith("|")]
    assert rows[0].split("|")[2:-1] == [" 自然人 ", " 商业企业 ", " 科研机构 ", " 社会公益组织 ", " 法律服务机构 ",
                                        " 其他 ", " 总计 "]
    assert "勾稽" not in rows[0] and "注：本列数据的勾稽关系为" in part.split(rows[-1])[1]
    assert part.count("三、本年度办理结果") == 1 and part.count("（三）不予公开") == 1
    assert "| 　　1.属于国家秘密 |" in part and "| 　**（三）不予公开** |" in part
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        return  # the rendering check needs pandoc (optional)
    html = subprocess.run([pandoc, "-f", "gfm", "-t", "html"], input=part, capture_output=True, text=True,
                          check=True).stdout
    parsed = Tables()
    parsed.feed(html)
    [table] = parsed.tables
    header = [text for tag, _, text in table if tag == "th"]
    assert header[1:] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert "<strong>（三）不予公开</strong>" in html and "<strong>三、本年度办理结果</strong>" in html

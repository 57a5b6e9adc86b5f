"""collect: a coordinating office checks a batch of submissions."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from fill import consistent_values, fill

from govinfo_xlsx.cli import main
from govinfo_xlsx.collect.run import collect
from govinfo_xlsx.collect.summary import build_summary
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.template.writer import write_template

FORM = form_for_year(2026)


class GbkInfo(zipfile.ZipInfo):
    """A zip member named in GBK without the UTF-8 flag, as Chinese Windows writes them."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits


def agency_values(name: str, k: int) -> dict:
    v = consistent_values(FORM, 2026)
    v["INFO_agency"] = name
    for key in ("T4_review_upheld", "T2_art20_1_rules_issued", "T2_art20_1_rules_in_force"):
        v[key] += k
    v["T3_granted_natural"] += k
    v["T3_new_natural"] += k
    return v


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    d = tmp_path_factory.mktemp("batch")
    inbox = d / "收件箱"
    (inbox / "子目录").mkdir(parents=True)
    template = write_template(FORM, 2026, d / "template.xlsx")
    good = {}
    for k, name in enumerate(["甲局", "乙局", "丙局"]):
        good[name] = agency_values(name, k)
        fill(template, good[name], inbox / f"{name}.xlsx")
    late = agency_values("丁局", 5)
    late["INFO_date"] = dt.datetime(2027, 3, 1)
    good["丁局"] = late
    fill(template, late, inbox / "子目录" / "丁局（迟报）.xlsx")
    bad = agency_values("戊局", 1)
    bad["T3_new_legal"] += 3
    fill(template, bad, inbox / "戊局.xlsx")
    (inbox / "甲局-重复.xlsx").write_bytes((inbox / "甲局.xlsx").read_bytes())
    fill(template, agency_values("名单外局", 2), inbox / "名单外局.xlsx")
    (inbox / "损坏.xlsx").write_bytes((inbox / "甲局.xlsx").read_bytes()[:3000])
    (inbox / "说明.docx").write_bytes(b"PK\x03\x04 not really")
    (inbox / "~$甲局.xlsx").write_bytes(b"lock file")
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(inbox / "别的表.xlsx"))
    wb.add_worksheet().write("A1", "收支")
    wb.close()
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        v = agency_values("己局", 3)
        good["己局"] = v
        z.writestr(GbkInfo("报送材料/己局年报.xlsx"), fill(template, v, d / "x.xlsx").read_bytes())
    (inbox / "邮件附件.zip").write_bytes(zbuf.getvalue())
    roster = d / "名单.csv"
    roster.write_bytes("机关名称\n甲局\n乙局\n丙局\n丁局\n戊局\n己局\n庚局\n".encode("gbk"))
    return {"dir": d, "inbox": inbox, "roster": roster, "good": good}


@pytest.fixture(scope="module")
def result(batch):
    with collect([str(batch["inbox"])], roster=str(batch["roster"]), year=2026, jobs=1) as col:
        yield col


def _row(result, agency):
    return [r for r in result.rows() if r["agency"] == agency]


def test_roster_order_and_statuses(result):
    agencies = [r["agency"] for r in result.rows()]
    assert agencies[:9] == ["甲局", "甲局", "乙局", "丙局", "丁局", "戊局", "己局", "庚局", "名单外局"]
    status = {r["agency"]: r["status"] for r in result.rows() if r["agency"]}
    assert status["乙局"] == "通过"
    assert status["戊局"] == "有错误" and status["庚局"] == "未报送"
    assert _row(result, "丁局")[0]["status"] in ("仅警告", "通过") and "逾期" in _row(result, "丁局")[0]["notes"]
    first, second = _row(result, "甲局")  # 甲局-重复.xlsx (written last: the submission), then 甲局.xlsx
    assert first["status"] == "通过" and "重新报送：以本份为准，替换了较早的1份" in first["notes"]
    assert second["status"] == "已替换" and "共报送了2份文件" in second["notes"] and "改动0处" in second["notes"]
    assert "内容完全相同" in second["notes"] and "内容完全相同" not in first["notes"]
    assert "不在名单中" in _row(result, "名单外局")[0]["notes"]
    unreadable = [r for r in result.rows() if r["status"] == "无法读取"]
    assert sorted(Path(r["file"]).name for r in unreadable) == sorted(["损坏.xlsx", "别的表.xlsx", "说明.docx"])
    assert list(result.rows())[-3:] == unreadable
    assert not any("~$" in r["file"] for r in result.rows())


def test_zip_member_names_in_gbk_are_decoded(result):
    row = _row(result, "己局")[0]
    assert row["file"].endswith("邮件附件.zip!报送材料/己局年报.xlsx") and row["status"] == "通过"


def test_findings_and_rule_statistics(result):
    rules = {(f["agency"], f["rule"]) for f in result.findings()}
    assert ("戊局", "t3-balance-legal") in rules and ("甲局", "collect-duplicate-file") in rules
    assert ("名单外局", "collect-not-in-roster") in rules and ("甲局", "collect-duplicate-agency") in rules
    stats = {s["rule"]: s["files"] for s in result.rule_stats()}
    assert stats["collect-unreadable"] == 3 and stats["t3-balance-legal"] == 1
    assert stats["collect-duplicate-agency"] == 1  # the replaced file only


def test_totals_equal_the_sum_of_the_error_free_inputs(result, batch):
    totals = result.totals["gov-2021"]
    ok = [r for r in result.rows() if r["status"] in ("通过", "仅警告")]
    assert len(ok) == 6  # 甲局 (its other file, the same bytes, is replaced), 乙 丙 丁 己, 名单外局
    # the identical copy is counted once; 名单外局 is shown but, outside the roster, not summed (issue 21)
    assert totals["count"] == 5 and totals["agencies_twice"] == 0
    from govinfo_xlsx.forms.data import with_totals

    expected = {}
    counted = ["甲局", "乙局", "丙局", "丁局", "己局"]
    names = [c.name for c in FORM.cells() if c.sheet.startswith("table")]
    for agency in counted:
        full = with_totals(FORM, batch["good"][agency])
        for n in names:
            expected[n] = expected.get(n, 0) + full[n]
    for n in names:
        assert totals["values"][n] == pytest.approx(expected[n]), n


def test_summary_workbook(result, tmp_path):
    path = tmp_path / "汇总.xlsx"
    path.write_bytes(build_summary(result))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["报送情况", "问题清单", "汇总", "重新报送", "规则统计", "图表"]
    rows = list(wb["报送情况"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows[:3]] == ["甲局", "甲局", "乙局"] and len(rows) == len(list(result.rows()))
    assert wb["报送情况"].auto_filter.ref and wb["报送情况"].conditional_formatting
    texts = {c.value for row in wb["汇总"].iter_rows() for c in row if isinstance(c.value, str)}
    assert {"申请人情况", "三、本年度办理结果", "行政复议", "第二十条第（一）项"} <= texts
    found = [c for row in wb["汇总"].iter_rows() for c in row if c.value == "一、本年新收政府信息公开申请数量"]
    cell = wb["汇总"].cell(found[0].row, 4)
    assert cell.value == result.totals["gov-2021"]["values"]["T3_new_natural"]


def test_one_and_two_jobs_give_identical_results(batch, result):
    with collect([str(batch["inbox"])], roster=str(batch["roster"]), year=2026, jobs=2) as two:
        assert two.to_dict() == result.to_dict()
        assert build_summary(two) == build_summary(result)


def test_cli_collect(batch, tmp_path, capsys):
    out, js = tmp_path / "s.xlsx", tmp_path / "s.json"
    annotated = tmp_path / "退回"
    code = main(["collect", str(batch["inbox"]), "-o", str(out), "--roster", str(batch["roster"]), "--year", "2026",
                 "--json", str(js), "--annotate-dir", str(annotated), "--no-progress"])
    assert code == 1
    doc = json.loads(js.read_text(encoding="utf-8"))
    assert {"rows", "findings", "totals", "rules"} == set(doc)
    # 戊局 has errors; 丁局's late date is a 警告 with an empty 说明 cell: its clerk must act too (issue 21)
    assert sorted(p.name.split("-")[0] for p in annotated.iterdir()) == ["丁局（迟报）", "戊局"]
    assert "未报送 1" in capsys.readouterr().out
    assert main(["collect", str(batch["dir"] / "nothing"), "-o", str(out)]) == 2
    # a folder that does not exist yet is created (issue 20); one that cannot be is refused
    assert main(["collect", str(batch["inbox"]), "-o", str(tmp_path / "没有的目录" / "s.xlsx")]) == 1
    assert (tmp_path / "没有的目录" / "s.xlsx").is_file()
    assert main(["collect", str(batch["inbox"]), "-o", "/proc/没有的目录/s.xlsx"]) == 2
    assert "无法写入“/proc/没有的目录/s.xlsx”" in capsys.readouterr().err


def test_wrong_year_is_an_error(batch):
    with collect([str(batch["inbox"] / "甲局.xlsx")], year=2025) as col:
        rows, findings = list(col.rows()), list(col.findings())
        assert rows[0]["status"] == "有错误" and "年度" in rows[0]["notes"]
        assert [f["rule"] for f in findings][:1] == ["collect-wrong-year"]
        assert col.totals == {}  # a report of the wrong year is not summed


def test_prior_dir_runs_cross_year_rules(batch, tmp_path):
    last_form = form_for_year(2025)
    prior_dir = tmp_path / "上年"
    prior_dir.mkdir()
    v = consistent_values(last_form, 2025)
    v["INFO_agency"] = "甲局"
    v["T3_carry_forward_natural"] += 4
    v["T3_new_natural"] += 4
    fill(write_template(last_form, 2025, tmp_path / "t25.xlsx"), v, prior_dir / "甲局2025.xlsx")
    with collect([str(batch["inbox"] / "甲局.xlsx")], prior_dir=str(prior_dir)) as col:
        assert "xy-carried-over-natural" in {f["rule"] for f in col.findings()}


def test_collect_rules_are_in_the_catalogue(capsys):
    from govinfo_xlsx.checks.catalogue import COLLECT_RULES

    assert main(["rules"]) == 0
    text = capsys.readouterr().out
    assert all(f"`{r.id}`" in text for r in COLLECT_RULES)
    source = Path(__file__).read_text(encoding="utf-8")
    assert all(f'"{r.id}"' in source for r in COLLECT_RULES)


def test_json_file_equals_the_collection(result, tmp_path):
    path = tmp_path / "结果.json"
    result.write_json(path)
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(json.dumps(result.to_dict(), ensure_ascii=False))


def test_list_sheets_are_streamed_and_the_totals_sheet_is_merged(result, tmp_path):
    """报送情况 and 问题清单 are written row by row (inline strings, nothing in the shared string table
    grows with the batch); 汇总 keeps the statutory tables' merged cells."""
    data = build_summary(result)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [z.read(f"xl/worksheets/sheet{i}.xml").decode("utf-8") for i in range(1, 5)]
        shared = z.read("xl/sharedStrings.xml").decode("utf-8") if "xl/sharedStrings.xml" in z.namelist() else ""
    assert 't="inlineStr"' in sheets[0] and 't="inlineStr"' in sheets[1]
    assert "收件箱" in sheets[0] and "共报送了2份文件" in sheets[1]  # file paths, messages
    assert "收件箱" not in shared and "共报送了2份文件" not in shared
    assert "<mergeCell " in sheets[2] and 't="inlineStr"' not in sheets[2]


def test_a_resubmission_replaces_the_earlier_file_and_shows_the_changed_cells(tmp_path):
    """The newest file of an agency (成文日期, then the file's time) is its submission: only it is summed,
    the earlier ones are 已替换 with the cells that changed."""
    import os

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    template = write_template(FORM, 2026, tmp_path / "t.xlsx")
    first = fill(template, agency_values("甲局", 0), inbox / "甲局.xlsx")
    (inbox / "甲局（副本）.xlsx").write_bytes(first.read_bytes())
    fixed = agency_values("甲局", 4)
    fill(template, fixed, inbox / "甲局（更正）.xlsx")
    for age, name in ((300, "甲局.xlsx"), (200, "甲局（副本）.xlsx"), (100, "甲局（更正）.xlsx")):
        os.utime(inbox / name, (1_800_000_000 - age, 1_800_000_000 - age))
    # a later 成文日期 wins over a later file time
    dated = agency_values("乙局", 1)
    dated["INFO_date"] = dt.datetime(2027, 1, 25)
    fill(template, dated, inbox / "乙局（更正）.xlsx")
    fill(template, agency_values("乙局", 0), inbox / "乙局.xlsx")
    os.utime(inbox / "乙局（更正）.xlsx", (1_700_000_000, 1_700_000_000))
    with collect([str(inbox)]) as col:
        rows = {Path(r["file"]).name: r for r in col.rows()}
        totals = col.totals["gov-2021"]
        assert totals["count"] == 2 and totals["agencies_twice"] == 0
        expected = fixed["T3_new_natural"] + dated["T3_new_natural"]
        assert totals["values"]["T3_new_natural"] == expected
        wb = openpyxl.load_workbook(io.BytesIO(build_summary(col)))
    assert rows["甲局（更正）.xlsx"]["status"] == "通过" and "替换了较早的2份" in rows["甲局（更正）.xlsx"]["notes"]
    assert rows["甲局.xlsx"]["status"] == rows["甲局（副本）.xlsx"]["status"] == "已替换"
    assert rows["乙局（更正）.xlsx"]["status"] == "通过" and rows["乙局.xlsx"]["status"] == "已替换"
    titles = [c.value for row in wb["汇总"].iter_rows(max_col=1) for c in row if c.value]
    assert "年度政府信息公开工作年度报告汇总" in titles[0]  # the round's year first (issue 21)
    assert "2份无错误报告之和" in titles[1] and "多份内容不同" not in titles[1]
    listed = list(wb["重新报送"].iter_rows(min_row=2, values_only=True))
    by_file = {Path(r[1]).name: r for r in listed}
    assert set(by_file) == {"甲局.xlsx", "甲局（副本）.xlsx", "乙局.xlsx"}
    agency, _, date, submission, n, text = by_file["甲局.xlsx"]
    assert agency == "甲局" and Path(submission).name == "甲局（更正）.xlsx" and date == "2027-01-20"
    old, new = agency_values("甲局", 0), fixed
    changed = sorted(k for k in old if old[k] != new[k])
    assert n == len(changed) == 5
    from govinfo_xlsx.template.layout import Layout

    layout = Layout.of(FORM)
    for name in changed:
        sheet, cell = layout.address(name)
        assert f"{sheet}!{cell}" in text and f"{old[name]} → {new[name]}" in text, name
    assert "2027-01-25" in by_file["乙局.xlsx"][5] or "INFO_date" not in by_file["乙局.xlsx"][5]


def test_sources_are_pulled_lazily_with_a_few_files_in_flight(batch):
    """The parallel run never holds the whole batch: it takes the next file only as results come back."""
    from govinfo_xlsx.collect import run
    from govinfo_xlsx.collect.source import Source

    path = str(batch["inbox"] / "乙局.xlsx")
    pulled = []

    def sources():
        for i in range(60):
            pulled.append(i)
            yield Source(f"{path}#{i}", path)

    results = run._parallel(sources(), 2, {"strict_blank": False, "annotate_dir": None, "priors": None})
    first = next(results)
    assert first["agency"] == "乙局" and len(pulled) <= 2 * run.IN_FLIGHT_PER_JOB + 1
    rest = list(results)
    assert len(rest) == 59 and [r["source"] for r in rest] == [f"{path}#{i}" for i in range(1, 60)]


def _crash_on_marked(source):
    import os

    from govinfo_xlsx.collect import worker

    if "崩溃" in source.label:
        os._exit(70)  # what a crash inside a reader or the out-of-memory killer looks like from outside
    return worker.real_check(source)


def test_a_worker_that_dies_costs_one_file_not_the_batch(batch, monkeypatch, tmp_path):
    import multiprocessing

    from govinfo_xlsx.collect import worker

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the crashing worker is injected through fork")
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    for name in ("乙局", "丙局"):
        (inbox / f"{name}.xlsx").write_bytes((batch["inbox"] / f"{name}.xlsx").read_bytes())
    (inbox / "乙局-崩溃.xlsx").write_bytes((batch["inbox"] / "乙局.xlsx").read_bytes())
    monkeypatch.setattr(worker, "real_check", worker.check, raising=False)
    monkeypatch.setattr(worker, "check", _crash_on_marked)
    with collect([str(inbox)], jobs=2) as col:
        rows = list(col.rows())
    assert [Path(r["file"]).name for r in rows] == ["丙局.xlsx", "乙局-崩溃.xlsx", "乙局.xlsx"]
    assert [r["status"] for r in rows] == ["通过", "无法读取", "通过"]
    assert "异常退出" in rows[1]["notes"]


def test_no_query_sorts_the_batch_in_memory(batch, monkeypatch):
    """Memory stays flat because every query over the stored results walks an index: none builds a
    temporary b-tree (a sort, DISTINCT or GROUP BY in memory) whose size grows with the batch."""
    from govinfo_xlsx.collect import store

    statements = []
    init = store.Store.__init__

    def traced(self):
        init(self)
        self.db.set_trace_callback(statements.append)

    monkeypatch.setattr(store.Store, "__init__", traced)
    with collect([str(batch["inbox"])], roster=str(batch["roster"]), year=2026) as col:
        build_summary(col)
        col.to_dict()
        plans = {}
        for sql in {s for s in statements if s.lstrip().upper().startswith("SELECT")}:
            plans[sql] = [r[3] for r in col.store.db.execute("EXPLAIN QUERY PLAN " + sql)]
    assert len(plans) >= 8
    assert {sql: plan for sql, plan in plans.items() if any("TEMP B-TREE" in step for step in plan)} == {}


def test_late_follows_the_kind_and_the_batch_deadline(tmp_path):
    """逾期 by each kind's deadline (a 县人民政府 report dated 3月20日 is on time, a department's is
    late); with --deadline one date for the whole batch, reported as "collect-late"."""
    from govinfo_xlsx.forms.organs import DEPARTMENT, GOVERNMENT

    template = write_template(FORM, 2026, tmp_path / "t.xlsx")
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    for name, kind, date in (("某某县人民政府", GOVERNMENT, (3, 20)), ("财政局", DEPARTMENT, (3, 20)),
                             ("教育局", DEPARTMENT, (1, 25))):
        v = {**agency_values(name, 0), "INFO_kind": kind, "INFO_date": dt.datetime(2027, *date)}
        v["TEXT_part1_supervision"] = "开展工作考核、社会评议，未发生责任追究。"
        fill(template, v, inbox / f"{name}.xlsx")
    with collect([str(inbox)]) as col:
        notes = {r["agency"]: r["notes"] for r in col.rows()}
        assert notes["某某县人民政府"] == "" and notes["教育局"] == ""
        assert notes["财政局"] == "逾期：成文日期2027年3月20日晚于2027年1月31日（县级以上人民政府部门，条例第四十九条）"
        assert "collect-late" not in {f["rule"] for f in col.findings()}
    with collect([str(inbox)], deadline=dt.date(2027, 1, 20)) as col:
        rows = {r["agency"]: r for r in col.rows()}
        assert all(r["notes"].startswith("逾期：") and "本次收集规定的时限" in r["notes"] for r in rows.values())
        assert rows["教育局"]["notes"].count("逾期") == 1 and rows["教育局"]["status"] == "仅警告"
        assert {f["agency"] for f in col.findings() if f["rule"] == "collect-late"} == set(rows)
    out = tmp_path / "汇总.xlsx"
    assert main(["collect", str(inbox), "-o", str(out), "--deadline", "2027年1月20日", "--no-progress"]) == 0
    with pytest.raises(SystemExit):
        main(["collect", str(inbox), "-o", str(out), "--deadline", "2027-02-30"])


def test_a_resubmission_inside_a_zip_is_ordered_by_the_members_time(tmp_path):
    template = write_template(FORM, 2026, tmp_path / "t.xlsx")
    older, newer = agency_values("甲局", 0), agency_values("甲局", 2)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:  # the newer one first in the archive, named to sort first too
        z.writestr(zipfile.ZipInfo("a.xlsx", (2027, 1, 25, 9, 0, 0)), fill(template, newer, tmp_path / "n.xlsx").read_bytes())
        z.writestr(zipfile.ZipInfo("b.xlsx", (2027, 1, 10, 9, 0, 0)), fill(template, older, tmp_path / "o.xlsx").read_bytes())
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "附件.zip").write_bytes(buf.getvalue())
    with collect([str(tmp_path / "in")]) as col:
        status = {r["file"].rsplit("!", 1)[-1]: r["status"] for r in col.rows()}
        assert col.totals["gov-2021"]["values"]["T3_new_natural"] == newer["T3_new_natural"]
    assert status == {"a.xlsx": "通过", "b.xlsx": "已替换"}


def test_annotating_is_inside_the_isolation(batch, tmp_path):
    """A workbook openpyxl cannot load (NaN in a number cell) still gets its row and findings; the failed
    annotated copy is a note ("collect-annotate-failed"), not a lost batch."""
    from hostile import set_cell_xml

    from govinfo_xlsx.template.layout import Layout

    inbox = tmp_path / "in"
    inbox.mkdir()
    sheet, ref = Layout(FORM).address("T3_new_natural")
    # another agency's file: two files of one agency would be a re-submission, the older one 已替换
    data = (batch["inbox"] / "乙局.xlsx").read_bytes()
    (inbox / "坏值.xlsx").write_bytes(set_cell_xml(data, sheet, ref, "<v>NaN</v>"))
    (inbox / "戊局.xlsx").write_bytes((batch["inbox"] / "戊局.xlsx").read_bytes())
    with collect([str(inbox)], annotate_dir=str(tmp_path / "退回")) as col:
        rows = {r["file"].rsplit("/", 1)[-1]: r for r in col.rows()}
        notes = {f["file"].rsplit("/", 1)[-1]: f for f in col.findings() if f["rule"] == "collect-annotate-failed"}
    assert rows["坏值.xlsx"]["status"] == "有错误" and rows["戊局.xlsx"]["status"] == "有错误"
    assert set(notes) == {"坏值.xlsx"} and "标注副本" in notes["坏值.xlsx"]["message"]
    assert [p.name.split("-")[0] for p in (tmp_path / "退回").iterdir()] == ["戊局"]


def test_an_unreadable_file_has_only_its_reason(result):
    """A file that cannot be read gets no year or roster finding (it has neither)."""
    rules = [f["rule"] for f in result.findings() if f["file"].endswith("损坏.xlsx")]
    assert rules == ["collect-unreadable"]


def test_a_government_name_under_a_department_kind_gets_a_hint(tmp_path):
    """Roster kinds (issue 21): "collect-kind-mismatch" where a name says 人民政府/镇/街道 under a
    department's kind, and where the workbook's kind contradicts the roster's."""
    from govinfo_xlsx.forms.organs import DEPARTMENT, TOWNSHIP

    template = write_template(FORM, 2026, tmp_path / "t.xlsx")
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    for name, kind in (("城关镇", DEPARTMENT), ("财政局", DEPARTMENT), ("东街道", TOWNSHIP)):
        v = agency_values(name, 0)
        v["INFO_kind"] = kind
        if kind == TOWNSHIP:
            v["TEXT_part1_supervision"] += "工作考核、社会评议和责任追究情况：无。"
        fill(template, v, inbox / f"{name}.xlsx")
    roster = tmp_path / "名单.csv"
    roster.write_text(f"单位名称,机关类别\n城关镇,部门\n财政局,部门\n东街道,{DEPARTMENT}\n", encoding="utf-8")
    with collect([str(inbox)], roster=str(roster), year=2026) as col:
        hints = {(f["agency"], f["message"][:12]) for f in col.findings() if f["rule"] == "collect-kind-mismatch"}
    assert {a for a, _ in hints} == {"城关镇", "东街道"}



def test_an_unreadable_workbook_belongs_to_the_agency_its_readable_part_names(batch, tmp_path):
    """A workbook whose sheets are damaged, named 附件1.xlsx: its shared strings still name the agency,
    so its roster row says 无法读取 with the reason instead of 未报送 (issue 21)."""
    import html

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    with zipfile.ZipFile(batch["inbox"] / "乙局.xlsx") as src, zipfile.ZipFile(inbox / "附件1.xlsx", "w") as out:
        for info in src.infolist():
            data = src.read(info)
            # the tables are damaged; the sheet with the agency's name can still be read
            damaged = info.filename.startswith("xl/worksheets/") and "乙局" not in html.unescape(data.decode())
            out.writestr(info, b"<worksheet><sheetData><row" if damaged else data)
    with collect([str(inbox)], roster=str(batch["roster"]), year=2026) as col:
        rows = {r["agency"]: r for r in col.rows()}
    assert rows["乙局"]["status"] == "无法读取" and rows["乙局"]["file"].endswith("附件1.xlsx")
    assert "" not in rows  # no orphan row


def test_the_totals_sheet_lists_the_summed_reports_up_to_a_bound(result, monkeypatch):
    """汇总 names the reports it summed (issue 21); beyond LIST_LIMIT it points to 报送情况 instead, so
    a province's batch holds no list in memory."""
    from govinfo_xlsx.collect import summary

    def texts():
        wb = openpyxl.load_workbook(io.BytesIO(build_summary(result)))
        return [c.value for row in wb["汇总"].iter_rows() for c in row if isinstance(c.value, str)]

    listed = texts()
    assert "计入汇总的报告（5份，另见“报送情况”表“计入汇总”列）" in listed and "乙局.xlsx" in listed
    monkeypatch.setattr(summary, "LIST_LIMIT", 4)
    bounded = texts()
    assert "计入汇总的报告（5份）：见“报送情况”表“计入汇总”列为“是”的行。" in bounded and "乙局.xlsx" not in bounded

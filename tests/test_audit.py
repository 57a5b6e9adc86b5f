"""audit: a region's published reports checked in one run, like collect's batches."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from govinfo_xlsx.cli import main

PUBLISHED = Path(__file__).parent / "fixtures" / "published"


def _region(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "年报"
    (folder / "乡镇").mkdir(parents=True)
    shutil.copy(PUBLISHED / "shanghai-2019.html", folder)
    shutil.copy(PUBLISHED / "shanghai-2019.pdf", folder / "上海2019.pdf")
    shutil.copy(PUBLISHED / "minyi-2021.txt", folder / "乡镇")
    (folder / "shanghai-2019_files").mkdir()
    (folder / "shanghai-2019_files" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # a saved page's asset
    (folder / "损坏.pdf").write_bytes((PUBLISHED / "shanghai-2019.pdf").read_bytes()[:2000])
    shutil.copy(PUBLISHED / "scanned-page.pdf", folder / "扫描件.pdf")
    with zipfile.ZipFile(folder / "部门.zip", "w") as z:
        z.write(PUBLISHED / "acheng-2021.txt", "阿城/acheng-2021.txt")
        z.write(PUBLISHED / "shanghai-2019.docx", "shanghai-2019.docx")
    roster = tmp_path / "名单.csv"
    roster.write_text("机关名称\n上海市人民政府办公厅\n五常市民意乡\n阿城区机关后勤服务中心\n某某县财政局\n", encoding="utf-8")
    return folder, roster


def test_a_region_in_one_run(tmp_path, capsys):
    folder, roster = _region(tmp_path)
    out, js = tmp_path / "审核.xlsx", tmp_path / "审核.json"
    code = main(["audit", str(folder), "-o", str(out), "--roster", str(roster), "--year", "2019", "--json", str(js)])
    assert code == 1
    printed = capsys.readouterr().out
    assert "另有 1 个非报告文件未计" in printed
    data = json.loads(js.read_text(encoding="utf-8"))
    rows = {(r["file"].rsplit("/", 1)[-1], r["status"]) for r in data["rows"]}
    assert ("损坏.pdf", "无法读取") in rows and ("扫描件.pdf", "无法读取") in rows
    assert ("", "未找到报告") in rows  # 某某县财政局
    by_file = {r["file"].rsplit("/", 1)[-1]: r for r in data["rows"]}
    sh = by_file["shanghai-2019.html"]
    assert (sh["agency"], sh["kind"], sh["year"], sh["form"], sh["published"]) == (
        "上海市人民政府办公厅", "县级以上地方人民政府", 2019, "gov-2019", "2020-01-31")
    assert sh["cells_read"] + sh["cells_blank"] == 198 and sh["cells_missing"] == 0 and sh["claims_contradicted"] == 4
    assert "没有文字层" in by_file["扫描件.pdf"]["notes"]
    minyi = by_file["minyi-2021.txt"]
    assert minyi["status"] == "有错误" and "年度为2021" in minyi["notes"]  # --year 2019
    assert by_file["部门.zip!shanghai-2019.docx"]["agency"] == "上海市人民政府办公厅"
    dup = [f for f in data["findings"] if f["rule"] == "collect-duplicate-agency"]
    assert len(dup) == 3  # html, pdf and docx of one agency
    assert any(c["status"] == "矛盾" and c["what"] == "无法提供" for c in data["claims"])
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames == ["报告情况", "问题清单", "规则统计", "正文核对", "发布证据"]
    first = [[c.value for c in r] for r in wb["报告情况"].iter_rows(max_row=1)][0]
    assert first[:8] == ["机关", "机关类型", "年度", "格式", "发布日期", "是否按时", "状态", "备注"]
    assert sh["timely"] == "按时"  # 2020-01-31, a government's deadline is 3月31日
    issues = [[c.value for c in r] for r in wb["问题清单"].iter_rows(max_row=1)][0]
    assert issues[:5] == ["机关", "级别", "位置", "问题", "审核意见"]  # collect's layout (issue 21)
    stats = {r[0]: r[3] for r in wb["规则统计"].iter_rows(min_row=2, values_only=True)}
    assert stats["pub-prose-number"] == 3  # html, pdf, docx


def test_one_and_two_jobs_give_the_same_result(tmp_path):
    folder, roster = _region(tmp_path)
    results = []
    for jobs in ("1", "2"):
        js = tmp_path / f"{jobs}.json"
        main(["audit", str(folder), "-o", str(tmp_path / f"{jobs}.xlsx"), "--roster", str(roster), "--jobs", jobs,
              "--json", str(js)])
        results.append(json.loads(js.read_text(encoding="utf-8")))
    assert results[0] == results[1]


def test_bad_arguments_exit_2(tmp_path, capsys):
    assert main(["audit", str(tmp_path / "无此目录"), "-o", str(tmp_path / "a.xlsx")]) == 2
    assert main(["audit", str(PUBLISHED), "-o", str(tmp_path / "a.csv")]) == 2
    assert main(["audit", str(PUBLISHED), "-o", str(tmp_path / "a.xlsx"), "--jobs", "0"]) == 2
    assert not (tmp_path / "a.xlsx").exists()


def test_one_agency_s_reports_of_several_years_are_not_duplicates(tmp_path):
    folder = tmp_path / "平潭"
    folder.mkdir()
    for name in ("pingtan-2019.html", "pingtan-2020.html"):
        shutil.copy(PUBLISHED / name, folder / name)
    js = tmp_path / "a.json"
    main(["audit", str(folder), "-o", str(tmp_path / "a.xlsx"), "--json", str(js)])
    data = json.loads(js.read_text(encoding="utf-8"))
    assert not [f for f in data["findings"] if f["rule"] == "collect-duplicate-agency"]
    shutil.copy(PUBLISHED / "pingtan-2019.html", folder / "副本.html")
    main(["audit", str(folder), "-o", str(tmp_path / "b.xlsx"), "--json", str(js)])
    dup = [f for f in json.loads(js.read_text(encoding="utf-8"))["findings"] if f["rule"] == "collect-duplicate-agency"]
    assert len(dup) == 2 and "2019年度" in dup[0]["message"]


def test_an_unreadable_source_is_reported_as_collect_reports_it(tmp_path):
    """An archive member known to be unreadable (encrypted) and a file on disk that is missing: audit's row
    error is the reason itself, worded as collect words it (one function for both)."""
    from govinfo_xlsx.audit import worker as audit_worker
    from govinfo_xlsx.collect import worker as collect_worker
    from govinfo_xlsx.collect.archive import ENCRYPTED
    from govinfo_xlsx.collect.source import Source

    member = Source("报告.zip!甲局.html", str(tmp_path / "报告.zip"), "甲局.html", locator="0", error=ENCRYPTED)
    gone = Source("乙局.html", str(tmp_path / "乙局.html"))
    assert audit_worker.check(member)["error"] == f"报告.zip!甲局.html：{ENCRYPTED}"
    assert audit_worker.check(gone)["error"].startswith("乙局.html：无法读取（")
    for source in (member, gone):
        assert audit_worker.check(source)["error"] == collect_worker.check(source)["error"]


def test_previous_audit_flags_the_changed_page_and_only_it(tmp_path):
    """Publication evidence (audit/evidence.py): content hash, date and its source; --previous."""
    folder = tmp_path / "年报"
    folder.mkdir()
    shutil.copy(PUBLISHED / "minyi-2021.txt", folder)
    shutil.copy(PUBLISHED / "acheng-2021.txt", folder)
    shutil.copy(PUBLISHED / "shanghai-2019.html", folder)
    shutil.copy(PUBLISHED / "pingtan-2020.html", folder)
    first_xlsx, first_json = tmp_path / "上次.xlsx", tmp_path / "上次.json"
    main(["audit", str(folder), "-o", str(first_xlsx), "--json", str(first_json), "--no-progress"])
    first = json.loads(first_json.read_text(encoding="utf-8"))
    ev = {e["file"].rsplit("/", 1)[-1]: e for e in first["evidence"]}
    assert set(ev) == {"minyi-2021.txt", "acheng-2021.txt", "shanghai-2019.html", "pingtan-2020.html"}
    assert all(len(e["content_hash"]) == 64 for e in ev.values())
    sh = ev["shanghai-2019.html"]
    assert (sh["published"], sh["date_from"], sh["deadline"], sh["timely"]) == (
        "2020-01-31", "“发布日期”行", "2020-03-31", "按时")
    assert ev["pingtan-2020.html"]["date_from"] == "meta标签"
    # the text files carry no publication date: never 按时, and said so
    for name in ("minyi-2021.txt", "acheng-2021.txt"):
        assert ev[name]["timely"] in ("无法核对", "逾期") and ev[name]["timely"] != "按时"
    unknown = [f for f in first["findings"] if f["rule"] == "pub-date-unknown"]
    assert {f["file"].rsplit("/", 1)[-1] for f in unknown} == {n for n in ("minyi-2021.txt", "acheng-2021.txt")
                                                              if ev[n]["timely"] == "无法核对"}
    assert not any(f["rule"] in ("pub-changed", "pub-versions") for f in first["findings"])
    # the site changes one figure of 民意乡's report; the page of 上海 is saved again with other navigation
    text = (PUBLISHED / "minyi-2021.txt").read_text(encoding="utf-8")
    assert "零报告" in text
    (folder / "minyi-2021.txt").write_text(text.replace("零报告", "零报告，已补充说明"), encoding="utf-8")
    page = (PUBLISHED / "shanghai-2019.html").read_text(encoding="utf-8")
    (folder / "shanghai-2019.html").write_text(page.replace("<body", "<!-- 导航已改版 --><body", 1), encoding="utf-8")
    for previous in (first_xlsx, first_json):
        js = tmp_path / "本次.json"
        main(["audit", str(folder), "-o", str(tmp_path / "本次.xlsx"), "--json", str(js), "--no-progress",
              "--previous", str(previous)])
        now = json.loads(js.read_text(encoding="utf-8"))
        changed = [f for f in now["findings"] if f["rule"] == "pub-changed"]
        assert [f["file"].rsplit("/", 1)[-1] for f in changed] == ["minyi-2021.txt"], previous
        assert "发布后有变动" in changed[0]["message"]
        versions = {e["file"].rsplit("/", 1)[-1]: e["version"] for e in now["evidence"]}
        assert versions == {"minyi-2021.txt": "发布后有变动", "acheng-2021.txt": "与上次审核时相同",
                            "shanghai-2019.html": "与上次审核时相同", "pingtan-2020.html": "与上次审核时相同"}
    wb = load_workbook(tmp_path / "本次.xlsx", read_only=True)
    assert "发布证据" in wb.sheetnames


def test_two_versions_of_one_report_in_one_batch(tmp_path, capsys):
    folder = tmp_path / "年报"
    (folder / "平台二").mkdir(parents=True)
    text = (PUBLISHED / "minyi-2021.txt").read_text(encoding="utf-8")
    (folder / "minyi-2021.txt").write_text(text, encoding="utf-8")
    (folder / "平台二" / "minyi-2021.txt").write_text(text.replace("零报告", "零报告，已补充说明"), encoding="utf-8")
    shutil.copy(PUBLISHED / "acheng-2021.txt", folder)
    shutil.copy(PUBLISHED / "acheng-2021.txt", folder / "平台二")  # the same report on two platforms
    js = tmp_path / "a.json"
    main(["audit", str(folder), "-o", str(tmp_path / "a.xlsx"), "--json", str(js), "--no-progress"])
    found = [f for f in json.loads(js.read_text(encoding="utf-8"))["findings"] if f["rule"] == "pub-versions"]
    assert sorted(f["file"].split("年报/", 1)[1] for f in found) == ["minyi-2021.txt", "平台二/minyi-2021.txt"]
    assert main(["audit", str(folder), "-o", str(tmp_path / "b.xlsx"), "--previous", str(tmp_path / "无.json")]) == 2
    assert "上次审核结果" in capsys.readouterr().err


def test_prior_dir_measures_repetition_against_last_years_report(tmp_path):
    folder, last = tmp_path / "本年", tmp_path / "上年"
    folder.mkdir()
    last.mkdir()
    text = (PUBLISHED / "minyi-2021.txt").read_text(encoding="utf-8")
    (folder / "minyi-2021.txt").write_text(text, encoding="utf-8")
    (last / "minyi-2020.txt").write_text(text.replace("2021", "2020"), encoding="utf-8")  # only the year changed
    shutil.copy(PUBLISHED / "acheng-2021.txt", folder)
    js = tmp_path / "a.json"
    main(["audit", str(folder), "-o", str(tmp_path / "a.xlsx"), "--json", str(js), "--no-progress",
          "--prior-dir", str(last)])
    doc = json.loads(js.read_text(encoding="utf-8"))
    rep = {e["file"].rsplit("/", 1)[-1]: e["repetition"] for e in doc["evidence"]}
    assert rep["minyi-2021.txt"].startswith("与上年100%")
    assert not rep["acheng-2021.txt"].startswith("与上年")
    found = [f["file"].rsplit("/", 1)[-1] for f in doc["findings"] if f["rule"] == "xy-repetition"]
    assert found == ["minyi-2021.txt"]


def test_evidence_deadline_by_kind_and_never_on_time_without_a_page_date():
    from types import SimpleNamespace

    from govinfo_xlsx.audit.evidence import of

    def report(kind, date, signed=None, source="meta标签"):
        return SimpleNamespace(year=2024, published={"date": date, "date_from": source if date else None, "kind": kind},
                               data={"info": {"date": signed}, "text": {}})

    assert of({}, report("县级以上人民政府部门", "2025-03-01"))["timely"] == "逾期"
    unknown = of({}, report(None, "2025-03-01"))  # kind unknown: between the kinds' deadlines, not decided
    assert (unknown["timely"], unknown["deadline"]) == ("无法核对", "2025-01-31—2025-03-31")
    assert of({}, report(None, "2025-04-01"))["timely"] == "逾期"
    assert of({}, report(None, "2025-01-20"))["timely"] == "按时"
    signed_late = of({}, report("县级以上人民政府部门", None, "2025-02-20"))
    assert (signed_late["timely"], signed_late["date_from"]) == ("逾期", "成文日期（页面未注明发布日期）")
    assert of({}, report("县级以上人民政府部门", None, "2025-01-10"))["timely"] == "无法核对"
    assert of({}, report("县级以上人民政府部门", None))["timely"] == "无法核对"
@pytest.mark.parametrize("published, year, kind, expected", [
    ("2020-01-31", 2019, "县级以上人民政府部门", "按时"),
    ("2020-02-01", 2019, "县级以上人民政府部门", "逾期"),
    ("2020-03-20", 2019, "县级以上地方人民政府", "按时"),
    ("2020-03-20", 2019, None, "无法核对"),  # the kind not read: between the kinds' deadlines
    ("2020-04-01", 2019, None, "逾期"),
    (None, 2019, "县级以上人民政府部门", "无法核对"),
])
def test_the_publication_date_against_the_deadline(published, year, kind, expected):
    from govinfo_xlsx.audit.run import timeliness

    assert timeliness(published, year, kind) == expected


WARM_PROBE = r"""
import sys
from pathlib import Path
from govinfo_xlsx.audit import worker
from govinfo_xlsx.files.limits import run_limited

worker.init({})
worker._warm()  # what audit does before it forks its second reading

def read(path):
    before = set(sys.modules)
    worker.read_report(path.name, path.read_bytes(), worker.blank_result(worker.Source(str(path), str(path))))
    return sorted(set(sys.modules) - before)

for name in sys.argv[1:]:
    print(name, *run_limited(name, read, Path(name)))
"""


def test_a_forked_reading_imports_nothing_the_audit_could_have_loaded_before(tmp_path):
    """Each report is read in a process forked for it: what that process loads is lost with it.  Before
    its second reading the audit loads the readers and both declarations, so a reading of a text, a page,
    a PDF or a DOCX loads no module of its own (an audit of 230 reports took 83 s when each reading loaded
    them); and the audit does that on its own."""
    import subprocess
    import sys

    names = [PUBLISHED / n for n in ("lg-2024.txt", "shanghai-2019.html", "shanghai-2019.pdf", "shanghai-2019.docx")]
    p = subprocess.run([sys.executable, "-c", WARM_PROBE, *map(str, names)], capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert len(lines) == len(names)
    # (a codec a file's bytes ask for is loaded when they are decoded: ``encodings.*``)
    loaded = {line.split()[0]: [m for m in line.split()[1:] if not m.startswith("encodings.")] for line in lines}
    assert not any(loaded.values()), loaded


def test_the_audit_warms_up_before_its_second_reading_not_its_first(tmp_path, monkeypatch):
    """A one-report audit pays for no warm-up; a longer one warms up once, before its second reading."""
    from govinfo_xlsx.audit import worker
    from govinfo_xlsx.audit.run import audit

    calls: list[int] = []
    monkeypatch.setattr(worker, "_warm", lambda: calls.append(worker._READ[0]))
    monkeypatch.setattr(worker, "_READ", [0])
    audit([str(PUBLISHED / "lg-2024.txt")])
    assert calls == []
    monkeypatch.setattr(worker, "_READ", [0])
    audit([str(PUBLISHED / n) for n in ("lg-2024.txt", "acheng-2021.txt", "minyi-2021.txt")])
    assert calls == [2]

"""scripts/measure_published.py: how extract's output is scored against a hand reading.

Only the built part (tests/fixtures/published) and made-up reports are used here: the hold-out is
measured once, by hand, at the end, never by tests.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import SimpleNamespace


from govinfo_xlsx.errors import GovinfoError
from govinfo_xlsx.checks.findings import Finding, Severity

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("measure_published", ROOT / "scripts" / "measure_published.py")
measure = importlib.util.module_from_spec(spec)
sys.modules["measure_published"] = measure  # its dataclasses look their module up
spec.loader.exec_module(measure)

HAND = {
    "complete": True, "form": "gov-2021", "year": 2024, "agency": "某局", "published": None,
    "layout": {"table3": "spaced", "table4": "run-together"},
    "table2": {},
    "table3": {"columns": ["natural", "commercial", "research", "social", "legal", "other_org", "total"],
               "new": [8, 0, 0, 0, 0, 0, 8]},
    "table4": {"columns": ["upheld", "corrected", "other", "pending", "total"], "review": [12, 0, 0, 0, 12]},
    "defects": [{"rule": "pub-prose-number", "actual": 34}],
    "defensible": [{"rule": "pub-prose-outcome"}],
}


def finding(rule, severity=Severity.ERROR, sheet="", message="", actual=None):
    return Finding(rule=rule, severity=severity, sheet=sheet, cell="", message=message, actual=actual)


def names():
    from govinfo_xlsx.forms import get_form

    form = get_form("gov-2021")
    t3 = [form.table3.cell_name("new", c) for c in HAND["table3"]["columns"]]
    t4 = [form.table4.cell_name("review", c) for c in HAND["table4"]["columns"]]
    return t3, t4


def test_every_published_form_of_a_report_is_measured():
    found = {(n, p.name) for n, p, _ in measure.reports(measure.PARTS["published"])}
    assert {("shanghai-2019", f) for f in ("shanghai-2019.html", "shanghai-2019.docx", "shanghai-2019.pdf",
                                           "shanghai-2019.browser-copy.txt")} <= found
    assert not any(p.endswith(".md") or p == "scanned-page.pdf" for _, p in found)


def test_a_complete_report_refused_is_a_false_error_and_its_tables_unread(monkeypatch, tmp_path):
    def refuse(path):
        raise GovinfoError("不像是政府信息公开工作年度报告。")

    monkeypatch.setattr("govinfo_xlsx.extract.run.extract", refuse)
    tally = measure.Tally()
    row = measure.measure_file("x", tmp_path / "x.txt", HAND, tally)
    assert row["refused"] and tally.false_errors == 1 and tally.tables_not_read == 2
    assert tally.cells == {"spaced": [0, 7]} and tally.run_together == [0, 0, 5]
    assert tally.tables_not_read_stated == 0


def test_cells_false_errors_defects_and_unread_tables_are_scored(monkeypatch, tmp_path):
    t3, t4 = names()
    status = {n: "ok" for n in t3}
    values = dict(zip(t3, [8, 0, 0, 0, 0, 0, 9]))  # the total read wrong
    findings = [
        finding("pub-prose-number", sheet="正文", actual=34),  # the known defect
        finding("pub-prose-outcome", sheet="正文"),  # defensible
        finding("pub-part-missing", sheet="正文"),  # a false 错误 on a complete report
        finding("pub-table-missing", sheet="表四", message="未找到表四"),  # not read, said so, but as a false 错误
    ]

    def fake_extract(path):
        return SimpleNamespace(form="gov-2021", data=None, findings=findings, ok=False,
                               published={"cell_status": status})

    monkeypatch.setattr("govinfo_xlsx.extract.run.extract", fake_extract)
    monkeypatch.setattr("govinfo_xlsx.forms.data.flat_values", lambda form, data: values)
    tally = measure.Tally()
    row = measure.measure_file("x", tmp_path / "x.txt", HAND, tally)
    assert row["false_errors"] == 2 and ["pub-part-missing", "pub-table-missing"] == [f.split()[1] for f in row["false"]]
    assert row["defects_found"] == 1 and tally.defects_found == 1
    assert tally.cells["spaced"] == [6, 7]
    assert row["tables"]["表四"]["stated"] is True and tally.tables_not_read == 1
    assert tally.run_together == [0, 0, 5]


def test_unchecked_stated_by_a_table_status_or_a_message():
    report = SimpleNamespace(findings=[], published={"tables": {"表三": "无法核对", "表四": "未找到", "表二": "已读取"}})
    assert measure._stated_unchecked(report, "table3") and measure._stated_unchecked(report, "table4")
    assert not measure._stated_unchecked(report, "table2")
    report = SimpleNamespace(findings=[], published={"tables": {"表三": "已读取"}})
    assert not measure._stated_unchecked(report, "table3") and not measure._stated_unchecked(report, "table4")
    report = SimpleNamespace(findings=[finding("pub-something", Severity.WARNING, "表四", "表四无法核对：数字连在一起")],
                             published={})
    assert measure._stated_unchecked(report, "table4")


def test_layout_defaults_to_structured_when_typed_and_absent_when_not():
    assert measure.layout({"table3": {"columns": [], "new": [1]}}, "table3") == "structured"
    assert measure.layout({"table4": {}}, "table4") == "absent"
    assert measure.layout(HAND, "table4") == "run-together"


def test_every_hand_reading_of_both_parts_is_well_formed():
    """The hand readings only: their shape, never the reader's output on the hold-out."""
    from govinfo_xlsx.forms import get_form
    from govinfo_xlsx.forms.model import cell_index

    for part in measure.PARTS.values():
        for exp in sorted((part / "expected").glob("*.json")):
            hand = json.loads(exp.read_text(encoding="utf-8"))
            form = get_form(hand["form"])
            index = cell_index(form)
            assert [f for f in part.iterdir() if f.name.split(".", 1)[0] == exp.stem], exp
            for table in ("table3", "table4"):
                got = hand[table]
                t = form.table3 if table == "table3" else form.table4
                for row, values in got.items():
                    if row != "columns":
                        # an excerpt may be cut inside a row; a complete report has every cell
                        assert len(values) == len(got["columns"]) or (
                            not hand.get("complete") and len(values) < len(got["columns"])), (exp, row)
                        assert all(t.cell_name(row, c) in index for c in got["columns"]), (exp, row)
                assert measure.layout(hand, table) in measure.HOLDS | measure.NOT_HELD | {"absent"}, exp
            for d in hand["defects"]:
                assert d["rule"] and d["why"], exp


def test_a_defect_a_published_form_cannot_show_is_not_counted_for_that_form(monkeypatch, tmp_path):
    def refuse(path):
        raise GovinfoError("x")

    monkeypatch.setattr("govinfo_xlsx.extract.run.extract", refuse)
    hand = {**HAND, "layout_by_file": {"x.txt": {"skip_defects": ["pub-prose-number"]}}}
    tally = measure.Tally()
    measure.measure_file("x", tmp_path / "x.txt", hand, tally)
    measure.measure_file("x", tmp_path / "x.html", hand, tally)
    assert tally.defects == 1  # counted for the page, not for the text where it cannot be seen


# ---------------------------------------------------------------- one finding to one hand-read entry


def test_a_second_error_of_a_rule_read_once_is_false():
    """The old matching took every finding of a listed rule as known: a second, false 错误 was hidden."""
    entries = [{"rule": "pub-prose-number", "actual": 34}]
    findings = [finding("pub-prose-number", sheet="正文", actual=34), finding("pub-prose-number", sheet="正文", actual=34)]
    owner, left, unused = measure.match(findings, entries)
    assert owner == {0: 0} and left == [1] and unused == []
    entries = [{"rule": "pub-part-numbering"}]  # no place: still one finding only
    owner, left, _ = measure.match([finding("pub-part-numbering", sheet="正文")] * 3, entries)
    assert len(owner) == 1 and len(left) == 2


def test_place_keys_row_cell_and_words_of_the_message():
    entries = [{"rule": "pub-cell-normalized", "sheet": "表二", "row": "政府集中采购"},
               {"rule": "pub-part-numbering", "says": "“五、其他需要报告的事项”"}]
    f1 = Finding(rule="pub-cell-normalized", severity=Severity.WARNING, sheet="表二", cell="第1个表格第18行",
                 message="", row_label="行政事业性收费")
    f2 = finding("pub-part-numbering", sheet="正文", message="标题“三、主动公开工作情况”的编号应为“二、”。")
    owner, left, unused = measure.match([f1, f2], entries)
    assert owner == {} and left == [0, 1] and unused == [0, 1]
    f3 = Finding(rule="pub-cell-normalized", severity=Severity.WARNING, sheet="表二", cell="第1个表格第18行",
                 message="", row_label="政府集中采购")
    f4 = finding("pub-part-numbering", sheet="正文", message="标题“五、其他需要报告的事项”的编号应为“六、”。")
    assert measure.match([f1, f2, f3, f4], entries)[0] == {2: 0, 3: 1}
    # the sheet a rule implies: a t3- rule on 表三, a pub-prose- rule in 正文
    assert not measure._matches(finding("pub-prose-number", sheet="表三"), {"rule": "pub-prose-number"})
    assert measure._matches(finding("t3-balance-total", sheet="表三"), {"rule": "t3-balance-total"})


def test_a_defect_keeps_its_finding_and_a_defensible_entry_takes_another():
    """Entries in order (defects, then defensible): a loose defensible entry never takes the finding a
    defect needs when the matching can give each its own."""
    entries = [{"rule": "pub-prose-number", "actual": 34}, {"rule": "pub-prose-number"}]
    findings = [finding("pub-prose-number", sheet="正文", actual=34), finding("pub-prose-number", sheet="正文", actual=7)]
    owner, left, _ = measure.match(findings, entries)
    assert owner == {0: 0, 1: 1} and left == []
    # the loose entry listed first and matched first is moved to the other finding
    owner, left, _ = measure.match(findings, entries[::-1])
    assert sorted(owner.items()) == [(0, 1), (1, 0)] and left == []


def test_measured_false_errors_count_each_finding_once(monkeypatch, tmp_path):
    """Through measure_file: two 错误 of the rule of one known defect, one of them false; a defect stated
    only as a 提示 is found, and no 提示 is ever false."""
    findings = [finding("pub-prose-number", actual=34, sheet="正文"), finding("pub-prose-number", actual=34, sheet="正文"),
                finding("pub-prose-year", Severity.INFO, sheet="正文", actual=2023),
                finding("pub-prose-all-done", Severity.INFO, sheet="正文")]

    def fake_extract(path):
        return SimpleNamespace(form="gov-2021", data=None, findings=findings, ok=False, published={"cell_status": {}})

    monkeypatch.setattr("govinfo_xlsx.extract.run.extract", fake_extract)
    monkeypatch.setattr("govinfo_xlsx.forms.data.flat_values", lambda form, data: {})
    hand = {**HAND, "defects": HAND["defects"] + [{"rule": "pub-prose-year", "actual": 2023, "why": "x"}]}
    tally = measure.Tally()
    row = measure.measure_file("x", tmp_path / "x.txt", hand, tally)
    assert row["false_errors"] == 1 and tally.false_errors == 1 and tally.false_warnings == 0
    assert row["defects_found"] == 2 == row["defects"]


def test_every_entry_of_the_built_part_names_a_rule_and_known_place_keys():
    keys = {"rule", "why"} | set(measure.PLACE) | {"says"}
    for exp in sorted((measure.PARTS["published"] / "expected").glob("*.json")):
        hand = json.loads(exp.read_text(encoding="utf-8"))
        for d in hand.get("defects", []) + hand.get("defensible", []):
            assert d["rule"] and set(d) <= keys, (exp.name, d)


def test_year_and_agency_against_the_hand_reading_and_as_printed(monkeypatch, tmp_path):
    def fake_extract(path):
        return SimpleNamespace(form="gov-2021", data=None, findings=[], ok=False, published={"cell_status": {}},
                               year=2024, agency="某局办公室")

    monkeypatch.setattr("govinfo_xlsx.extract.run.extract", fake_extract)
    monkeypatch.setattr("govinfo_xlsx.forms.data.flat_values", lambda form, data: {})
    tally = measure.Tally()
    row = measure.measure_file("x", tmp_path / "x.txt", HAND, tally)
    assert row["identity"] == [2024, "某局办公室"] and tally.year_or_agency_wrong == 1
    tally = measure.Tally()
    row = measure.measure_file("x", tmp_path / "x.txt", {**HAND, "agency_printed": "某局办公室"}, tally)
    assert "identity" not in row and tally.year_or_agency_wrong == 0

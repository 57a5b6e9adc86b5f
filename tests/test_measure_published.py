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
        finding("pub-prose-number", actual=34),  # the known defect
        finding("pub-prose-outcome"),  # defensible
        finding("pub-part-missing", sheet="第五部分"),  # a false 错误 on a complete report
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

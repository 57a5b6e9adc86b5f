"""Peer comparison among agencies of the same kind; the open-data export; the JSON Schema."""

from __future__ import annotations

import csv
import datetime as dt
import json

import jsonschema
import pytest
from fill import consistent_values, fill

from govinfo_xlsx.cli import main
from govinfo_xlsx.collect.peers import MIN_CASES, figures
from govinfo_xlsx.collect.run import collect
from govinfo_xlsx.forms import form_for_year, get_form, organs
from govinfo_xlsx.checks.ingest import build_data
from govinfo_xlsx.results.schema import ingest_schema
from govinfo_xlsx.template.writer import write_template

FORM = form_for_year(2026)
T3 = [c.name for c in FORM.cells() if c.sheet == "table3" and c.is_input]
T4 = [c.name for c in FORM.cells() if c.sheet == "table4" and c.is_input]
PEERS = [f"测试市{x}局" for x in "甲乙丙丁戊己庚辛壬"]


def peer(name: str, k: int) -> dict:
    """A department of ordinary figures: the 公开 rows and the applications vary a little with k."""
    v = consistent_values(FORM, 2026)
    v["INFO_agency"] = name
    v["INFO_kind"] = organs.infer_organ_kind(name)  # peers are compared within the kind the workbook states
    v["T3_granted_natural"] += 100 + 3 * k  # 公开率 about 40 %
    v["T3_new_natural"] += 100 + 3 * k
    v["T4_review_upheld"] += k % 3
    return v


def all_zero(name: str) -> dict:
    v = peer(name, 0)
    v.update({n: 0 for n in T3 + T4})
    return v


def none_disclosed(name: str) -> dict:
    """Everything refused: 公开率 0 with hundreds of cases."""
    v = peer(name, 0)
    for col in FORM.table3.input_columns:
        moved = v[f"T3_granted_{col.key}"] + v[f"T3_partial_{col.key}"]
        v[f"T3_granted_{col.key}"] = v[f"T3_partial_{col.key}"] = 0
        v[f"T3_denied_1_{col.key}"] += moved
    return v


def all_corrected(name: str) -> dict:
    v = peer(name, 1)
    for g in FORM.table4.groups:
        v[f"T4_{g.key}_corrected"] += 25
    return v


def small_and_refusing(name: str) -> dict:
    """公开率 0, but with 3 cases: too few to compare."""
    v = peer(name, 0)
    v.update({n: 0 for n in T3})
    v["T3_new_natural"] = v["T3_denied_1_natural"] = 3
    return v


def batch(template, folder, planted: bool):
    folder.mkdir()
    for k, name in enumerate(PEERS):
        fill(template, peer(name, k), folder / f"{name}.xlsx")
    if planted:
        fill(template, all_zero("测试市零申请局"), folder / "零.xlsx")
        fill(template, none_disclosed("测试市不公开局"), folder / "不公开.xlsx")
        fill(template, all_corrected("测试市纠错局"), folder / "纠错.xlsx")
        fill(template, small_and_refusing("测试市小局"), folder / "小.xlsx")
        # a township with no applications: only three townships, too few peers
        for i, town in enumerate(["测试县甲镇人民政府", "测试县乙镇人民政府"]):
            fill(template, peer(town, i), folder / f"{town}.xlsx")
        fill(template, all_zero("测试县丙镇人民政府"), folder / "丙镇.xlsx")
    return folder


def peer_findings(col) -> set[tuple[str, str]]:
    return {(f["agency"], f["rule"]) for f in col.findings() if f["rule"].startswith("peer-")}


def test_planted_outliers_are_found_and_nothing_else(template, tmp_path):
    with collect([str(batch(template, tmp_path / "有", planted=True))]) as col:
        found = peer_findings(col)
        rows = {r["agency"]: r for r in col.rows()}
        messages = {f["rule"]: f for f in col.findings() if f["rule"].startswith("peer-")}
    assert found == {("测试市零申请局", "peer-all-zero"), ("测试市不公开局", "peer-disclosure-rate"),
                     ("测试市纠错局", "peer-correction-rate")}
    assert all(f["severity"] == "提示" for f in messages.values())
    assert "中位数" in messages["peer-disclosure-rate"]["message"] and messages["peer-disclosure-rate"]["cell"]
    assert rows["测试市零申请局"]["status"] == "通过" and rows["测试市零申请局"]["hints"] >= 1  # 提示 only


def test_no_peer_findings_without_outliers(template, tmp_path):
    with collect([str(batch(template, tmp_path / "无", planted=False))]) as col:
        assert peer_findings(col) == set()
        assert all(r["status"] == "通过" for r in col.rows())


def test_peer_figures():
    data = build_data(FORM, small_and_refusing("测试市小局"))
    f = figures("测试市小局", FORM.id, data)
    assert f["kind"] == "县级以上人民政府部门" and f["done"] == 3 < MIN_CASES and f["disclosed"] == 0
    assert figures("x", FORM.id, build_data(FORM, all_zero("x")))["zero"] is True


def test_export_equals_the_workbooks_inputs(template, tmp_path, capsys):
    inbox = batch(template, tmp_path / "收件箱", planted=False)
    resubmitted = peer(PEERS[0], 5)
    resubmitted["INFO_date"] = dt.datetime(2027, 1, 28)
    fill(template, resubmitted, inbox / "甲局（更正）.xlsx")
    out = tmp_path / "开放数据"
    assert main(["collect", str(inbox), "-o", str(tmp_path / "s.xlsx"), "--export", str(out), "--no-progress"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["data.csv", "datapackage.json", "findings.csv", "schema.json"]
    raw = (out / "data.csv").read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    inputs = [c.name for c in FORM.cells() if c.is_input]
    # every cell, totals included (issue 21), after the submission's agency, status and file
    assert list(rows[0]) == ["agency", "kind", "year", "form", "status", "file", "summed",
                             *(c.name for c in FORM.cells())]
    from govinfo_xlsx.forms.data import with_totals
    expected = {name: peer(name, k) for k, name in enumerate(PEERS)}
    expected[PEERS[0]] = resubmitted  # the re-submission replaces the first file
    assert sorted(r["agency"] for r in rows) == sorted(PEERS)
    for r in rows:
        v = expected[r["agency"]]
        assert (r["kind"], r["year"], r["form"], r["status"]) == ("县级以上人民政府部门", "2026", "gov-2021", "通过")
        for name in inputs:
            want = v.get(name)
            want = want.date().isoformat() if isinstance(want, dt.datetime) else ("" if want is None else str(want))
            assert r[name] == want, (r["agency"], name)
        assert r["T3_total_total"] == str(with_totals(FORM, v)["T3_total_total"]) and r["summed"] == "true"
    findings = list(csv.DictReader((out / "findings.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [f["rule"] for f in findings] == ["collect-duplicate-agency"]
    assert json.loads((out / "schema.json").read_text(encoding="utf-8")) == ingest_schema()


def test_schema_command_and_every_json_validates(template, tmp_path, capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert main(["schema", "--form", "gov-2019"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert one["properties"]["form"] == {"const": "gov-2019"}
    assert set(one["properties"]["data"]["properties"]["table3"]["properties"]) == {
        r.key for r in get_form("gov-2019").table3.data_rows()}
    validator = jsonschema.Draft202012Validator(schema)
    # ingest --json of a good, a bad and an explained workbook, both formats
    docs = []
    for year in (2020, 2026):
        form = form_for_year(year)
        t = write_template(form, year, tmp_path / f"t{year}.xlsx")
        v = consistent_values(form, year)
        good = fill(t, v, tmp_path / f"good{year}.xlsx")
        v.update({"T3_new_natural": "12件", "INFO_phone": None, "EXPLAIN_info_phone": "不设电话", "T4_review_upheld": -1})
        bad = fill(t, v, tmp_path / f"bad{year}.xlsx")
        for path in (good, bad):
            js = tmp_path / f"{path.stem}.json"
            main(["ingest", str(path), "--json", str(js), "-o", str(tmp_path / path.stem), "--format", "md"])
            docs.append(json.loads(js.read_text(encoding="utf-8")))
            docs += [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / path.stem).glob("*.json")]
    # extract -o X.json of the reports just written (a published report read back)
    for md in sorted(tmp_path.glob("good*/*.md")):
        out = tmp_path / f"{md.parent.name}-extract.json"
        assert main(["extract", str(md), "-o", str(out)]) in (0, 1)
        docs.append(json.loads(out.read_text(encoding="utf-8")))
    assert len(docs) == 10
    assert any(f["explanation"] for d in docs for f in d["findings"])
    for doc in docs:
        validator.validate(doc)
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({**docs[0], "data": {**docs[0]["data"], "table3": {}}})
    # collect --json
    js = tmp_path / "collect.json"
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    for path in tmp_path.glob("*.xlsx"):
        (inbox / path.name).write_bytes(path.read_bytes())
    (inbox / "坏.xlsx").write_bytes(b"broken")
    main(["collect", str(inbox), "-o", str(tmp_path / "s.xlsx"), "--json", str(js), "--no-progress"])
    collected = json.loads(js.read_text(encoding="utf-8"))
    assert {f["rule"] for f in collected["findings"]} >= {"collect-unreadable", "info-phone", "t4-inputs"}
    collect_schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/collect"}
    jsonschema.Draft202012Validator(collect_schema).validate(collected)
    capsys.readouterr()


def test_a_worker_and_a_collection_without_export_stay_light(template, tmp_path):
    """pandas is for the export: checking a file in a worker, or a batch with its peer comparison,
    does not import it."""
    import subprocess
    import sys

    path = fill(template, peer("测试市甲局", 0), tmp_path / "甲局.xlsx")
    code = ("import sys; from govinfo_xlsx.collect import worker; from govinfo_xlsx.collect.source import Source; "
            f"worker.init({{}}); r = worker.check(Source({str(path)!r}, {str(path)!r})); "
            "print('pandas' in sys.modules, r['agency'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "测试市甲局"]
    code = ("import sys; from govinfo_xlsx.collect.run import collect; "
            f"c = collect([{str(tmp_path)!r}]); n = len(list(c.rows())); c.close(); print('pandas' in sys.modules, n)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "1"]


def test_peer_rules_are_in_the_catalogue_and_tested(capsys):
    from pathlib import Path

    from govinfo_xlsx.checks.catalogue import PEER_RULES

    assert main(["rules"]) == 0
    text = capsys.readouterr().out
    assert "## 同类机关比较（collect）" in text and all(f"| `{r.id}` | 提示 |" in text for r in PEER_RULES)
    source = Path(__file__).read_text(encoding="utf-8")
    assert all(f'"{r.id}"' in source for r in PEER_RULES)


def test_audit_findings_validate_as_findings(tmp_path, capsys):
    """audit --json lists extract's findings with their file and agency: each is a finding of the schema."""
    from test_audit import _region

    folder, roster = _region(tmp_path)
    js = tmp_path / "审核.json"
    main(["audit", str(folder), "-o", str(tmp_path / "审核.xlsx"), "--year", "2019", "--json", str(js)])
    capsys.readouterr()
    schema = ingest_schema()
    finding = jsonschema.Draft202012Validator(
        {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/finding",
         "properties": {"file": {"type": "string"}, "agency": {"type": "string"}},
         "unevaluatedProperties": False})
    findings = json.loads(js.read_text(encoding="utf-8"))["findings"]
    assert len({f["rule"] for f in findings}) > 5
    for f in findings:
        finding.validate(f)


def test_an_export_folder_that_cannot_be_made_is_known_before_the_batch(template, tmp_path, capsys):
    inbox = batch(template, tmp_path / "收件箱", planted=False)
    (tmp_path / "文件").write_bytes(b"x")
    summary = tmp_path / "s.xlsx"
    assert main(["collect", str(inbox), "-o", str(summary), "--export", str(tmp_path / "文件" / "开放数据"),
                 "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "开放数据" in err and len(err.strip().splitlines()) == 1
    assert not summary.exists()


def test_a_text_copied_from_another_agency_is_found(tmp_path):
    """peer-repetition (checks/repetition.py): two agencies with the same narrative, the others their own."""
    tpl = write_template(FORM, 2026, tmp_path / "t.xlsx")
    inbox = tmp_path / "in"
    inbox.mkdir()
    import random

    for k, name in enumerate(PEERS[:4]):
        v = peer(name, k)
        rng = random.Random(0 if name in PEERS[:2] else k)  # 甲 and 乙 write the same text
        for f in FORM.text_fields:
            v[f"TEXT_{f.key}"] = "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(60)) + "。"
        fill(tpl, v, inbox / f"{name}.xlsx")
    with collect([str(inbox)]) as col:
        found = {f["agency"]: f for f in col.findings() if f["rule"] == "peer-repetition"}
        rows = {r["agency"]: r["repetition"] for r in col.rows()}
    assert set(found) == set(PEERS[:2]) and found[PEERS[0]]["severity"] == "提示"
    assert rows[PEERS[0]] == f"与{PEERS[1]}100%（同批最相似）"

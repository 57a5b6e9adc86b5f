"""重复率: the measure (planted shares), masking, the batch index, ingest --prior and collect."""

from __future__ import annotations

import json
import random

import pytest
from fill import consistent_values, fill

from govinfo_xlsx.cli import main
from govinfo_xlsx.errors import GovinfoError
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.checks.ingest import ingest
from govinfo_xlsx.office.config import load_config
from govinfo_xlsx.template.prior import load_prior
from govinfo_xlsx.checks.repetition import Batch, compare_texts, judged, mask
from govinfo_xlsx.template.writer import write_template


def sentences(rng: random.Random, count: int) -> list[str]:
    """Sentences of random CJK characters: two of them share no run of 13 characters."""
    return ["".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(rng.randrange(18, 40))) + "。"
            for _ in range(count)]


def planted(rng: random.Random, share: float, count: int = 100) -> tuple[str, str, float]:
    """(text, other, the share of text's characters in sentences that other also holds)."""
    own = sentences(rng, count)
    total = sum(map(len, own))
    copied, got = [], 0
    for s in own:
        if got + len(s) <= share * total:
            copied.append(s)
            got += len(s)
    rng.shuffle(copied)
    return "".join(own), "".join(copied) + "".join(sentences(rng, 40)), got / total


@pytest.mark.parametrize("share", [0.0, 0.3, 0.6, 0.9])
def test_planted_shares_are_measured_within_two_points(share):
    rng = random.Random(int(share * 100))
    text, other, truth = planted(rng, share)
    assert abs(truth - share) < 0.02
    got = compare_texts({"a": mask(text)}, {"b": mask(other)})
    assert abs(got.whole - share) <= 0.02, (got.whole, share)


def test_runs_shorter_than_thirteen_characters_do_not_count():
    rng = random.Random(7)
    a = "".join(sentences(rng, 30))
    # every 12-character piece of a, separated by characters of its own: no 13-character run is shared
    pieces = "".join(a[i:i + 12] + "※" for i in range(0, len(a), 12))
    assert compare_texts({"a": a}, {"b": pieces}).whole == 0
    longer = "".join(a[i:i + 13] + "※" for i in range(0, len(a), 13))
    assert compare_texts({"a": a}, {"b": longer}).whole > 0.95


def test_names_years_dates_and_figures_are_masked():
    last = "2024年，永康市民政局共收到政府信息公开申请35件，同比增长12.5%，均在法定期限内答复，于2025年1月20日完成年报编制工作。"
    this = "2025年，永康市教育局共收到政府信息公开申请128件，同比增长3%，均在法定期限内答复，于2026年1月18日完成年报编制工作。"
    plain = compare_texts({"a": this}, {"b": last})
    masked = compare_texts({"a": mask(this, ["永康市教育局"])}, {"b": mask(last, ["永康市民政局"])})
    assert plain.whole < 0.8
    assert masked.whole == 1.0


def test_parts_and_whole_text_against_a_text_with_other_parts():
    rng = random.Random(3)
    p1, p2 = "".join(sentences(rng, 20)), "".join(sentences(rng, 20))
    got = compare_texts({"p1": p1, "p2": p2}, {"x": "前言" + p2})  # p2 found in another part of the other text
    assert got.parts == {"p1": 0.0, "p2": 1.0}
    assert got.whole == pytest.approx(len(p2) / (len(p1) + len(p2)))


def test_batch_finds_the_share_against_peers_and_the_most_similar_peer():
    rng = random.Random(11)
    boiler = sentences(rng, 30)
    batch = Batch()
    texts = {}
    for i in range(40):
        own = sentences(rng, 60)
        texts[f"机关{i}"] = {"p1": "".join(rng.sample(boiler, 20) + own[:30]), "p2": "".join(own[30:])}
    # 机关5 copies 机关7's part p2; 机关9 copies 机关20's p1 and p2 whole
    texts["机关5"]["p2"] = texts["机关7"]["p2"]
    texts["机关9"] = dict(texts["机关20"])
    for owner, parts in texts.items():
        batch.add(owner, parts)
    results = dict(zip(texts, batch.compare()))
    r5 = results["机关5"]
    assert r5.peer == "机关7"
    assert r5.peer_share.parts["p2"] == 1.0
    assert results["机关9"].peer == "机关20" and results["机关9"].peer_share.whole == 1.0
    # an agency that only shares boilerplate: its share against the peers is the boilerplate's
    r3 = results["机关3"]
    boiler_chars = sum(len(s) for s in boiler if s in texts["机关3"]["p1"])
    total = sum(map(len, texts["机关3"].values()))
    assert r3.peers.whole == pytest.approx(boiler_chars / total, abs=0.01)
    assert r3.peer is not None and r3.peer_share.whole <= r3.peers.whole


def test_batch_agrees_with_the_pairwise_measure():
    rng = random.Random(5)
    batch = Batch()
    texts = []
    pool = sentences(rng, 200)
    for i in range(12):
        parts = {"a": "".join(rng.sample(pool, 25)), "b": "".join(sentences(rng, 10))}
        texts.append(parts)
        batch.add(f"x{i}", parts)
    results = batch.compare()
    for i, r in enumerate(results):
        mine = {k: mask(v, [f"x{i}"]) for k, v in texts[i].items()}
        best = max((compare_texts(mine, {k: mask(v, [f"x{j}"]) for k, v in texts[j].items()}).whole, j)
                   for j in range(12) if j != i)
        assert r.peer_share.whole == pytest.approx(best[0])


def test_judged_thresholds_per_part_and_short_texts():
    rng = random.Random(2)
    long_part = "".join(sentences(rng, 15))
    got = compare_texts({"p1": long_part, "p2": "无。"}, {"x": long_part + "无。"})
    assert [k for k, _, _ in judged(got, {})] == ["全文", "p1"]  # p2 is too short to be judged
    assert judged(got, {"全文": 1.01, "p1": 1.01}) == []
    short = long_part[:250]  # a whole text under 300 characters: measured, not judged
    got = compare_texts({"p1": short}, {"x": short})
    assert got.whole == 1.0 and [k for k, _, _ in judged(got, {})] == ["p1"]


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    d = tmp_path_factory.mktemp("rep")
    rng = random.Random(9)
    last_form, form = form_for_year(2025), form_for_year(2026)
    last_tpl = write_template(last_form, 2025, d / "last_tpl.xlsx")
    tpl = write_template(form, 2026, d / "tpl.xlsx")
    last = consistent_values(last_form, 2025)
    this = consistent_values(form, 2026)
    for f in form.text_fields:
        text, other, _ = planted(rng, 0.6 if f.key == "part5" else 0.1, 20)
        this[f"TEXT_{f.key}"] = text
        last[f"TEXT_{f.key}"] = other
    return {"dir": d, "last": fill(last_tpl, last, d / "last.xlsx"), "this": fill(tpl, this, d / "this.xlsx"),
            "tpl": tpl, "values": this}


def test_ingest_prior_carries_the_figures_and_finds_the_repeated_part(workbooks, tmp_path, capsys):
    report = ingest(workbooks["this"], prior=load_prior(workbooks["last"]))
    rep = report.to_dict()["repetition"]
    assert 0.55 <= rep["prior"]["parts"]["part5"] <= 0.65
    assert rep["prior"]["whole"] < 0.5
    found = [f for f in report.findings if f.rule == "xy-repetition"]
    assert len(found) == 1 and "五、存在的主要问题及改进情况" in found[0].message
    # without --prior: no figures, no finding
    plain = ingest(workbooks["this"])
    assert "repetition" not in plain.to_dict() and not any(f.rule == "xy-repetition" for f in plain.findings)
    # the office's threshold for the part
    config = tmp_path / "本办.toml"
    config.write_text("[\"重复率\"]\n\"全文\" = 50\npart5 = 70\n", encoding="utf-8")
    out = tmp_path / "r.json"
    assert main(["ingest", str(workbooks["this"]), "--prior", str(workbooks["last"]), "--config", str(config),
                 "--json", str(out)]) in (0, 1)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["repetition"]["prior"]["parts"]["part5"] == rep["prior"]["parts"]["part5"]
    assert f"重复率：与上年报告 {rep['prior']['whole'] * 100:.0f}%" in capsys.readouterr().out
    assert not any(f["rule"] == "xy-repetition" for f in doc["findings"])


def test_threshold_configuration_errors_name_the_key(tmp_path):
    bad = tmp_path / "a.toml"
    bad.write_text("[\"重复率\"]\npart9 = 50\n", encoding="utf-8")
    with pytest.raises(GovinfoError, match="part9"):
        load_config(bad)
    bad.write_text("[\"重复率\"]\n\"全文\" = 150\n", encoding="utf-8")
    with pytest.raises(GovinfoError, match="全文"):
        load_config(bad)
    good = tmp_path / "b.toml"
    good.write_text("[\"重复率\"]\n\"全文\" = \"40%\"\npart5 = 70\n", encoding="utf-8")
    assert load_config(good).repetition == {"全文": 0.4, "part5": 0.7}


def test_collect_names_the_most_similar_peer_and_finds_the_copy(workbooks, tmp_path):
    import openpyxl

    rng = random.Random(21)
    form = form_for_year(2026)
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    texts = {}
    for name in ("测试市财政局", "测试市民政局", "测试市教育局", "测试市统计局"):
        v = dict(workbooks["values"])
        v["INFO_agency"] = name
        for f in form.text_fields:
            v[f"TEXT_{f.key}"] = "".join(sentences(rng, 6))
        texts[name] = v
    texts["测试市统计局"] = {**texts["测试市民政局"], "INFO_agency": "测试市统计局"}  # copied whole
    for name, v in texts.items():
        fill(workbooks["tpl"], v, inbox / f"{name}.xlsx")
    out = tmp_path / "汇总.xlsx"
    js = tmp_path / "汇总.json"
    assert main(["collect", str(inbox), "-o", str(out), "--json", str(js), "--no-progress"]) in (0, 1)
    doc = json.loads(js.read_text(encoding="utf-8"))
    rows = {r["agency"]: r for r in doc["rows"]}
    assert rows["测试市统计局"]["repetition"] == "与测试市民政局100%（同批最相似）"
    assert rows["测试市民政局"]["repetition"] == "与测试市统计局100%（同批最相似）"
    assert rows["测试市财政局"]["repetition"] == "与同批其他机关0%"
    found = {f["agency"] for f in doc["findings"] if f["rule"] == "peer-repetition"}
    assert found == {"测试市统计局", "测试市民政局"}
    ws = openpyxl.load_workbook(out)["报送情况"]
    head = [c.value for c in ws[1]]
    col = head.index("重复率")
    values = {r[1].value: r[col].value for r in ws.iter_rows(min_row=2)}
    assert values["测试市统计局"] == "与测试市民政局100%（同批最相似）"


def test_collect_prior_dir_gives_last_years_figure(workbooks, tmp_path):
    inbox, priors = tmp_path / "in", tmp_path / "last"
    inbox.mkdir()
    priors.mkdir()
    (inbox / "a.xlsx").write_bytes(workbooks["this"].read_bytes())
    (priors / "a.xlsx").write_bytes(workbooks["last"].read_bytes())
    js = tmp_path / "s.json"
    assert main(["collect", str(inbox), "-o", str(tmp_path / "s.xlsx"), "--prior-dir", str(priors),
                 "--json", str(js), "--no-progress"]) in (0, 1)
    doc = json.loads(js.read_text(encoding="utf-8"))
    assert doc["rows"][0]["repetition"].startswith("与上年")
    assert any(f["rule"] == "xy-repetition" for f in doc["findings"])


def test_texts_shorter_than_a_run_compare_to_nothing():
    batch = Batch()
    batch.add("甲", {"a": "无其他事项需要报告。", "b": "本年未收费。", "c": ""})  # together over 13 characters,
    batch.add("乙", {"a": "无其他事项需要报告。", "b": "本年未收费。", "c": ""})  # each part under
    assert [r.peers.whole for r in batch.compare()] == [0.0, 0.0]
    assert compare_texts({"a": ""}, {"b": "无"}).whole == 0.0

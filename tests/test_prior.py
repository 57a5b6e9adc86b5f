"""Prior-year carry-over: prefilled templates and cross-year rules, 2020 → 2021 and 2021 → 2022."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from fill import consistent_values, fill

from govinfo_xlsx.cli import main
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.checks.ingest import ingest
from govinfo_xlsx.template.layout import RULE_ID_COLUMN, SHEET_NAMES, Layout
from govinfo_xlsx.forms.crossyear import applicable
from govinfo_xlsx.forms.data import prior_values
from govinfo_xlsx.template.prior import load_prior, prefill_from
from govinfo_xlsx.checks.rulekinds import Jump, Linear, TextSimilar
from govinfo_xlsx.template.writer import build_template, write_template

CHAINS = [(2019, 2020), (2020, 2021), (2021, 2022)]
POOLS = (
    ["持续推进政务公开标准化规范化建设，梳理公开事项目录。", "组织开展政府信息公开业务培训两次。",
     "按季度检查网站专栏内容更新情况。", "对依申请公开答复文书进行合法性审查。"],
    ["完善政府信息发布审核机制，落实三审制度。", "优化政务新媒体矩阵，及时回应社会关切。",
     "开展政府网站普查整改，清理过期栏目。", "建立依申请公开台账并逐件跟踪办理。"],
)


def year_values(form, year, last=None):
    """A consistent data set for ``year``, continuing ``last`` year's data when given."""
    v = consistent_values(form, year)
    carried = last["table3"]["carry_forward"] if last else None
    for b in form.table2.blocks:
        if last and {"prev_count", "change"} <= {c.key for c in b.columns}:
            for r in b.rows:
                prev = last["table2"][b.key][r.key]
                v[f"T2_{b.key}_{r.key}_prev_count"] = prev["prev_count"] + prev["change"]
    for f in form.text_fields:
        v[f"TEXT_{f.key}"] = f"{f.label}：{year}年" + "".join(POOLS[year % 2]) + (
            "按规定未收取信息处理费。" if f.key == "part6" else "")
    if carried:
        for c in form.table3.input_columns:
            old = v[f"T3_carried_over_{c.key}"]
            v[f"T3_carried_over_{c.key}"] = carried[c.key]
            v[f"T3_new_{c.key}"] += old - carried[c.key]
            assert v[f"T3_new_{c.key}"] >= 0
    return v


_BUILT: dict[tuple[int, int], dict] = {}


@pytest.fixture(scope="module", params=CHAINS, ids=[f"{a}-{b}" for a, b in CHAINS])
def chain(request, tmp_path_factory):
    """One chain per pair of years, built once: the tests that name their chain indirectly
    (test_each_cross_year_rule_broken_once) would otherwise each build it again."""
    if request.param not in _BUILT:
        _BUILT[request.param] = _build_chain(*request.param, tmp_path_factory)
    return _BUILT[request.param]


def _build_chain(last_year, year, tmp_path_factory):
    d = tmp_path_factory.mktemp(f"chain{last_year}")
    last_form, form = form_for_year(last_year), form_for_year(year)
    last_tpl = write_template(last_form, last_year, d / "last_tpl.xlsx")
    last_xlsx = fill(last_tpl, year_values(last_form, last_year), d / "last.xlsx")
    last_json = d / "last.json"
    assert main(["ingest", str(last_xlsx), "--json", str(last_json)]) == 0
    last = load_prior(last_xlsx)
    tpl = d / "this_tpl.xlsx"
    assert main(["make-template", str(year), "-o", str(tpl), "--prior", str(last_xlsx)]) == 0
    values = year_values(form, year, last.data)
    return {"form": form, "year": year, "last": last, "last_xlsx": last_xlsx, "last_json": last_json,
            "template": tpl, "values": values, "dir": d}


def _ingest(chain, values, name="this.xlsx", prior="xlsx"):
    path = fill(chain["template"], values, chain["dir"] / name)
    return ingest(path, prior=load_prior(chain[f"last_{prior}"]))


def test_consistent_chain_is_clean(chain):
    report = _ingest(chain, chain["values"])
    assert report.ok and report.findings == [], [f.to_dict() for f in report.findings]


def test_json_and_xlsx_priors_give_the_same_result(chain):
    v = dict(chain["values"])
    v["T3_carried_over_natural"] += 1
    v["TEXT_part5"] = load_prior(chain["last_xlsx"]).data["text"]["part5"]
    a = _ingest(chain, v, "a.xlsx", "xlsx")
    b = _ingest(chain, v, "b.xlsx", "json")
    assert a.to_dict() == b.to_dict()
    assert {f.rule for f in a.findings} >= {"xy-carried-over-natural", "xy-same-text-part5"}


def _break(chain, rule):
    """A copy of the chain's values that breaks ``rule``."""
    v = dict(chain["values"])
    last = chain["last"].data
    if isinstance(rule, Linear):
        first = an_input(chain["form"], rule.terms[0][1])
        v[first] = v[first] + 1
    elif isinstance(rule, Jump):
        target = an_input(chain["form"], rule.cell)
        v[target] = v[target] + 1000
    elif isinstance(rule, TextSimilar):
        v[rule.cell] = last["text"][rule.cell[len("TEXT_"):]]
    return v


def an_input(form, name):
    """The cell itself, or for a formula total the first input it sums."""
    spec = form.cell(name)
    while spec.sum_of:
        spec = form.cell(spec.sum_of[0])
    return spec.name


def _chain_rules():
    for last_year, year in CHAINS:
        form, last_form = form_for_year(year), form_for_year(last_year)
        available = {f"PRIOR_{c.name}" for c in last_form.cells()}
        for rule in applicable(form.cross_year, available):
            yield pytest.param((last_year, year), rule.id, id=f"{last_year}-{year}-{rule.id}")


@pytest.mark.parametrize("chain,rule_id", list(_chain_rules()), indirect=["chain"])
def test_each_cross_year_rule_broken_once(chain, rule_id):
    form = chain["form"]
    rule = next(r for r in form.cross_year if r.id == rule_id)
    report = _ingest(chain, _break(chain, rule))
    where = {(f.sheet, f.cell) for f in report.findings if f.rule == rule_id}
    assert where == {Layout.of(form).address(rule.cells()[0])}
    assert next(f for f in report.findings if f.rule == rule_id).severity == rule.severity


def test_every_cross_year_rule_is_broken_in_some_chain():
    tested = {(form_for_year(p.values[0][1]).id, p.values[1]) for p in _chain_rules()}
    for year in (2020, 2026):
        form = form_for_year(year)
        assert {(form.id, r.id) for r in form.cross_year} <= tested


def test_in_force_continuity_needs_the_2021_format(chain):
    ids = {r.id for r in applicable(chain["form"].cross_year, set(prior_values(chain["form"], chain["last"])))}
    assert ("xy-in-force-rules" in ids) == (chain["last"].form == "gov-2021")


def test_prior_of_another_agency_or_year(chain, tmp_path):
    d = json.loads(chain["last_json"].read_text(encoding="utf-8"))
    d["agency"] = "另一个局"
    d["data"]["info"]["agency"] = "另一个局"
    other = tmp_path / "other.json"
    other.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    path = fill(chain["template"], chain["values"], tmp_path / "x.xlsx")
    report = ingest(path, prior=load_prior(other))
    assert {(f.rule, f.cell) for f in report.errors} == {("xy-prior-agency", "B3")}
    d["agency"] = d["data"]["info"]["agency"] = chain["last"].agency
    d["year"] = chain["year"] - 2
    other.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    report = ingest(path, prior=load_prior(other))
    assert ("xy-prior-year", "B5") in {(f.rule, f.cell) for f in report.errors}


def test_make_template_refuses_a_prior_of_the_wrong_year(chain, tmp_path, capsys):
    out = tmp_path / "t.xlsx"
    assert main(["make-template", str(chain["year"] + 1), "-o", str(out), "--prior", str(chain["last_json"])]) == 2
    assert "不是" in capsys.readouterr().err and not out.exists()


def test_prefilled_template(chain):
    form, year = chain["form"], chain["year"]
    wb = openpyxl.load_workbook(chain["template"])
    names = {n: next(iter(wb.defined_names[n].destinations)) for n in wb.defined_names}

    def cell(name):
        sheet, ref = names[name]
        return wb[sheet][ref.replace("$", "")]

    carry = chain["last"].data["table3"]["carry_forward"]
    for c in form.table3.input_columns:
        got = cell(f"T3_carried_over_{c.key}")
        assert got.value == carry[c.key] and got.protection.locked is not False
        assert cell(f"PRIOR_T3_carry_forward_{c.key}").value == carry[c.key]
    assert cell("INFO_agency").value == chain["last"].agency
    assert cell("INFO_address").value == chain["last"].data["info"]["address"]
    assert cell("INFO_year").value == year
    checks = wb[SHEET_NAMES["checks"]]
    ids = [checks.cell(r, RULE_ID_COLUMN + 1).value for r in range(5, checks.max_row + 1)]
    assert "xy-carried-over-natural" in ids and not any(i and i.startswith("xy-jump") for i in ids)
    assert ("xy-in-force-rules" in ids) == (chain["last"].form == "gov-2021")
    notes = " ".join(str(c.value) for c in wb[SHEET_NAMES["instructions"]]["A"] if c.value)
    assert "上年数据" in notes
    assert ("没有对应栏目" in notes) == (chain["last"].form != form.id)
    if chain["last"].form == "gov-2021":
        assert cell("PRIOR_T2_art20_1_rules_in_force").value == chain["last"].data["table2"]["art20_1"]["rules"][
            "in_force"]


def test_unlock_prior_leaves_the_carry_over_editable(chain, tmp_path):
    out = tmp_path / "u.xlsx"
    assert main(["make-template", str(chain["year"]), "-o", str(out), "--prior", str(chain["last_json"]),
                 "--unlock-prior"]) == 0
    wb = openpyxl.load_workbook(out)
    sheet, ref = next(iter(wb.defined_names["T3_carried_over_natural"].destinations))
    assert wb[sheet][ref.replace("$", "")].protection.locked is False


def test_ingest_without_prior_uses_the_prefilled_figures(chain):
    v = dict(chain["values"])
    v["T3_carried_over_legal"] += 2
    v["T3_new_legal"] -= 2  # keeps 一+二 = 三（七）+四
    path = fill(chain["template"], v, chain["dir"] / "noprior.xlsx")
    report = ingest(path)
    assert {f.rule for f in report.findings} == {"xy-carried-over-legal", "xy-carried-over-total"}


def test_cli_ingest_prior(chain, capsys):
    path = fill(chain["template"], chain["values"], chain["dir"] / "cli.xlsx")
    assert main(["ingest", str(path), "--prior", str(chain["last_json"])]) == 0
    assert main(["ingest", str(path), "--prior", str(chain["dir"] / "missing.json")]) == 2


def test_prefill_is_deterministic(chain):
    form, year = chain["form"], chain["year"]
    pre = prefill_from(form, year, chain["last"])
    kwargs = dict(values=pre.values, prior_values=pre.prior_values, locked=pre.locked, notes=pre.notes)
    assert build_template(form, year, **kwargs) == build_template(form, year, **kwargs)
    assert io.BytesIO(build_template(form, year, **kwargs)).getbuffer().nbytes > 0
    assert Path(chain["template"]).read_bytes() == build_template(form, year, **kwargs)


def test_text_copied_from_last_year_is_measured_and_found(chain):
    """重复率 (checks/repetition.py): every part copied from last year's report, only the year changed."""
    v = dict(chain["values"])
    last = chain["last"].data["text"]
    for key, text in last.items():
        if text:
            v[f"TEXT_{key}"] = text.replace(str(chain["year"] - 1), str(chain["year"]))
    report = _ingest(chain, v, "copied.xlsx")
    assert report.repetition["prior"]["whole"] == 1.0
    assert "xy-repetition" in {f.rule for f in report.findings}
    assert _ingest(chain, chain["values"], "own.xlsx").repetition["prior"]["whole"] < 0.1

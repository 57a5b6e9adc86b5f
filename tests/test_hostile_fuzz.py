"""Random damage to valid workbooks (hypothesis): byte flips, truncation, XML edits, odd values in any
input cell. Whatever the damage, ingest returns a report whose JSON is strict and whose every format
renders, or refuses the file with one Chinese message (GovinfoError); the CLI never prints a traceback
and exits 0, 1 or 2; collect keeps every valid file of a batch and gives every damaged one its row.
"""

from __future__ import annotations

import io
import os
import json
import zipfile

import pytest
from fill import consistent_values, fill
from hostile import collect_rows, members, rebuild, run_cli, set_cell_xml, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govinfo_xlsx.errors import GovinfoError
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.checks.ingest import ingest
from govinfo_xlsx.template.layout import Layout
from govinfo_xlsx.report.context import build_context
from govinfo_xlsx.report.render import RENDERERS, _strings
from govinfo_xlsx.files.safetext import xml_text
from govinfo_xlsx.template.writer import write_template

FORM = form_for_year(2026)
LAYOUT = Layout(FORM)
INPUTS = sorted(n for n, s in LAYOUT.specs.items() if s.is_input)
# print_blob: a failure prints what replays its example (@reproduce_failure); no database keeps them
FUZZ = settings(max_examples=int(os.environ.get("GOVINFO_FUZZ_EXAMPLES", "40")), deadline=None, database=None,
                print_blob=True, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


class Valid(bytes):
    """The valid workbook's bytes, shown briefly when hypothesis reports a failing example."""

    def __repr__(self) -> str:
        return f"<valid workbook, {len(self)} bytes>"


@pytest.fixture(scope="module")
def valid(tmp_path_factory) -> bytes:
    d = tmp_path_factory.mktemp("fuzz")
    template = write_template(FORM, 2026, d / "template.xlsx")
    return Valid(fill(template, consistent_values(FORM, 2026), d / "valid.xlsx").read_bytes())


@pytest.fixture(scope="module")
def others(tmp_path_factory) -> list[bytes]:
    """Two more valid workbooks, of agencies of their own (a batch's files of one agency are re-submissions,
    all but the newest shown as 已替换: the damaged copies of ``valid`` must not replace these)."""
    d = tmp_path_factory.mktemp("fuzz-others")
    template = write_template(FORM, 2026, d / "template.xlsx")
    out = []
    for name in ("好一局", "好二局"):
        v = consistent_values(FORM, 2026)
        v["INFO_agency"] = name
        out.append(Valid(fill(template, v, d / f"{name}.xlsx").read_bytes()))
    return out


# -- damage ---------------------------------------------------------------------------------------------

def flips(data: bytes, changes: list[tuple[int, int]]) -> bytes:
    buf = bytearray(data)
    for pos, xor in changes:
        buf[pos % len(buf)] ^= xor or 1
    return bytes(buf)


ODD_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
ODD_VALUE = st.one_of(
    st.sampled_from(["NaN", "INF", "-inf", "1e308", "-1e308", "0", "-0", "1e-320", "99999999999999999999",
                     "2958466", "-1", "0.5", "46000", "abc", ""]).map(lambda v: (f"<v>{v}</v>", "n")),
    st.sampled_from(["#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", ""]).map(
        lambda v: (f"<v>{v}</v>", "e")),
    st.sampled_from(["0", "1", "2", "x"]).map(lambda v: (f"<v>{v}</v>", "b")),
    st.sampled_from(["9999-12-31T00:00:00", "0001-01-01", "2026-13-45", "x", "20255-01-01"]).map(
        lambda v: (f"<v>{v}</v>", "d")),
    ODD_TEXT.map(lambda s: (f"<is><t>{_xml(s)}</t></is>", "inlineStr")),
    st.sampled_from(["_x001B_[2J", "_x0000_", "_x202E_局", "&#x202E;", "_xD800_"]).map(
        lambda s: (f"<is><t>{s}</t></is>", "inlineStr")),
    st.integers(min_value=0, max_value=10**6).map(lambda i: (f"<v>{i}</v>", "s")),  # a shared string index
)


def _xml(s: str) -> str:
    s = "".join(ch if ch in "\t\n\r" or ord(ch) >= 0x20 else f"_x{ord(ch):04X}_" for ch in s)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@st.composite
def odd_cells(draw, valid: bytes) -> bytes:
    data = valid
    for name in draw(st.lists(st.sampled_from(INPUTS), min_size=1, max_size=4, unique=True)):
        inner, t = draw(ODD_VALUE)
        sheet, ref = LAYOUT.address(name)
        data = set_cell_xml(data, sheet, ref, inner, t)
    return data


@st.composite
def xml_edits(draw, valid: bytes) -> bytes:
    parts = members(valid)
    name = draw(st.sampled_from(sorted(n for n in parts if n.endswith((".xml", ".rels")))))
    text = parts[name]
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, min(len(text), start + 200)))
    insert = draw(st.sampled_from([b"", b"<", b"&", b"\x00", b"<c r=\"A1\">", b"</row>", b"\xff\xfe",
                                   b"<!DOCTYPE x>", b"]]>", b"r=\"ZZZ0\"", "机关".encode()]))
    parts[name] = text[:start] + insert + text[end:]
    return rebuild(parts)


class Damaged(bytes):
    def __repr__(self) -> str:
        return f"<damaged workbook, {len(self)} bytes, sha256 {__import__('hashlib').sha256(self).hexdigest()[:12]}>"


def damaged(valid: bytes):
    return _damage(valid).map(Damaged)


def _damage(valid: bytes):
    return st.one_of(
        st.lists(st.tuples(st.integers(0, len(valid) - 1), st.integers(0, 255)), min_size=1, max_size=20).map(
            lambda changes: flips(valid, changes)),
        st.integers(0, len(valid) - 1).map(lambda n: valid[:n]),
        xml_edits(valid),
        odd_cells(valid),
    )


# -- ingest ---------------------------------------------------------------------------------------------

def _ingest_calmly(data: bytes) -> str:
    """'report' or 'refused'; anything else (an exception other than GovinfoError) fails the test."""
    try:
        report = ingest("受损.xlsx", data=data)
    except GovinfoError as e:
        assert "受损.xlsx" in str(e) and str(e).strip()
        return "refused"
    json.dumps(report.to_dict(), ensure_ascii=False, allow_nan=False)
    context = _strings(build_context(report), xml_text)
    for fmt, render in RENDERERS.items():
        assert render(context), fmt
    return "report"


@FUZZ
@given(data=st.data())
def test_ingest_survives_random_damage(valid, data):
    _ingest_calmly(data.draw(damaged(valid)))


@settings(max_examples=60, deadline=None, database=None, print_blob=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_odd_values_in_any_input_cell_are_read(valid, data):
    """Odd values in input cells leave the package intact: the workbook is read, never refused
    (except by a panic of the value reader, reported in Chinese)."""
    try:
        report = ingest("怪值.xlsx", data=data.draw(odd_cells(valid)))
    except GovinfoError as e:
        assert "无法" in str(e) and "怪值.xlsx" in str(e)
        return
    json.dumps(report.to_dict(), ensure_ascii=False, allow_nan=False)


@settings(max_examples=15, deadline=None, database=None, print_blob=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_ingest_cli_survives_random_damage(valid, tmp_path_factory, capsys, data):
    d = tmp_path_factory.mktemp("cli")
    path = d / "受损.xlsx"
    path.write_bytes(data.draw(damaged(valid)))
    before = snapshot(d)
    code, out, err = run_cli(capsys, ["ingest", str(path), "--json", str(d / "r.json"), "-o", str(d / "报告")])
    if code == 2:
        assert len(err.strip().splitlines()) == 1 and err.startswith("错误：")
        assert not (d / "r.json").exists()
    else:
        json.loads((d / "r.json").read_text(encoding="utf-8"))
        assert len(list((d / "报告").iterdir())) == 4
    assert snapshot(d)["受损.xlsx"] == before["受损.xlsx"]


# -- collect --------------------------------------------------------------------------------------------

@settings(max_examples=6, deadline=None, database=None, print_blob=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_collect_keeps_every_valid_file(valid, others, tmp_path_factory, capsys, data):
    d = tmp_path_factory.mktemp("batch")
    inbox = d / "收件箱"
    inbox.mkdir()
    (inbox / "好1.xlsx").write_bytes(others[0])
    bad = data.draw(st.lists(damaged(valid), min_size=1, max_size=5))
    for i, b in enumerate(bad):
        (inbox / f"坏{i}.xlsx").write_bytes(b)
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("好2.xlsx", others[1])
        for i, b in enumerate(bad):
            z.writestr(f"坏{i}.xlsx", b)
    (inbox / "附件.zip").write_bytes(zbuf.getvalue())
    before = snapshot(inbox)
    jobs = data.draw(st.sampled_from(["1", "2"]))
    code, rows, err = collect_rows(capsys, [inbox], d / "out", "--jobs", jobs)
    files = {r["file"].rsplit("/", 1)[-1]: r for r in rows}
    assert len(rows) == 2 + 2 * len(bad)
    assert files["好1.xlsx"]["status"] in ("通过", "仅警告") and files["附件.zip!好2.xlsx"]["status"] in ("通过", "仅警告")
    # damaged copies of one workbook that can still be read are one agency's re-submissions
    assert all(r["status"] in ("无法读取", "有错误", "仅警告", "通过", "已替换") for r in rows)
    assert snapshot(inbox) == before


# -- extract --------------------------------------------------------------------------------------------

PAGE = ("<html><body><h1>某局2021年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>本年度……</p>"
        "<table><tr><td>新收</td><td>3</td></tr></table><p>二、主动公开政府信息情况</p></body></html>")


@settings(max_examples=25, deadline=None, database=None, print_blob=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_extract_survives_damaged_pages(tmp_path_factory, capsys, data):
    """A published report damaged or made up (HTML, text, a DOCX that is no zip): exit 0, 1 or 2 with one
    Chinese line on failure, never a traceback."""
    suffix = data.draw(st.sampled_from([".html", ".txt", ".docx", ".md"]))
    base = PAGE.encode() if suffix != ".docx" else b"PK\x03\x04" + PAGE.encode()
    cut = data.draw(st.integers(0, len(base)))
    noise = data.draw(st.binary(max_size=200))
    d = tmp_path_factory.mktemp("extract")
    path = d / f"报告{suffix}"
    path.write_bytes(base[:cut] + noise + base[cut:])
    code, out, err = run_cli(capsys, ["extract", str(path), "-o", str(d / "结果.json")])
    if code == 2:
        assert len(err.strip().splitlines()) == 1 and err.startswith("错误："), err
    else:
        json.loads((d / "结果.json").read_text(encoding="utf-8"))

"""ingest from the command line: bad input of every kind, exit codes, JSON, annotated copies."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT
from fill import consistent_values, fill

from govinfo_xlsx.cli import ingest_main, main
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.checks.ingest import ingest
from govinfo_xlsx.template.writer import build_template

TEMPLATE = build_template(form_for_year(2026), 2026)


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _rezip(data: bytes, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            new = change(info.filename, src.read(info))
            if new is not None:
                z.writestr(info.filename, new)
        for name, body in change.extra if hasattr(change, "extra") else ():
            z.writestr(name, body)
    return out.getvalue()


def _encrypted() -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(TEMPLATE)).encrypt("密码", out)
    return out.getvalue()


def _xlsm() -> bytes:
    def change(name, body):
        if name == "[Content_Types].xml":
            return body.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
        return body

    change.extra = [("xl/vbaProject.bin", b"\x00" * 64)]
    return _rezip(TEMPLATE, change)


def _entity_bomb() -> bytes:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol2;</t></si></sst>')
    return _rezip(TEMPLATE, lambda name, body: bomb if name == "xl/sharedStrings.xml" else body)


def _zip_bomb() -> bytes:
    def change(name, body):
        return body

    change.extra = [("xl/media/image1.png", b"\0" * (60 * 1024 * 1024))]
    return _rezip(TEMPLATE, change)


def _foreign() -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    wb.add_worksheet("Sheet1").write("A1", "收支表")
    wb.close()
    return out.getvalue()


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    return out.getvalue()


BAD = {
    "text-file": (lambda: "这不是表格".encode(), "不是 xlsx 文件"),
    "encrypted": (_encrypted, "打开密码"),
    "old-xls": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000, ".xls"),
    "xlsm": (_xlsm, ".xlsm"),
    "truncated": (lambda: TEMPLATE[: len(TEMPLATE) // 2], "损坏"),
    "zip-bomb": (_zip_bomb, "压缩炸弹"),
    "entity-bomb": (_entity_bomb, "DOCTYPE"),
    "foreign": (_foreign, "不是 govinfo-xlsx 生成的填报模板"),
    "word": (_docx, "Word"),
    "empty": (lambda: b"", "不是 xlsx 文件"),
}


@pytest.mark.parametrize("kind", list(BAD))
def test_bad_input_exits_2_with_one_chinese_line(kind, tmp_path, capsys):
    make, words = BAD[kind]
    path = tmp_path / f"坏文件-{kind}.xlsx"
    path.write_bytes(make())
    before = _sha(path)
    assert ingest_main([str(path), "--json", str(tmp_path / "out.json"), "--annotate"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0] and path.name in err[0], err
    assert "Traceback" not in err[0]
    assert _sha(path) == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no JSON at all, never an empty "[]"


def test_missing_file_and_directory(tmp_path, capsys):
    assert ingest_main([str(tmp_path / "没有.xlsx")]) == 2
    assert ingest_main([str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "文件不存在" in err and "目录" in err


@pytest.fixture
def filled(tmp_path):
    form = form_for_year(2026)
    template = tmp_path / "template.xlsx"
    template.write_bytes(TEMPLATE)
    good = fill(template, consistent_values(form, 2026), tmp_path / "good.xlsx")
    v = consistent_values(form, 2026)
    v["T3_new_natural"] += 1
    v["T3_granted_legal"] = f"{v['T3_granted_legal']}件"
    bad = fill(template, v, tmp_path / "bad.xlsx")
    return good, bad


def test_exit_codes_and_batch_goes_on(filled, tmp_path, capsys):
    good, bad = filled
    assert main(["ingest", str(good)]) == 0
    assert main(["ingest", str(bad)]) == 1
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"junk")
    assert main(["ingest", str(good), str(broken), str(bad)]) == 2
    out = capsys.readouterr()
    assert out.out.count("文件：") == 4 and "broken.xlsx" in out.err


def test_terminal_summary_lists_errors_first_with_cells(filled, capsys):
    _, bad = filled
    main(["ingest", str(bad)])
    lines = capsys.readouterr().out.splitlines()
    assert "结论：未通过" in lines[2]
    findings = [ln.strip() for ln in lines[3:]]
    assert findings[0].startswith("错误 表三 依申请公开!D6 [t3-balance-natural]")
    assert any(f.startswith("警告 表三 依申请公开!H8 [cell-normalized]") for f in findings)
    severities = [f.split()[0] for f in findings]
    assert severities == sorted(severities, key=["错误", "警告", "提示"].index)


def test_json_equals_the_library(filled, tmp_path, capsys):
    _, bad = filled
    assert main(["ingest", str(bad), "--json", "-"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc == ingest(bad).to_dict()
    assert set(doc) == {"form", "year", "agency", "ok", "findings", "data"}
    assert doc["ok"] is False and doc["form"] == "gov-2021" and doc["year"] == 2026
    f = doc["findings"][0]
    assert set(f) == {"rule", "severity", "sheet", "cell", "row_label", "col_label", "expected", "actual", "message",
                      "explanation"}
    assert (f["rule"], f["severity"], f["cell"]) == ("t3-balance-natural", "错误", "D6")
    assert doc["data"]["table3"]["new"]["natural"] == consistent_values(form_for_year(2026), 2026)["T3_new_natural"] + 1
    out = tmp_path / "r.json"
    assert main(["ingest", str(bad), "--json", str(out)]) == 1
    assert json.loads(out.read_text(encoding="utf-8")) == doc


def test_annotated_copy(filled, tmp_path):
    _, bad = filled
    before = _sha(bad)
    outdir = tmp_path / "back"
    outdir.mkdir()
    assert main(["ingest", str(bad), "--annotate", str(outdir)]) == 1
    assert _sha(bad) == before
    wb = openpyxl.load_workbook(outdir / "bad.校验批注.xlsx")
    ws = wb["表三 依申请公开"]
    assert ws["D6"].fill.fgColor.rgb.endswith("FFC7CE")
    assert "[t3-balance-natural]" in ws["D6"].comment.text
    assert "[cell-normalized]" in ws["H8"].comment.text
    assert ws["E6"].comment is None
    assert wb.security.lockStructure  # still the clerk's locked workbook


def _without_named_styles(src: Path, out: Path) -> Path:
    """``src`` with no named cell styles, as Gnumeric saves a workbook (openpyxl warns on loading it)."""
    import re

    with zipfile.ZipFile(src) as z, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in z.infolist():
            data = z.read(item.filename)
            if item.filename == "xl/styles.xml":
                data = re.sub(rb"<cellStyles\b.*?</cellStyles>", b"", data, flags=re.S)
                assert b"<cellStyles" not in data
            dst.writestr(item, data)
    return out


def test_openpyxl_says_nothing_of_what_it_mends_in_another_programs_save(filled, tmp_path, capsys):
    """The annotated copy and the reviewer's summary are opened with openpyxl, which warns (in English,
    on stderr) about a workbook without a default style; the user sees only the tool's own words."""
    import warnings

    from govinfo_xlsx.collect.review import load_review

    bad = _without_named_styles(filled[1], tmp_path / "无默认样式.xlsx")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        openpyxl.load_workbook(bad)  # the warning is there to be kept quiet
        assert any("default style" in str(w.message) for w in seen)
        del seen[:]
        assert main(["ingest", str(bad), "--annotate", str(tmp_path / "back"), "-o", str(tmp_path / "r")]) == 1
        summary = tmp_path / "S.xlsx"
        assert main(["collect", str(bad), "-o", str(summary), "--no-progress"]) == 1
        load_review(_without_named_styles(summary, tmp_path / "S2.xlsx"))
    assert (tmp_path / "back" / "无默认样式.校验批注.xlsx").exists()
    assert [str(w.message) for w in seen if "openpyxl" in w.filename] == []
    assert "default style" not in capsys.readouterr().err


def test_rules_catalogue_lists_every_rule(capsys):
    assert main(["rules"]) == 0
    text = capsys.readouterr().out
    for year in (2020, 2026):
        for r in form_for_year(year).rules:
            assert f"`{r.id}`" in text
    assert "`structure-formula`" in text and "`cell-normalized`" in text


def test_ingest_short_form_help():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "govinfo_xlsx", "ingest", "--help"], capture_output=True,
                          text=True, cwd=ROOT)
    assert proc.returncode == 0 and "--strict-blank" in proc.stdout


def test_ingest_and_collect_name_annotated_copies_one_way():
    from govinfo_xlsx.results.pipeline import annotated_stem

    assert annotated_stem("甲局2025年报") == "甲局2025年报.校验批注"
    assert annotated_stem("甲局2025年报", "0a1b2c3d") == "甲局2025年报-0a1b2c3d.校验批注"


def test_annotated_copy_sizes_text_rows_to_their_text(tmp_path):
    """A long 文字部分 part keeps showing in full in the annotated copy: its row is as tall as its text."""
    from govinfo_xlsx.template.layout import TEXT_ROW_HEIGHT, Layout

    form = form_for_year(2026)
    v = consistent_values(form, 2026)
    v["TEXT_part1_intro"] = "本机关持续推进政府信息公开工作，" * 60
    v["T3_new_natural"] += 1  # an error, so that the copy has something to mark
    template = tmp_path / "t.xlsx"
    template.write_bytes(build_template(form, 2026))
    path = fill(template, v, tmp_path / "w.xlsx")  # typed after the template was made: rows still short
    assert main(["ingest", str(path), "--annotate", str(tmp_path)]) == 1
    ws = openpyxl.load_workbook(tmp_path / "w.校验批注.xlsx")["文字部分"]
    sl = Layout.of(form).sheets["text"]
    long_row = sl.cells["TEXT_part1_intro"].row + 1
    short_row = sl.cells["TEXT_part1_active"].row + 1
    assert ws.row_dimensions[long_row].height > 3 * TEXT_ROW_HEIGHT
    assert ws.row_dimensions[long_row].height > 3 * (ws.row_dimensions[short_row].height or TEXT_ROW_HEIGHT)

"""Names and text from data: file names built from cells, terminal output, Markdown, DOCX, HTML, JSON."""

from __future__ import annotations

import json
import os
import zipfile

import pytest
from fill import consistent_values, fill
from hostile import run_cli, set_cell_xml, snapshot

from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.template.layout import Layout

FORM = form_for_year(2026)


def _book(template, path, **values):
    v = consistent_values(FORM, 2026)
    v.update(values)
    return fill(template, v, path)


def _with_agency_xml(template, path, text_xml):
    """A workbook whose agency cell holds ``text_xml`` (escapes such as _x001B_ as Excel writes them)."""
    data = _book(template, path).read_bytes()
    sheet, ref = Layout(FORM).address("INFO_agency")
    path.write_bytes(set_cell_xml(data, sheet, ref, f"<is><t>{text_xml}</t></is>", "inlineStr"))
    return path


# -- the sanitiser and the cleaners ------------------------------------------------------------------

@pytest.mark.parametrize("text", ["\x1b[31m局\u202e", ".", "..", "../../etc/passwd", "a/b\\c:d*e?f\"g<h>i|j",
                                  "局\n名\r\t", "con", "长" * 300, "\u200b\u2066", "", " . 局 . "])
def test_file_stem_is_always_a_safe_name(text):
    from govinfo_xlsx.files.safetext import file_stem

    stem = file_stem(text)
    assert stem and not stem.startswith(".") and len(stem.encode()) <= 150
    assert not any(ch in stem for ch in '/\\:*?"<>|\n\r\t\x1b\u202e\u200b\u2066')
    assert stem.lower() != "con"


def test_names_are_unique_per_run():
    from govinfo_xlsx.files.safetext import Names

    names = Names()
    first = names.claim_all("甲局2026年报告", (".docx", ".json"))
    second = names.claim_all("甲局2026年报告", (".docx", ".json"))
    third = names.claim("甲局2026年报告", ".DOCX")
    assert first == ["甲局2026年报告.docx", "甲局2026年报告.json"]
    assert second == ["甲局2026年报告（2）.docx", "甲局2026年报告（2）.json"] and third == "甲局2026年报告（3）.DOCX"


def test_terminal_markdown_and_xml_cleaners():
    from govinfo_xlsx.files.safetext import markdown, terminal, xml_text

    assert terminal("a\x1b[2Jb\u202ec\n") == "a\ufffd[2Jb\ufffdc\n"
    assert terminal(os.fsdecode("乙局年报.xlsx".encode("gbk"))) == "乙局年报.xlsx"  # a GBK name on disk
    assert xml_text("a\x00b\x07c\td") == "abc\td"
    md = markdown("# 标题\n<script>x</script> [a](javascript:b) *c* | d\n- 列表\n1. 编号")
    assert "<script>" not in md and "\\#" in md and "\\[a\\]" in md and "\\*c\\*" in md and "\\|" in md
    assert "\n\\- 列表" in md and "\n1\\. 编号" in md


# -- ingest -o and --annotate ------------------------------------------------------------------------------

def test_two_workbooks_of_one_agency_never_share_outputs(template, tmp_path, capsys):
    """`ingest a.xlsx b.xlsx -o OUT` with one agency in both: two complete reports, none overwritten."""
    a = _book(template, tmp_path / "a.xlsx", T4_review_upheld=1)
    (tmp_path / "乙").mkdir()
    b = _book(template, tmp_path / "乙" / "a.xlsx", T4_review_upheld=2)
    out, ann = tmp_path / "报告", tmp_path / "批注"
    before = snapshot(tmp_path)
    code, stdout, err = run_cli(capsys, ["ingest", str(a), str(b), "-o", str(out), "--annotate", str(ann)])
    docs = sorted(out.glob("*.json"))
    assert len(docs) == 2 and len(list(out.iterdir())) == 8
    upheld = sorted(json.loads(p.read_text(encoding="utf-8"))["data"]["table4"]["review"]["upheld"] for p in docs)
    assert upheld == [1, 2]
    assert sorted(p.name for p in ann.iterdir()) == ["a.校验批注.xlsx", "a.校验批注（2）.xlsx"] and code == 0
    assert {k: v for k, v in snapshot(tmp_path).items() if not k.startswith(("报告", "批注"))} == before


@pytest.mark.parametrize("agency,why", [(".", "hidden file"), ("长" * 100, "100 characters"),
                                        ("长" * 300, "over 255 characters"), ("<script>alert(1)</script>", "HTML")])
def test_agency_names_make_complete_visible_outputs(template, tmp_path, capsys, agency, why):
    path = _book(template, tmp_path / "in.xlsx", INFO_agency=agency)
    out = tmp_path / "报告"
    code, stdout, err = run_cli(capsys, ["ingest", str(path), "-o", str(out)])
    assert code == 0, err
    files = sorted(out.iterdir())
    assert len(files) == 4 and not any(p.name.startswith(".") for p in files), why
    assert all(len(p.name.encode()) <= 255 for p in files)
    html = next(p for p in files if p.suffix == ".html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    md = next(p for p in files if p.suffix == ".md").read_text(encoding="utf-8")
    assert "<script>" not in md


def test_control_characters_in_the_agency(template, tmp_path, capsys):
    """ESC, NUL, BEL and U+202E typed into the agency: every format is written, none of them carries the
    characters XML forbids, the terminal shows no escape sequence, no file name holds them."""
    path = _with_agency_xml(template, tmp_path / "in.xlsx", "_x001B_[31m恶意&#x202E;局_x0000__x0007_")
    out = tmp_path / "报告"
    code, stdout, err = run_cli(capsys, ["ingest", str(path), "-o", str(out), "--json", "-"])
    files = sorted(out.iterdir())
    assert len(files) == 4
    for p in files:
        assert not any(ch in p.name for ch in "\x1b\x00\x07\u202e")
    with zipfile.ZipFile(next(p for p in files if p.suffix == ".docx")) as z:
        body = z.read("word/document.xml")
    assert b"\x00" not in body and b"\x07" not in body and "恶意".encode() in body
    json.loads(stdout)  # the JSON on stdout stays valid JSON (control characters escaped)


def test_markdown_report_escapes_clerk_text(template, tmp_path, capsys):
    path = _book(template, tmp_path / "in.xlsx",
                 TEXT_part1_intro="# 假标题\n<img src=x onerror=alert(1)>\n- 假列表 [链接](javascript:alert(1))")
    out = tmp_path / "报告"
    run_cli(capsys, ["ingest", str(path), "-o", str(out), "--format", "md"])
    md = next(out.glob("*.md")).read_text(encoding="utf-8")
    assert "<img" not in md and "\n# 假标题" not in md and "\n- 假列表" not in md and "[链接](" not in md
    assert "假标题" in md and "假列表" in md


def test_long_file_names_get_annotated_copies(template, tmp_path, capsys):
    """A submitted file named with 80 CJK characters (240 bytes): its annotated copy's name still fits."""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    name = "很长的文件名" * 13 + "年报.xlsx"
    _book(template, inbox / name, T3_new_natural=-1)
    code, out, err = run_cli(capsys, ["collect", str(inbox), "-o", str(tmp_path / "汇总.xlsx"), "--annotate-dir",
                                      str(tmp_path / "退回"), "--no-progress"])
    copies = list((tmp_path / "退回").iterdir())
    assert code == 1 and len(copies) == 1 and len(copies[0].name.encode()) <= 255
    assert copies[0].name.startswith("很长的文件名") and copies[0].name.endswith(".校验批注.xlsx")

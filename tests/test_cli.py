"""The command line: make-template as a user runs it."""

from __future__ import annotations

import subprocess
import sys

import openpyxl
import pytest
from conftest import ROOT

from govinfo_xlsx.cli import main, make_template_main


def _props(path):
    wb = openpyxl.load_workbook(path)
    return {p.name: p.value for p in wb.custom_doc_props.props}


@pytest.mark.parametrize("year,form_id", [("2019", "gov-2019"), ("2020", "gov-2019"), ("2021", "gov-2021"),
                                          ("2025", "gov-2021")])
def test_make_template_selects_the_format_by_year(tmp_path, year, form_id, capsys):
    out = tmp_path / "t.xlsx"
    assert main(["make-template", year, "-o", str(out), "--agency", "永康市行政服务中心"]) == 0
    props = _props(out)
    assert props["govinfo_form_id"] == form_id and props["govinfo_report_year"] == year
    assert "已生成" in capsys.readouterr().out


def test_output_directory_gets_the_default_name(tmp_path):
    assert make_template_main(["2026", "-o", str(tmp_path), "--agency", "某局"]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["某局2026年政府信息公开工作年度报告填报模板.xlsx"]


def test_existing_file_is_not_overwritten(tmp_path, capsys):
    out = tmp_path / "filled.xlsx"
    out.write_bytes(b"clerk's work")
    assert main(["make-template", "2026", "-o", str(out)]) == 2
    assert out.read_bytes() == b"clerk's work"
    assert "已存在" in capsys.readouterr().err
    assert main(["make-template", "2026", "-o", str(out), "--force"]) == 0
    assert out.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("arg,words", [
    ("2018", "早于2019年"), ("2099", "晚于明年"), ("abc", "不是有效的年份"), ("２０２５", "不是有效的年份"),
])
def test_bad_years_exit_2_with_a_chinese_message(tmp_path, arg, words, capsys):
    assert main(["make-template", arg, "-o", str(tmp_path / "x.xlsx")]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert not (tmp_path / "x.xlsx").exists()


def test_bad_output_paths(tmp_path, capsys):
    assert main(["make-template", "2026", "-o", "/proc/no/x.xlsx"]) == 2  # a folder that cannot be made
    assert main(["make-template", "2026", "-o", str(tmp_path / "x.xls")]) == 2
    err = capsys.readouterr().err
    assert "无法写入“/proc/no/x.xlsx”" in err and ".xlsx" in err
    assert main(["make-template", "2026", "-o", str(tmp_path / "no" / "x.xlsx")]) == 0  # issue 20: created
    assert (tmp_path / "no" / "x.xlsx").is_file()


def test_usage_errors_exit_2(capsys):
    assert main([]) == 2
    with pytest.raises(SystemExit) as e:
        main(["make-template"])
    assert e.value.code == 2


def test_python_dash_m_and_help():
    proc = subprocess.run([sys.executable, "-m", "govinfo_xlsx", "make-template", "--help"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0 and "报告年度" in proc.stdout


def test_cli_start_is_light():
    code = ("import sys, govinfo_xlsx.cli; "
            "print(sorted(m for m in ('pandas','openpyxl','xlsxwriter','jinja2') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.strip() == "[]", proc.stdout + proc.stderr


def test_readme_documents_every_command_and_option():
    import argparse

    from govinfo_xlsx.cli import build_parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name, parser in sub.choices.items():
        assert f"`{name}" in readme, name
        for action in parser._actions:
            options = [o for o in action.option_strings if o not in ("-h", "--help")]
            if options:
                assert any(f"{o} " in readme or f"{o}]" in readme for o in options), (name, options)

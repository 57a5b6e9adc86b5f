"""A run's outputs: folders created, checked before the batch, one run at a time, all or nothing.

Issue 20 (points 5 and 6) and issue 27 (point 3): an output that cannot be replaced (Excel's owner
file ``~$NAME.xlsx`` beside it) is found before any file is read; every ``-o``/output folder that
does not exist is created; a run's outputs are replaced together or not at all; a second run writing
the same output is refused.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys

import pytest
from fill import inbox_of
from hostile import run_cli

from conftest import ROOT
from govinfo_xlsx.forms import form_for_year

FORM = form_for_year(2026)
PUBLISHED = ROOT / "tests" / "fixtures" / "published"


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    return inbox_of(tmp_path_factory.mktemp("outputs"), FORM, 2026)


def _listing_forbidden(monkeypatch, module: str) -> list:
    """Record whether the batch started (its inputs were listed)."""
    listed: list = []
    monkeypatch.setattr(f"govinfo_xlsx.{module}.iter_sources", lambda paths: listed.append(paths) or iter(()))
    return listed


# -- output folders that do not exist yet are created (issue 20, point 6) ------------------------------

def test_collect_creates_every_output_folder(inbox, tmp_path, capsys):
    out = tmp_path / "第3轮" / "汇总" / "SUMMARY.xlsx"
    js = tmp_path / "json 目录" / "c.json"
    code, _, err = run_cli(capsys, ["collect", str(inbox), "-o", str(out), "--json", str(js),
                                    "--export", str(tmp_path / "开放" / "数据"), "--no-progress"])
    assert code == 0, err
    assert out.is_file() and js.is_file() and (tmp_path / "开放" / "数据" / "data.csv").is_file()


def test_audit_creates_its_output_folders(tmp_path, capsys):
    out = tmp_path / "审核" / "2024" / "AUDIT.xlsx"
    js = tmp_path / "审核json" / "a.json"
    code, _, err = run_cli(capsys, ["audit", str(PUBLISHED / "lg-2024.txt"), "-o", str(out), "--json", str(js),
                                    "--no-progress"])
    assert code in (0, 1), err
    assert out.is_file() and json.loads(js.read_text(encoding="utf-8"))["rows"]


def test_make_template_ingest_and_extract_create_their_folders(inbox, tmp_path, capsys):
    code, _, err = run_cli(capsys, ["make-template", "2026", "-o", str(tmp_path / "模板" / "t.xlsx")])
    assert code == 0 and (tmp_path / "模板" / "t.xlsx").is_file(), err
    code, _, err = run_cli(capsys, ["make-template", "2026", "-o", str(tmp_path / "新文件夹")])
    assert code == 0 and len(list((tmp_path / "新文件夹").glob("*.xlsx"))) == 1, err
    code, _, err = run_cli(capsys, ["ingest", str(inbox / "甲局.xlsx"), "--json", str(tmp_path / "j" / "k" / "a.json"),
                                    "-o", str(tmp_path / "报告" / "甲"), "--format", "md"])
    assert code == 0 and (tmp_path / "j" / "k" / "a.json").is_file() and list((tmp_path / "报告" / "甲").glob("*.md"))
    code, _, err = run_cli(capsys, ["extract", str(PUBLISHED / "lg-2024.txt"), "-o", str(tmp_path / "x" / "y.json")])
    assert code in (0, 1) and (tmp_path / "x" / "y.json").is_file(), err


# -- checked before the batch (issue 20 point 5; issue 27 point 3) -------------------------------------

@pytest.mark.parametrize("command", ["collect", "audit"])
def test_an_output_open_in_excel_is_found_before_the_batch(command, inbox, tmp_path, capsys, monkeypatch):
    listed = _listing_forbidden(monkeypatch, "collect.run" if command == "collect" else "audit.run")
    out = tmp_path / "SUMMARY.xlsx"
    out.write_bytes(b"last round")
    (tmp_path / "~$SUMMARY.xlsx").write_bytes(b"owner")
    code, _, err = run_cli(capsys, [command, str(inbox), "-o", str(out)])
    assert code == 2 and listed == [], err
    assert len(err.strip().splitlines()) == 1 and "~$SUMMARY.xlsx" in err and "关闭" in err
    assert out.read_bytes() == b"last round"


def test_collect_json_open_in_excel_too(inbox, tmp_path, capsys, monkeypatch):
    listed = _listing_forbidden(monkeypatch, "collect.run")
    (tmp_path / "~$结果.json").write_bytes(b"owner")
    code, _, err = run_cli(capsys, ["collect", str(inbox), "-o", str(tmp_path / "S.xlsx"),
                                    "--json", str(tmp_path / "结果.json")])
    assert code == 2 and listed == [] and "~$结果.json" in err


@pytest.mark.parametrize("which", ["json", "xlsx"])
def test_audit_checks_every_output_before_the_batch(which, tmp_path, capsys, monkeypatch):
    """issue 27: ``audit -o A.xlsx --json RO/A.json`` replaced A.xlsx and only then failed."""
    listed = _listing_forbidden(monkeypatch, "audit.run")
    out, js = tmp_path / "A.xlsx", tmp_path / "A.json"
    out.write_bytes(b"last audit")
    if which == "json":
        js = "/proc/审核.json"
    else:
        out = "/proc/审核.xlsx"
    code, _, err = run_cli(capsys, ["audit", str(PUBLISHED / "lg-2024.txt"), "-o", str(out), "--json", str(js)])
    assert code == 2 and listed == [] and f"“/proc/审核.{which}”" in err
    assert (tmp_path / "A.xlsx").read_bytes() == b"last audit"


# -- all or nothing ------------------------------------------------------------------------------------

def test_collect_outputs_replaced_together_or_not_at_all(inbox, tmp_path, capsys, monkeypatch):
    """The export fails after SUMMARY.xlsx and the JSON were written: neither replaces last round's."""
    out, js, exp = tmp_path / "S.xlsx", tmp_path / "c.json", tmp_path / "导出"
    exp.mkdir()
    out.write_bytes(b"last summary")
    js.write_bytes(b"last json")
    (exp / "data.csv").write_bytes(b"last data")

    def boom(col, folder):
        from govinfo_xlsx.files.atomic import write_bytes_atomic

        write_bytes_atomic(folder / "data.csv", b"new data")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("govinfo_xlsx.collect.export.export", boom)
    code, _, err = run_cli(capsys, ["collect", str(inbox), "-o", str(out), "--json", str(js),
                                    "--export", str(exp), "--no-progress"])
    assert code == 2 and "磁盘空间已满" in err
    assert out.read_bytes() == b"last summary" and js.read_bytes() == b"last json"
    assert (exp / "data.csv").read_bytes() == b"last data"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["S.xlsx", "c.json", "导出"]
    assert sorted(p.name for p in exp.iterdir()) == ["data.csv"]


def test_a_failing_rename_puts_back_what_was_replaced(inbox, tmp_path, capsys, monkeypatch):
    """The second rename of the commit fails: the first output is put back as it was."""
    out, js = tmp_path / "S.xlsx", tmp_path / "c.json"
    out.write_bytes(b"last summary")
    js.write_bytes(b"last json")
    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append(str(dst))
        if str(dst) == str(js) and str(src).endswith(".tmp"):
            raise OSError(errno.EIO, "Input/output error")
        return real(src, dst)

    monkeypatch.setattr("govinfo_xlsx.files.outputs.os.replace", replace)
    code, _, err = run_cli(capsys, ["collect", str(inbox), "-o", str(out), "--json", str(js), "--no-progress"])
    assert code == 2 and f"“{js}”" in err and "本次的输出均未写出" in err
    assert str(out) in calls  # the summary had been replaced, and was put back
    assert out.read_bytes() == b"last summary" and js.read_bytes() == b"last json"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["S.xlsx", "c.json"]


def test_audit_outputs_all_or_nothing(tmp_path, capsys, monkeypatch):
    out, js = tmp_path / "A.xlsx", tmp_path / "A.json"
    out.write_bytes(b"last audit")

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("govinfo_xlsx.files.atomic.Path.write_bytes", full)
    code, _, err = run_cli(capsys, ["audit", str(PUBLISHED / "lg-2024.txt"), "-o", str(out), "--json", str(js),
                                    "--no-progress"])
    assert code == 2 and "磁盘空间已满" in err
    assert out.read_bytes() == b"last audit" and not js.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["A.xlsx"]


# -- one run at a time ---------------------------------------------------------------------------------

def test_a_second_run_writing_the_same_output_is_refused(inbox, tmp_path):
    from govinfo_xlsx.files.outputs import LOCK_PREFIX

    out = tmp_path / "S.xlsx"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom govinfo_xlsx.files.outputs import Outputs\n"
         "with Outputs([sys.argv[1]]):\n    print('locked', flush=True)\n    time.sleep(60)\n", str(out)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        p = subprocess.run([sys.executable, "-m", "govinfo_xlsx", "collect", str(inbox), "-o", str(out),
                            "--no-progress"], capture_output=True, text=True, encoding="utf-8")
        assert p.returncode == 2 and "正由另一次运行写出" in p.stderr and f"进程 {holder.pid}" in p.stderr
        assert not out.exists()
    finally:
        holder.kill()
        holder.wait()
    # the holder was killed: its lock file is left, but holds no lock; the next run goes ahead and removes it
    assert (tmp_path / (LOCK_PREFIX + "S.xlsx")).exists()
    p = subprocess.run([sys.executable, "-m", "govinfo_xlsx", "collect", str(inbox), "-o", str(out), "--no-progress"],
                       capture_output=True, text=True, encoding="utf-8")
    assert p.returncode == 0, p.stderr
    assert sorted(x.name for x in tmp_path.iterdir()) == ["S.xlsx"]


def test_lock_files_are_removed_and_not_collected(inbox, tmp_path, capsys):
    """A run's lock files go with it; a batch folder holding one (another run under way) ignores it."""
    from govinfo_xlsx.files.outputs import LOCK_PREFIX

    (inbox.parent / (LOCK_PREFIX + "S.xlsx")).write_text("1")
    try:
        code, out, err = run_cli(capsys, ["collect", str(inbox.parent), "-o", str(tmp_path / "S.xlsx"),
                                          "--export", str(tmp_path / "e"), "--no-progress"])
    finally:
        (inbox.parent / (LOCK_PREFIX + "S.xlsx")).unlink()
    assert "govinfo-lock" not in out + err
    assert sorted(x.name for x in tmp_path.iterdir()) == ["S.xlsx", "e"]
    assert not [x for x in (tmp_path / "e").iterdir() if "lock" in x.name]


def test_an_export_that_crashes_leaves_no_summary_behind(inbox, tmp_path, capsys, monkeypatch):
    """issue 20: pandas 2.0 with numpy 2 crashed collect --export, and the message said nothing was
    written although SUMMARY.xlsx was. Now the message is true: nothing is."""
    def crash(col, folder):
        raise ValueError("numpy.dtype size changed, may indicate binary incompatibility")

    monkeypatch.setattr("govinfo_xlsx.collect.export.export", crash)
    out = tmp_path / "S.xlsx"
    code, _, err = run_cli(capsys, ["collect", str(inbox), "-o", str(out), "--json", str(tmp_path / "c.json"),
                                    "--export", str(tmp_path / "导出"), "--no-progress"])
    assert code == 2 and "内部错误" in err and "未写出结果" in err
    assert not out.exists() and not (tmp_path / "c.json").exists() and list((tmp_path / "导出").iterdir()) == []


def test_ingest_checks_its_outputs_before_reading(inbox, tmp_path, capsys, monkeypatch):
    read: list = []
    monkeypatch.setattr("govinfo_xlsx.results.pipeline.check_workbook", lambda *a, **k: read.append(a))
    (tmp_path / "~$结果.json").write_bytes(b"owner")
    code, _, err = run_cli(capsys, ["ingest", str(inbox / "甲局.xlsx"), "--json", str(tmp_path / "结果.json")])
    assert code == 2 and read == [] and "~$结果.json" in err
    code, _, err = run_cli(capsys, ["ingest", str(inbox / "甲局.xlsx"), "-o", "/proc/报告"])
    assert code == 2 and read == [] and "/proc/报告" in err
    (tmp_path / "报告").mkdir()
    (tmp_path / "报告" / "~$甲局2026年政府信息公开工作年度报告.docx").write_bytes(b"owner")
    code, _, err = run_cli(capsys, ["ingest", str(inbox / "甲局.xlsx"), "-o", str(tmp_path / "报告")])
    assert code == 2 and read == [] and "Word" in err


def test_two_outputs_of_one_name_are_refused(inbox, tmp_path, capsys, monkeypatch):
    listed = _listing_forbidden(monkeypatch, "collect.run")
    code, _, err = run_cli(capsys, ["collect", str(inbox), "-o", str(tmp_path / "S.xlsx"),
                                    "--json", str(tmp_path / "." / "S.xlsx")])
    assert code == 2 and listed == [] and "是同一个文件" in err


def test_an_export_file_open_in_excel_is_found_before_the_batch(inbox, tmp_path, capsys, monkeypatch):
    listed = _listing_forbidden(monkeypatch, "collect.run")
    (tmp_path / "导出").mkdir()
    (tmp_path / "导出" / "~$data.csv").write_bytes(b"owner")
    code, _, err = run_cli(capsys, ["collect", str(inbox), "-o", str(tmp_path / "S.xlsx"),
                                    "--export", str(tmp_path / "导出")])
    assert code == 2 and listed == [] and "~$data.csv" in err


def test_extract_checks_its_output_before_reading(tmp_path, capsys, monkeypatch):
    read: list = []
    monkeypatch.setattr("govinfo_xlsx.extract.run.extract", lambda *a, **k: read.append(a))
    (tmp_path / "~$永康.xlsx").write_bytes(b"owner")
    code, _, err = run_cli(capsys, ["extract", str(PUBLISHED / "lg-2024.txt"), "-o", str(tmp_path / "永康.xlsx")])
    assert code == 2 and read == [] and "~$永康.xlsx" in err

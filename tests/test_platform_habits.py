"""Windows habits (issue 20, point 5): output in UTF-8 whatever the code page, paths with ``#``, ``%``,
spaces and CJK everywhere, ``--jobs N`` the same under the spawn start method as under fork."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fill import consistent_values, fill

from conftest import ROOT
from govinfo_xlsx.forms import form_for_year
from govinfo_xlsx.template.writer import write_template

EXAMPLE = ROOT / "govinfo_xlsx" / "examples" / "yongkang-2020.xlsx"
CLI = [sys.executable, "-m", "govinfo_xlsx"]
ODD = "临时 #1 %20 ?"  # a folder name that breaks URIs and shells


def _cli(args, env=None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + [str(a) for a in args], capture_output=True, timeout=300,
                          env={**os.environ, **(env or {})}, **kw)


@pytest.mark.parametrize("encoding", ["cp936", "ascii", "latin-1"])
def test_redirected_output_is_utf8_whatever_the_code_page(encoding, tmp_path):
    """A file name GBK cannot write (an emoji) and Chinese messages, to a file, under a console code page."""
    odd = tmp_path / "永康😀.xlsx"
    shutil.copy(EXAMPLE, odd)
    p = _cli(["ingest", odd, tmp_path / "没有.xlsx"], env={"PYTHONIOENCODING": encoding, "PYTHONUTF8": "0"})
    out, err = p.stdout.decode("utf-8"), p.stderr.decode("utf-8")  # strict: UTF-8 or the test fails
    assert p.returncode == 2 and "永康😀.xlsx" in out and "结论：通过" in out
    assert "没有.xlsx" in err and "文件不存在" in err and "Traceback" not in err
    p = _cli(["--help"], env={"PYTHONIOENCODING": encoding})
    assert p.returncode == 0 and "政府信息公开" in p.stdout.decode("utf-8")


def _batch(tmp_path: Path) -> tuple[Path, Path]:
    """Two 2021-format files, one by yongkang's agency (whose 2020 workbook is the prior), and a prior folder."""
    form = form_for_year(2021)
    from govinfo_xlsx.checks.ingest import ingest

    agency = ingest(EXAMPLE).agency
    root = tmp_path / ODD
    box, prior = root / "报送 #2 %", root / "上年 #3 %"
    box.mkdir(parents=True)
    prior.mkdir()
    shutil.copy(EXAMPLE, prior / "永康 2020.xlsx")
    template = write_template(form, 2021, root / "模板.xlsx")
    for name in (agency, "测试局"):
        v = consistent_values(form, 2021)
        v["INFO_agency"] = name
        fill(template, v, box / f"{name} #.xlsx")
    return box, prior


def test_paths_with_hash_percent_spaces_and_cjk_everywhere(tmp_path):
    """The prior index, opened as an sqlite URI inside the temporary folder, broke on ``#`` and ``%``:
    the cross-year checks then found no prior at all."""
    box, prior = _batch(tmp_path)
    tmp = tmp_path / ODD / "系统临时 #%"
    tmp.mkdir()
    out = tmp_path / ODD / "结果 #4 %"
    results = {}
    for jobs in ("1", "2"):
        p = _cli(["collect", box, "--prior-dir", prior, "-o", out / f"S{jobs}.xlsx", "--json", out / f"c{jobs}.json",
                  "--export", out / f"导出 {jobs}", "--annotate-dir", out / "批注 #", "--jobs", jobs,
                  "--no-progress"], env={"TMPDIR": str(tmp)})
        assert p.returncode in (0, 1), p.stderr.decode()
        doc = json.loads((out / f"c{jobs}.json").read_text(encoding="utf-8"))
        results[jobs] = doc
        crossyear = [f for f in doc["findings"] if f["rule"].startswith(("cross", "prior", "xy"))
                     or "上年" in f.get("message", "")]
        assert crossyear, "the prior was not found: no cross-year finding"
        assert (out / f"导出 {jobs}" / "data.csv").is_file()
    assert results["1"] == results["2"]
    # ingest, make-template --prior, reports and extract under the same kind of names
    p = _cli(["ingest", box / "测试局 #.xlsx", "--prior", prior / "永康 2020.xlsx", "-o", out / "报告 #",
              "--format", "md,html", "--json", out / "i #.json"])
    assert p.returncode in (0, 1) and list((out / "报告 #").glob("*.md")), p.stderr.decode()
    p = _cli(["make-template", "2021", "--prior", prior / "永康 2020.xlsx", "-o", out / "预填 #%.xlsx"])
    assert p.returncode == 0 and (out / "预填 #%.xlsx").is_file(), p.stderr.decode()
    md = next((out / "报告 #").glob("*.md"))
    p = _cli(["extract", md, "-o", out / "提取 #%.json"])
    assert p.returncode in (0, 1) and (out / "提取 #%.json").is_file(), p.stderr.decode()
    p = _cli(["audit", out / "报告 #", "-o", out / "审核 #%" / "A.xlsx", "--json", out / "审核 #%" / "a.json",
              "--jobs", "2", "--no-progress"], env={"TMPDIR": str(tmp)})
    assert p.returncode in (0, 1), p.stderr.decode()
    rows = json.loads((out / "审核 #%" / "a.json").read_text(encoding="utf-8"))["rows"]
    assert rows and all(r["status"] != "无法读取" for r in rows)


def test_start_method_is_honoured():
    from govinfo_xlsx.errors import GovinfoError
    from govinfo_xlsx.files.processes import START_METHOD_ENV, context

    old = os.environ.get(START_METHOD_ENV)
    try:
        os.environ[START_METHOD_ENV] = "spawn"
        assert context().get_start_method() == "spawn"
        os.environ[START_METHOD_ENV] = "no-such-method"
        with pytest.raises(GovinfoError, match=START_METHOD_ENV):
            context()
    finally:
        if old is None:
            os.environ.pop(START_METHOD_ENV, None)
        else:
            os.environ[START_METHOD_ENV] = old


@pytest.mark.skipif(sys.platform == "win32", reason="fork does not exist on Windows")
@pytest.mark.parametrize("command", ["collect", "audit"])
def test_jobs_under_spawn_give_the_same_results_as_fork(command, tmp_path):
    if command == "collect":
        box, prior = _batch(tmp_path)
        extra = ["--prior-dir", prior]
    else:
        box = tmp_path / "box"
        box.mkdir()
        for name in ("lg-2024.txt", "acheng-2021.txt", "pingtan-2019.html"):
            shutil.copy(ROOT / "tests" / "fixtures" / "published" / name, box / name)
        extra = []
    docs = {}
    for method in ("fork", "spawn"):
        out = tmp_path / method
        p = _cli([command, box, *extra, "-o", out / "S.xlsx", "--json", out / "r.json", "--jobs", "2",
                  "--no-progress"], env={"GOVINFO_START_METHOD": method})
        assert p.returncode in (0, 1), p.stderr.decode()
        docs[method] = (out / "r.json").read_text(encoding="utf-8")
    assert docs["fork"] == docs["spawn"] and json.loads(docs["spawn"])["rows"]

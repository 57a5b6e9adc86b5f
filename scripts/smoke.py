"""Smoke round: the built wheel on every other Python present, and once at the lowest declared versions.

``scripts/test.sh`` runs it after the test suite.  It

1. builds the sdist and, from it, the wheel once (``python -m build``, in a tools venv under a
   temporary folder) and checks both: LICENSE in each, the tests in the sdist, no deprecation
   warning from the build;
2. runs one scenario with the checkout's own environment (the default Python): make-template
   (into a folder that does not exist yet), fill, ``ingest --json``, ``ingest -o`` (reports),
   ``collect --json --export``, ``extract`` and ``audit`` on published fixtures;
3. for every Python 3.10–3.13 other than the default (``~/.pyenv/versions/3.X*/bin/python``, or
   ``python3.X`` on PATH), installs the wheel into a fresh venv outside the checkout (``CACHE``), runs the
   same scenario and compares every JSON, CSV and Markdown output with the default's (paths
   normalised), on the same filled workbooks (filled once, by the default Python, from its run's
   templates), and the cells of SUMMARY.xlsx and AUDIT.xlsx read by the default Python; a Python that is
   absent is named;
4. on the oldest of those Pythons, that install takes every direct dependency at its lowest declared
   version (``uv pip install --resolution lowest-direct``): the oldest Python with the oldest
   libraries, the corner where a bound that is not true shows (the default Python when it is the only
   one, or with ``--no-lowest`` no such run).

Any difference, crash or unexpected exit code fails the run (exit 1).

    python scripts/smoke.py [--pythons 3.10,3.12] [--no-lowest] [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import functools
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
import tarfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = ROOT / "tests" / "fixtures" / "published"
EXAMPLE = ROOT / "govinfo_xlsx" / "examples" / "yongkang-2020.xlsx"
VERSIONS = ("3.10", "3.11", "3.12", "3.13")
DEFAULT = f"{sys.version_info[0]}.{sys.version_info[1]}"
QUIET = ["--disable-pip-version-check", "-q"]
HASH = re.compile(r"\b[0-9a-f]{16,64}\b")

FILL = r"""
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])  # the checkout's tests/ (fill.py)
from fill import consistent_values, fill
from govinfo_xlsx.forms import form_for_year

run = Path(sys.argv[2])
for year, template in ((2020, run / "模板" / "t2020.xlsx"), (2026, next((run / "新建 #1%").glob("*.xlsx")))):
    form = form_for_year(year)
    values = consistent_values(form, year)
    values["INFO_agency"] = f"测试{year}局"
    fill(template, values, run / "报送 #2" / f"a{year}.xlsx")
    col = form.table3.input_columns[0].key
    values["T3_new_" + col] += 1  # table 3 no longer adds up: errors
    values["INFO_agency"] = f"有误{year}局"
    fill(template, values, run / "报送 #2" / f"b{year}.xlsx")
"""


DUMP = r"""
import json, sys, openpyxl
for source, target in zip(sys.argv[1::2], sys.argv[2::2]):
    wb = openpyxl.load_workbook(source)
    cells = {ws.title: [[None if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
             for ws in wb.worksheets}
    open(target, "w", encoding="utf-8").write(json.dumps(cells, ensure_ascii=False, indent=0))
"""


class Failed(Exception):
    pass


# Each other Python's venv is made afresh in the same place every run (and removed after it), and its
# commands keep their bytecode in the folder beside it (PYTHONPYCACHEPREFIX): the libraries uv links from its
# cache keep their paths, sizes and times, so a later round on this machine compiles none of them again
# (about 8 s of CPU for each Python; the first round on a machine compiles them as before).
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "govinfo-xlsx" / "smoke"


@functools.lru_cache(maxsize=None)
def cache_folder() -> Path:
    """CACHE, or a temporary folder where it cannot be made (nothing is then kept for the next round)."""
    try:
        CACHE.mkdir(parents=True, exist_ok=True)
        return CACHE
    except OSError:
        return Path(tempfile.mkdtemp(prefix="govinfo-smoke-cache-"))


@contextlib.contextmanager
def kept_place(name: str):
    """(venv-<name>, the bytecode folder) in the cache folder: the venv empty, for one run at a time (a
    lock: two rounds at once wait for each other), removed afterwards."""
    import fcntl

    folder = cache_folder()
    with open(folder / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        place = folder / f"venv-{name}"
        shutil.rmtree(place, ignore_errors=True)
        try:
            yield place, folder / "bytecode"
        finally:
            shutil.rmtree(place, ignore_errors=True)


def sh(cmd: list[str], *, cwd: Path | None = None, ok: tuple[int, ...] = (0,), env: dict | None = None,
       timeout: int = 1800) -> subprocess.CompletedProcess:
    """Run a command; its output is shown only when its exit code is not one of ``ok``.  (The time limit
    catches a hang: scripts/test.sh runs the round at the lowest priority beside the suite, where a
    command of a few seconds may wait minutes for a processor.)"""
    p = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                       env={**os.environ, "PYTHONUTF8": "0", **(env or {})})
    if p.returncode not in ok:
        raise Failed(f"命令失败（退出码 {p.returncode}）：{' '.join(map(str, cmd))}\n{p.stdout[-3000:]}{p.stderr[-3000:]}")
    if "Traceback" in p.stderr:
        raise Failed(f"命令输出了 Traceback：{' '.join(map(str, cmd))}\n{p.stderr[-3000:]}")
    return p


def venv(where: Path, python: str | Path, pip: bool = False) -> Path:
    sh([python, "-m", "venv", *([] if pip else ["--without-pip"]), where])
    return where / "bin" / "python"


def build(tools: Path, dist: Path, uv: Path) -> tuple[Path, Path]:
    """sdist, then the wheel from it (what ``python -m build`` does without options; uv installs the
    build backend into each isolated environment); checked."""
    p = sh([tools, "-m", "build", "--installer", "uv", "--outdir", dist, ROOT],
           env={"UV_NATIVE_TLS": "1", "PATH": f"{uv.parent}{os.pathsep}{os.environ.get('PATH', '')}"})
    noise = [line for line in (p.stdout + p.stderr).splitlines() if "eprecat" in line]
    if noise:
        raise Failed("构建时有弃用警告：\n" + "\n".join(noise[:10]))
    wheel, sdist = next(dist.glob("*.whl")), next(dist.glob("*.tar.gz"))
    with zipfile.ZipFile(wheel) as z:
        in_wheel = z.namelist()
    with tarfile.open(sdist) as t:
        in_sdist = [n.split("/", 1)[1] for n in t.getnames() if "/" in n]
    missing = ["wheel: LICENSE" for _ in [0] if not any(n.endswith("/licenses/LICENSE") or n.endswith("/LICENSE")
                                                             for n in in_wheel)]
    needed = ["LICENSE", "tests/conftest.py", "tests/fill.py", "tests/fixtures/published/hongze-2023.pdf",
              "tests/golden", "scripts/test.sh"]
    missing += [f"sdist: {n}" for n in needed if not any(m == n or m.startswith(n + "/") for m in in_sdist)]
    if missing:
        raise Failed("发行包缺少：" + "，".join(missing))
    return wheel, sdist


def declared(wheel: Path) -> list[str]:
    """The wheel's declared requirements (Requires-Dist, without extras), as it states them."""
    from email.parser import HeaderParser

    with zipfile.ZipFile(wheel) as z:
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        headers = HeaderParser().parsestr(z.read(meta).decode("utf-8"))
    return [r for r in headers.get_all("Requires-Dist") or [] if "extra ==" not in r]


def scenario(bin_dir: Path, python: Path, run: Path, filled: Path | None = None, env: dict | None = None) -> None:
    """The CLI from end to end in ``run`` (a fresh folder); outputs stay there for ``compare``.  The
    workbooks a clerk fills are filled from this run's templates by the default Python (the test helper
    tests/fill.py) and kept in ``filled`` for the other runs, which take that same batch."""
    exe = bin_dir / "govinfo-xlsx"
    run.mkdir(parents=True)

    def cli(cmd: list, **kw: object) -> subprocess.CompletedProcess:  # the installed CLI, in ``env``
        return sh(cmd, env=env, **kw)  # type: ignore[arg-type]

    cli([bin_dir / "make-template", "2020", "--agency", "测试局", "-o", run / "模板" / "t2020.xlsx"])
    cli([exe, "make-template", "2026", "-o", run / "新建 #1%"])  # a folder that does not exist yet
    if filled is not None and filled.exists():
        shutil.copytree(filled, run / "报送 #2")
    else:
        (run / "报送 #2").mkdir()
        sh([sys.executable, "-c", FILL, ROOT / "tests", run])
        shutil.copy(EXAMPLE, run / "报送 #2" / EXAMPLE.name)
        if filled is not None:
            shutil.copytree(run / "报送 #2", filled)
    batch = sorted((run / "报送 #2").glob("*.xlsx"))
    cli([exe, "ingest", *batch, "--json", run / "ingest.json"], ok=(1,))
    cli([exe, "ingest", run / "报送 #2" / "a2026.xlsx", "-o", run / "报告" / "甲", "--format", "md"])
    cli([bin_dir / "ingest", run / "报送 #2" / "b2020.xlsx", "-o", run / "报告" / "乙", "--format", "md,html,graphic"], ok=(1,))
    cli([exe, "collect", run / "报送 #2", "-o", run / "第3轮" / "SUMMARY.xlsx", "--json", run / "collect.json",
        "--export", run / "开放数据", "--brief", run / "第3轮" / "简报.docx", "--jobs", "2", "--no-progress"],
       ok=(1,))  # (the brief draws its charts with matplotlib)
    cli([exe, "extract", PUBLISHED / "lg-2024.txt", "-o", run / "提取" / "lg-2024.json"], ok=(0, 1))
    cli([exe, "extract", PUBLISHED / "pingtan-2019.docx", "-o", run / "提取" / "pingtan-2019.json"], ok=(0, 1))
    cli([exe, "audit", *(PUBLISHED / n for n in ("acheng-2021.txt", "shanghai-2019.html", "hongze-2023.pdf")),
        "-o", run / "审核" / "AUDIT.xlsx", "--json", run / "audit.json", "--no-progress"], ok=(0, 1))
    books = (run / "第3轮" / "SUMMARY.xlsx", run / "审核" / "AUDIT.xlsx")  # their cells compared as JSON
    sh([sys.executable, "-c", DUMP, *(p for xlsx in books for p in (xlsx, xlsx.with_suffix(".cells.json")))])


def _outputs(run: Path) -> dict[str, str]:
    """Every comparable output of a run, by relative path, with the run's own folder normalised."""
    out = {}
    for path in sorted(run.rglob("*")):
        if path.suffix.lower() in (".json", ".csv", ".md", ".html") and path.is_file():
            text = path.read_text(encoding="utf-8")
            for spelling in (str(run), json.dumps(str(run), ensure_ascii=False)[1:-1], run.as_uri()):
                text = text.replace(spelling, "<RUN>")
            # a filled workbook's hash (sha256, fingerprint): openpyxl stamps the time of saving into it
            text = HASH.sub("<HASH>", text)
            out[str(path.relative_to(run))] = text
    return out


def compare(reference: Path, run: Path) -> list[str]:
    ref, got = _outputs(reference), _outputs(run)
    problems = [f"缺少输出 {k}" for k in ref.keys() - got.keys()] + [f"多出输出 {k}" for k in got.keys() - ref.keys()]
    for k in sorted(ref.keys() & got.keys()):
        if ref[k] != got[k]:
            diff = difflib.unified_diff(ref[k].splitlines(), got[k].splitlines(), "默认 Python", "本 Python",
                                        lineterm="", n=1)
            problems.append(f"{k} 不同：\n" + "\n".join(list(diff)[:20]))
    return problems


def find_python(version: str) -> str | None:
    found = sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}*/bin/python")))
    found = [p for p in found if Path(p).parent.parent.name.split(".")[:2] == version.split(".")]
    return found[-1] if found else shutil.which(f"python{version}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pythons", default=",".join(VERSIONS), help="versions to try (default: 3.10–3.13)")
    ap.add_argument("--no-lowest", action="store_true", help="skip the lowest-declared-versions run")
    ap.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (default: a temporary folder)")
    ap.add_argument("--list", action="store_true", help="only say which Pythons would run and which are absent")
    args = ap.parse_args()
    if args.list:
        for version in filter(None, args.pythons.split(",")):
            python = find_python(version)
            print(f"Python {version}：默认，本仓库环境" if version == DEFAULT
                  else f"Python {version}：{python}" if python else f"冒烟：未找到 Python {version}，跳过")
        return 0
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # the temporary folder goes on SIGTERM too
    start = time.monotonic()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="govinfo-smoke-"))
    if args.keep:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    failures: list[str] = []
    ran: list[str] = []
    notes: dict[str, list[str]] = {}  # lines a step prints under its result

    def timed(label: str, fn) -> tuple[list[str], float]:
        t = time.monotonic()
        try:
            problems = fn() or []
        except (Failed, subprocess.TimeoutExpired) as e:
            problems = [str(e)]
        return problems, time.monotonic() - t

    def report(label: str, outcome: tuple[list[str], float]) -> None:
        problems, seconds = outcome
        status = "通过" if not problems else "失败"
        print(f"冒烟：{label}：{status}（{seconds:.0f} 秒）", flush=True)
        for line in notes.get(label, []) + ["  " + p.replace("\n", "\n  ") for p in problems]:
            print(line, flush=True)
        failures.extend(f"{label}：{p}" for p in problems)
        if not problems:
            ran.append(label)

    try:
        # the checkout's uv (scripts/setup.sh installs it) makes the tools venv in a second; else pip brings uv
        uv = Path(sys.executable).parent / "uv"
        if uv.exists():
            tools = venv(work / "tools", sys.executable)
            sh([uv, "pip", "install", "--python", tools, "-q", "build"], env={"UV_NATIVE_TLS": "1"})
        else:
            tools = venv(work / "tools", sys.executable, pip=True)
            sh([tools, "-m", "pip", "install", *QUIET, "build", "uv"])
            uv = work / "tools" / "bin" / "uv"
        dist = work / "dist"
        built: dict[str, Path] = {}

        def do_build() -> None:
            built["wheel"], built["sdist"] = build(tools, dist, uv)

        # two at a time (the machine this project is measured on has 2 cores): the build beside the default
        # Python's scenario, then the other Pythons and the lowest versions, each reported in this order
        pool = ThreadPoolExecutor(max_workers=2)
        reference, filled = work / "默认", work / "填好的"
        here = Path(sys.executable).parent
        first = [("构建 wheel 和 sdist", pool.submit(timed, "", do_build)),
                 (f"Python {DEFAULT}（默认，本仓库环境）",
                  pool.submit(timed, "", lambda: scenario(here, Path(sys.executable), reference, filled)))]
        for label, job in first:
            report(label, job.result())
        if failures:
            pool.shutdown()
            return 1
        others = []
        for version in filter(None, args.pythons.split(",")):
            if version == DEFAULT:
                continue
            python = find_python(version)
            if python is None:
                print(f"冒烟：未找到 Python {version}，跳过", flush=True)
                continue
            others.append((version, python))
        # the oldest other Python takes the lowest declared versions (the default Python when it is alone)
        oldest = min(others, key=lambda vp: tuple(map(int, vp[0].split(".")))) if others else (DEFAULT, sys.executable)
        runs = [(v, p, not args.no_lowest and v == oldest[0]) for v, p in others]
        if not args.no_lowest and not others:
            runs.append((DEFAULT, sys.executable, True))
        jobs = []
        for version, python, low in runs:

            def one(version: str = version, python: str = python, low: bool = low, label: str = "") -> list[str]:
                name = f"py{version}" + ("-lowest" if low else "")
                with kept_place(name) as (env, bytecode):
                    py = venv(env, python)
                    # uv installs from its cache in seconds where pip unpacks every wheel again; for the lowest
                    # versions the wheel's own requirements are named on the command line ("direct" is what is
                    # named there)
                    sh([uv, "pip", "install", "--python", py, "-q", built["wheel"],
                        *(["--resolution", "lowest-direct", *declared(built["wheel"])] if low else [])],
                       env={"UV_NATIVE_TLS": "1"})
                    if low:
                        versions = sh([uv, "pip", "freeze", "--python", py], env={"UV_NATIVE_TLS": "1"}).stdout.split()
                        notes[label] = ["  最低版本：" + " ".join(versions)]
                    scenario(env / "bin", py, work / name, filled, {"PYTHONPYCACHEPREFIX": str(bytecode)})
                    return compare(reference, work / name)

            label = f"Python {version}（{python}）" + ("，依赖取声明的最低版本" if low else "")
            jobs.append((label, pool.submit(timed, label, functools.partial(one, label=label))))
        for label, job in jobs:
            report(label, job.result())
        pool.shutdown()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"冒烟：共 {time.monotonic() - start:.0f} 秒；通过：{'，'.join(ran) or '无'}"
          + (f"；失败 {len(failures)} 项" if failures else ""), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark collect: throughput with 1 and 2 jobs, peak memory, against a calamine read loop.

Generates N filled workbooks (default 1,000) with varied data and agencies plus
about 2% broken files, runs `collect` (the summary included) in a fresh process
with --jobs 1 and --jobs 2, and reads every sheet of the same workbooks with a
plain python-calamine loop in one process, before and after, in the same run.
Reports wall time, workbooks/s, CPU time (the collect process and its workers),
peak memory (the collect process and its largest worker) and the ratio of
collect's wall time to the calamine loop's (the mean of its two runs).  The load
average is printed too: other work on the machine slows everything alike.

    python scripts/bench_collect.py [-n 1000] [--keep DIR]

With --keep DIR the workbooks are generated into DIR/nN once and reused by
later runs with the same DIR and N.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

DISTINCT = 100  # workbooks built from scratch; the others vary the agency of one of them


def _rename_agency(xlsx: bytes, old: str, new: str) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/sharedStrings.xml":
                data = data.replace(old.encode(), new.encode())
            z.writestr(info, data)
    return out.getvalue()


def generate(n: int, folder: Path, seed: int = 7) -> list[Path]:
    from fill import consistent_values

    from govinfo_xlsx.forms import form_for_year
    from govinfo_xlsx.template.writer import build_template

    rng = random.Random(seed)
    form = form_for_year(2026)
    bases = []
    for i in range(min(DISTINCT, n)):
        v = consistent_values(form, 2026)
        for name in list(v):
            if name.startswith(("T2_", "T4_")) and isinstance(v[name], int):
                v[name] = rng.randint(0, 50)
        k = rng.randint(0, 40)
        v["T3_granted_natural"] += k
        v["T3_new_natural"] += k
        if rng.random() < 0.1:
            v["T3_new_legal"] += 1  # a broken 勾稽关系
        agency = f"基准机关{i:04d}"
        v["INFO_agency"] = agency
        bases.append((agency, build_template(form, 2026, values=v)))
    paths = []
    for i in range(n):
        path = folder / f"{i:05d}.xlsx"
        agency, data = bases[i % len(bases)]
        if i >= len(bases):
            data = _rename_agency(data, agency, f"测试机关{i:05d}")
        if i % 50 == 49:
            data = data[: len(data) // 3]  # a truncated upload
        path.write_bytes(data)
        paths.append(path)
    return paths


def run_collect(folder: Path, jobs: int, out: Path) -> dict:
    code = (
        "import resource, sys, time, json\n"
        "from govinfo_xlsx.collect.run import collect\n"
        "from govinfo_xlsx.collect.summary import write_summary\n"
        "t = time.perf_counter()\n"
        f"with collect([{str(folder)!r}], jobs={jobs}) as col:\n"
        f"    write_summary(col, {str(out)!r})\n"
        "    rows = sum(1 for _ in col.rows())\n"
        "dt = time.perf_counter() - t\n"
        # VmHWM, not ru_maxrss: ru_maxrss survives exec and would report this script's own size
        "me = int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])\n"
        "own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'seconds': dt, 'rows': rows, 'self_kb': me, 'workers_kb': kids.ru_maxrss,\n"
        "                  'cpu_self': own.ru_utime + own.ru_stime, 'cpu_workers': kids.ru_utime + kids.ru_stime}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def calamine_loop(paths: list[Path]) -> tuple[float, float]:
    """(wall, CPU) seconds to read every sheet of every workbook with python-calamine, one file after
    another."""
    from python_calamine import CalamineWorkbook

    t, cpu = time.perf_counter(), time.process_time()
    for p in paths:
        try:
            wb = CalamineWorkbook.from_path(str(p))
            for name in wb.sheet_names:
                wb.get_sheet_by_name(name).to_python()
        except Exception:
            pass  # the broken files
    return time.perf_counter() - t, time.process_time() - cpu


def load() -> str:
    return "load average " + " ".join(open("/proc/loadavg").read().split()[:3])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--keep", metavar="DIR", help="generate into DIR and keep the files")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp) / f"n{args.n}"
        folder.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        paths = sorted(folder.glob("*.xlsx"))
        if len(paths) == args.n:
            print(f"reusing {len(paths)} workbooks in {folder}")
        else:
            paths = generate(args.n, folder)
            print(f"generated {len(paths)} workbooks in {time.perf_counter() - t:.0f} s")
        print(load())
        first = calamine_loop(paths)
        results = {jobs: run_collect(folder, jobs, Path(tmp) / f"summary{jobs}.xlsx") for jobs in (1, 2)}
        second = calamine_loop(paths)
        base, base_cpu = (first[0] + second[0]) / 2, (first[1] + second[1]) / 2
        print(f"calamine read loop (every sheet, one process): {base:.1f} s, "
              f"{base / args.n * 1000:.2f} ms per workbook, CPU {base_cpu:.1f} s")
        for jobs, r in results.items():
            cpu = r["cpu_self"] + r["cpu_workers"]
            print(f"collect --jobs {jobs}: {r['seconds']:.1f} s, {args.n / r['seconds']:.0f} workbooks/s, "
                  f"{r['seconds'] / args.n * 1000:.2f} ms per workbook = "
                  f"{r['seconds'] / base:.2f} x the calamine loop; "
                  f"CPU {r['cpu_self']:.1f} s (collect) + {r['cpu_workers']:.1f} s (workers) = "
                  f"{cpu / base_cpu:.2f} x the loop's; "
                  f"peak memory {r['self_kb'] / 1024:.1f} MB (collect), "
                  f"{r['workers_kb'] / 1024:.1f} MB (largest worker)")
        print(load())
    return 0


if __name__ == "__main__":
    sys.exit(main())

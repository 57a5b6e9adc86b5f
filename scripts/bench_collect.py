"""Benchmark collect: throughput with 1 and 2 jobs, peak memory, against an openpyxl baseline.

Generates N filled workbooks (default 1,000) with varied data and agencies plus
about 2% broken files, runs `collect` in a fresh process with --jobs 1 and
--jobs 2, and loads a sample of the same workbooks with a plain openpyxl
`load_workbook` loop in the same run.  Reports workbooks/s, peak memory (the
collect process and its largest worker) and the ratio of collect's time per
workbook to openpyxl's.

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
    from govinfo_xlsx.writer import build_template

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
        "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps({'seconds': dt, 'rows': rows, 'self_kb': me, 'workers_kb': kids}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def openpyxl_per_file(paths: list[Path], sample: int) -> float:
    import openpyxl

    chosen = [p for p in paths if p.stat().st_size > 20000][:sample]
    openpyxl.load_workbook(chosen[0])
    t = time.perf_counter()
    for p in chosen:
        openpyxl.load_workbook(p)
    return (time.perf_counter() - t) / len(chosen)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--sample", type=int, default=200, help="files in the openpyxl baseline sample")
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
        base = openpyxl_per_file(paths, args.sample)
        print(f"openpyxl load_workbook: {base * 1000:.1f} ms per workbook ({args.sample} sampled)")
        for jobs in (1, 2):
            r = run_collect(folder, jobs, Path(tmp) / f"summary{jobs}.xlsx")
            per = r["seconds"] / args.n
            print(f"collect --jobs {jobs}: {r['seconds']:.1f} s, {args.n / r['seconds']:.0f} workbooks/s, "
                  f"{per * 1000:.1f} ms per workbook = {per / base:.2f} x openpyxl load; "
                  f"peak memory {r['self_kb'] / 1024:.1f} MB (collect), {r['workers_kb'] / 1024:.1f} MB (largest worker)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

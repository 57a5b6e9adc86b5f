"""Benchmark the region's outputs of collect: the 图表 sheet, --rollup and --brief, beyond the collect.

Generates N filled workbooks (scripts/bench_collect.py's generator, default 1,000) and, in one
process, runs the collect itself (the checks, with --jobs 2, and the summary without its 图表
sheet), then the region's outputs on the same collection: the 图表 sheet (the summary written
again with it, minus the summary without it), the roll-up, the brief as DOCX and as HTML. Prints
each one's wall and CPU time and their sum as a difference to and a ratio of the collect's own
time in the same run (other work on the machine slows both alike).

    python scripts/bench_region.py [-n 1000] [--keep DIR] [--jobs 2]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts"), str(ROOT / "tests")]


def timed(fn, *args):
    t, cpu = time.perf_counter(), time.process_time()
    out = fn(*args)
    return out, time.perf_counter() - t, time.process_time() - cpu


def main() -> int:
    from bench_collect import generate, load

    from govinfo_xlsx.collect.brief import write_brief
    from govinfo_xlsx.collect.region import Region
    from govinfo_xlsx.collect.rollup import write_rollup
    from govinfo_xlsx.collect.run import collect
    from govinfo_xlsx.collect.summary import write_summary

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--keep", metavar="DIR", help="generate into DIR and keep the files")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp) / f"n{args.n}"
        folder.mkdir(parents=True, exist_ok=True)
        paths = sorted(folder.glob("*.xlsx"))
        if len(paths) != args.n:
            t = time.perf_counter()
            paths = generate(args.n, folder)
            print(f"generated {len(paths)} workbooks in {time.perf_counter() - t:.0f} s")
        else:
            print(f"reusing {len(paths)} workbooks in {folder}")
        print(load())
        out = Path(tmp)
        t, cpu = time.perf_counter(), time.process_time()
        with collect([str(folder)], jobs=args.jobs) as col:
            plain_summary(col, out / "plain.xlsx")  # the summary as it was before the 图表 sheet
            base_wall, base_cpu = time.perf_counter() - t, time.process_time() - cpu
            region = Region(col, agency="基准市人民政府")
            results = []
            _, w, c = timed(write_summary, col, out / "charts.xlsx", region)
            _, w0, c0 = timed(plain_summary, col, out / "plain2.xlsx")
            results.append(("图表 sheet (summary with it − without it)", w - w0, c - c0))
            info, w, c = timed(write_rollup, region, out / "rollup.xlsx")
            results.append((f"--rollup ({info['count']} workbooks summed)", w, c))
            _, w, c = timed(write_brief, region, out / "brief.docx", out / "charts.xlsx")
            results.append(("--brief BRIEF.docx", w, c))
            _, w, c = timed(write_brief, region, out / "brief.html", out / "charts.xlsx")
            results.append(("--brief BRIEF.html", w, c))
            rows = sum(1 for _ in col.rows())
    print(f"collect itself ({rows} rows, --jobs {args.jobs}, summary without 图表): "
          f"{base_wall:.2f} s wall, {base_cpu:.2f} s CPU (this process)")
    for label, w, c in results:
        print(f"  {label}: {w:.2f} s wall, {c:.2f} s CPU")
    extra_w, extra_c = sum(r[1] for r in results), sum(r[2] for r in results)
    print(f"region outputs: +{extra_w:.2f} s wall (+{extra_c:.2f} s CPU) beyond the collect: "
          f"ratio {(base_wall + extra_w) / base_wall:.2f} of the collect's wall time")
    return 0


def plain_summary(col, path):
    """The summary without its 图表 sheet."""
    from govinfo_xlsx.collect import charts
    from govinfo_xlsx.collect.summary import write_summary

    real = charts.add_chart_sheet
    charts.add_chart_sheet = lambda *a, **k: None
    try:
        write_summary(col, path)
    finally:
        charts.add_chart_sheet = real


if __name__ == "__main__":
    sys.exit(main())

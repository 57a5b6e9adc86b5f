"""Benchmark: ingest time per workbook against a plain openpyxl load_workbook of the same file.

Both are measured in the same run on the same filled workbook, so the ratio is
what matters, not the absolute times of this machine.

    python scripts/bench_ingest.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def timed(fn, repeat: int) -> float:
    fn()  # warm-up: imports and caches
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=50)
    args = ap.parse_args()

    import openpyxl
    from fill import consistent_values, fill

    from govinfo_xlsx.forms import form_for_year
    from govinfo_xlsx.ingest import ingest
    from govinfo_xlsx.writer import write_template

    with tempfile.TemporaryDirectory() as d:
        for year in (2020, 2026):
            form = form_for_year(year)
            template = write_template(form, year, Path(d) / f"t{year}.xlsx")
            filled = fill(template, consistent_values(form, year), Path(d) / f"f{year}.xlsx")
            t_ingest = timed(lambda: ingest(filled), args.repeat)
            t_openpyxl = timed(lambda: openpyxl.load_workbook(filled), args.repeat)
            t_values = timed(lambda: openpyxl.load_workbook(filled, data_only=True, read_only=True), args.repeat)
            print(f"{form.id} ({filled.stat().st_size // 1024} KB): ingest {t_ingest * 1000:.1f} ms, "
                  f"openpyxl load_workbook {t_openpyxl * 1000:.1f} ms (read_only {t_values * 1000:.1f} ms); "
                  f"ingest / load_workbook = {t_ingest / t_openpyxl:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

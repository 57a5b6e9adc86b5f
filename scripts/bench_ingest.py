"""Benchmark: one ingest (validate + JSON data) against a bare python-calamine read of the same file.

For each format a filled workbook is written (the template filled and saved by
openpyxl, as a spreadsheet program would save it).  In one run, alternating
run by run so that both see the same load on the machine, it times

- ingest: ``ingest(path)`` and the JSON text of ``report.to_dict()``, in-process;
- calamine: ``CalamineWorkbook.from_path(path)`` and ``to_python()`` of every sheet;

and prints the medians and their ratio (the target is at most 2), in wall time
and in CPU time (the CPU ratio hardly moves when other work shares the machine;
the load average is printed).  Per-template
work (workbook.xml, defined names, custom properties, the layout plan) is done
once per process; "first file" clears those caches before every run, which is
what a single ``ingest`` command pays.

    python scripts/bench_ingest.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=400)
    args = ap.parse_args()

    from fill import consistent_values, fill
    from python_calamine import CalamineWorkbook

    from govinfo_xlsx import reader
    from govinfo_xlsx.forms import form_for_year
    from govinfo_xlsx.ingest import ingest
    from govinfo_xlsx.writer import write_template

    def run_ingest(path: Path) -> None:
        json.dumps(ingest(path).to_dict(), ensure_ascii=False)

    def run_cold(path: Path) -> None:
        reader._BOOKS.clear()
        reader._CUSTOM.clear()
        run_ingest(path)

    def run_calamine(path: Path) -> None:
        wb = CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()

    with tempfile.TemporaryDirectory() as d:
        for year in (2020, 2026):
            form = form_for_year(year)
            template = write_template(form, year, Path(d) / f"t{year}.xlsx")
            filled = fill(template, consistent_values(form, year), Path(d) / f"f{year}.xlsx")
            fns = {"ingest": run_ingest, "first": run_cold, "calamine": run_calamine}
            wall: dict[str, list[float]] = {k: [] for k in fns}
            cpu: dict[str, list[float]] = {k: [] for k in fns}
            for fn in fns.values():
                fn(filled)  # warm-up: imports
            for _ in range(args.repeat):
                for key, fn in fns.items():
                    t, c = time.perf_counter(), time.process_time()
                    fn(filled)
                    cpu[key].append(time.process_time() - c)
                    wall[key].append(time.perf_counter() - t)
            w = {k: statistics.median(v) for k, v in wall.items()}
            c = {k: statistics.median(v) for k, v in cpu.items()}
            print(f"{form.id} ({filled.stat().st_size // 1024} KB): ingest {w['ingest'] * 1000:.2f} ms, "
                  f"calamine read of every sheet {w['calamine'] * 1000:.2f} ms: "
                  f"ingest / calamine = {w['ingest'] / w['calamine']:.2f} (CPU {c['ingest'] / c['calamine']:.2f}); "
                  f"first file of its template {w['first'] * 1000:.2f} ms = {w['first'] / w['calamine']:.2f} "
                  f"(CPU {c['first'] / c['calamine']:.2f})")
        print("load average " + " ".join(open("/proc/loadavg").read().split()[:3]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

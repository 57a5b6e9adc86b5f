"""Benchmark: one ingest (validate + JSON data) against a bare python-calamine read of the same file.

For each format two filled workbooks are written: the template filled and saved
by openpyxl (inline strings), and the same values written by xlsxwriter with a
shared-strings table, as Excel and WPS save (calamine reads the latter faster,
so its ratio is the harder one); where LibreOffice and Gnumeric are installed,
the latter is also opened and saved again by each.  In one run, alternating
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


def run_ingest(path: Path) -> None:
    from govinfo_xlsx.checks.ingest import ingest

    json.dumps(ingest(path).to_dict(), ensure_ascii=False)


def run_first(path: Path) -> None:
    from govinfo_xlsx.reading import reader

    reader._BOOKS.clear()
    reader._CUSTOM.clear()
    run_ingest(path)


def run_calamine(path: Path) -> None:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python()


def bench(label: str, path: Path, repeat: int) -> None:
    fns = {"ingest": run_ingest, "first": run_first, "calamine": run_calamine}
    wall: dict[str, list[float]] = {k: [] for k in fns}
    cpu: dict[str, list[float]] = {k: [] for k in fns}
    for fn in fns.values():
        fn(path)  # warm-up: imports
    for _ in range(repeat):
        for key, fn in fns.items():
            t, c = time.perf_counter(), time.process_time()
            fn(path)
            cpu[key].append(time.process_time() - c)
            wall[key].append(time.perf_counter() - t)
    w = {k: statistics.median(v) for k, v in wall.items()}
    c = {k: statistics.median(v) for k, v in cpu.items()}
    print(f"{label} ({path.stat().st_size // 1024} KB): ingest {w['ingest'] * 1000:.2f} ms, "
          f"calamine read of every sheet {w['calamine'] * 1000:.2f} ms: "
          f"ingest / calamine = {w['ingest'] / w['calamine']:.2f} (CPU {c['ingest'] / c['calamine']:.2f}); "
          f"first file of its template {w['first'] * 1000:.2f} ms = {w['first'] / w['calamine']:.2f} "
          f"(CPU {c['first'] / c['calamine']:.2f})")


def _saved_by_others(path: Path, outdir: Path) -> list[tuple[str, Path]]:
    """The workbook opened and saved again by LibreOffice and by Gnumeric, where they are installed
    (scripts/setup.sh --office installs both)."""
    from gnumeric import recalc, ssconvert
    from libreoffice import convert, soffice

    out = []
    if soffice():
        out.append(("LibreOffice", convert([path], outdir / "libreoffice")[0]))
    if ssconvert():
        out.append(("Gnumeric", recalc([path], outdir / "gnumeric")[0]))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=400)
    args = ap.parse_args()

    from fill import consistent_values, fill

    from govinfo_xlsx.forms import form_for_year
    from govinfo_xlsx.template.writer import build_template, write_template

    print("load average " + " ".join(open("/proc/loadavg").read().split()[:3]))
    with tempfile.TemporaryDirectory() as d:
        for year in (2020, 2026):
            form = form_for_year(year)
            values = consistent_values(form, year)
            saved = fill(write_template(form, year, Path(d) / f"t{year}.xlsx"), values, Path(d) / f"f{year}.xlsx")
            shared = Path(d) / f"s{year}.xlsx"
            shared.write_bytes(build_template(form, year, values=values))
            bench(f"{form.id}, saved by openpyxl", saved, args.repeat)
            bench(f"{form.id}, shared strings", shared, args.repeat)
            for program, path in _saved_by_others(shared, Path(d) / f"others{year}"):
                bench(f"{form.id}, shared strings saved by {program}", path, args.repeat)
    print("load average " + " ".join(open("/proc/loadavg").read().split()[:3]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

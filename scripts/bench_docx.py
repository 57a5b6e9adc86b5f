"""Benchmark: one DOCX report (``report.docx.render_docx``) against ``report.context.build_context``
of the same report, in one run.

For the bundled example (gov-2019 format) and a complete gov-2021 workbook written by the template
writer, the workbook is ingested once; then, alternating run by run so that both see the same load
on the machine, it times

- context: ``build_context(report)``, the plain data every renderer starts from;
- docx: ``render_docx(context)``, the Word document's bytes;

and prints the medians in CPU time and their ratio (the CPU ratio hardly moves when other work
shares the machine; the load average is printed).  At e235259, before the style ids were resolved
once per document and the table cells filled and merged directly, docx / context was 88-92 (a
render 0.32-0.45 s of CPU, medians at load 1-5); after, 36-42 (0.13-0.20 s).

    python scripts/bench_docx.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def cpu_medians(fns: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    times: dict[str, list[float]] = {k: [] for k in fns}
    for fn in fns.values():
        fn()  # warm-up: imports, the template's first read
    for _ in range(repeat):
        for key, fn in fns.items():
            c = time.process_time()
            fn()
            times[key].append(time.process_time() - c)
    return {k: statistics.median(v) for k, v in times.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()

    from fill import consistent_values

    import govinfo_xlsx
    from govinfo_xlsx.checks.ingest import ingest
    from govinfo_xlsx.forms import form_for_year
    from govinfo_xlsx.report.context import build_context
    from govinfo_xlsx.report.docx import render_docx
    from govinfo_xlsx.template.writer import build_template

    print("load average " + " ".join(open("/proc/loadavg").read().split()[:3]))
    with tempfile.TemporaryDirectory() as d:
        form = form_for_year(2026)
        gov2021 = Path(d) / "gov-2021-2026.xlsx"
        gov2021.write_bytes(build_template(form, 2026, values=consistent_values(form, 2026)))
        workbooks = {"example (gov-2019)": Path(govinfo_xlsx.__file__).parent / "examples" / "yongkang-2020.xlsx",
                     "gov-2021": gov2021}
        for label, path in workbooks.items():
            report = ingest(path)
            context = build_context(report)
            cpu = cpu_medians({"context": lambda: build_context(report), "docx": lambda: render_docx(context)},
                              args.repeat)
            print(f"{label}: render_docx {cpu['docx'] * 1000:.1f} ms CPU, build_context "
                  f"{cpu['context'] * 1000:.1f} ms CPU: docx / context = {cpu['docx'] / cpu['context']:.1f}")
    print("load average " + " ".join(open("/proc/loadavg").read().split()[:3]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

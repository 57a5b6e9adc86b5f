"""Benchmark: cost per item stays flat from small to large inputs (no quadratic step anywhere).

Each measured thing is one function ``measure_<name>(size) -> seconds`` registered in MEASURES with
the sizes it is run at and the unit of one item; the script prints, for each size, the total time
and the time per item, and the ratio of the largest size's per-item cost to the smallest's (about 1
when the cost is linear; it grew with the size before: 1,000 zip members took 2.3 s, 4,000 took
36 s).  Add a measure by writing its function and one MEASURES entry.

    python scripts/bench_scaling.py [--only archive[,...]] [--sizes 100,1000,10000]
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

WORKDIR = Path(tempfile.mkdtemp(prefix="govinfo-bench-scaling-"))


@dataclass(frozen=True)
class Measure:
    function: Callable[[int], float]
    sizes: tuple[int, ...]
    unit: str  # what one item is ("member", "paragraph", ...)
    what: str  # one line: what is timed


def _member_bytes() -> bytes:
    """A small valid workbook: the members are real submissions, but their checking is not timed."""
    from fill import consistent_values, fill

    from govinfo_xlsx.forms import form_for_year
    from govinfo_xlsx.template.writer import write_template

    form = form_for_year(2026)
    template = write_template(form, 2026, WORKDIR / "template.xlsx")
    return fill(template, consistent_values(form, 2026), WORKDIR / "member.xlsx").read_bytes()


_MEMBER: list[bytes] = []


def measure_archive(size: int) -> float:
    """List the sources of one zip archive of ``size`` workbooks and read every member, as collect does
    (``iter_sources`` then ``ArchiveReader.load`` in label order). Checking the workbooks is not timed."""
    from govinfo_xlsx.collect.archive import ArchiveReader
    from govinfo_xlsx.collect.inbox import iter_sources

    if not _MEMBER:
        _MEMBER.append(_member_bytes())
    path = WORKDIR / f"附件-{size}.zip"
    if not path.exists():
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for i in range(size):
                z.writestr(f"报送/{i:06d}.xlsx", _MEMBER[0])
        path.write_bytes(buf.getvalue())
    start = time.perf_counter()
    sources = sorted(iter_sources([str(path)]), key=lambda s: s.label)
    total = 0
    with ArchiveReader() as reader:
        for source in sources:
            loaded = reader.load(source)
            assert not loaded.error, loaded.error
            total += len(loaded.data or b"")
    elapsed = time.perf_counter() - start
    assert len(sources) == size and total == size * len(_MEMBER[0])
    return elapsed


MEASURES: dict[str, Measure] = {
    "archive": Measure(measure_archive, (100, 1000, 4000, 10000, 20000), "member",
                       "list a zip archive and read every member (collect's archive handling)"),
}


def run(name: str, measure: Measure, sizes: tuple[int, ...]) -> None:
    print(f"{name}: {measure.what}")
    per_item = []
    for size in sizes:
        measure.function(min(size, 50))  # warm-up: imports, caches
        seconds = measure.function(size)
        per_item.append(seconds / size)
        print(f"  {size:>7} {measure.unit}s  {seconds:8.3f} s  {seconds / size * 1e6:9.1f} µs per {measure.unit}")
    print(f"  per-{measure.unit} cost, largest / smallest size: {per_item[-1] / per_item[0]:.2f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="comma-separated measures: " + ",".join(MEASURES))
    ap.add_argument("--sizes", help="comma-separated sizes instead of each measure's own")
    args = ap.parse_args()
    names = args.only.split(",") if args.only else list(MEASURES)
    unknown = [n for n in names if n not in MEASURES]
    if unknown:
        ap.error(f"unknown measure(s): {', '.join(unknown)}")
    try:
        for name in names:
            m = MEASURES[name]
            run(name, m, tuple(int(s) for s in args.sizes.split(",")) if args.sizes else m.sizes)
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

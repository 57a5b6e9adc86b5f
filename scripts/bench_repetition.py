"""Benchmark the batch 重复率 (govinfo_xlsx/checks/repetition.py): N agencies' texts, each compared with every
other agency's, at several batch sizes, to show the cost grows with the batch's total length.

Each agency's text has the eight narrative parts of the 2021 format, about 3,000 characters in all:
a third drawn from a pool of boilerplate sentences that many agencies share, the rest its own
sentences with its name, dates and figures; one agency in twenty copies another's part five (the
copies found are counted).
Times are wall and CPU (the machine may be busy); the per-agency figure should stay flat.

    python scripts/bench_repetition.py              # 250, 500, 1000 and 2000 agencies
    python scripts/bench_repetition.py -n 1000
"""

from __future__ import annotations

import argparse
import random
import time

from govinfo_xlsx.checks.repetition import Batch

PARTS = ("part1_intro", "part1_active", "part1_request", "part1_management", "part1_platform",
         "part1_supervision", "part5", "part6")


def sentence(rng: random.Random, low: int = 18, high: int = 45) -> str:
    return "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(rng.randrange(low, high))) + "。"


def texts(n: int, seed: int = 1) -> list[tuple[str, dict[str, str]]]:
    rng = random.Random(seed)
    pool = [sentence(rng) for _ in range(120)]
    out = []
    for i in range(n):
        name = f"测试市第{i}局"
        parts = {}
        for key in PARTS:
            own = [f"{name}{rng.randrange(2020, 2030)}年共办理{rng.randrange(1, 900)}件，" + sentence(rng)
                   for _ in range(6)]
            parts[key] = "".join(rng.sample(pool, 3) + own)
        out.append((name, parts))
    for i in range(0, n - 1, 20):  # one agency in twenty copies the next one's part five, its own name put in
        out[i][1]["part5"] = out[i + 1][1]["part5"].replace(out[i + 1][0], out[i][0])
    return out


def run(n: int) -> tuple[float, float, int, int]:
    batch_texts = texts(n)
    wall, cpu = time.perf_counter(), time.process_time()
    batch = Batch()
    for name, parts in batch_texts:
        batch.add(name, parts)
    results = batch.compare()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    chars = sum(len(t) for p in batch.parts for t in p.values())
    del batch_texts
    copies = sum(1 for i, r in enumerate(results)
                 if r.peer == batch.owners[min(i + 1, n - 1)] and r.peer_share.parts.get("part5") == 1.0)
    return wall, cpu, chars, copies


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, action="append", help="agencies (repeatable; default 250 500 1000 2000)")
    args = ap.parse_args()
    run(50)  # warm up (numpy import, caches)
    import resource

    print("| agencies | characters | wall | CPU | CPU per agency | copies found | peak memory so far |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for n in args.n or [250, 500, 1000, 2000]:
        wall, cpu, chars, copies = run(n)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"| {n:,} | {chars:,} | {wall:.2f} s | {cpu:.2f} s | {cpu / n * 1000:.2f} ms | {copies} | {peak:.0f} MB |")


if __name__ == "__main__":
    main()

"""Benchmark: extract's cost per paragraph from small to large pages (issue 11: linear cost).

Builds saved pages of growing size in the shapes that were quadratic before (paragraphs each
inside several nested elements, and a long page of plain paragraphs), runs ``extract`` on each
and prints the time per paragraph, which should stay flat.

    python scripts/bench_extract.py            # 1k, 4k, 16k, 64k paragraphs
    python scripts/bench_extract.py --max 16000
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from pathlib import Path

from govinfo_xlsx.extract.run import extract

HEAD = ("<html><head><title>某某县某某局2025年政府信息公开工作年度报告</title></head><body>"
        "<p>某某县某某局2025年政府信息公开工作年度报告</p><p>一、总体情况</p>")
TAIL = ("<p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p>"
        "<p>四、政府信息公开行政复议、行政诉讼情况</p><p>五、存在的主要问题及改进情况</p><p>问题。</p>"
        "<p>六、其他需要报告的事项</p><p>无。</p></body></html>")


def nested_page(paragraphs: int, depth: int = 8) -> str:
    para = "<div>" * depth + "<p>本年度主动公开政府信息若干条，依申请公开工作运行平稳。</p>" + "</div>" * depth
    return HEAD + para * paragraphs + TAIL


def deep_page(paragraphs: int) -> str:
    """Every paragraph one level deeper than the last (a page of unclosed elements)."""
    return HEAD + "".join(f"<div><span>第{i}条信息。</span>" for i in range(paragraphs)) + TAIL


def scaling(max_paragraphs: int = 64_000) -> list[tuple[str, int, int, float, float]]:
    """(shape, paragraphs, bytes, seconds, microseconds per paragraph) for growing pages."""
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for shape, build in (("nested", nested_page), ("deep", deep_page)):
            n = 1000
            while n <= max_paragraphs:
                page = Path(d) / f"{shape}-{n}.html"
                page.write_text(build(n), encoding="utf-8")
                gc.collect()  # the previous page's tree is not collected inside this one's timing
                start = time.perf_counter()
                extract(page)
                took = time.perf_counter() - start
                rows.append((shape, n, page.stat().st_size, took, took / n * 1e6))
                n *= 4
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max", type=int, default=64_000, help="largest page, in paragraphs")
    args = ap.parse_args()
    print(f"{'shape':8} {'paragraphs':>10} {'KB':>8} {'seconds':>8} {'µs/paragraph':>13}")
    for shape, n, size, took, per in scaling(args.max):
        print(f"{shape:8} {n:>10} {size // 1024:>8} {took:>8.2f} {per:>13.1f}")


if __name__ == "__main__":
    main()

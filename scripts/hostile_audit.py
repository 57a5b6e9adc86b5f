"""Issue 27's "done when": ``audit`` over every hostile published report beside two good ones.

Builds, in a temporary folder, each hostile file of tests/hostile.py at full size — a PDF page of
crossing rules (pdfplumber's table finder would take minutes), a 1.5 MB PDF whose stream inflates to
1.5 GB, a PDF of 1,500 text-heavy pages, a password PDF, a damaged PDF, a long line of spaces, one
row of many cells as text, HTML (128 KB each) and DOCX, 70,000 claims in one paragraph (1.3 MB),
tables nested 15,000 deep and 25,000 headers nested ever deeper (about 0.5 and 1 MB), pages in UTF-16
and Big5 — and copies two real reports from tests/fixtures/published/.
Runs ``govinfo-xlsx audit --jobs 2`` over the folder and prints the wall-clock time and each file's
status and reason. Generated files are never kept (nothing goes into git).

    python scripts/hostile_audit.py            # the full sizes
    python scripts/hostile_audit.py --keep DIR # keep the folder and AUDIT.xlsx in DIR
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hostile import (  # noqa: E402  (test helpers: the generators of the hostile suite)
    docx_of, docx_paragraph, docx_row, many_pages_pdf, pdf_of, ruled_pdf, stream_bomb_pdf, text_page,
)

PUBLISHED = ROOT / "tests" / "fixtures" / "published"
GOOD = ("hongze-2024.pdf", "shanghai-2019.html")
HEAD = "某某县某某局2025年政府信息公开工作年度报告\n一、总体情况\n"
HTML_HEAD = "<html><body><p>某某县某某局2025年政府信息公开工作年度报告</p><p>一、总体情况</p>"


def hostile_files() -> dict[str, bytes]:
    import opencc

    page = (PUBLISHED / "shanghai-2019.html").read_text(encoding="utf-8")
    return {  # the sizes the issue measured: 128 KB of cells took 27 s, 1.3 MB of claims 258 s, 1 MB nesting 105 s
        "ruled-lines.pdf": ruled_pdf(60),
        "stream-bomb.pdf": stream_bomb_pdf(1500),
        "1500-pages.pdf": many_pages_pdf(1500),
        "password.pdf": pdf_of([text_page(["secret"])], encrypt=True),
        "damaged.pdf": (PUBLISHED / "hongze-2023.pdf").read_bytes()[:3000],
        "spaces.txt": (HEAD + "甲" + " " * 1_000_000 + "乙|\n").encode(),
        "row-of-cells.txt": (HEAD + "\t".join(["1"] * 64_000) + "\n").encode(),  # 128 KB
        "row-of-cells.html": (HTML_HEAD + "<table><tr>" + "<td>1</td>" * 13_000 + "</tr></table>").encode(),
        "row-of-cells.docx": docx_of(docx_paragraph("某某县某某局2025年政府信息公开工作年度报告") + docx_row(["1"] * 30_000)),
        "claims.txt": (HEAD + "新收申请1件，" * 70_000 + "\n").encode(),  # 1.3 MB
        "nested-tables.html": (HTML_HEAD + "<table><tr><td>x" * 15_000 + "</td></tr></table>" * 15_000).encode(),
        "nested-headers.html": (HTML_HEAD + "<main>" + "<div><header>页眉</header><p>正文</p>" * 25_000).encode(),
        "utf16.html": page.encode("utf-16"),
        "big5.html": opencc.OpenCC("s2tw").convert(page).replace('charset="utf-8"', 'charset="big5"').encode("big5hkscs"),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", metavar="DIR", help="build the folder here and keep it")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="hostile-audit-"))
    try:
        folder = base / "reports"
        folder.mkdir(parents=True, exist_ok=True)
        for name in GOOD:
            shutil.copy(PUBLISHED / name, folder / f"good-{name}")
        for name, data in hostile_files().items():
            (folder / name).write_bytes(data)
        sizes = {p.name: p.stat().st_size for p in folder.iterdir()}
        out, js = base / "AUDIT.xlsx", base / "AUDIT.json"
        start = time.monotonic()
        run = subprocess.run([sys.executable, "-m", "govinfo_xlsx", "audit", str(folder), "-o", str(out), "--json",
                              str(js), "--jobs", str(args.jobs), "--no-progress"], capture_output=True, text=True)
        took = time.monotonic() - start
        print(run.stdout.strip() or run.stderr.strip())
        rows = json.loads(js.read_text(encoding="utf-8"))["rows"]
        print(f"\n{'file':24} {'KB':>6}  {'status':8} reason")
        for r in rows:
            name = Path(r["file"]).name
            reason = (r["notes"] or "").split("：", 1)[-1][:70]
            print(f"{name:24} {sizes.get(name, 0) // 1024:>6}  {r['status']:8} {reason}")
        print(f"\naudit --jobs {args.jobs} over {len(rows)} files: {took:.1f} s wall clock")
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()

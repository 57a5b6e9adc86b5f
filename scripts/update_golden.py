"""Rewrite tests/golden/ from the current code (after an intended template change)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from golden import GOLDEN_DIR, write_golden  # noqa: E402

if __name__ == "__main__":
    paths = write_golden()
    print(f"wrote {len(paths)} files under {GOLDEN_DIR.relative_to(ROOT)}")

"""Regenerate docs/rules.md, the rule catalogue (the output of `govinfo-xlsx rules`).

tests/test_rules_doc.py fails when the committed file is stale: run
`python scripts/build_rules_doc.py` then.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govinfo_xlsx.files.atomic import write_bytes_atomic  # noqa: E402
from govinfo_xlsx.checks.catalogue import render_catalogue  # noqa: E402
from govinfo_xlsx.forms import all_forms  # noqa: E402

RULES_DOC = ROOT / "docs" / "rules.md"


def main() -> int:
    write_bytes_atomic(RULES_DOC, render_catalogue(all_forms()).encode("utf-8"))
    print(f"wrote {RULES_DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Write tests/data/test_seconds.json, the time each test file took, from this checkout's last runs.

tests/conftest.py hands the test files to the workers longest first, by what they took last time: in a
checkout that ran the suite, pytest's cache says; in a fresh clone, this table does.  Refresh it after a
whole run of ``scripts/test.sh`` when files were added or became much slower or faster:

    python scripts/test_seconds.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".pytest_cache" / "v" / "govinfo" / "test_seconds"
TABLE = ROOT / "tests" / "data" / "test_seconds.json"


def main() -> int:
    if not CACHE.exists():
        print(f"没有测试用时记录（{CACHE}）：请先运行 scripts/test.sh。", file=sys.stderr)
        return 1
    seconds = json.loads(CACHE.read_text(encoding="utf-8"))
    present = {str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob("test_*.py")}
    table = {f: seconds[f] for f in sorted(seconds) if f in present}
    TABLE.write_text(json.dumps(table, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"已写入 {TABLE.relative_to(ROOT)}：{len(table)} 个测试文件，共 {sum(table.values()):.0f} 秒。")
    return 0


if __name__ == "__main__":
    sys.exit(main())

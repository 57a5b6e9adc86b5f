"""One of each small thing: JSON written one way (findings.json_text), per-object caches (memo.py)."""

from __future__ import annotations

import datetime as dt
import json

from govinfo_xlsx.checks.findings import json_text


def test_json_is_written_one_strict_way():
    text = json_text({"机关": "某局", "date": dt.date(2026, 1, 5), "x": float("nan"), "n": 3.0, "t": (1, 2)})
    assert text.endswith("}\n") and "某局" in text and '\n  "date": "2026-01-05"' in text
    assert json.loads(text) == {"机关": "某局", "date": "2026-01-05", "x": "nan", "n": 3, "t": [1, 2]}


def test_a_value_is_computed_once_per_object():
    from govinfo_xlsx.memo import per_object

    calls = []

    @per_object
    def size(d: dict) -> int:
        calls.append(1)
        return len(d)

    a, b = {"x": 1}, {"x": 1}  # equal, not the same object
    assert (size(a), size(a), size(b)) == (1, 1, 1) and len(calls) == 2

"""One of each small thing: JSON written one way (findings.json_text), one cache by object (memo.py)."""

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


def test_a_value_is_computed_once_per_object_and_key_within_a_limit():
    from govinfo_xlsx.memo import per_object

    calls = []

    @per_object(limit=3)
    def parse(kind: dict, t: type, raw: object) -> str:
        calls.append(raw)
        return f"{kind['name']}:{t.__name__}:{raw}"

    k, other = {"name": "count"}, {"name": "count"}
    assert [parse(k, int, 1), parse(k, int, 1), parse(k, float, 1.0), parse(other, int, 1)] == \
        ["count:int:1", "count:int:1", "count:float:1.0", "count:int:1"]
    assert calls == [1, 1.0, 1]  # 1 and 1.0 are two keys (their type is part of it), other kind: its own
    parse(k, int, 2)  # a fourth entry: the cache was full, so it starts again
    assert len(parse.cache) == 1


def id_keyed_lookups(path) -> list[int]:
    """Lines that look a value up by an object's ``id`` (``d.get(id(x))``, ``d[id(x)]``, ``d.get((t,
    id(x)))``): a cache of its own beside memo.per_object."""
    import ast

    def has_id(node: ast.AST) -> bool:
        return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "id" for n in ast.walk(node))

    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Subscript) and has_id(node.slice):
            lines.append(node.lineno)
        elif isinstance(node, ast.Tuple) and has_id(node):  # key = (id(form), names)
            lines.append(node.lineno)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("get", "setdefault")
              and node.args and has_id(node.args[0])):
            lines.append(node.lineno)
    return sorted(set(lines))


def test_every_cache_by_object_is_memo_per_object():
    from conftest import ROOT

    sites = [f"{p.relative_to(ROOT)}:{n}" for p in sorted((ROOT / "govinfo_xlsx").rglob("*.py"))
             if p.name != "memo.py" for n in id_keyed_lookups(p)]
    assert sites == []


def test_the_cache_counter_counts(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("a = C.get(id(x))\nb = C[id(x)]\nc = C.get((t, raw, id(k)))\nd = id(x) in seen\ne = C.get(x)\n"
                      "key = (id(f), names)\n")
    assert id_keyed_lookups(sample) == [1, 2, 3, 6]

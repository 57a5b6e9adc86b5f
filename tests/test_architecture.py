"""The package's shape: no import cycles, cell names built by the declaration only.

Both tests read the source with ``ast``: every import counts, including imports
inside functions and under ``TYPE_CHECKING`` (a cycle hidden in a function is
still a cycle of ideas, and the next refactor turns it into a runtime error).
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "govinfo_xlsx"
NAME_PREFIXES = ("T2_", "T3_", "T4_", "INFO_", "TEXT_", "PRIOR_", "EXPLAIN_")


@functools.lru_cache(maxsize=None)
def _nodes(source: str) -> tuple[ast.AST, ...]:
    """Every node of a module's source, in ``ast.walk`` order; parsed once per source text (the checks
    below walk the same modules many times)."""
    return tuple(ast.walk(ast.parse(source)))


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def import_graph() -> dict[str, set[str]]:
    """module -> the package modules it imports (explicitly, anywhere in its source)."""
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for mod, path in modules.items():
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        for node in _nodes(path.read_text(encoding="utf-8")):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            graph[mod] |= {t for t in targets if t in modules and t != mod}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_import_graph_sees_the_package():
    graph = import_graph()
    assert "govinfo_xlsx.forms.model" in graph["govinfo_xlsx.forms.gov2021"]
    assert "govinfo_xlsx.results.pipeline" in graph["govinfo_xlsx.cli"]  # an import inside a function counts
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles():
    assert cycles(import_graph()) == []


def built_names(path: Path) -> list[int]:
    """Lines with an f-string that formats a cell name from parts (T2_{…}, INFO_{…}, PRIOR_{…}, …)."""
    def prefix(node: ast.AST) -> bool:
        return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith(NAME_PREFIXES)

    lines = []
    for node in _nodes(path.read_text(encoding="utf-8")):
        if isinstance(node, ast.JoinedStr) and len(node.values) > 1 and prefix(node.values[0]):
            lines.append(node.lineno)  # f"T3_{row}_{col}"
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and prefix(node.left):
            lines.append(node.lineno)  # "TEXT_" + key
    return lines


def test_cell_names_are_built_by_the_declaration():
    """Outside forms/ at most three places build a cell name from parts (reading names back may
    slice them; building them is the declaration's job)."""
    sites = []
    for mod, path in _modules().items():
        if mod.startswith("govinfo_xlsx.forms"):
            continue
        sites += [f"{path.relative_to(ROOT)}:{line}" for line in built_names(path)]
    assert len(sites) <= 3, sites


def test_the_name_counter_counts(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('a = f"T3_{r}_{c}"\nb = "TEXT_" + k\nc = "INFO_year"\nd = f"PRIOR_{n}"\ne = f"x{n}"\n')
    assert built_names(sample) == [1, 2, 4]


def _kind_key(node: ast.AST) -> bool:
    """``kind.key`` or ``<x>.kind.key``."""
    return (isinstance(node, ast.Attribute) and node.attr == "key"
            and ((isinstance(node.value, ast.Name) and node.value.id in ("kind", "k"))
                 or (isinstance(node.value, ast.Attribute) and node.value.attr == "kind")))


def test_value_kinds_carry_their_behaviour():
    """Only forms/valuekinds.py decides by a kind's key (comparisons, lookups); others ask the kind."""
    sites = []
    for mod, path in _modules().items():
        if mod == "govinfo_xlsx.forms.valuekinds":
            continue
        for node in _nodes(path.read_text(encoding="utf-8")):
            operands = ([node.left, *node.comparators] if isinstance(node, ast.Compare)
                        else [node.slice] if isinstance(node, ast.Subscript) else [])
            if any(_kind_key(x) for x in operands):
                sites.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert sites == []


FINDING_MAKERS = {"govinfo_xlsx.checks.findings", "govinfo_xlsx.checks.catalogue", "govinfo_xlsx.checks.rulekinds"}


def finding_constructions(path: Path) -> list[int]:
    """Lines that call ``Finding(...)`` (or ``<module>.Finding(...)``) directly."""
    return [node.lineno for node in _nodes(path.read_text(encoding="utf-8"))
            if isinstance(node, ast.Call)
            and ((isinstance(node.func, ast.Name) and node.func.id == "Finding")
                 or (isinstance(node.func, ast.Attribute) and node.func.attr == "Finding"))]


def test_findings_are_made_by_their_rule():
    """One way to make a finding: a catalogue entry's or a rule kind's ``finding`` (findings.Reporter),
    which stamps the rule's ID and severity; nothing else constructs a Finding."""
    sites = []
    for mod, path in _modules().items():
        if mod not in FINDING_MAKERS:
            sites += [f"{path.relative_to(ROOT)}:{line}" for line in finding_constructions(path)]
    assert sites == []


def test_the_finding_counter_counts(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("a = Finding('r', s, '', '', 'm')\nb = findings.Finding(x)\nc = rule.finding('m')\n")
    assert finding_constructions(sample) == [1, 2]


SPEAKERS = {"govinfo_xlsx.checks.findings", "govinfo_xlsx.checks.catalogue", "govinfo_xlsx.checks.rulekinds"}
# Modules whose findings are still worded at the call, with how many such calls each has (work left;
# the count may only fall; a module not listed may word none).  A check gets its words as a template
# in checks/catalogue.py, or as a method of its rule kind in checks/rulekinds.py; callers pass facts.
WORDED_LEFT: dict[str, int] = {}  # none left (issue 23)


def _catalogue_ids() -> set[str]:
    from govinfo_xlsx.checks.catalogue import _ENTRIES

    return set(_ENTRIES)


def _is_text(node: ast.AST) -> bool:
    """A message written out: Chinese text in a literal, an f-string, or a sum or join of such."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any("\u4e00" <= ch <= "\u9fff" for ch in node.value)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    if isinstance(node, ast.IfExp):
        return _is_text(node.body) or _is_text(node.orelse)
    return False


PLACES = {"expected", "actual", "sheet", "section", "cell", "row_label", "col_label", "severity", "variant", "name",
          "location"}


def worded_findings(path: Path, ids: set[str]) -> list[int]:
    """Lines where a finding's words are made by its caller: a ``.finding(`` call given a message
    (positionally or ``message=``), a finding copied with a new ``message=`` (``replace``), or a call
    naming a catalogue rule ID that passes written text."""
    lines = []
    for node in _nodes(path.read_text(encoding="utf-8")):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Attribute) and node.func.attr == "finding":
            if node.args or any(k.arg == "message" for k in node.keywords):
                lines.append(node.lineno)
                continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name == "replace" and any(k.arg == "message" for k in node.keywords):
            lines.append(node.lineno)  # dataclasses.replace(f, message=...): a finding worded again
            continue
        named = any(isinstance(a, ast.Constant) and a.value in ids for a in node.args)
        facts = [k.value for k in node.keywords if k.arg not in PLACES]
        if named and any(_is_text(a) for a in [*node.args, *facts]):
            lines.append(node.lineno)
    return lines


def test_findings_are_worded_by_their_check():
    """A finding's message is filled from facts by its check object (a catalogue entry's template or a
    rule kind's ``message``); callers pass facts, never words.  WORDED_LEFT lists the work left."""
    ids = _catalogue_ids()
    found = {}
    for mod, path in _modules().items():
        if mod not in SPEAKERS:
            lines = worded_findings(path, ids)
            if lines:
                found[str(path.relative_to(ROOT))] = lines
    over = {f: lines for f, lines in found.items() if len(lines) > WORDED_LEFT.get(f, 0)}
    assert over == {}, over


def test_the_wording_counter_counts(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('a = rule.finding("错")\nb = e.finding(message=m)\nc = e.finding(cell="A1", n=3)\n'
                      'r.add("pub-part-empty", loc, f"第{n}部分")\nr.add("pub-part-empty", loc, n=n)\n'
                      'x.add("pub-part-empty", "A1" + "甲")\nx.add("pub-part-empty", expected="公式", n=f"{k}")\n'
                      'f = dataclasses.replace(f, message=m)\ng = replace(f, severity=s)\n')
    assert worded_findings(sample, {"pub-part-empty"}) == [1, 2, 4, 6, 7, 8]


# The package's layers, lowest first.  A module may import modules of its own layer or of a lower
# one, never of a higher one (every import counts, lazy ones inside functions included).  Entries
# name a module, or a package with ``.*`` for all of its modules.  A new module is placed here.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base: files and processes, reading a workbook, errors, findings, caches",
     ("govinfo_xlsx", "errors", "memo", "files.*", "reading.*", "checks.findings", "template.protect",
      "extract.encoding", "report.words", "report.plots", "template", "checks", "results", "collect", "audit",
      "extract", "office", "report")),
    ("facts: value kinds, organ kinds and deadlines, review decision words",
     ("forms.valuekinds", "checks.deadlines", "checks.decisions")),
    ("rule kinds", ("checks.rulekinds",)),
    ("declaration, layout and catalogue",
     ("forms.*", "template.layout", "checks.catalogue", "template.instructions", "checks.explain",
      "checks.scoring", "checks.repetition", "office.organkind")),
    ("reading and checking one workbook or report; writing the template",
     ("checks.ingest", "template.writer", "template.sheetclass", "results.annotate", "template.prior",
      "checks.rollupdraft",
      "office.config", "extract.*")),
    ("outputs", ("report.*", "results.*")),
    ("batches", ("collect.*",)),
    ("audits of published reports", ("audit.*",)),
    ("command line", ("cli", "__main__", "results.console", "examples")),
]


def layer_of(module: str) -> int | None:
    """The index in LAYERS of a module (an exact entry wins over a package's ``.*``)."""
    name = module.removeprefix("govinfo_xlsx.") if module != "govinfo_xlsx" else module
    for i, (_, members) in enumerate(LAYERS):
        if name in members:
            return i
    best = None
    for i, (_, members) in enumerate(LAYERS):
        for m in members:
            if m.endswith(".*") and (name == m[:-2] or name.startswith(m[:-1])) and (best is None or len(m) > len(best[1])):
                best = (i, m)
    return best[0] if best else None


def test_every_module_has_a_layer():
    assert [m for m in _modules() if layer_of(m) is None] == []


def test_no_import_runs_up_a_layer():
    """The stated layer order holds for every import (lazy ones included)."""
    upward = [f"{m} ({LAYERS[layer_of(m)][0]}) -> {t} ({LAYERS[layer_of(t)][0]})"
              for m, targets in import_graph().items() for t in sorted(targets)
              if layer_of(m) is not None and layer_of(t) is not None and layer_of(t) > layer_of(m)]
    assert upward == []


def test_the_layer_check_sees_a_lazy_import(tmp_path):
    assert layer_of("govinfo_xlsx.checks.rulekinds") < layer_of("govinfo_xlsx.forms.organs")
    assert layer_of("govinfo_xlsx.results.schema") < layer_of("govinfo_xlsx.collect.review")
    assert layer_of("govinfo_xlsx.forms.valuekinds") < layer_of("govinfo_xlsx.checks.rulekinds")  # exact entry wins
    graph = import_graph()
    assert "govinfo_xlsx.results.pipeline" in graph["govinfo_xlsx.cli"]  # imported inside a function


def test_one_chinese_date_format():
    """“2026年1月5日” is formatted in one place (findings.chinese_date; templates say ``{x!v}``)."""
    import re

    written = re.compile(r"\{[^{}]*\}年\{[^{}]*\}月\{[^{}]*\}日")
    sites = [f"{path.relative_to(ROOT)}:{n}" for mod, path in _modules().items() if mod != "govinfo_xlsx.checks.findings"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if written.search(line)]
    assert sites == []

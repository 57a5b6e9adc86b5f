"""Python 3.10 compatibility of the package's source (requires-python = ">=3.10").

The suite itself runs on one Python; ``scripts/smoke.py`` runs the CLI on every other Python
present.  These checks catch, on any Python, the constructs only 3.11+ knows: ``re`` possessive
quantifiers and atomic groups, 3.11+ syntax, and 3.11+ only stdlib modules imported without a
fallback.
"""

from __future__ import annotations

import ast
import re
import warnings
from pathlib import Path

import pytest

from conftest import ROOT

try:  # the regex parser of the running Python (3.11+ knows possessive repeats and atomic groups)
    import re._parser as sre_parse  # type: ignore[import-not-found]
except ImportError:  # Python 3.10
    import sre_parse  # type: ignore[no-redef]

SOURCES = sorted((ROOT / "govinfo_xlsx").rglob("*.py")) + sorted((ROOT / "scripts").glob("*.py"))
# anything that could only mean "possessive" or "atomic" in a regex piece that does not parse alone
_TEXTUAL = re.compile(r"\(\?>|(?<!\\)[*?}]\+|(?<![\\+])\+\+")
NEW_MODULES = {"tomllib", "wsgiref.types"}  # stdlib modules added in 3.11+


def _only_311(pattern: str | bytes) -> list[str]:
    """The 3.11+ only features of a pattern (possessive repeats, atomic groups)."""
    text = pattern.decode("latin-1") if isinstance(pattern, bytes) else pattern
    try:
        with warnings.catch_warnings():  # plain text parsed as a regex may look like a nested set
            warnings.simplefilter("ignore")
            parsed = sre_parse.parse(text)
    except Exception:  # not a regex by itself (a piece of one, or plain text)
        return [text] if _TEXTUAL.search(text) else []
    found: list[str] = []

    def walk(items) -> None:
        for op, av in items:
            if str(op) in ("POSSESSIVE_REPEAT", "ATOMIC_GROUP"):
                found.append(f"{op} in {text!r}")
            for x in av if isinstance(av, (list, tuple)) else (av,):
                if isinstance(x, sre_parse.SubPattern):
                    walk(x)
                elif isinstance(x, (list, tuple)):
                    for y in x:
                        if isinstance(y, sre_parse.SubPattern):
                            walk(y)

    walk(parsed)
    return found


def test_only_311_features_are_found() -> None:
    """The check itself sees what Python 3.10's ``re`` refuses (on 3.10 only the textual part can)."""
    assert _only_311(rb"<[\w.-]*+[!?:]") and _only_311(r"(?>ab)c") and _only_311(r")*+x")
    assert not _only_311(rb"<[\w.-]*[!?:]") and not _only_311(r"a\++b") and not _only_311(r"[+]+")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_regex_that_python_310_refuses(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = [f"{path.name}:{node.lineno}: {hit}" for node in ast.walk(tree)
           if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))
           for hit in _only_311(node.value)]
    assert not bad, bad


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_syntax_and_modules_of_python_310(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, feature_version=(3, 10))  # except*, PEP 695 generics... are SyntaxErrors
    guarded: set[int] = set()  # imports inside a try with an ImportError fallback, or under a version test
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "version_info" in ast.unparse(node.test) and node.orelse:
            guarded |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
        if isinstance(node, ast.Try) and any(
                isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError")
                for h in node.handlers):
            guarded |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    for node in ast.walk(tree):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
        for name in names:
            assert name not in NEW_MODULES or id(node) in guarded, f"{path.name}:{node.lineno}: import {name}"

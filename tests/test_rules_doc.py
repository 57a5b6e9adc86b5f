"""The committed rule catalogue docs/rules.md is what `govinfo-xlsx rules` prints."""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))

import build_rules_doc  # noqa: E402

from govinfo_xlsx.cli import main  # noqa: E402
from govinfo_xlsx.forms import all_forms  # noqa: E402


def test_rules_doc_is_not_stale(capsys):
    assert main(["rules"]) == 0
    printed = capsys.readouterr().out
    assert build_rules_doc.RULES_DOC.read_text(encoding="utf-8") == printed, (
        "docs/rules.md is stale: run python scripts/build_rules_doc.py")


def test_rules_doc_lists_every_declared_rule():
    text = build_rules_doc.RULES_DOC.read_text(encoding="utf-8")
    for form in all_forms():
        for r in (*form.rules, *form.cross_year):
            assert f"`{r.id}` | {r.severity.value} |" in text

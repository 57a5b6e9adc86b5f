"""Catalogue checks carry their words: a message template filled from facts (checks/catalogue.py)."""

from __future__ import annotations

import datetime as dt
import string

from govinfo_xlsx.checks.catalogue import _ENTRIES, entry, render_catalogue
from govinfo_xlsx.checks.findings import Severity
from govinfo_xlsx.forms import all_forms


def test_a_check_words_its_finding_from_facts():
    f = entry("structure-sheet-missing").finding(variant="renamed", sheet="表二", now="Sheet2")
    assert (f.rule, f.severity, f.sheet) == ("structure-sheet-missing", Severity.ERROR, "表二")
    assert f.message == "工作表“表二”被改名为“Sheet2”，已按单元格名称读取。"
    assert entry("structure-sheet-missing").finding(sheet="表四").message == "缺少工作表“表四”。"


def test_a_template_shows_values_as_messages_do():
    f = entry("cell-normalized").finding(expected=dt.date(2026, 1, 5), actual="2026.1.5")
    assert f.message == "“2026.1.5”已按 2026年1月5日 读取，请只填写数字或日期本身。"
    assert entry("cell-normalized").finding(expected=12.0, actual="12件").message.startswith("“12件”已按 12 读取")


def test_every_template_is_well_formed_and_in_the_catalogue():
    text = render_catalogue(all_forms())
    for r in _ENTRIES.values():
        for template in r.templates().values():
            list(string.Formatter().parse(template))  # raises on an unbalanced brace
            if template:
                assert f"`{template}`".replace("|", "\\|") in text, r.id


def test_a_template_lists_and_quotes_facts():
    from govinfo_xlsx.checks.catalogue import _FORMATTER

    assert _FORMATTER.format("{rows!q:、2}", rows=["甲", "乙", "丙"]) == "“甲”、“乙”等"
    assert _FORMATTER.format("{rows:；}", rows=["甲", "乙"]) == "甲；乙"
    assert _FORMATTER.format("{rows!q}", rows=("甲",)) == "“甲”"


def test_every_check_has_its_words():
    assert [r.id for r in _ENTRIES.values() if not all(r.templates().values())] == []

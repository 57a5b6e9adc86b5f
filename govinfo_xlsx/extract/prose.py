"""Claims in the prose about tables 三 and 四, each compared with the table or said to be unchecked.

A claim is a number the text gives for something the tables count (新收, 上年结转, 办结, each
outcome and combinations such as 予以公开和部分公开, 复议 and 诉讼 counts), a result in words
(均获维持, 无纠错) or a list of shares.  The table's figure is the row's 总计 column, or the sum of
the applicant columns where 总计 is blank (``basis`` says which).  Which rows a claim means is
found in the declaration by the row and group labels, not listed here by key.  A whole (新收, 办结)
is read only where the clause names no single outcome: "其中予以公开答复9件" is a count of 予以公开,
and an outcome the tables do not name as a row ("同意公开", "公开答复") is recorded 无法核对.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..forms.model import Form
from .shares import list_may_go_on, of_a_larger_whole

GAP = r"[^，。；;、\d%]{0,12}?"
CONSISTENT, CONTRADICTS, UNCHECKED = "一致", "矛盾", "无法核对"

# (what the text says, pattern, words naming table 三 rows or groups / table 四 groups)
# Combined outcomes come first: a span once taken is not read again by a shorter claim.
CLAIMS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("予以公开和部分公开", rf"(?:予以|已)公开(?:和|及|与|、|或)部分公开{GAP}(\d+)\s*件", ("予以公开", "部分公开")),
    ("新收申请", rf"(?:新收{GAP}|(?:受理|收到){GAP}申请{GAP})(\d+)\s*(?:件|条)", ("新收",)),
    ("上年结转", rf"上年度?结转{GAP}(\d+)\s*件", ("上年结转",)),
    ("办结", rf"(?:办结|答复){GAP}(\d+)\s*件", ("总计",)),
    ("予以公开", rf"(?<!及)(?<!和)(?<!与)予以公开(?!和|及|与|、){GAP}(\d+)\s*件", ("予以公开",)),
    ("部分公开", rf"(?<!和)(?<!及)(?<!与)(?<!、)(?<!或)部分公开{GAP}(\d+)\s*件", ("部分公开",)),
    ("不予公开", rf"不予公开{GAP}(\d+)\s*件", ("不予公开",)),
    ("无法提供", rf"无法提供{GAP}(\d+)\s*件", ("无法提供",)),
    ("不予处理", rf"不予处理{GAP}(\d+)\s*件", ("不予处理",)),
    ("其他处理", rf"其他处理{GAP}(\d+)\s*件", ("其他处理",)),
    ("结转下年度", rf"(?:结?转(?:至|到|入)?(?:下一?年度?|20\d{{2}}年度?)){GAP}(\d+)\s*件", ("结转下年度",)),
    ("行政复议", rf"(?:行政)?复议{GAP}(\d+)\s*(?:件|起|次)", ("T4:行政复议",)),
    ("行政诉讼", rf"(?:行政)?诉讼{GAP}(\d+)\s*(?:件|起|次)", ("T4:行政诉讼",)),
)
# Claims of a whole (新收, 办结) must be worded as the whole: a number whose clause names one outcome
# ("予以公开答复9件", "同意公开答复 9 件", "其中公开答复1件") or the applications carried into next year
# ("转下一年度办理答复的有 1 件") counts those, never all applications.
WHOLE = ("新收申请", "办结")
OUTCOME_WORDING = re.compile(r"予以公开|同意公开|准予公开|部分公开|不予公开|不公开|无法提供|不予处理|其他处理|"
                             r"(?<!信息)(?<!申请)公开答复|告知|不予受理|驳回|"
                             r"(?<!上年)(?<!上一年)(?<!上年度)结?转(?:至|到|入)?下一?年度?")  # 转下一年度办理答复的有1件
# A whole (办结, 新收) said of other business than applications ("通过12345热线办理答复咨询件22件", "办结人大代表建议
# 12件"): not a claim about the tables.
OTHER_BUSINESS = re.compile(r"咨询|热线|来电|留言|信访|投诉|建议|提案")
CLAUSE_START = re.compile(r"[，。；;,：:（(]")
# Outcomes the tables have no row of by that name: the claim is recorded, 无法核对.
UNMAPPED: tuple[tuple[str, str], ...] = (
    ("同意公开", rf"同意公开{GAP}(\d+)\s*件"),
    ("公开答复", rf"(?<!信息)(?<!申请)公开答复{GAP}(\d+)\s*件"),
)
# Results in words: all upheld / nothing corrected.  (pattern, columns that must be 0, what it means)
OUTCOME_WORDS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (r"均(?:获|被|予|已)?(?:维持|支持)|全部(?:获)?维持|均为维持", ("corrected", "other", "pending"), "全部维持"),
    (r"无(?:一)?(?:被)?纠错|未(?:被)?纠错|零纠错|无败诉|零败诉", ("corrected",), "没有被纠正"),
)
SHARE = re.compile(r"占[^，。；\d]{0,8}?(\d+(?:\.\d+)?)\s*[%％]")


@dataclass
class Claim:
    text: str  # the words of the claim
    paragraph: str  # 第N段
    what: str
    value: Any  # what the text says
    table_value: Any  # what the table gives (None: not checked)
    status: str  # 一致 / 矛盾 / 无法核对
    basis: str = ""  # 总计列 / 各申请人栏之和（总计列空白） / 表四 …
    reason: str = ""  # why a claim could not be checked

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "paragraph": self.paragraph, "what": self.what, "value": self.value,
                "table_value": self.table_value, "status": self.status, "basis": self.basis, "reason": self.reason}


class Figures:
    """Table figures for claims, read through the declaration of the report's format."""

    def __init__(self, form: Form, values: dict[str, Any], status: dict[str, str]) -> None:
        self.form, self.values, self.status = form, values, status

    def _rows_for(self, word: str) -> list:
        t3 = self.form.table3
        if word == "总计":
            return [t3.results_total]
        for g in t3.results:
            if re.sub(r"^[（(][一二三四五六七八九十]+[）)]", "", g.label).startswith(word):
                return list(g.rows) if g.rows else [r for r in t3.result_rows() if r.key == g.key]
        return [r for r in t3.head_rows + t3.tail_rows if word in r.label]

    def _row(self, total_name: str, input_names: list[str]) -> tuple[int | None, str, str]:
        st = self.status.get(total_name)
        if st == "ok":
            return self.values[total_name], "总计列", ""
        states = [self.status.get(n) for n in input_names]
        if st == "blank" and all(s in ("ok", "blank") for s in states):
            return sum(self.values.get(n) or 0 for n in input_names), "各申请人栏之和（总计列空白）", ""
        if st in (None, "missing") and all(s in ("ok", "blank") for s in states) and any(s == "ok" for s in states):
            return sum(self.values.get(n) or 0 for n in input_names), "各申请人栏之和（未找到总计列）", ""
        return None, "", "统计表中该行未读取" if st in (None, "missing") else "统计表中该行的数字无法读取"

    def figure(self, words: tuple[str, ...]) -> tuple[int | None, str, str]:
        total, bases = 0, []
        for word in words:
            if word.startswith("T4:"):
                t4 = self.form.table4
                label = word[3:]
                groups = [g for g in t4.groups if (g.label == label) or (label == t4.suit_label and g.under_suit)]
                rows = [(t4.cell_name(g.key, t4.total_column.key),
                         [t4.cell_name(g.key, c.key) for c in t4.columns[:-1]]) for g in groups]
            else:
                t3 = self.form.table3
                found = self._rows_for(word)
                if not found:
                    return None, "", f"统计表中没有“{word}”"
                rows = [(t3.cell_name(r.key, t3.total_column.key),
                         [t3.cell_name(r.key, c.key) for c in t3.input_columns]) for r in found]
            for total_name, inputs in rows:
                v, basis, reason = self._row(total_name, inputs)
                if v is None:
                    return None, "", reason
                total += v
                bases.append(basis)
        basis = bases[0] if len(set(bases)) == 1 else "；".join(sorted(set(bases)))
        return total, basis, ""

    def table4_column(self, col: str) -> tuple[int | None, str]:
        t4 = self.form.table4
        total = 0
        for g in t4.groups:
            name = t4.cell_name(g.key, col)
            st = self.status.get(name)
            if st not in ("ok", "blank"):
                return None, "表四未读取" if st in (None, "missing") else "表四的数字无法读取"
            total += self.values.get(name) or 0
        return total, ""


def check_prose(form: Form, values: dict[str, Any], status: dict[str, str], paragraphs: list[tuple[str, str]],
                add) -> list[Claim]:
    """``paragraphs``: (location, text); ``add(rule, location, expected=, actual=, **facts)`` records a finding
    worded by its catalogue entry.
    Returns every claim found, checked or not."""
    figures = Figures(form, values, status)
    claims: list[Claim] = []
    lead = ""  # the clause a hard-wrapped line ("转下一" / "年度办理答复的有 1 件") continues
    for location, text in paragraphs:
        taken = bytearray(len(text))  # 1 where a claim's words are: marked once, looked up in O(1)
        contradicted: set[str] = set()  # one finding per row a paragraph names ("不予公开3件，…不予公开1件")
        for what, pattern, words in CLAIMS:
            for m in re.finditer(pattern, text):
                if taken[m.start(1)]:
                    continue
                if what in WHOLE and (_names_an_outcome(text, m, lead)
                                      or OTHER_BUSINESS.search(text[max(0, m.start() - 30):m.start(1)])):
                    continue  # left for the outcome's own claim, or unchecked; or not about applications
                taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
                said = int(m.group(1))
                if "等" in text[m.start():m.start(1)]:  # "不予公开等其他类型164件": that and more, not the row
                    claims.append(Claim(m.group(0), location, what, said, None, UNCHECKED,
                                        reason=f"正文说的是“{what}”等多项之和"))
                    continue
                real, basis, reason = figures.figure(words)
                if real is None:
                    claims.append(Claim(m.group(0), location, what, said, None, UNCHECKED, reason=reason))
                    continue
                ok = said == real
                claims.append(Claim(m.group(0), location, what, said, real, CONSISTENT if ok else CONTRADICTS, basis))
                if not ok and what not in contradicted:
                    contradicted.add(what)
                    add("pub-prose-number", location, expected=real, actual=said, said=m.group(0), what=what,
                        basis=basis)
        for what, pattern in UNMAPPED:
            for m in re.finditer(pattern, text):
                if taken[m.start(1)]:
                    continue
                taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
                claims.append(Claim(m.group(0), location, what, int(m.group(1)), None, UNCHECKED,
                                    reason=f"“{what}”不是统计表中的某一行"))
        for pattern, columns, meaning in OUTCOME_WORDS:
            for m in re.finditer(pattern, text):
                if not re.search(r"复议|诉讼", text[max(0, m.start() - 40): m.end()]):
                    continue
                counts = {c: figures.table4_column(c) for c in columns}
                unread = next((why for v, why in counts.values() if v is None), "")
                if unread:
                    claims.append(Claim(m.group(0), location, meaning, meaning, None, UNCHECKED, reason=unread))
                    continue
                labels = {c.key: c.label for c in form.table4.columns}
                against = {labels[c]: v for c, (v, _) in counts.items() if v}
                status_ = CONTRADICTS if against else CONSISTENT
                shown = "、".join(f"{k} {v} 件" for k, v in against.items())
                claims.append(Claim(m.group(0), location, meaning, meaning, shown or "无", status_, "表四"))
                if against:
                    add("pub-prose-outcome", location, expected=meaning, actual=shown, said=m.group(0))
        lead = "" if re.search(r"[。；;！!？?：:]\s*$", text) else CLAUSE_START.split(text[-30:])[-1]
        shares = [float(x) for x in SHARE.findall(text)]
        if len(shares) >= 3 or (len(shares) >= 2 and re.search(r"办结|办理|答复", text)):
            s = round(sum(shares), 2)
            ok = abs(s - 100) <= 1 or of_a_larger_whole(text, shares)  # (shares of a whole the list leaves part of)
            if not ok and list_may_go_on(text):  # a line that broke inside the list: the rest is on the next one
                claims.append(Claim("、".join(f"{x:g}%" for x in shares), location, "各项占比之和", s, None, UNCHECKED,
                                    reason="占比的列举在本段末尾没有结束（文字在列举中换行），无法相加"))
                continue
            claims.append(Claim("、".join(f"{x:g}%" for x in shares), location, "各项占比之和", s, 100,
                                CONSISTENT if ok else CONTRADICTS, "占比相加"))
            if not ok:
                add("pub-prose-percent", location, expected=100, actual=s)
    return claims


def _names_an_outcome(text: str, m: re.Match, lead: str = "") -> bool:
    """Whether the clause of a claim, up to its number, names one outcome of the applications; ``lead``: the
    unfinished clause the paragraph before ended with (a line of PDF text wrapped inside the clause)."""
    start = max(0, m.start() - 30)
    before = CLAUSE_START.split(lead + text[start:m.start(1)])[-1]
    return bool(OUTCOME_WORDING.search(before))

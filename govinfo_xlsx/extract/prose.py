"""Numbers stated in the prose against the tables: new applications, carried over,
each outcome, 办结, 结转, 复议 and 诉讼, and percentages that do not add up."""

from __future__ import annotations

import re
from typing import Any

from ..forms.model import Form

GAP = r"[^，。；;、\d%]{0,12}?"
# (what the text says, pattern, how to compute the table's figure)
CLAIMS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("予以公开和部分公开", rf"予以公开(?:和|及|与|、)部分公开{GAP}(\d+)\s*件", ("granted", "partial")),
    ("新收申请", rf"新收{GAP}(\d+)\s*件", ("new",)),
    ("上年结转", rf"上年结转{GAP}(\d+)\s*件", ("carried_over",)),
    ("办结", rf"办结{GAP}(\d+)\s*件", ("total",)),
    ("予以公开", rf"(?<!及)(?<!和)予以公开(?!和|及|与|、){GAP}(\d+)\s*件", ("granted",)),
    ("部分公开", rf"(?<!和)(?<!及)(?<!、)部分公开{GAP}(\d+)\s*件", ("partial",)),
    ("不予公开", rf"不予公开{GAP}(\d+)\s*件", ("denied",)),
    ("无法提供", rf"无法提供{GAP}(\d+)\s*件", ("unable",)),
    ("不予处理", rf"不予处理{GAP}(\d+)\s*件", ("not_processed",)),
    ("结转下年度", rf"结转下年度{GAP}(\d+)\s*件", ("carry_forward",)),
    ("行政复议", rf"行政复议{GAP}(\d+)\s*(?:件|起|次)", ("T4:review",)),
    ("行政诉讼", rf"行政诉讼{GAP}(\d+)\s*(?:件|起|次)", ("T4:suit_direct", "T4:suit_after_review")),
)


def table_figure(form: Form, values: dict[str, Any], parts: tuple[str, ...]) -> int | None:
    """The table's figure for a claim (total column of table 三, 总计 of table 四); None if not read."""
    total = 0
    t3 = form.table3
    groups = {g.key or g.label: g for g in t3.results}
    for p in parts:
        if p.startswith("T4:"):
            keys = [f"T4_{p[3:]}_total"]
        elif p in ("denied", "unable", "not_processed"):
            label = {"denied": "（三）不予公开", "unable": "（四）无法提供", "not_processed": "（五）不予处理"}[p]
            keys = [f"T3_{r.key}_total" for r in groups[label].rows]
        else:
            keys = [f"T3_{p}_total"]
        for k in keys:
            v = values.get(k)
            if v is None:
                return None
            total += v
    return total


def check_prose(form: Form, values: dict[str, Any], paragraphs: list[tuple[str, str]], add) -> None:
    """``paragraphs``: (where, text); ``add(rule, where, message, expected, actual)`` records a finding."""
    for where, text in paragraphs:
        taken: list[tuple[int, int]] = []
        for what, pattern, parts in CLAIMS:
            for m in re.finditer(pattern, text):
                if any(a <= m.start(1) < b for a, b in taken):
                    continue
                taken.append((m.start(), m.end()))
                said = int(m.group(1))
                real = table_figure(form, values, parts)
                if real is not None and said != real:
                    add("pub-prose-number", where,
                        f"正文写“{m.group(0)}”，统计表中{what}为 {real} 件。", real, said)
        if "占" in text and ("办结" in text or "办理" in text):
            shares = [float(x) for x in re.findall(r"占[^，。；\d]{0,6}?(\d+(?:\.\d+)?)\s*%", text)]
            if len(shares) >= 2 and abs(sum(shares) - 100) > 1:
                add("pub-prose-percent", where,
                    f"正文列出的各项占比之和为 {sum(shares):g}%，不等于100%。", 100, round(sum(shares), 2))

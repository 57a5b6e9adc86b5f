"""Scoring packs: an office's 扣分 table, applied to a batch (collect's SUMMARY.xlsx, audit's AUDIT.xlsx).

::

    ["扣分"]
    "满分" = 100                                                   # the score before deductions
    "未发布" = { "规则" = ["未报送"], "分值" = 2 }                  # a roster agency without a report
    "未按时发布" = { "规则" = ["pub-published-late", "collect-late", "info-date-deadline*"], "分值" = 1 }
    "数据不一致" = { "规则" = ["t3-balance-*", "pub-prose-*"], "分值" = 1, "上限" = 3 }
    "退回未改" = { "规则" = ["需修改"], "分值" = 5 }                 # a finding the reviewer sent back, still there
    "info-phone" = 0.5                                              # short form: a rule or family, once

Each item names rules by ID or by family (a prefix ending in ``*``), or the reviewers' items 未报送 and
需修改. A finding counts for the first item that names it; an item deducts 分值 for each of an
agency's findings up to 上限 (by default 分值: once). A finding the office accepted (已核实) deducts
nothing; a finding that is itself 无法核对 (``pub-date-unknown``, ``pub-*-unchecked``, any entry whose
description says 无法核对, or whose value is 无法核对) never does, even under a family that covers it, and
a pack naming such a rule by its ID is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ..files.sheetrows import list_sheet

START = "满分"
MISSING = "未报送"  # a roster agency with no report (collect 未报送, audit 未找到报告)
TO_CHANGE = "需修改"  # a finding the reviewer sent back that is still found
SPECIAL = (MISSING, TO_CHANGE)
UNCHECKABLE_RULES = ("pub-date-unknown",)  # and every catalogue entry that says 无法核对 (uncheckable())
UNCHECKABLE = "无法核对"
ACCEPTED = "已核实"
KEYS = {"规则": "rules", "rules": "rules", "分值": "points", "points": "points", "上限": "cap", "cap": "cap"}
SHEET = "评分"
COLUMNS = (("agency", "机关", 28), ("score", "得分", 8), ("item", "扣分项目", 16), ("points", "扣分", 8),
           ("rules", "依据（规则）", 30), ("count", "问题数", 8), ("finding", "问题", 90))


@dataclass(frozen=True)
class Item:
    name: str
    rules: tuple[str, ...]
    points: float
    cap: float

    def matches(self, rule: str) -> bool:
        return any(rule == r or (r.endswith("*") and rule.startswith(r[:-1])) for r in self.rules)


@dataclass(frozen=True)
class Pack:
    items: tuple[Item, ...]
    start: float = 100.0

    def item_for(self, rule: str) -> Item | None:
        return next((i for i in self.items if i.matches(rule)), None)

    def describe(self) -> list[str]:
        lines = [f"- 扣分表：满分 {_num(self.start)}"]
        for i in self.items:
            cap = "" if i.cap == i.points else f"，每个机关至多扣 {_num(i.cap)} 分"
            lines.append(f"  - {i.name}：{'、'.join(f'`{r}`' for r in i.rules)}，每项扣 {_num(i.points)} 分{cap}")
        return lines


def uncheckable(rule: str) -> bool:
    """Whether a rule's findings say 无法核对 (a date not on the page, a table or part not read):
    never the ground of a deduction."""
    from .catalogue import _ENTRIES

    entry = _ENTRIES.get(rule)
    return rule in UNCHECKABLE_RULES or rule.endswith("-unchecked") or (
        entry is not None and "无法核对" in entry.description)


def _num(x: float) -> str:
    return f"{x:g}"


def read_pack(path: str, table: Mapping[str, Any], known: Iterable[str], near: Any, error: Any) -> Pack | None:
    """The office's ``["扣分"]`` table as a Pack (None when absent); ``error`` (ConfigError) with a
    Chinese message naming the file and the key for anything wrong."""
    if not table:
        return None
    known = set(known)

    def fail(why: str) -> Exception:
        return error(f"配置文件“{path}”：[扣分] 中{why}")

    def number(key: str, what: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise fail(f"“{key}”的{what}“{value}”无效，应为不小于0的数。")
        return float(value)

    start = 100.0
    items = []
    for key, value in table.items():
        if key == START:
            start = number(key, "满分", value)
            continue
        if isinstance(value, dict):
            spec = {}
            for k, v in value.items():
                if k not in KEYS:
                    raise fail(f"“{key}”的设置“{k}”不认识；可用：规则、分值、上限。")
                spec[KEYS[k]] = v
            rules = spec.get("rules", [key])
            if isinstance(rules, str):
                rules = [rules]
            if not isinstance(rules, list) or not rules or not all(isinstance(r, str) for r in rules):
                raise fail(f"“{key}”的规则应为规则编号的列表（如 [\"t3-balance-*\"]）。")
            if "points" not in spec:
                raise fail(f"“{key}”缺少分值。")
            points = number(key, "分值", spec["points"])
            cap = number(key, "上限", spec.get("cap", points))
        else:
            rules, points = [key], number(key, "分值", value)
            cap = points
        for rule in rules:
            if rule in SPECIAL:
                continue
            if not rule.endswith("*") and uncheckable(rule):
                raise fail(f"“{key}”的规则“{rule}”是无法核对的情况，不能作为扣分依据。")
            if rule.endswith("*"):
                if not any(k.startswith(rule[:-1]) for k in known):
                    raise fail(f"“{key}”的规则族“{rule}”没有对应的规则（govinfo-xlsx rules 列出全部规则）。")
            elif rule not in known:
                raise fail(f"“{key}”的规则编号“{rule}”不存在{near(rule, [*known, *SPECIAL])}"
                           f"（govinfo-xlsx rules 列出全部规则；另可用“{MISSING}”“{TO_CHANGE}”）。")
        items.append(Item(key, tuple(rules), points, cap))
    return Pack(tuple(items), start)


def _deductible(f: Mapping[str, Any]) -> bool:
    """Whether a finding may carry a deduction: not accepted, not itself 无法核对."""
    if f.get("review") == ACCEPTED or uncheckable(str(f.get("rule"))):
        return False
    return UNCHECKABLE not in (f.get("actual"), f.get("expected"), f.get("status"))


def score(pack: Pack, agencies: Iterable[tuple[str, bool]], findings: Iterable[Mapping[str, Any]]
          ) -> list[dict[str, Any]]:
    """Each agency's deductions and score. ``agencies``: (agency, without a report) in the order to
    list them, each once; ``findings``: the batch's findings (dicts with agency, rule, message and,
    in collect, review)."""
    order: dict[str, bool] = {}
    for agency, missing in agencies:
        if agency and agency not in order:
            order[agency] = missing
    hits: dict[str, dict[str, list[Mapping[str, Any]]]] = {a: {} for a in order}
    for f in findings:
        agency = f.get("agency")
        if agency not in hits or not _deductible(f):
            continue
        item = pack.item_for(f["rule"])
        if item is not None:
            hits[agency].setdefault(item.name, []).append(f)
        if f.get("review") == TO_CHANGE:
            sent_back = pack.item_for(TO_CHANGE)
            if sent_back is not None and sent_back is not item:
                hits[agency].setdefault(sent_back.name, []).append(f)
    out = []
    missing_item = pack.item_for(MISSING)
    for agency, missing in order.items():
        deductions = []
        if missing and missing_item is not None:
            deductions.append({"item": missing_item.name, "points": min(missing_item.points, missing_item.cap),
                               "rules": MISSING, "count": 1, "finding": "名单中的机关没有报送或发布报告"})
        for item in pack.items:
            found = hits[agency].get(item.name)
            if not found:
                continue
            deductions.append({
                "item": item.name, "points": min(item.points * len(found), item.cap),
                "rules": "、".join(sorted({f["rule"] for f in found})), "count": len(found),
                "finding": "；".join(_what(f) for f in found[:5]) + ("……" if len(found) > 5 else "")})
        total = sum(d["points"] for d in deductions)
        out.append({"agency": agency, "score": max(pack.start - total, 0.0), "deductions": deductions})
    return out


def _what(f: Mapping[str, Any]) -> str:
    why = f"[{f['rule']}] {str(f.get('message', '')).rstrip('。')}"
    return why + ("（审核意见：需修改）" if f.get("review") == TO_CHANGE else "")


def sheet_rows(scores: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    """The 评分 sheet: one row per deduction (the agency's score on each), one row for an agency
    without any."""
    for s in scores:
        if not s["deductions"]:
            yield {"agency": s["agency"], "score": _int(s["score"]), "item": "无扣分", "points": 0}
        for d in s["deductions"]:
            yield {"agency": s["agency"], "score": _int(s["score"]), **d, "points": _int(d["points"])}


def _int(x: float) -> Any:
    return int(x) if float(x).is_integer() else x


def batch_scores(pack: Pack, rows: Iterable[Mapping[str, Any]], findings: Iterable[Mapping[str, Any]],
                 missing: str, skip: tuple[str, ...]) -> list[dict[str, Any]]:
    """A batch's scores from its rows (agency, status, file) and findings (with their file): every agency
    of a row whose status is not in ``skip`` (replaced, unreadable), a row of status ``missing`` as a
    roster agency without a report; only the findings of those rows' files count."""
    agencies, files = [], set()
    for r in rows:
        if r["status"] in skip or not r["agency"]:
            continue
        agencies.append((r["agency"], r["status"] == missing))
        if r.get("file"):
            files.add(r["file"])
    return score(pack, agencies, (f for f in findings if f.get("file") in files))


def write_sheet(wb: Any, scores: list[dict[str, Any]], head: Any, cell: Any, start: float, write_value: Any) -> None:
    """The 评分 sheet of SUMMARY.xlsx or AUDIT.xlsx (``write_value``: collect.summary's typed cell writer)."""
    ws = list_sheet(wb, SHEET, [(label, width) for _, label, width in COLUMNS], head)
    wrap = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    n = 0
    for n, row in enumerate(sheet_rows(scores), start=1):
        for c, (key, _, _) in enumerate(COLUMNS):
            write_value(ws, n, c, row.get(key), wrap if key in ("rules", "finding") else cell)
    ws.autofilter(0, 0, max(n, 1), len(COLUMNS) - 1)
    ws.write_string(n + 2, 0, f"满分{_num(start)}分，减去各项扣分；已核实的问题和“无法核对”的情况不扣分。", cell)


"""Recognise a published report's parts and tables and check them.

Tables are found by their statutory labels, whatever the layout: a row whose
label cell names a row of table 三 takes the numbers after it; a 第二十条 caption,
a 信息内容 header and a row label make table 二; a row of fifteen numbers under a
行政复议 header is table 四.  Nothing is invented: a blank or unreadable cell
stays None and becomes a finding.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..catalogue import PUBLISHED_RULES
from ..findings import Finding
from ..forms import all_forms, form_for_year, get_form
from ..forms.model import COUNT, Form, Severity
from ..normalize import parse_number
from .document import Block, Document

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
PART_KEYWORDS = {
    "一": ("总体情况",), "二": ("主动公开",), "三": ("收到和处理", "依申请"),
    "四": ("行政复议", "行政诉讼"), "五": ("问题", "改进"), "六": ("其他需要报告", "其他事项"),
}
HEADING = re.compile(r"^([一二三四五六七八九十]|\d{1,2})\s*[、.．]\s*(\S.{0,40})$")
CAPTION = re.compile(r"第二十条第[（(]([一二三四五六七八九十]+)[）)]项")
SUB = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]\s*(.*)$")
ASPECTS = (("active", ("主动公开",)), ("request", ("依申请",)), ("management", ("信息管理", "管理")),
           ("platform", ("平台",)), ("supervision", ("监督", "保障", "组织领导", "考核")))
SEV = {r.id: r.severity for r in PUBLISHED_RULES}
ROW_LABELS = {r.key: r.label for f in all_forms() for r in f.table3.data_rows()}
SHORT_HEADING = 14  # a （一）… paragraph this short is a heading, not text


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"\s+", "", text.replace("“", '"').replace("”", '"'))


@dataclass
class Reading:
    doc: Document
    findings: list[Finding] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)  # defined name -> number (None: blank or unreadable)
    status: dict[str, str] = field(default_factory=dict)  # defined name -> ok | blank | invalid
    evidence: dict[str, int] = field(default_factory=dict)  # form id -> table labels seen of that format
    parts: dict[str, list[Block]] = field(default_factory=dict)
    headings: list[tuple[str, Block]] = field(default_factory=list)
    blanks: dict[str, list[str]] = field(default_factory=dict)  # table -> where its blank cells are

    def report_blanks(self) -> None:
        for section, places in self.blanks.items():
            self.add("pub-cell-blank", places[0],
                     f"{section}有 {len(places)} 个空白单元格（首个在{places[0]}）：没有的应填0，不应留空。",
                     section, expected=0, actual=len(places))

    def add(self, rule: str, where: str, message: str, section: str = "正文", expected: Any = None,
            actual: Any = None, severity: Severity | None = None) -> None:
        self.findings.append(Finding(rule, severity or SEV[rule], section, where, message, "", "", expected, actual))


def _label_index(forms: tuple[Form, ...]) -> dict[str, dict[str, str]]:
    """form id -> {normalised table 三 row label: row key}."""
    out = {}
    for f in forms:
        t = f.table3
        idx = {norm(r.label): r.key for r in t.data_rows() if r is not t.results_total}
        for g in t.results:
            if not g.rows:
                idx[norm(g.label)] = g.key
        idx[norm(t.results_total.label)] = t.results_total.key
        idx[norm("（二）部分公开")] = "partial"
        out[f.id] = idx
    return out


def _match(cell: str, index: dict[str, str]) -> str | None:
    n = norm(cell)
    if not n or re.fullmatch(r"[\d.,-]+", n):
        return None
    if n in index:
        return index[n]
    for label in sorted(index, key=len, reverse=True):
        if len(label) >= 3 and n.endswith(label):
            return index[label]
    return None


PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def _read_number(r: Reading, name: str, raw: str, kind, where: str, section: str, what: str) -> None:
    parsed = parse_number(raw if raw != "" else None, kind)
    if parsed.status == "blank":
        r.values[name], r.status[name] = None, "blank"
        r.blanks.setdefault(section, []).append(where)
    elif PLAIN_NUMBER.fullmatch(raw.strip()) and parsed.status != "invalid":
        r.values[name], r.status[name] = parsed.value, "ok"
    elif parsed.status == "invalid":
        r.values[name], r.status[name] = None, "invalid"
        r.add("pub-cell-not-number", where, f"{what}“{raw}”不是数字。", section, actual=raw)
    else:
        r.values[name], r.status[name] = parsed.value, "ok"
        if parsed.status != "ok":
            r.add("pub-cell-not-number", where, f"{what}写作“{raw}”，数字单元格中不应带单位或文字（已按 {parsed.value} 读取）。",
                  section, expected=parsed.value, actual=raw, severity=Severity.WARNING)


def read_tables(doc: Document) -> Reading:
    r = Reading(doc)
    forms = all_forms()
    labels3 = _label_index(forms)
    block2 = None
    header2: list[str] = []
    table4_header: set[int] = set()
    for b in doc.blocks:
        if b.kind != "row":
            continue
        cells = list(b.cells)
        joined = norm("".join(cells))
        m = CAPTION.search(joined)
        if m and len([c for c in cells if c]) == 1:
            block2, header2 = f"art20_{CN_DIGITS.get(m.group(1), m.group(1))}", []
            continue
        if cells and norm(cells[0]) == "信息内容":
            header2 = [norm(c) for c in cells[1:] if c]
            continue
        if "行政复议" in joined and "行政诉讼" in joined or "行政复议" in joined and len(cells) < 8:
            table4_header.add(b.table)
        if block2 and header2 and cells and _table2_row(r, b, block2, header2, forms):
            continue
        key, at = None, -1
        for form_id, idx in labels3.items():
            for i, c in enumerate(cells):
                k = _match(c, idx)
                if k and i >= at:
                    key, at = k, i
            if key:
                r.evidence[form_id] = r.evidence.get(form_id, 0) + (1 if key.startswith("other") else 0)
        if key:
            _table3_row(r, b, key, cells[at + 1:])
            continue
        numbers = [c for c in cells if re.fullmatch(r"[\d.,\s]*", c or "")]
        if b.table in table4_header and len(cells) >= 15 and len(numbers) >= 15:
            _table4_row(r, b, cells[-15:])
    return r


def _table2_row(r: Reading, b: Block, block: str, header: list[str], forms: tuple[Form, ...]) -> bool:
    label = norm(b.cells[0])
    for f in forms:
        blk = next((x for x in f.table2.blocks if x.key == block), None)
        if blk is None or [norm(c.label) for c in blk.columns] != header:
            continue
        row = next((x for x in blk.rows if norm(x.label) == label), None)
        if row is None:
            return False
        r.evidence[f.id] = r.evidence.get(f.id, 0) + 1
        values = [c for c in b.cells[1:]][: len(blk.columns)]
        values += [""] * (len(blk.columns) - len(values))
        for col, raw in zip(blk.columns, values):
            _read_number(r, f"T2_{blk.key}_{row.key}_{col.key}", raw, col.kind, b.where, "表二",
                         f"表二{blk.caption}“{row.label}”的“{col.label}”")
        return True
    return False


def _table3_row(r: Reading, b: Block, key: str, cells: list[str]) -> None:
    labels = {c.key: c.label for c in get_form("gov-2021").table3.columns}
    values = cells[-7:] if len(cells) >= 7 else cells + [""] * (7 - len(cells))
    for col, raw in zip(labels, values):
        _read_number(r, f"T3_{key}_{col}", raw, COUNT, b.where, "表三", f"表三“{ROW_LABELS[key]}”行“{labels[col]}”列")


def _table4_row(r: Reading, b: Block, cells: list[str]) -> None:
    t4 = get_form("gov-2021").table4
    names = [(g, c) for g in t4.groups for c in t4.columns]
    for (g, c), raw in zip(names, cells):
        _read_number(r, f"T4_{g.key}_{c.key}", raw, COUNT, b.where, "表四", f"表四“{g.label}／{c.label}”")


def choose_form(r: Reading, year: int | None) -> Form:
    """The format the tables follow: table 二's headers and 表三 （六）'s rows decide; else the year."""
    if "T2_art20_9_procurement_projects" in r.values or "T3_other_natural" in r.values:
        return get_form("gov-2019")
    if any(n.startswith("T3_other_1") or n.endswith(("_issued", "_in_force")) for n in r.values):
        return get_form("gov-2021")
    if r.evidence:
        return get_form(max(r.evidence, key=lambda k: r.evidence[k]))
    return form_for_year(year) if year and year >= 2019 else get_form("gov-2021")


def read_parts(r: Reading) -> None:
    current = None
    for b in r.doc.blocks:
        if b.kind == "p":
            m = HEADING.match(b.text)
            if m:
                number = next((n for n, words in PART_KEYWORDS.items() if any(w in m.group(2) for w in words)), None)
                if number:
                    r.headings.append((number, b))
                    current = number
                    r.parts[number] = []
                    if m.group(1) != number:
                        r.add("pub-part-numbering", b.where,
                              f"标题“{b.text}”的编号应为“{number}、”。", expected=f"{number}、", actual=m.group(1))
                    continue
        if current:
            r.parts[current].append(b)
    order = [n for n, _ in r.headings]
    expected = list(PART_KEYWORDS)
    for n in expected:
        if n not in order:
            r.add("pub-part-missing", "", f"缺少第{n}部分“{n}、{_part_heading(n)}”。", expected=n)
    present = [n for n in order if n in expected]
    if present != sorted(present, key=expected.index):
        r.add("pub-part-order", "", f"各部分的顺序为“{'、'.join(present)}”，应为“一、二、三、四、五、六”。",
              expected="一二三四五六", actual="".join(present))
    for n, blocks in r.parts.items():
        has_rows = any(b.kind == "row" and any(c for c in b.cells) for b in blocks)
        where = next(b.where for num, b in r.headings if num == n)
        if n in ("二", "三", "四") and not has_rows:
            r.add("pub-table-empty", where, f"第{n}部分没有统计表（或表格为空）。", section=f"第{n}部分")
        elif not blocks:
            r.add("pub-part-empty", where, f"第{n}部分没有内容。", section=f"第{n}部分")


def _part_heading(number: str) -> str:
    return next(p.heading for p in get_form("gov-2021").parts if p.number == number)


def read_text(r: Reading) -> dict[str, str]:
    """The narrative parts as the declaration's text fields.

    In part 一 a paragraph starting with （一）… opens one of the five aspects,
    recognised by its words; a short one is a heading of its own, a long one
    carries its text after the heading (run-in, as many reports write it)."""
    keys = ("part1_intro", "part1_active", "part1_request", "part1_management", "part1_platform",
            "part1_supervision", "part5", "part6")
    out: dict[str, list[str]] = {k: [] for k in keys}
    aspect = "part1_intro"
    for b in r.parts.get("一", []):
        if b.kind != "p":
            continue
        m = SUB.match(b.text)
        if not m:
            out[aspect].append(b.text)
            continue
        rest = m.group(2).strip()
        lead = re.split(r"[。，；]", rest)[0]
        found = next((k for k, words in ASPECTS if any(w in lead for w in words)), None)
        if found:
            aspect = f"part1_{found}"
        if len(norm(rest)) > SHORT_HEADING:
            out[aspect].append(rest)
    for key, number in (("part5", "五"), ("part6", "六")):
        out[key] = [b.text for b in r.parts.get(number, []) if b.kind == "p"]
    return {k: "\n".join(v) for k, v in out.items()}


def read_info(doc: Document, r: Reading) -> dict[str, Any]:
    first_part = r.headings[0][1] if r.headings else None
    top = []
    for b in doc.blocks:
        if b is first_part or b.kind != "p":
            break
        top.append(b.text)
    title_parts = []
    for t in top:
        title_parts.append(t)
        if "报告" in t:
            break
    title = "".join(title_parts)
    year = None
    m = re.search(r"(20\d{2})\s*年", title)
    agency = ""
    if m:
        year = int(m.group(1))
        before = title[: m.start()].strip()
        after = re.split(r"政府信息公开", title[m.end():])[0].strip("度 ")
        agency = before or after
    opening = " ".join(top[len(title_parts):])
    info: dict[str, Any] = {"agency": agency, "year": year, "date": None}
    for key, pattern in (("address", r"地址[:：]\s*([^，,；;）)]+)"), ("postcode", r"邮编[:：]\s*([^，,；;）)]+)"),
                         ("phone", r"电话[:：]\s*([^，,；;）)]+)"), ("website", r"可在(.+?)查阅"),
                         ("contact_dept", r"请与(.+?)联系")):
        m2 = re.search(pattern, opening)
        info[key] = m2.group(1).strip() if m2 else ""
    for b in reversed([b for b in doc.blocks if b.kind == "p"][-4:]):
        d = re.fullmatch(r"(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", b.text)
        if d:
            try:
                info["date"] = dt.date(*map(int, d.groups())).isoformat()
            except ValueError:
                pass
            break
    return info

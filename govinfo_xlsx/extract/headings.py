"""Part headings matched by numeral and meaning, and headings run into the text found.

A report's six parts open with "一、" to "六、" and a title.  Sites word the titles their own way
("三、行政机关收到和处理政府信息公开申请情况。", "一 、总体情况", "四．政府信息公开行政复议、
行政诉讼情况："), so a heading is recognised by its numeral (Chinese, or Arabic as a misnumbering)
and the words that carry the part's meaning, whatever else it says; trailing punctuation and spaces
between the numeral and the title do not matter.

A site archive may give the whole article as one line, the headings run into the text
("……成效。一、总体情况2019年，……").  ``split_run_in`` finds the statutory titles in such a
paragraph, in the order of the parts, and cuts the paragraph before and after each (linear: one
search per paragraph with one compiled pattern).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from .document import Block, Document

PART_KEYWORDS = {
    "一": ("总体情况", "概述", "总体", "基本情况"), "二": ("主动公开",), "三": ("收到和处理", "依申请"),
    "四": ("行政复议", "行政诉讼"), "五": ("问题", "改进"), "六": ("其他需要报告", "其他事项"),
}
NUMBERS = "一二三四五六七八九十"
HEADING = re.compile(r"^([一二三四五六七八九十]|\d{1,2})\s*[、.．,，]\s*(\S.{0,60})$|^([一二三四五六七八九十])\s+(\S.{0,60})$")
CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff、，。（）])\s+(?=[\u4e00-\u9fff、，。（）])")
TRAILING = "。；;：:，,.． "
MAX_TITLE = 44  # a heading's title, without trailing punctuation; longer is a sentence
# the statutory titles, as a site writes them run into the text (with the optional words sites add)
RUN_IN = re.compile(
    r"([一二三四五六])\s*[、.．]\s*("
    r"总体情况|总体概述|概述|基本情况|(?:政府信息)?主动公开政府信息(?:的)?情况|(?:行政机关)?收到和处理政府信息公开申请(?:的)?情况"
    r"|(?:因)?政府信息公开(?:工作|申请)?(?:被申请)?行政复议(?:、|与|和|及)?(?:提起)?行政诉讼(?:的)?情况"
    r"|(?:政府信息公开(?:工作)?)?存在的(?:主要)?问题(?:及|和)(?:改进情况|改进措施|整改情况|明年工作计划|下一步工作(?:计划|打算|安排)?)"
    r"|其他需要报告的事项|需要说明的其他事项|其他需要说明的事项)")
# a table's last digit run into the next part's heading ("……000000000000000五、信息处理费收取情况"): 五 and 六
# only, which no row of the tables begins with
AFTER_TABLE = re.compile(r"(?<=\d)(?=[五六]\s*、\s*[\u4e00-\u9fff])")
RUN_IN_PART = {"总体": "一", "主动": "二", "收到": "三", "复议": "四", "问题": "五", "其他": "六"}


def match_heading(text: str) -> tuple[str, str] | None:
    """(the part's number 一…六, the numeral as printed) if ``text`` is a part's heading, else None."""
    text = CJK_SPACE.sub("", text.strip())  # PDF text: "一 、 总 体 情 况"
    m = HEADING.match(text)
    if not m:
        return None
    numeral, title = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    title = title.rstrip(TRAILING)
    if len(title) > MAX_TITLE or re.search(r"[，。；,;]", title):  # a heading is a title, not a numbered sentence
        return None
    number = next((n for n, words in PART_KEYWORDS.items() if any(w in title for w in words)), None)
    if number is None:
        return None
    if numeral.isdigit() and int(numeral) != NUMBERS.index(number) + 1:
        return None  # "4.认真办理依申请公开": an item of part 一, not part 三 misnumbered
    return number, numeral


@lru_cache(maxsize=1)
def _statutory_titles() -> dict[str, set[str]]:
    """Part number -> its title in each format, without the numeral ("主动公开政府信息情况")."""
    from ..forms import all_forms

    out: dict[str, set[str]] = {}
    for f in all_forms():
        for p in f.parts:
            out.setdefault(p.number, set()).add(CJK_SPACE.sub("", p.heading.split("、", 1)[-1]).rstrip(TRAILING))
    return out


def heading_rank(text: str, number: str, numeral: str) -> int:
    """How surely a heading of part ``number`` is the part's own: 2 for the statutory title, +1 for the
    right numeral.  A report may number the aspects of part 一 as "二、" to "六、", one of them worded like
    a part ("三、主动公开工作情况"), before the part itself ("一、主动公开政府信息情况", misnumbered too)."""
    title = CJK_SPACE.sub("", text.strip())
    title = re.sub(r"^\s*(?:[一二三四五六七八九十]|\d{1,2})\s*[、.．,，]?\s*", "", title).rstrip(TRAILING)
    return 2 * (title in _statutory_titles().get(number, ())) + (numeral == number)


def choose_headings(candidates: list[tuple[int, str, str, str]]) -> dict[str, int]:
    """Part number -> the index of the block that opens it, from (index, number, numeral, text) in reading
    order: the first heading of each part, unless it is misnumbered and a later one of the same part is
    surer (``heading_rank``)."""
    best: dict[str, tuple[int, int]] = {}  # number -> (rank, index)
    for index, number, numeral, text in candidates:
        rank = heading_rank(text, number, numeral)
        if number not in best or (best[number][0] % 2 == 0 and rank > best[number][0]):
            best[number] = (rank, index)
    return {n: i for n, (_, i) in best.items()}


def _part_of(title: str) -> str:
    return next(n for w, n in RUN_IN_PART.items() if w in title)


def split_run_in(doc: Document) -> Document:
    """The document with part headings that were run into long paragraphs cut out as paragraphs of
    their own, when its paragraphs give fewer than two headings otherwise."""
    found = {h[0] for b in doc.blocks if b.kind == "p" and (h := match_heading(b.text))}
    if len(found) >= 2:
        return doc
    blocks: list[Block] = []
    expected = 0  # the parts are found in order: 一 before 二 …
    changed = False
    for b in doc.blocks:
        if b.kind != "p" or len(b.text) < 40:
            blocks.append(b)
            continue
        start, pieces = 0, []
        for m in RUN_IN.finditer(b.text):
            number = _part_of(m.group(2))
            if "一二三四五六".index(number) < expected:
                continue  # (a part's title numbered otherwise, "六、存在的主要问题及改进措施", is cut too: read_parts names it)
            expected = "一二三四五六".index(number) + 1
            pieces += [b.text[start:m.start()], m.group(0)]
            start = m.end()
        if not pieces:
            blocks.append(b)
            continue
        pieces.append(b.text[start:])
        changed = True
        n = 0
        for i, piece in enumerate(p.strip() for p in pieces):
            # the text between two titles also parts where a table's last digit meets "五、"/"六、" and words
            for bit in (AFTER_TABLE.split(piece) if i % 2 == 0 else [piece]):
                if bit.strip():
                    blocks.append(Block("p", text=bit.strip(), location=b.location if n == 0 else f"{b.location}之{n}"))
                n += 1
    if not changed:
        return doc
    return replace(doc, blocks=blocks)

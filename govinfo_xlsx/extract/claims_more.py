"""More of what the prose says, checked: "均已办结" against 结转, and another year's facts.

- "均已办结", "全部办结", "所有申请均已按要求办理完成", "均已按时答复完毕" (not "均按时办结" or
  "在法定期限内办结", which speak of time limits) while
  表三's 结转下年度继续办理 is not 0: the prose says nothing was left, the table says some was
  (``pub-prose-all-done``, a warning: the words may mean the applications answered so far).
- A sentence stating the report's own facts under another, earlier year ("2024年度我局未收到依申请
  公开事项" in a 2025 report): the sentence may be left over from last year's report
  (``pub-prose-year``, a hint).  Comparisons ("较2024年", "同比"), carried-over applications and
  dates are not such statements.

One regular-expression scan per paragraph for each check.
"""

from __future__ import annotations

import re
from typing import Any

from .prose import CONSISTENT, CONTRADICTS, UNCHECKED, Claim, Figures

# "均已办结", "全部办结", "所有申请均已按要求办理完成", "均已按时答复完毕": 已 says nothing is left, whatever
# the manner; without 已 a manner ("均按时办结") speaks of the time limit only.
DONE_WORDS = r"(?:办结|办理完成|办理完毕|答复完毕|答复完成|处理完毕|处理完成)"
MANNER = r"(?:按时|按期|及时|依法|按要求|按照要求|按规定|按照规定|规范)"
ALL_DONE = re.compile(rf"(?:均已|已全部|全部已|都已)(?:予以)?{MANNER}?(?:予以)?{DONE_WORDS}|(?:全部|均)(?:予以)?{DONE_WORDS}")
TIMELY = re.compile(r"(?:按时|及时|期限内|时限内|期内|限期)")
SUBJECT = r"(?:我|本)(?:局|委|办|单位|机关|区|县|市|镇|乡|街道|街|中心|院|厅|部|处|站|所|会)"
OTHER_YEAR = re.compile(rf"(?<![较比与同至到和、\d])(20\d{{2}})\s*年度?[，,]?\s*{SUBJECT}[^。；;！!]{{0,40}}?"
                        r"(?:收到|受理|未收到|没有收到|办结|答复|申请|复议|诉讼|主动公开)")
NOT_A_STATEMENT = re.compile(r"结转|以来|至今|同比|相比|比较|较上|以前|之前|起|月|日")


def check_more(form, values: dict[str, Any], status: dict[str, str], paragraphs: list[tuple[str, str]],
               year: int | None, add) -> list[Claim]:
    """``add(rule, location, expected=, actual=, **facts)`` records a finding worded by its catalogue entry;
    returns the claims checked."""
    figures = Figures(form, values, status)
    claims: list[Claim] = []
    carried: tuple[Any, str, str] | None = None
    for location, text in paragraphs:
        for m in ALL_DONE.finditer(text):
            before = re.split(r"[，。；,;]", text[max(0, m.start() - 20): m.start()])[-1]  # the same clause
            if TIMELY.search(before) or not re.search(r"申请|依申请", text[max(0, m.start() - 60): m.end()]):
                continue
            if carried is None:
                carried = figures.figure(("结转下年度",))
            real, basis, reason = carried
            if real is None:
                claims.append(Claim(m.group(0), location, "全部办结", "全部办结", None, UNCHECKED, reason=reason))
                continue
            claims.append(Claim(m.group(0), location, "全部办结", "全部办结", real,
                                CONTRADICTS if real else CONSISTENT, basis))
            if real:
                add("pub-prose-all-done", location, expected=0, actual=real, said=m.group(0), basis=basis)
        if year:
            for m in OTHER_YEAR.finditer(text):
                said = int(m.group(1))
                if said >= year or NOT_A_STATEMENT.search(m.group(0)):
                    continue
                add("pub-prose-year", location, expected=year, actual=said, said=m.group(0))
    return claims

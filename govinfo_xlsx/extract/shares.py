"""Shares the prose states of a whole that its list does not exhaust.

"办结各类申请545件……其中已公开343件，占62.9%；不予公开35件，占6.4%；……无法提供146件，占26.8%；不予处理7件，
占1.3%": every share is its count's part of 545, and the counts add up to 531, so the shares add up to 97.4 %,
not 100 %, and that is right. ``of_a_larger_whole`` tells such a list: each share follows its count, all the
counts are parts of one whole by their shares (to the rounding of the shares), and they add up to less than
that whole.
"""

from __future__ import annotations

import re

COUNT_SHARE = re.compile(r"(\d+)\s*(?:件|条|个|篇|次|人次|项)[，,、]?\s*占[^，。；\d]{0,8}?(\d+(?:\.\d+)?)\s*[%％]")


def _rounding(share: str) -> float:
    """Half a unit of the share's last printed place ("62.9" → 0.05, "26" → 0.5)."""
    return 0.5 * 10 ** -len(share.partition(".")[2])


def of_a_larger_whole(text: str, shares: list[float]) -> bool:
    """Whether every one of ``shares`` is paired with its count in ``text`` and the counts are, by their shares,
    parts of one whole that they do not add up to."""
    pairs = [(int(m.group(1)), m.group(2)) for m in COUNT_SHARE.finditer(text)]
    if len(pairs) != len(shares) or len(pairs) < 2 or any(float(s) <= 0 for _, s in pairs):
        return False
    count, share = max(pairs, key=lambda p: float(p[1]))
    whole = round(count * 100 / float(share))
    if whole <= 0 or sum(c for c, _ in pairs) >= whole:
        return False
    return all(abs(c * 100 / whole - float(s)) <= _rounding(s) + 1e-9 for c, s in pairs)


SHARE_END = re.compile(r"[%％]")
SENTENCE_END = re.compile(r"[。！!？?]")


def list_may_go_on(text: str) -> bool:
    """Whether the list of shares may go on past the end of ``text``: no sentence ends after its last share and
    the text stops without one (a line of PDF text that broke inside the list: "……占4.34%；因本机关不掌" /
    "握等原因无法提供265件，占32.9%；……"). Its shares cannot be added up from this line alone."""
    last = max((m.end() for m in SHARE_END.finditer(text)), default=-1)
    return last >= 0 and not SENTENCE_END.search(text[last:])

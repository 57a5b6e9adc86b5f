"""Row labels a PDF wrapped around a row's cells, put back together to name the row.

A narrow PDF column breaks a long label of 表三 over several lines and prints the row's cells in the middle of
them: "3.危 0 0 0 0 0 0 0及" / "“三" / "安全" / "一稳" / "定”", or "四、结转下年度继" / "0 0 0 0 0 0 0续办理".
Such a row cannot be read (which line holds which cell is not known), but the text names it: it is 无法核对,
never missing. ``wrapped_labels`` gives, for each line of five figures or more that was not read, its words
with the figures left out, joined to the short lines of words right before and after it.
"""

from __future__ import annotations

import re

from .labels import ROW_NUMBERING
from .labels import _norm as _key  # spaces out, NFKC

FIGURE = re.compile(r"(?<![\d.])\d+(?![\d.、．])")  # a cell's figure, not a row's numbering ("3." / "1、")
FRAGMENT = 12  # a line of a label a narrow column wrapped is short
PIECE = 20  # a line of a wrapped row: pieces of its label and of the group label beside it, figures left out
AFTER = 10  # lines of a label after its cells
NUMBERS = 5


def _fragment(b) -> bool:
    return b.kind == "p" and len(_key(b.text)) <= FRAGMENT and not re.search(r"\d", b.text)


BARE = 6  # a label this long without its numbering is not spelt by chance by a few lines of a table
RUN = 16  # lines a wrapped row, its label and the group label beside it, may take


def _short(b, consumed: set[str]) -> bool:
    """A line that may be a piece of a row a narrow column wrapped: short words, maybe with a few figures."""
    return b.kind == "p" and b.location not in consumed and len(_key(FIGURE.sub("", b.text))) <= PIECE


def wrapped_labels(blocks: list, consumed: set[str]) -> list[str]:
    """The words of each run of short unread lines in ``blocks`` (figures left out), and of each unread line of
    five figures or more with the short lines right before and after it (linear: each block is looked at a
    bounded number of times)."""
    out = []
    run: list[str] = []
    for i, b in enumerate(blocks):
        if _short(b, consumed):
            if len(run) == RUN:  # a long run: overlapping windows, so that no row falls between two
                out.append("".join(run))
                run = run[RUN // 2:]
            run.append(_key(FIGURE.sub("", b.text)))
            continue
        if len(run) > 1:
            out.append("".join(run))
        run = []
        if b.kind != "p" or b.location in consumed or len(FIGURE.findall(b.text)) < NUMBERS:
            continue
        before = _key(blocks[i - 1].text) if i and _fragment(blocks[i - 1]) else ""
        after = []
        for x in blocks[i + 1:i + 1 + AFTER]:
            if not _fragment(x):
                break
            after.append(_key(x.text))
        out.append(before + _key(FIGURE.sub("", b.text)) + "".join(after))
    if len(run) > 1:
        out.append("".join(run))
    return out


def named(label: str, texts: list[str]) -> bool:
    """Whether one of ``texts`` (from ``wrapped_labels``) holds the characters of ``label`` (normalised; its
    numbering left out, which a narrow column may print after the words) in order: a label a narrow column
    broke over lines, the group label beside it broken between its pieces ("（五）1.信" / "不予处访举" /
    "理报投" / "诉类" / "申请"; "危及“三安全 0 0 0 0 0 0 0" / "3." / "一稳定”")."""
    bare = ROW_NUMBERING.sub("", label)
    if len(bare) < BARE:
        return False
    for t in texts:
        it = iter(t)
        if all(ch in it for ch in bare):
            return True
    return False

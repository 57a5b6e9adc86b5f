"""Where a justified paragraph of body text breaks into lines, as LibreOffice sets it.

The DOCX report keeps the last body lines with the closing by splitting the last paragraph at a
line end (``report.docx``), so the split must fall exactly where the word processor breaks the
line anyway, or the seam shows.  The model, measured on LibreOffice 7.4's PDFs (and checked there
by tests/test_report_pages.py):

- CJK and full-width characters one em wide, and the ambiguous-width quotes and dots too, except
  at the paragraph's start or after Latin text, where they take Times New Roman like the other
  characters;
- a run of Latin letters, digits and signs is never broken (except after a hyphen), nor parted
  from an opening bracket after it or a closing bracket or quote before it;
- 1/5 em of automatic space between a CJK ideograph and a Latin letter or digit;
- the Chinese line-breaking rules: closing punctuation never starts a line and opening
  punctuation never ends one, so the character before or after moves with it;
- a comma, stop, colon, semicolon, question or exclamation mark may hang into the right margin
  (Word's default too; LibreOffice 7.4 reads ``w:overflowPunct`` the wrong way round, so the
  report's styles leave it out).

``None`` stands for text the model does not trust itself to break (a Latin run longer than a
line).
"""

from __future__ import annotations

import unicodedata
AUTOSPACE_EM = 0.2  # between CJK and Latin or digits, as LibreOffice sets it (3.2 pt at 三号)
# Chinese line-breaking rules (the set LibreOffice and Word apply for zh-CN)
NO_LINE_START = frozenset("!%),.:;?]}¢°’”‰′″›℃∶、。〃〉》」』】〕〗〞︶︺︾﹀﹄﹚﹜﹞！＂％＇），．：；？］｝～￠")
NO_LINE_END = frozenset("$([{£¥‘“〈《「『【〔〖〝﹙﹛＄（［｛￡￥")
CLOSE_BEFORE_LATIN = frozenset("’”〕）】》」』")  # never parted from Latin or digits after them
HANGING = frozenset("、。，．：；！？,.")
# Times New Roman advance widths in thousandths of an em (the published font metrics)
_TIMES = dict(zip(
    map(chr, range(0x20, 0x7F)),  # printable ASCII, space to tilde
    (250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, *[500] * 10,
     278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889,
     722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500, 333,
     444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389,
     278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541)))
_TIMES.update({"‘": 333, "’": 333, "“": 444, "”": 444})


def is_wide(ch: str) -> bool:
    """Set one em wide in the East Asian font (CJK, full-width and ambiguous-width characters)."""
    return unicodedata.east_asian_width(ch) in "WFA"


def char_width(ch: str, after_latin: bool = False) -> float:
    """Width of a character in ems of the body font.  A quote or other ambiguous-width character
    takes the font of the character before it: after Latin text, Times New Roman."""
    if is_wide(ch) and not (after_latin and unicodedata.east_asian_width(ch) == "A"):
        return 1.0
    return _TIMES.get(ch, 500) / 1000


def _atoms(text: str) -> list[str]:
    """Units the line never breaks inside: one wide character (a run of — as one), a run of
    Latin letters, digits and signs, or one space."""
    out: list[str] = []
    for ch in text:
        prev = out[-1] if out else ""
        if prev and ((ch == "—" and prev[-1] == ch)
                     or (not is_wide(ch) and not ch.isspace() and not is_wide(prev[-1]) and not prev[-1].isspace()
                         and not (prev[-1] == "-" and ch.isalnum()))):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _autospace(left: str, right: str) -> float:
    """Automatic space between two neighbouring atoms: a CJK ideograph next to Latin or digits
    (none beside full-width punctuation)."""
    a, b = left[-1], right[0]
    cjk = [unicodedata.category(c) == "Lo" and unicodedata.east_asian_width(c) in "WF" for c in (a, b)]
    latin = [c.isascii() and c.isalnum() for c in (a, b)]
    return AUTOSPACE_EM if (cjk[0] and latin[1]) or (latin[0] and cjk[1]) else 0.0


def _clusters(text: str) -> list[str]:
    """Atoms joined where the rules forbid a break: before closing punctuation, after opening
    punctuation, between Latin or digits and an opening bracket after them or a closing bracket
    or quote before them."""
    out: list[str] = []
    glue_next = False
    for atom in _atoms(text):
        before, first = out[-1][-1] if out else "", atom[0]
        if out and (glue_next or first in NO_LINE_START
                    or (before.isascii() and before.isalnum() and first in NO_LINE_END)
                    or (first.isascii() and first.isalnum() and before in CLOSE_BEFORE_LATIN)):
            out[-1] += atom
        else:
            out.append(atom)
        glue_next = atom[-1] in NO_LINE_END
    return out


def width(text: str, before: str = "") -> float:
    """Width of a piece of text set on one line after ``before`` (empty: at the paragraph's start,
    where a quote is set in Times New Roman too), in ems (automatic spaces included)."""
    atoms = _atoms(text)
    total, latin = 0.0, before[-1:].isascii()
    for ch in text:
        total += char_width(ch, latin)
        if unicodedata.east_asian_width(ch) != "A":
            latin = ch.isascii()
    return total + sum(_autospace(a, b) for a, b in zip(atoms, atoms[1:]))


def line_starts(text: str, line_ems: float, first_indent: float = 0.0) -> list[int] | None:
    """Offsets in ``text`` where each line starts (the first is 0), the paragraph set on lines
    ``line_ems`` wide with a first-line indent; None when a cluster is wider than a line."""
    starts = [0]
    offset, used, prev = 0, first_indent, ""
    for cluster in _clusters(text):
        w = width(cluster, text[offset - 1:offset] if offset else "")
        if w > line_ems - first_indent:
            return None
        gap = _autospace(prev, cluster) if prev else 0.0
        hang = char_width(cluster[-1]) if cluster[-1] in HANGING else 0.0
        if prev and used + gap + w - hang > line_ems + 1e-6 and not cluster.isspace():
            starts.append(offset)
            used, gap = 0.0, 0.0
        used += gap + w
        offset += len(cluster)
        prev = cluster
    return starts


def lines(text: str, line_ems: float, first_indent: float = 0.0) -> list[str] | None:
    """The text of each line (see ``line_starts``)."""
    starts = line_starts(text, line_ems, first_indent)
    if starts is None:
        return None
    return [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]

"""A saved page's or a text file's bytes as text, whatever Chinese encoding it was saved in.

In order: a byte-order mark (UTF-8, UTF-16, UTF-32); UTF-16 without one (an HTML page saved as
"Unicode" by Windows Notepad or an old IE: every other byte of its ASCII is NUL); the page's own
declaration (``<meta charset>``, ``http-equiv`` content, ``<?xml encoding?>``); then UTF-8, and where
that fails the one of GB18030 and Big5 that reads as Chinese text (the other gives rare characters:
Big5 bytes are nearly all valid GBK). A page in Big5 is traditional Chinese: ``traditional`` says so,
and ``to_simplified`` converts it with OpenCC so that the statutory labels can be found.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
ALIASES = {"gbk": "gb18030", "gb2312": "gb18030", "gb18030": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
           "euc-cn": "gb18030", "hz-gb-2312": "gb18030", "big5": "big5hkscs", "big5-hkscs": "big5hkscs",
           "x-big5": "big5hkscs", "cp950": "big5hkscs", "utf-8": "utf-8-sig", "utf8": "utf-8-sig"}
# characters frequent in any Chinese report, in simplified and traditional forms
COMMON = set("的一是在不了有和人这這中大为為上个個国國以要时時来來用们們到作地于於出就分对對成会會可主发發年动動同工也能下"
             "过過子说說产產种種面而方后後多定行法所民得经經十三之进進等部度家电電力里如化高自二理起物现現实實加量都两兩"
             "体體制机機当當使点點从從业業本去性应應开開它合还還因由其些然前外天政四日那社义義事平形相全表间間样樣与與关關"
             "各重新线線内數数正反明原又利比或但第向道此变變条條只没結结解问問意建月公无無系情者最立代已通并提直题題程展"
             "五果员員位入常文总總次品式活设設及管特件长長求基资資流级級少图圖统統接知较較将將组組见見计計别別期根论論运運"
             "指区區强強放决決被做必先回则則任取据據处處理府信息申请請报報告复復议議诉訴讼訟办辦结依予维維持纠糾错錯")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the codec that read it

    @property
    def traditional(self) -> bool:
        return self.encoding == "big5hkscs"


def decode(raw: bytes) -> Decoded | None:
    """The text of ``raw``, or None when it is not text in any of these encodings."""
    for bom, codec in BOMS:
        if raw.startswith(bom):
            return _try(raw, codec)
    head = raw[:4096]
    if b"\x00" in head:
        return _utf16_without_bom(raw)
    declared = DECLARED.search(head)
    if declared:
        codec = ALIASES.get(declared.group(1).decode("ascii").lower())
        hit = _try(raw, codec) if codec else None
        if hit:
            return hit
    hit = _try(raw, "utf-8-sig")
    if hit:
        return hit
    candidates = [d for d in (_try(raw, "gb18030"), _try(raw, "big5hkscs")) if d]
    if not candidates:
        return None
    return max(candidates, key=lambda d: (_common_share(d.text), d.encoding == "gb18030"))


def to_simplified(text: str) -> str:
    """Traditional Chinese as simplified (OpenCC's t2s: characters only, word choices left as they are)."""
    import opencc

    return opencc.OpenCC("t2s").convert(text)


def _try(raw: bytes, codec: str) -> Decoded | None:
    try:
        return Decoded(raw.decode(codec), codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_without_bom(raw: bytes) -> Decoded | None:
    """UTF-16 without a byte-order mark: NULs in the high bytes of its ASCII (odd offsets: little-endian)."""
    head = raw[:4096]
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if max(odd, even) < len(head) // 8 or min(odd, even) > max(odd, even) // 4:
        return None  # NULs at random: a binary file
    return _try(raw, "utf-16-le" if odd > even else "utf-16-be")


def _common_share(text: str) -> float:
    cjk = [ch for ch in text[:20000] if "\u4e00" <= ch <= "\u9fff"]
    return sum(ch in COMMON for ch in cjk) / max(1, len(cjk))

"""Text that comes from data (a cell, a file name, a zip member) made safe for where it goes.

One function per destination, used everywhere that destination is written:

- ``file_stem``: a file name built from data (an agency, a submitted file's name): no path
  separators or characters Windows refuses, no control or bidirectional-override characters, no
  leading dot (no hidden files), a length cap in bytes the file system accepts with any suffix;
  ``Names`` keeps the names of one run unique, so two inputs never share an output;
- ``terminal``: text printed to a terminal: no escape sequences, no bidi overrides, no lone
  surrogates (file names in GBK bytes);
- ``xml_text``: text for DOCX/HTML/XLSX: no characters XML 1.0 forbids (NUL, most control chars);
- ``markdown``: clerk text inside a Markdown document: HTML and Markdown syntax escaped.
"""

from __future__ import annotations

import os
import re
import unicodedata

# Bytes, not characters: ext4 and most others allow 255 bytes per name; a CJK character takes three.
STEM_BYTES = 150  # leaves room for suffixes such as "（12）.校验批注.xlsx" and "-1a2b3c4d"
WINDOWS_FORBIDDEN = set('\\/:*?"<>|')
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
FALLBACK_STEM = "未命名"
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _invisible(ch: str) -> bool:
    """Control, format (bidi overrides, zero-width), separator-of-line/paragraph and surrogate characters."""
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp")


def readable_name(name: str | bytes) -> str:
    """A file name as a person should see it. Names from the file system that are not valid UTF-8 (a
    zip unpacked by Linux ``unzip`` leaves GBK bytes) arrive with lone surrogates: they are decoded as
    GB18030 instead, and whatever still cannot be decoded becomes U+FFFD."""
    raw = name if isinstance(name, bytes) else os.fsencode(name)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def file_stem(text: str, limit: int = STEM_BYTES) -> str:
    """A safe file-name stem (without suffix) for ``text``."""
    text = unicodedata.normalize("NFC", readable_name(text) if _has_surrogates(text) else text)
    out = []
    for ch in text:
        if ch in WINDOWS_FORBIDDEN:
            out.append("_")
        elif ch.isspace():
            out.append(" ")
        elif not _invisible(ch):
            out.append(ch)
    stem = re.sub(r" {2,}", " ", "".join(out)).strip().lstrip(".").strip()
    stem = _cap(stem, limit).rstrip(". ")  # Windows drops trailing dots and spaces
    if not stem:
        return FALLBACK_STEM
    if stem.split(".")[0].lower() in WINDOWS_RESERVED:
        stem = "_" + stem
    return stem


def _cap(text: str, limit: int) -> str:
    if len(text.encode("utf-8")) <= limit:
        return text
    out, size = [], 0
    for ch in text:
        n = len(ch.encode("utf-8"))
        if size + n > limit - 3:  # room for the ellipsis "…" (3 bytes)
            break
        out.append(ch)
        size += n
    return "".join(out) + "…"


def _has_surrogates(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


class Names:
    """File names of one run, unique (case-insensitively, as on Windows and macOS): the second input
    that wants a name gets "name（2）", the third "name（3）", and so on."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim(self, stem: str, suffix: str = "") -> str:
        """A safe, unused ``stem + suffix`` (suffix such as ".docx"; every suffix of one stem is claimed
        together by ``claim_all``)."""
        return self.claim_all(stem, (suffix,))[0]

    def claim_all(self, stem: str, suffixes: tuple[str, ...]) -> list[str]:
        """Names ``stem + s`` for every suffix, sharing one stem that is free for all of them."""
        base = file_stem(stem)
        n = 1
        while True:
            candidate = base if n == 1 else f"{base}（{n}）"
            names = [candidate + s for s in suffixes]
            if not any(x.casefold() in self._taken for x in names):
                self._taken.update(x.casefold() for x in names)
                return names
            n += 1


def terminal(text: str) -> str:
    """``text`` safe to print: control characters other than newline and tab, escape sequences,
    bidirectional overrides and zero-width characters become U+FFFD; lone surrogates are decoded."""
    if _has_surrogates(text):
        text = readable_name(text)
    return "".join("\ufffd" if _invisible(ch) and ch not in "\n\t" else ch for ch in text)


def json_for_terminal(text: str) -> str:
    """JSON text to print: bidirectional overrides and other invisible characters, which can occur only
    inside its strings, written as \\uXXXX escapes (the same JSON, nothing a terminal would obey)."""
    return "".join(f"\\u{ord(ch):04x}" if _invisible(ch) and ch not in "\n" else ch for ch in text)


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (lxml, python-docx and browsers refuse them)."""
    return _XML_ILLEGAL.sub("", text) if _XML_ILLEGAL.search(text) else text


_MD_INLINE = re.compile(r"([\\`*_\[\]{}#|~!<>])")
# a list item ("- x", "1. x"), a thematic break or setext underline ("---", "===") at a line's start
_MD_LINE_START = re.compile(r"^(\s*)([-+]|\d+[.)]|-(?=-+\s*$)|=(?==+\s*$))(?=\s|$|[-=])", re.M)


def markdown(text: str) -> str:
    """Clerk text for a Markdown document: rendered as the same text, never as markup or raw HTML."""
    text = text.replace("&", "&amp;")
    text = _MD_INLINE.sub(r"\\\1", text)
    text = text.replace("\\<", "&lt;").replace("\\>", "&gt;")
    return _MD_LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)

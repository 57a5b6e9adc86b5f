"""Repetition (重复率) as evaluators measure it: against last year's report and against peers.

The measure: the share of a text's characters that lie in a run of at least ``N`` (13) characters
which the other text also contains, after masking what legitimately differs from one report to the
next — the agencies' names (→ ``＠``), numbers, years and dates (each run of digits → ``#``, so
“2024年1月1日” and “2025年1月1日” read alike) — and after dropping white space and unifying full-
and half-width forms (NFKC). It is taken for each text part and for the whole text (characters
covered over characters, summed over the parts); a passage of one part found in another part of
the other text counts. 0 means nothing longer than 12 characters is shared, 1 that every character
is in a shared run.

A character is in a shared run of ≥ N characters exactly when one of the N-character windows
(N-grams) that contain it also occurs in the other text, so the measure is computed on N-gram
hashes (64-bit polynomial hashes): no alignment, no pairwise ``difflib``.

Against the batch, every agency's text is compared with every other's without comparing pairs:
all N-grams of all texts are hashed and sorted once (numpy), and the number of distinct agencies
of each hash gives, for every character, whether another agency has it (the share against *the
peers*). The most similar single peer is then searched among the agencies that share the text's
less common N-grams (those found in at most ``RARE`` agencies, a sample of one hash in
``SAMPLE``), ranked by how many such N-grams they share; the best ``CANDIDATES`` are measured
exactly and the highest is named. When everything a text shares is boilerplate common to many
agencies, one of those agencies is named. Cost grows with the total length of the batch
(``scripts/bench_repetition.py``).

Relation to ``xy-same-text-*``: that rule flags one narrative part that is identical or nearly
identical to last year's (a sequence ratio of 0.9); ``xy-repetition`` and ``peer-repetition`` are
the evaluators' figure, over the parts and the whole text, against the office's threshold
(50 % unless ``[重复率]`` in the office configuration says otherwise).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Mapping

if TYPE_CHECKING:
    import numpy as np

N = 13  # characters in a run before it counts as repeated
RARE = 16  # an N-gram found in more agencies than this is boilerplate: it does not pick the most similar peer
SAMPLE = 4  # one N-gram hash in SAMPLE is used to pick the most similar peer
CANDIDATES = 3  # peers measured exactly for each agency
MIN_CHARS = 100  # a part shorter than this after masking is measured but not judged on its own
MIN_WHOLE = 300  # nor is a whole text shorter than this (a real report's narrative runs to thousands)
DEFAULT_THRESHOLD = 0.5
WHOLE = "全文"
MEASURE = f"与对方文本相同的连续{N}字以上片段所覆盖的字符占比（已屏蔽机关名称、年份、日期和数字，去除空白）"
_BASE = 0x100000001B3  # FNV prime: odd, so the polynomial hash mixes every character
_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*%?|[〇零一二三四五六七八九]{4}(?=年)")
_SPACE = re.compile(r"\s+")


def mask(text: Any, names: Iterable[str] = ()) -> str:
    """The text as the measure reads it: NFKC, no white space, names → ＠, numbers → #."""
    s = unicodedata.normalize("NFKC", "" if text is None else str(text))
    s = _SPACE.sub("", s)
    for name in sorted({_SPACE.sub("", unicodedata.normalize("NFKC", n)) for n in names if n}, key=len, reverse=True):
        if len(name) >= 2:
            s = s.replace(name, "＠")
    return _NUMBER.sub("#", s)


@dataclass
class Share:
    """Characters covered over characters, for the whole text and each part."""

    whole: float
    parts: dict[str, float]
    chars: int  # the whole text's length after masking
    part_chars: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"whole": round(self.whole, 4), "parts": {k: round(v, 4) for k, v in self.parts.items()},
                "chars": self.chars}


def _share(covered: Mapping[str, int], lengths: Mapping[str, int]) -> Share:
    total = sum(lengths.values())
    return Share(sum(covered.values()) / total if total else 0.0,
                 {k: (covered[k] / n if n else 0.0) for k, n in lengths.items()}, total, dict(lengths))


def _np():
    import numpy as np

    return np


def _codes(text: str) -> "np.ndarray":
    np = _np()
    return np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint64)


def _window_hashes(codes: "np.ndarray", n: int = N) -> "np.ndarray":
    """The hash of every n-character window (len(codes) - n + 1 of them), modulo 2**64."""
    np = _np()
    m = len(codes) - n + 1
    if m <= 0:
        return np.zeros(0, np.uint64)
    h = np.zeros(m, np.uint64)
    base = np.uint64(_BASE)
    with np.errstate(over="ignore"):
        for k in range(n):
            h = h * base + codes[k:k + m]
    return h


def _coverage(starts: "np.ndarray", length: int, n: int = N) -> "np.ndarray":
    """A boolean per position: covered by a window starting at one of ``starts``."""
    np = _np()
    d = np.bincount(starts, minlength=length + n + 1)[: length + 1].astype(np.int64)
    d[: length + 1] -= np.bincount(starts + n, minlength=length + n + 1)[: length + 1]
    return np.cumsum(d[:length]) > 0


def compare_texts(parts: Mapping[str, str], other: Mapping[str, str], n: int = N) -> Share:
    """The share of ``parts`` (part key → masked text) repeated in ``other`` (any of its parts)."""
    np = _np()
    theirs = [_window_hashes(_codes(t), n) for t in other.values() if len(t) >= n]
    return compare_hashes(parts, np.unique(np.concatenate(theirs)) if theirs else np.zeros(0, np.uint64), n)


@dataclass
class PeerResult:
    """One agency's text against the batch: the share found in any other agency's text, and the single
    most similar agency with its own share."""

    peers: Share
    peer: str | None = None  # the most similar agency
    peer_share: Share | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {"peers": self.peers.to_dict(), "most_similar": None}
        if self.peer is not None and self.peer_share is not None:
            out["most_similar"] = {"agency": self.peer, **self.peer_share.to_dict()}
        return out


class Batch:
    """The texts of a batch, one per agency (owner); ``compare`` measures each against the others."""

    def __init__(self, n: int = N) -> None:
        self.n = n
        self.owners: list[str] = []
        self.parts: list[dict[str, str]] = []

    def add(self, owner: str, parts: Mapping[str, Any], names: Iterable[str] = ()) -> int:
        """Add an agency's text parts (raw: masked here with ``names`` and the owner's name)."""
        self.owners.append(owner)
        self.parts.append({k: mask(v, (owner, *names)) for k, v in parts.items()})
        return len(self.owners) - 1

    def compare(self) -> list[PeerResult]:
        np = _np()
        n, count = self.n, len(self.owners)
        texts = [t for parts in self.parts for t in parts.values()]
        seg_owner = np.array([o for o, parts in enumerate(self.parts) for _ in parts], dtype=np.int64)
        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        results = [PeerResult(_share({k: 0 for k in p}, {k: len(t) for k, t in p.items()})) for p in self.parts]
        total = int(lengths.sum())
        if count < 2 or total < n:
            return results
        ends = np.cumsum(lengths)
        starts = ends - lengths
        h = _window_hashes(_codes("".join(texts)), n)
        # the windows inside one part: those starting at least n - 1 characters before its end
        seg_of_char = np.repeat(np.arange(len(texts), dtype=np.int32), lengths)
        pos = np.flatnonzero(ends[seg_of_char[: len(h)]] - np.arange(len(h)) >= n)
        if not len(pos):  # every part shorter than n characters
            return results
        hv = h[pos]
        del h
        ov = seg_owner[seg_of_char[pos]]  # owners ascend with position: a stable sort keeps them in order
        del seg_of_char
        pos = pos.astype(np.int32 if total < 2**31 else np.int64)
        ov = ov.astype(np.int32)
        order = np.argsort(hv, kind="stable")
        hs, os_ = hv[order], ov[order]
        new_hash = np.empty(len(hs), bool)
        new_hash[0] = True
        np.not_equal(hs[1:], hs[:-1], out=new_hash[1:])
        new_pair = new_hash.copy()
        new_pair[1:] |= os_[1:] != os_[:-1]
        group = np.cumsum(new_hash, dtype=np.int64) - 1
        del new_hash
        owners_in = np.bincount(group[new_pair], minlength=int(group[-1]) + 1)
        shared = np.empty(len(hv), bool)
        shared[order] = owners_in[group] >= 2
        del order
        cover = _coverage(pos[shared], total, n)
        del shared
        per_seg = np.add.reduceat(cover.astype(np.int32), np.minimum(starts, total - 1))
        del cover
        per_seg = np.where(lengths > 0, per_seg, 0).tolist()
        i = 0
        for o, parts in enumerate(self.parts):
            covered = {}
            for k in parts:
                covered[k] = per_seg[i]
                i += 1
            results[o].peers = _share(covered, {k: len(t) for k, t in parts.items()})
        # each owner's distinct hashes, sorted (for the exact measure against one peer), and candidate peers
        dh, do, dg = hs[new_pair], os_[new_pair], group[new_pair]
        del hs, os_, group, new_pair
        candidates = self._candidates(dh, do, dg, owners_in, count)
        del dg, owners_in
        by_owner = np.lexsort((dh, do))
        oh, oo = dh[by_owner], do[by_owner]
        del dh, do, by_owner
        bounds = np.searchsorted(oo, np.arange(count + 1))
        del oo
        win_bounds = np.searchsorted(ov, np.arange(count + 1))
        seg_bounds = np.searchsorted(seg_owner, np.arange(count + 1))
        for o in range(count):
            if not results[o].peers.whole or o not in candidates:
                continue
            w = slice(win_bounds[o], win_bounds[o + 1])
            mine, at = hv[w], pos[w]
            first, last = int(starts[seg_bounds[o]]), int(ends[seg_bounds[o + 1] - 1])
            own_starts = starts[seg_bounds[o]:seg_bounds[o + 1]] - first
            keys = list(self.parts[o])
            own = oh[bounds[o]:bounds[o + 1]]
            where = np.searchsorted(own, mine)  # each window's hash among the owner's distinct hashes
            best = -1.0
            for c in candidates[o]:
                known = oh[bounds[c]:bounds[c + 1]]
                found = np.searchsorted(known, own)  # sorted needles: a merge-like walk
                found = known[np.minimum(found, len(known) - 1)] == own
                cov = _coverage(at[found[where]] - first, last - first, n).astype(np.int64)
                sums = np.add.reduceat(cov, np.minimum(own_starts, max(last - first - 1, 0)))
                covered = {k: (int(sums[j]) if self.parts[o][k] else 0) for j, k in enumerate(keys)}
                share = _share(covered, {k: len(t) for k, t in self.parts[o].items()})
                if share.whole > best:
                    best = share.whole
                    results[o].peer, results[o].peer_share = self.owners[c], share
        return results

    def _candidates(self, dh, do, dg, owners_in, count) -> dict[int, list[int]]:
        """For each owner, up to CANDIDATES other owners: those sharing most of its less common sampled
        N-grams, else (only boilerplate shared) neighbours in a shared N-gram's list of owners."""
        np = _np()
        size = owners_in[dg]
        rare = (size >= 2) & (size <= RARE) & (dh % np.uint64(SAMPLE) == 0)
        ro, rg = do[rare], dg[rare]
        pairs = []
        for d in range(1, RARE):
            if d >= len(rg):
                break
            same = rg[:-d] == rg[d:]
            if not same.any():
                break
            a, b = ro[:-d][same], ro[d:][same]
            pairs += [a * count + b, b * count + a]
        out: dict[int, list[int]] = {}
        if pairs:
            keys, n = np.unique(np.concatenate(pairs), return_counts=True)
            a, b = keys // count, keys % count
            order = np.lexsort((-n, a))
            a, b = a[order], b[order]
            first = np.searchsorted(a, a)  # a is sorted: the index of each owner's first pair
            keep = np.arange(len(a)) - first < CANDIDATES
            for x, y in zip(a[keep].tolist(), b[keep].tolist()):
                out.setdefault(x, []).append(y)
        shared = size >= 2
        sg, so = dg[shared], do[shared]
        if len(sg) > 1:  # only boilerplate shared: a neighbour in a shared N-gram's list of owners
            same = sg[:-1] == sg[1:]
            a = np.concatenate((so[:-1][same], so[1:][same]))
            b = np.concatenate((so[1:][same], so[:-1][same]))
            owners, first = np.unique(a, return_index=True)
            for x, y in zip(owners.tolist(), b[first].tolist()):
                out.setdefault(x, [y])
        return out


def compare_hashes(parts: Mapping[str, str], known: "np.ndarray", n: int = N) -> Share:
    """The share of ``parts`` whose N-grams are among ``known`` (sorted distinct hashes)."""
    np = _np()
    covered, lengths = {}, {}
    for key, text in parts.items():
        lengths[key] = len(text)
        h = _window_hashes(_codes(text), n)
        if not len(h) or not len(known):
            covered[key] = 0
            continue
        pos = np.searchsorted(known, h)
        hit = (pos < len(known)) & (known[np.minimum(pos, len(known) - 1)] == h)
        covered[key] = int(_coverage(np.flatnonzero(hit), len(text), n).sum())
    return _share(covered, lengths)


def judged(share: Share, limits: Mapping[str, float]) -> list[tuple[str, float, float]]:
    """(part key or 全文, share, threshold) for each figure at or above its threshold: the whole text
    against ``limits[全文]``, each part against its own limit (the whole text's when it has none).
    A whole text shorter than MIN_WHOLE, or a part shorter than MIN_CHARS, characters after masking is
    not judged."""
    whole = limits.get(WHOLE, DEFAULT_THRESHOLD)
    out = []
    if share.chars >= MIN_WHOLE and share.whole >= whole:
        out.append((WHOLE, share.whole, whole))
    for key, value in share.parts.items():
        limit = limits.get(key, whole)
        if share.part_chars.get(key, 0) >= MIN_CHARS and value >= limit:
            out.append((key, value, limit))
    return out


def percent(x: float) -> str:
    return f"{x * 100:.0f}%"


def part_keys() -> dict[str, str]:
    """Every text part key of every format → its title (for the office configuration)."""
    from ..forms import all_forms

    return {f.key: form.text_title(f.key) for form in all_forms() for f in form.text_fields}


def read_thresholds(path: str, table: Mapping[str, Any], near: Any, error: Any) -> dict[str, float]:
    """The office's ``["重复率"]`` table: 全文 or a part key → a percentage in (0, 100]; otherwise raises
    ``error`` (office.config's ConfigError) with a Chinese message naming the file and the key."""
    ConfigError = error
    known = part_keys()
    out: dict[str, float] = {}
    for key, value in table.items():
        if key != WHOLE and key not in known:
            raise ConfigError(f"配置文件“{path}”：[重复率] 中的“{key}”不是文字部分的编号{near(key, [WHOLE, *known])}；"
                              f"应为“{WHOLE}”或：{'、'.join(known)}。")
        if isinstance(value, str) and value.strip().endswith("%"):
            value = value.strip()[:-1]
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = -1.0
        if isinstance(value, bool) or not 0 < number <= 100:
            raise ConfigError(f"配置文件“{path}”：[重复率] 中“{key}”的值“{table[key]}”无效，应为 0 到 100 之间的百分数（如 50）。")
        out[key] = number / 100
    return out


def _where(form_id: str, key: str | None) -> dict[str, str]:
    """sheet, cell and row label of a text part (the first part when ``key`` is the whole text)."""
    from ..forms import get_form
    from ..forms.model import text_name
    from ..template.layout import Layout

    form = get_form(form_id)
    field_ = next((f for f in form.text_fields if f.key == key), form.text_fields[0])
    layout = Layout.of(form)
    sheet, cell = layout.address(text_name(field_))
    return {"sheet": sheet, "cell": cell, "row_label": form.text_title(field_.key)}


def describe(over: list[tuple[str, float, float]], titles: Mapping[str, str]) -> str:
    """“全文 62%（阈值50%）、五、存在的主要问题及改进情况 80%（阈值70%）”."""
    return "、".join(f"{'全文' if k == WHOLE else titles.get(k, k)}{percent(v)}（阈值{percent(t)}）" for k, v, t in over)


def against_prior(report: Any, prior: Any, limits: Mapping[str, float]) -> dict[str, Any] | None:
    """ingest --prior: the report's text against last year's; sets ``report.repetition`` and adds an
    ``xy-repetition`` finding when a figure reaches the office's threshold. None without text on
    either side."""
    from .catalogue import entry

    names = [n for n in (report.agency, getattr(prior, "agency", "")) if n]
    mine = {k: mask(v, names) for k, v in (report.data.get("text") or {}).items()}
    theirs = {k: mask(v, names) for k, v in ((prior.data or {}).get("text") or {}).items()}
    if not any(mine.values()) or not any(theirs.values()):
        report.repetition = {"measure": MEASURE, "prior": None}
        return None
    share = compare_texts(mine, theirs)
    report.repetition = {"measure": MEASURE, "prior": share.to_dict(), "prior_agency": getattr(prior, "agency", "")}
    over = judged(share, limits)
    if over:
        from ..forms import get_form

        form = get_form(report.form)
        titles = {f.key: form.text_title(f.key) for f in form.text_fields}
        where = _where(report.form, next((k for k, _, _ in over if k != WHOLE), None))
        name = getattr(getattr(prior, "path", None), "name", "")
        report.findings.append(entry("xy-repetition").finding(
            variant="" if name else "unnamed", expected=f"< {percent(limits.get(WHOLE, DEFAULT_THRESHOLD))}",
            actual=percent(share.whole), name=name, over=describe(over, titles), **where))
    return report.repetition

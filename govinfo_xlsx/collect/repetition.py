"""重复率 in a collection: each file's figure against last year (from ingest with ``--prior-dir``) and
every submission's text against the batch's other submissions (``repetition.Batch``), kept in the
collection's database for the 重复率 column of 报送情况 and the ``peer-repetition`` findings."""

from __future__ import annotations

import json
from typing import Any, Iterator

from ..checks.catalogue import entry
from ..checks.repetition import WHOLE, Batch, describe, judged, percent, _where
from .filedata import submissions
from .store import Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS repetition (idx INTEGER PRIMARY KEY, prior TEXT NOT NULL DEFAULT '',
    peers TEXT NOT NULL DEFAULT '');
"""


def prepare(store: Store) -> None:
    store.db.executescript(SCHEMA)


def keep(store: Store, index: int, result: dict[str, Any]) -> None:
    """A file's figures against last year, as ingest made them (absent without --prior-dir)."""
    rep = result.get("repetition")
    if rep and rep.get("prior"):
        store.db.execute("INSERT OR REPLACE INTO repetition (idx, prior) VALUES (?, ?)",
                         (index, json.dumps(rep["prior"], ensure_ascii=False)))


def compare(store: Store, config: Any = None) -> Iterator[tuple[int, str, list[dict[str, Any]]]]:
    """(file, agency, its peer-repetition finding) for every submission whose text repeats another
    agency's at or above the threshold; every submission's figures are stored."""
    limits = config.repetition if config is not None else {}
    batch = Batch()
    rows: list[tuple[int, str, str]] = []
    for row, data in submissions(store):
        text = data.get("text") or {}
        if not any(isinstance(v, str) and v.strip() for v in text.values()):
            continue
        batch.add(row["agency"] or f"（文件{row['idx']}）", text)
        rows.append((row["idx"], row["agency"], row["form"]))
    if len(rows) < 2:
        return
    from ..forms import get_form

    for (idx, agency, form_id), r in zip(rows, batch.compare()):
        store.db.execute("INSERT INTO repetition (idx, peers) VALUES (?, ?) ON CONFLICT (idx) DO UPDATE SET"
                         " peers = excluded.peers", (idx, json.dumps(r.to_dict(), ensure_ascii=False)))
        if r.peer_share is None:
            continue
        over = judged(r.peer_share, limits)
        if not over:
            continue
        form = get_form(form_id)
        titles = {f.key: form.text_title(f.key) for f in form.text_fields}
        where = _where(form_id, next((k for k, _, _ in over if k != WHOLE), None))
        yield idx, agency, [entry("peer-repetition").finding(
            expected=f"< {percent(limits.get(WHOLE, 0.5))}", actual=percent(r.peer_share.whole), peer=r.peer,
            over=describe(over, titles), peers=percent(r.peers.whole), **where).to_dict()]


def note(store: Store, index: int) -> str:
    """The 重复率 cell of a file's row: “与上年 62%；与永康市民政局 25%（同批最相似）”; '' when not measured."""
    row = store.db.execute("SELECT prior, peers FROM repetition WHERE idx = ?", (index,)).fetchone()
    if row is None:
        return ""
    parts = []
    if row[0]:
        parts.append(f"与上年{percent(json.loads(row[0])['whole'])}")
    if row[1]:
        figures = json.loads(row[1])
        peer = figures.get("most_similar")
        if peer:
            parts.append(f"与{peer['agency']}{percent(peer['whole'])}（同批最相似）")
        else:
            parts.append(f"与同批其他机关{percent(figures['peers']['whole'])}")
    return "；".join(parts)

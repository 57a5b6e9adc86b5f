"""Re-submissions: several files of one agency in a batch.

Agencies send a corrected file after the first one; the newest is the submission — the later
成文日期, then the later file time (the file's modification time, or the time stored in the zip
archive for a member), then the later place in the batch's order. The others are kept in the
summary as replaced (已替换), each with the cells that changed between it and the submission, and
only the submission goes into the totals, the peer comparison and the export.
"""

from __future__ import annotations

import json
import os
from typing import Any

from ..checks.findings import plain
from ..forms import get_form
from ..template.layout import Layout
from .filedata import data_of, form_inputs
from .source import Source
from .store import Store

SHEET = "重新报送"


def file_time(source: Source) -> float:
    """When the file was last changed (seconds since the epoch), 0 when unknown: the file's modification
    time, or for a member (perhaps inside an inner archive) the time its archive stores, kept when the
    archive was listed (the archive is not opened again)."""
    if source.locator:
        return source.time
    try:
        return os.stat(source.path).st_mtime
    except (OSError, ValueError):
        return 0.0


def _time(store: Store, label: str) -> float:
    row = store.db.execute("SELECT path, member, locator, time FROM sources WHERE label = ? LIMIT 1",
                           (label,)).fetchone()
    return file_time(Source(label, os.fsdecode(row[0]), row[1], row[2], time=row[3])) if row else 0.0


def typed(store: Store, index: int) -> dict[tuple[str, str], Any]:
    """(sheet, cell) -> the value as the clerk typed it, where a finding kept it (a value the form could
    not take, "-1" or "十二", is no figure in the data)."""
    out: dict[tuple[str, str], Any] = {}
    for sheet, cell, actual in store.db.execute(
            "SELECT sheet, cell, actual FROM findings WHERE idx = ? AND cell IS NOT NULL AND cell != ''", (index,)):
        value = json.loads(actual) if actual else None
        if value is not None and not isinstance(value, (list, dict)):
            out.setdefault((sheet, cell), value)
    return out


def changed_cells(form_id: str, old: dict[str, Any], new: dict[str, Any],
                  old_typed: dict[tuple[str, str], Any] | None = None,
                  new_typed: dict[tuple[str, str], Any] | None = None) -> list[dict[str, Any]]:
    """The inputs whose value differs, in the declaration's order: name, sheet, cell, label, old, new —
    as typed (``*_typed``: ``typed``) where the form could not read the value."""
    form = get_form(form_id)
    layout = Layout.of(form)
    a, b = form_inputs(form_id, old), form_inputs(form_id, new)
    out = []
    for name in a:
        sheet, cell = layout.address(name)

        def shown(values: dict[str, Any], typed_values: dict[tuple[str, str], Any] | None) -> Any:
            v = plain(values.get(name))
            return (typed_values or {}).get((sheet, cell), v) if v is None else v

        before, after = shown(a, old_typed), shown(b, new_typed)
        if before != after:
            spec = layout.specs[name]
            label = "／".join(x for x in (spec.row_label, spec.col_label) if x)
            out.append({"name": name, "sheet": sheet, "cell": cell, "label": label, "old": before, "new": after})
    return out


def resolve(store: Store, totals: dict[str, dict[str, Any]], add, subtract) -> set[int]:
    """Mark every file replaced by a newer one of the same agency, with the cells that changed; keep only
    the submission in the totals (``add``/``subtract``(totals, form, data)). Returns the submissions'
    indexes (of agencies with several files)."""
    kept: set[int] = set()
    agencies = [r[0] for r in store.db.execute(
        "SELECT agency FROM files WHERE error = '' AND agency != '' GROUP BY agency HAVING COUNT(*) > 1")]
    for agency in agencies:
        rows = store.db.execute(
            "SELECT f.idx, f.source, f.form, f.counted, d.date, d.countable FROM files f"
            " JOIN file_data d ON d.idx = f.idx WHERE f.agency = ? AND f.error = ''", (agency,)).fetchall()
        # an agency's few files, oldest first (file times read only for these, not for the whole batch)
        rows.sort(key=lambda r: (r["date"], _time(store, r["source"]), r["idx"]))
        if len(rows) < 2:
            continue
        newest = rows[-1]
        new_data = data_of(store, newest["idx"])
        new_typed = typed(store, newest["idx"])
        for row in rows[:-1]:
            old_data = data_of(store, row["idx"])
            changes = (changed_cells(row["form"], old_data, new_data, typed(store, row["idx"]), new_typed)
                       if row["form"] == newest["form"]
                       else [{"name": "", "sheet": "", "cell": "", "label": "格式不同", "old": row["form"],
                              "new": newest["form"]}])
            store.db.execute("UPDATE files SET superseded = ?, changed = ?, counted = 0 WHERE idx = ?",
                             (newest["source"], json.dumps(changes, ensure_ascii=False), row["idx"]))
            if row["counted"]:
                subtract(totals, row["form"], old_data)
        if newest["countable"] and not newest["counted"]:
            add(totals, newest["form"], new_data)
            store.db.execute("UPDATE files SET counted = 1 WHERE idx = ?", (newest["idx"],))
        store.db.execute("UPDATE files SET replaces = ? WHERE idx = ?", (len(rows) - 1, newest["idx"]))
        kept.add(newest["idx"])
    return kept


def replaced(store: Store) -> list[dict[str, Any]]:
    """The replaced files for the summary: agency, file, its 成文日期, the submission, the changes."""
    out = []
    for r in store.db.execute("SELECT f.agency, f.source, f.superseded, f.changed, d.date FROM files f"
                              " JOIN file_data d ON d.idx = f.idx WHERE f.superseded != '' ORDER BY f.idx"):
        out.append({"agency": r["agency"], "file": r["source"], "date": r["date"][:10], "submission": r["superseded"],
                    "changes": json.loads(r["changed"])})
    return out


def describe_changes(changes: list[dict[str, Any]]) -> str:
    """One line: 表三 依申请公开!D6（一、本年新收／自然人）：10 → 12；…"""
    if not changes:
        return "内容相同"
    return "；".join(f"{c['sheet']}!{c['cell']}（{c['label']}）：" + "{} → {}".format(*_shown_pair(c["old"], c["new"]))
                    if c["name"] else f"{c['label']}：{c['old']} → {c['new']}" for c in changes)


SHOWN = 30  # characters of a text shown on each side
CONTEXT = 8  # characters before the first difference


def _shown_pair(old: Any, new: Any) -> tuple[str, str]:
    """Both values as typed; two long texts from a little before where they first differ, so that
    the two shown excerpts are never the same."""
    a, b = _show(old), _show(new)
    if not (isinstance(old, str) and isinstance(new, str)) or (len(old) <= SHOWN and len(new) <= SHOWN):
        return _cut(a), _cut(b)
    first = next((i for i, (x, y) in enumerate(zip(old, new)) if x != y), min(len(old), len(new)))
    start = max(0, first - CONTEXT)
    return _cut(old[start:], start > 0), _cut(new[start:], start > 0)


def _show(v: Any) -> str:
    if v is None or v == "":
        return "（空）"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _cut(text: str, cut_before: bool = False) -> str:
    return ("…" if cut_before else "") + (text if len(text) <= SHOWN else text[:SHOWN] + "…")

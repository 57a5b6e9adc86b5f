"""One state per agency across an office's rounds (issue 21).

A county's inbox grows from round to round: the broken file an agency sent first stays beside the
good one it sent later. Each agency has one current file — its newest readable one, else its newest
unreadable one — and every other file of it is 已替换, so its row, the exit status, 汇总 and the
export follow the current state. An unreadable file is attached to its roster agency by the name
of its file, archive or folder. The round's year, when nobody gave it, is the year of most of the
batch's files; a file of another year is an error. The totals end as exactly the submissions the
summary shows as accepted.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterator

from ..forms import get_form
from ..forms.organs import DEPARTMENT, ORGAN_KINDS
from ..template.layout import Layout
from .store import Store

# a name that says it is a government, a township or a street office, not a department
GOVERNMENT_NAME = re.compile(r"(人民政府|镇|乡|街道|街道办事处)$")


def agency_of_unreadable(store: Store, label: str, texts: list[str] | tuple[str, ...] = ()) -> str:
    """The roster agency an unreadable file belongs to, from its name, its archive's or its folders'
    (the longest roster name found in it), else from the texts that could still be read from it (a
    roster name among them); '' when none is, or when two names fit equally."""
    if not store.has_roster():
        return ""
    text = label.replace("\\", "/")
    agencies = store.roster_agencies()
    hits = [a for a in agencies if a and a in text]
    if not hits and texts:
        found = set(texts)
        hits = [a for a in agencies if a in found]
        return hits[0] if len(hits) == 1 else ""
    if not hits:
        return ""
    hits.sort(key=len, reverse=True)
    if len(hits) > 1 and len(hits[1]) == len(hits[0]) and hits[1] not in hits[0]:
        return ""  # two agencies of one length: not sure whose file it is
    return hits[0]


def kind_hints(store: Store, agency: str, form_id: str, data: dict[str, Any],
               finding: Callable[..., dict[str, Any]]) -> list[dict[str, Any]]:
    """提示 where the workbook's kind contradicts the roster's, or a government's name has a department's kind."""
    info = data.get("info") or {}
    stated = info.get("kind") if isinstance(info.get("kind"), str) and info.get("kind") in ORGAN_KINDS else ""
    listed = store.roster_kind(agency) if store.has_roster() else ""
    out = []
    where = _kind_cell(form_id)
    if stated and listed and stated != listed:
        out.append(finding("collect-kind-mismatch", expected=listed, actual=stated, **where))
    kind = stated or listed
    if kind == DEPARTMENT and GOVERNMENT_NAME.search(agency or ""):
        out.append(finding("collect-kind-mismatch", variant="name", expected="", actual=kind, agency=agency, **where))
    return out


def _kind_cell(form_id: str) -> dict[str, Any]:
    try:
        layout = Layout.of(get_form(form_id))
        sheet, cell = layout.address("INFO_kind")
        return {"sheet": sheet, "cell": cell, "row_label": layout.specs["INFO_kind"].row_label}
    except (KeyError, ValueError):
        return {}


def majority_year(store: Store) -> int | None:
    """The year of most of the batch's readable files; None when two years are as frequent."""
    counts = sorted((tuple(n) for n in store.db.execute(
        "SELECT COUNT(*), year FROM files WHERE error = '' AND year IS NOT NULL GROUP BY year")), reverse=True)
    if not counts or (len(counts) > 1 and counts[0][0] == counts[1][0]):
        return None
    return counts[0][1]


def wrong_year(store: Store, year: int, finding: Callable[..., dict[str, Any]]
               ) -> Iterator[tuple[int, str, list[dict[str, Any]]]]:
    """(file, agency, [collect-wrong-year]) for each readable file of another year; such a file is
    no longer compared with its peers."""
    rows = store.db.execute("SELECT idx, agency, year FROM files WHERE error = '' AND IFNULL(year, -1) != ?"
                            " ORDER BY idx", (year,)).fetchall()
    for idx, agency, y in rows:
        store.db.execute("UPDATE file_data SET countable = 0 WHERE idx = ?", (idx,))
        yield idx, agency, [finding("collect-wrong-year", variant="majority", expected=year, actual=y)]


def supersede_unreadable(store: Store) -> None:
    """Each agency's unreadable files are replaced by its current readable file, or, where it has none,
    by its newest unreadable one."""
    from .resubmit import _time

    agencies = [r[0] for r in store.db.execute("SELECT DISTINCT agency FROM files WHERE error != '' AND agency != ''")]
    for agency in agencies:
        readable = store.db.execute("SELECT source FROM files WHERE agency = ? AND error = '' AND superseded = ''"
                                    " ORDER BY idx DESC LIMIT 1", (agency,)).fetchone()
        broken = store.db.execute("SELECT idx, source FROM files WHERE agency = ? AND error != ''",
                                  (agency,)).fetchall()
        if readable is None:
            broken.sort(key=lambda r: (_time(store, r[1]), r[0]))
            current, broken = broken[-1][1], broken[:-1]
        else:
            current = readable[0]
        store.db.executemany("UPDATE files SET superseded = ?, changed = '[]' WHERE idx = ?",
                             ((current, idx) for idx, _ in broken))


def reconcile(store: Store, totals: dict[str, dict[str, Any]], subtract: Callable[..., None],
              outside: bool = False) -> None:
    """Take out of the totals every counted file the summary does not show as accepted (an error
    found or decided after it was added: 需修改 on a peer hint, another year), and, unless
    ``outside``, the files of agencies outside the roster."""
    from .filedata import data_of

    query = "SELECT idx, form FROM files WHERE counted = 1 AND (errors > 0 OR superseded != ''"
    if store.has_roster() and not outside:
        query += " OR agency NOT IN (SELECT agency FROM roster)"
    for idx, form in store.db.execute(query + ")").fetchall():
        subtract(totals, form, data_of(store, idx))
        store.db.execute("UPDATE files SET counted = 0 WHERE idx = ?", (idx,))
    store.db.commit()


def summed(store: Store) -> Iterator[tuple[str, str]]:
    """(agency, file) of every submission in the totals, in the roster's order (then input order)."""
    if store.has_roster():
        for agency, source, counted in store.db.execute(  # the walk of store.files: an index, no sort
                "SELECT r.agency, f.source, f.counted FROM roster r LEFT JOIN files f ON f.agency = r.agency"
                " ORDER BY r.pos, f.idx"):
            if counted:
                yield agency, source
        yield from store.db.execute("SELECT agency, source FROM files WHERE counted = 1"
                                    " AND agency NOT IN (SELECT agency FROM roster) ORDER BY idx")
    else:
        yield from store.db.execute("SELECT agency, source FROM files WHERE counted = 1 ORDER BY idx")

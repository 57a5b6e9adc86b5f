"""Each readable file's data, kept beside the collection's results for the batch-level work.

Re-submissions (the cells that changed), peer comparison and the open-data export need a file's
figures after the batch is checked; they are kept compressed in the collection's database, one
row per file, so memory stays flat whatever the batch's size.
"""

from __future__ import annotations

import json
import zlib
from typing import Any, Iterator

from ..checks.findings import plain
from ..forms import get_form
from ..forms.model import Form, cell_index
from ..forms.data import flat_values, with_totals
from .store import Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS file_data (idx INTEGER PRIMARY KEY, form TEXT NOT NULL, date TEXT NOT NULL,
    countable INTEGER NOT NULL, data BLOB NOT NULL);
"""


def prepare(store: Store) -> None:
    store.db.executescript(SCHEMA)
    columns = {r[1] for r in store.db.execute("PRAGMA table_info(files)")}
    # the newer file that replaced this one, the cells it changed; how many earlier files this one replaced
    for name, kind in (("superseded", "TEXT NOT NULL DEFAULT ''"), ("changed", "TEXT NOT NULL DEFAULT ''"),
                       ("replaces", "INTEGER NOT NULL DEFAULT 0")):
        if name not in columns:
            store.db.execute(f"ALTER TABLE files ADD COLUMN {name} {kind}")


def keep(store: Store, index: int, result: dict[str, Any], data: dict[str, Any] | None, countable: bool) -> None:
    if data is None:
        return
    date = data.get("info", {}).get("date")
    store.db.execute("INSERT INTO file_data VALUES (?, ?, ?, ?, ?)", (
        index, result["form"], date if isinstance(date, str) else "",
        int(countable), zlib.compress(json.dumps(plain(data), ensure_ascii=False, allow_nan=False).encode("utf-8"))))


def data_of(store: Store, index: int) -> dict[str, Any] | None:
    row = store.db.execute("SELECT data FROM file_data WHERE idx = ?", (index,)).fetchone()
    return json.loads(zlib.decompress(row[0])) if row else None


def submissions(store: Store) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(files row, data) of every readable file that is its agency's submission (not replaced by a newer
    one), in input order."""
    for row in store.db.execute("SELECT f.*, d.countable, d.data AS blob FROM files f JOIN file_data d ON d.idx = f.idx"
                                " WHERE f.error = '' AND f.superseded = '' ORDER BY f.idx"):
        yield row, json.loads(zlib.decompress(row["blob"]))


def inputs(form: Form, data: dict[str, Any], totals: bool = False) -> dict[str, Any]:
    """Every input of the form by its defined name, in the declaration's order; with ``totals`` the
    totals recomputed from the inputs too (every cell of the form)."""
    tables = flat_values(form, data)
    if totals:
        tables = with_totals(form, tables)
    out: dict[str, Any] = {}
    for name, spec in cell_index(form).items():
        if not (totals or spec.is_input):
            continue
        if name.startswith("INFO_"):
            out[name] = data["info"].get(name[5:])
        elif name.startswith("TEXT_"):
            out[name] = data["text"].get(name[5:])
        else:
            out[name] = tables.get(name)
    return out


def form_inputs(form_id: str, data: dict[str, Any]) -> dict[str, Any]:
    return inputs(get_form(form_id), data)

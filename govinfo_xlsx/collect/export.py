"""Open data from a collection (``collect --export DIR``).

- ``data.csv``: one row per accepted submission — every readable file that is its agency's
  submission (a re-submission replaces the earlier file) — with agency, kind, year, form, status,
  then every input by its defined name (``T3_new_natural``…), in the declaration's order;
- ``findings.csv``: every finding of the batch, with the clerk's explanation and the review;
- ``schema.json``: the JSON Schema of the ingest JSON (``govinfo-xlsx schema``).

CSV files are UTF-8 with a byte-order mark, which Excel needs to open them as Unicode. The
tables are built with pandas, imported on this path only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..atomic import write_bytes_atomic
from ..celltext import csv_cell
from ..forms import get_form
from ..forms.model import cell_index
from ..office.kind import kind_of
from .filedata import inputs, submissions
from .run import Collection, _status

LEADING = ("agency", "kind", "year", "form", "status")
FINDING_COLUMNS = ("file", "agency", "rule", "severity", "sheet", "cell", "row_label", "col_label", "expected",
                   "actual", "message", "explanation", "review")


def export(col: Collection, folder: Path) -> list[Path]:
    """Write data.csv, findings.csv and schema.json into ``folder`` (made if missing); returns the paths."""
    import pandas as pd

    from ..schema import ingest_schema

    folder.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    forms: list[str] = []
    for row, data in submissions(col.store):
        if row["form"] not in forms:
            forms.append(row["form"])
        rows.append({"agency": _cell(row["agency"]), "kind": _cell(kind_of(row["agency"], data.get("info")) or ""),
                     "year": _cell(row["year"]), "form": row["form"], "status": _status(row),
                     **{k: _cell(v) for k, v in inputs(get_form(row["form"]), data).items()}})
    names: list[str] = []
    for form_id in sorted(forms):  # a batch of both formats: the union of their inputs
        names += [n for n, spec in cell_index(get_form(form_id)).items() if spec.is_input and n not in names]
    data_frame = pd.DataFrame(rows, columns=[*LEADING, *names], dtype=object)
    findings = pd.DataFrame([{k: _cell(f.get(k)) for k in FINDING_COLUMNS} for f in col.findings()],
                            columns=list(FINDING_COLUMNS), dtype=object)
    out = []
    for name, frame in (("data.csv", data_frame), ("findings.csv", findings)):
        path = folder / name
        write_bytes_atomic(path, frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig"))
        out.append(path)
    path = folder / "schema.json"
    write_bytes_atomic(path, (json.dumps(ingest_schema(), ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return out + [path]


def _cell(v: Any) -> Any:
    """A value for a CSV cell: numbers as numbers (whole floats as integers), lists joined, None empty,
    text never a formula (``celltext.csv_cell``: a leading apostrophe where a spreadsheet would see one)."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, str) and len(v) == 19 and v.endswith("T00:00:00") and v[4] == "-":
        return v[:10]  # a date read from a date cell
    if isinstance(v, (list, dict)):
        return csv_cell(json.dumps(v, ensure_ascii=False))
    return csv_cell(v)

"""Open data from a collection (``collect --export DIR``): a Frictionless Data Package.

- ``data.csv``: one row per current submission the summary shows as accepted (通过, 仅警告; a
  re-submission replaces the earlier file) — agency, kind, year, form, status, file, whether 汇总
  counts it — then every cell by its defined name (``T3_new_natural``…), inputs and totals, in the
  declaration's order;
- ``findings.csv``: every finding of the batch with its file (join it to ``data.csv`` by ``file``),
  its state (当前 / 已替换), the clerk's explanation and the review;
- ``datapackage.json``: the package's descriptor, with a Table Schema for each CSV: every field's
  name, Chinese title (the statutory row and column labels), type and unit;
- ``schema.json``: the JSON Schema of the ingest JSON (``govinfo-xlsx schema``).

CSV files are UTF-8 with a byte-order mark, which Excel needs to open them as Unicode. The
tables are built with pandas, imported on this path only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..files.atomic import write_bytes_atomic
from ..files.celltext import CSV_NOTE, csv_cell
from ..checks.findings import json_text
from ..forms import get_form
from ..forms.model import cell_index
from ..office.organkind import organ_kind_of
from .filedata import inputs, submissions
from .run import STATUS_OK, STATUS_WARNINGS, Collection, _status

LEADING = ("agency", "kind", "year", "form", "status", "file", "summed")
LEADING_FIELDS = {
    "agency": ("机关", "string"), "kind": ("机关类别", "string"), "year": ("报告年度", "integer"),
    "form": ("格式", "string"), "status": ("状态", "string"), "file": ("文件", "string"),
    "summed": ("计入汇总", "boolean"),
}
FINDING_COLUMNS = ("file", "agency", "state", "rule", "severity", "sheet", "cell", "row_label", "col_label",
                   "expected", "actual", "message", "explanation", "review")
FINDING_TITLES = ("文件", "机关", "状态", "规则编号", "级别", "工作表", "单元格", "行", "列", "应为", "填写值", "问题",
                  "机关的说明", "审核意见")
TYPES = {"count": "integer", "signed": "integer", "year": "integer", "money": "number", "date": "date",
         "text": "string"}
ENCODING = "utf-8-sig"


def export(col: Collection, folder: Path) -> list[Path]:
    """Write data.csv, findings.csv, datapackage.json and schema.json into ``folder`` (made if missing);
    returns the paths."""
    import pandas as pd

    from ..results.schema import ingest_schema

    folder.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    forms: list[str] = []
    for row, data in submissions(col.store):
        status = _status(row)
        if status not in (STATUS_OK, STATUS_WARNINGS):
            continue
        if row["form"] not in forms:
            forms.append(row["form"])
        rows.append({"agency": _cell(row["agency"]), "kind": _cell(organ_kind_of(row["agency"], data.get("info")) or ""),
                     "year": _cell(row["year"]), "form": row["form"], "status": status, "file": _cell(row["source"]),
                     "summed": "true" if row["counted"] else "false",
                     **{k: _cell(v) for k, v in cells(row["form"], data).items()}})
    fields: dict[str, dict[str, Any]] = {}
    for form_id in sorted(forms) or [_any_form(col)]:  # a batch of both formats: the union of their cells
        for name, field in cell_fields(form_id).items():
            fields.setdefault(name, field)
    data_frame = pd.DataFrame(rows, columns=[*LEADING, *fields], dtype=object)
    findings = pd.DataFrame([{k: _cell(f.get(k)) for k in FINDING_COLUMNS} for f in col.findings()],
                            columns=list(FINDING_COLUMNS), dtype=object)
    out = []
    for name, frame in (("data.csv", data_frame), ("findings.csv", findings)):
        path = folder / name
        write_bytes_atomic(path, frame.to_csv(index=False, lineterminator="\r\n").encode(ENCODING))
        out.append(path)
    path = folder / "datapackage.json"
    write_bytes_atomic(path, json_text(descriptor(col, list(fields.values()))).encode("utf-8"))
    out.append(path)
    path = folder / "schema.json"
    write_bytes_atomic(path, json_text(ingest_schema()).encode("utf-8"))
    return out + [path]


def cells(form_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """Every cell of the form by its defined name, in the declaration's order: inputs and totals."""
    return inputs(get_form(form_id), data, totals=True)


def cell_fields(form_id: str) -> dict[str, dict[str, Any]]:
    """Table Schema fields of the form's cells: name, title from the statutory labels, type, unit."""
    from ..template.layout import Layout

    form = get_form(form_id)
    layout = Layout.of(form)
    out: dict[str, dict[str, Any]] = {}
    for name, spec in cell_index(form).items():
        sheet, _ = layout.address(name)
        labels = "／".join(x for x in (spec.row_label, spec.col_label) if x)
        field: dict[str, Any] = {"name": name, "title": f"{sheet} {labels}".strip(),
                                 "type": TYPES.get(spec.kind.key, "string")}
        if spec.kind.unit:
            field["unit"] = spec.kind.unit
        if not spec.is_input:
            field["description"] = "合计（由各项相加）"
        out[name] = field
    return out


def descriptor(col: Collection, fields: list[dict[str, Any]]) -> dict[str, Any]:
    """datapackage.json: the package and the Table Schema of each CSV; how text that a spreadsheet would
    take for a formula is written (``celltext.CSV_NOTE``) is said in the package's description and in
    every text field's."""
    return _noted(_descriptor(col, fields))


def _noted(package: dict[str, Any]) -> dict[str, Any]:
    package["description"] = package.get("description", "") + CSV_NOTE
    for resource in package.get("resources", []):
        for field in resource.get("schema", {}).get("fields", []):
            if field.get("type") == "string":
                field["description"] = (field["description"] + "。" if field.get("description") else "") + CSV_NOTE
    return package


def _descriptor(col: Collection, fields: list[dict[str, Any]]) -> dict[str, Any]:
    year = f"{col.year}年度" if col.year else ""
    return {
        "name": f"govinfo-annual-reports{'-' + str(col.year) if col.year else ''}",
        "title": f"{year}政府信息公开工作年度报告收集数据",
        "description": "data.csv：本次收集中被接受（通过、仅警告）的每个机关的现行报告，一行一份，含各单元格（填写项与合计）；"
                       "findings.csv：全部校验问题，按 file 列与 data.csv 对应。",
        "resources": [
            {"name": "data", "path": "data.csv", "format": "csv", "mediatype": "text/csv", "encoding": ENCODING,
             "title": "各机关报告数据",
             "schema": {"fields": [{"name": k, "title": LEADING_FIELDS[k][0], "type": LEADING_FIELDS[k][1]}
                                   for k in LEADING] + fields, "missingValues": [""]}},
            {"name": "findings", "path": "findings.csv", "format": "csv", "mediatype": "text/csv",
             "encoding": ENCODING, "title": "校验问题清单",
             "schema": {"fields": [{"name": k, "title": t, "type": "string"}
                                   for k, t in zip(FINDING_COLUMNS, FINDING_TITLES)], "missingValues": [""]}},
        ],
    }


def _any_form(col: Collection) -> str:
    """The form of the round's year (an empty data.csv still has its columns described)."""
    from ..forms import form_for_year

    forms = col.store.forms()
    return forms[0] if forms else form_for_year(col.year or 2021).id


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

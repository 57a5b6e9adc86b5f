"""Fill a template the way a clerk would (test helper): values by defined name."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable, Mapping

from govinfo_xlsx.forms.model import Form
from govinfo_xlsx.forms.organs import DEPARTMENT


def fill(template: Path, values: Mapping[str, Any], out: Path,
         tweak: Callable[[Any], None] | None = None) -> Path:
    """Copy the template with values written by defined name (openpyxl loads and saves it, as a clerk's
    program would); ``tweak(wb)`` may change more."""
    import openpyxl

    if tweak is None:
        return _fill_loaded(_loaded(Path(template)), values, out)
    wb = openpyxl.load_workbook(template)
    for name, value in values.items():
        cell(wb, name).value = value
    tweak(wb)
    wb.save(out)
    return out


# Loading a template is most of a fill's cost (openpyxl builds every merged cell), and the suite fills the
# same few templates hundreds of times: each is loaded once per process (keyed by its bytes), filled, saved
# and put back as it was.  test_fill.py checks that this writes what a fresh load writes.
_LOADED: OrderedDict[bytes, Any] = OrderedDict()
_KEEP = 8


def _loaded(template: Path) -> Any:
    import openpyxl

    key = hashlib.sha256(template.read_bytes()).digest()
    if key in _LOADED:
        _LOADED.move_to_end(key)
    else:
        _LOADED[key] = openpyxl.load_workbook(template)
        while len(_LOADED) > _KEEP:
            _LOADED.popitem(last=False)
    return _LOADED[key]


def _fill_loaded(wb: Any, values: Mapping[str, Any], out: Path) -> Path:
    """Write ``values`` into the loaded template ``wb``, save it as ``out``, then undo every change:
    the cells written (value, type, style; a cell that did not exist is removed again) and what saving
    changes (openpyxl records the column outline level it wrote)."""
    from openpyxl.utils.cell import coordinate_to_tuple

    touched: dict[tuple[str, tuple[int, int]], tuple | None] = {}
    outline = {ws.title: (ws.sheet_format.outlineLevelCol, ws.column_dimensions.max_outline) for ws in wb.worksheets}
    try:
        for name, value in values.items():
            sheet, ref = next(iter(wb.defined_names[name].destinations))
            ws, at = wb[sheet], coordinate_to_tuple(ref.replace("$", ""))
            if (sheet, at) not in touched:
                c = ws._cells.get(at)
                touched[sheet, at] = None if c is None else (c._value, c.data_type, copy.copy(c._style))
            ws.cell(*at).value = value
        wb.save(out)
    finally:
        for ws in wb.worksheets:
            ws.sheet_format.outlineLevelCol, ws.column_dimensions.max_outline = outline[ws.title]
        for (sheet, at), was in touched.items():
            ws = wb[sheet]
            if was is None:
                ws._cells.pop(at, None)
            else:
                c = ws._cells[at]
                c._value, c.data_type, c._style = was
    return out


def cell(wb: Any, name: str) -> Any:
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    return wb[sheet][ref.replace("$", "")]


def consistent_values(form: Form, year: int) -> dict[str, Any]:
    """A complete, rule-abiding data set with distinct numbers in every cell."""
    v: dict[str, Any] = {}
    for f in form.info_fields:
        v[f"INFO_{f.key}"] = {"year": year, "date": dt.datetime(year + 1, 1, 20)}.get(
            f.kind.key, f"{f.label}内容")
    v["INFO_agency"] = "测试市测试局"
    v["INFO_kind"] = DEPARTMENT
    for f in form.text_fields:
        v[f"TEXT_{f.key}"] = f"{f.label}：本年度情况说明。未收取信息处理费。"
    for c in form.cells():
        if c.sheet == "table2":
            v[c.name] = {"signed": -3, "money": 12.5}.get(c.kind.key, 7)
    t3 = form.table3
    results = t3.result_rows()
    for i, col in enumerate(t3.input_columns):
        done = 0
        for j, r in enumerate(results):
            n = (i + j) % 4
            v[f"T3_{r.key}_{col.key}"] = n
            done += n
        carry = i % 3
        new = done + carry - (i + 1)
        assert new >= 0
        v[f"T3_new_{col.key}"] = new
        v[f"T3_carried_over_{col.key}"] = i + 1
        v[f"T3_carry_forward_{col.key}"] = carry
    t4 = form.table4
    for gi, g in enumerate(t4.groups):
        for ci, col in enumerate(t4.columns[:-1]):
            v[f"T4_{g.key}_{col.key}"] = gi + ci
    return v


def inbox_of(folder: Path, form: Form, year: int, names: tuple[str, ...] = ("甲局", "乙局")) -> Path:
    """``folder``/收件箱 holding one consistent workbook of the template per agency named."""
    from govinfo_xlsx.template.writer import write_template

    template = write_template(form, year, folder / "template.xlsx")
    box = folder / "收件箱"
    box.mkdir()
    for name in names:
        v = consistent_values(form, year)
        v["INFO_agency"] = name
        fill(template, v, box / f"{name}.xlsx")
    return box

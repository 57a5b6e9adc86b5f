"""Fill a template the way a clerk would (test helper): values by defined name."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import re
import zipfile
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable, Mapping

from govinfo_xlsx.forms.model import Form
from govinfo_xlsx.forms.organs import DEPARTMENT


def fill(template: Path, values: Mapping[str, Any], out: Path,
         tweak: Callable[[Any], None] | None = None) -> Path:
    """Copy the template with values written by defined name: what openpyxl writes when it loads the
    template, sets the values and saves it, as a clerk's program would; ``tweak(wb)`` may change more."""
    import openpyxl

    if tweak is None and _fill_kept(_loaded(Path(template)), values, out):
        return out
    wb = openpyxl.load_workbook(template)
    for name, value in values.items():
        cell(wb, name).value = value
    if tweak is not None:
        tweak(wb)
    wb.save(out)
    return out


# Loading a template is most of a fill's cost (openpyxl builds every merged cell), and the suite fills the
# same few templates hundreds of times: each is loaded once per process (keyed by its bytes).  Saving was
# the rest (openpyxl serialises every sheet, its merged cells, validations and conditional formats again):
# the loaded template is saved once as it is, and a fill writes that package with only the cells it set
# serialised again, by openpyxl's own cell writer (write_cell), and docProps/core.xml stamped anew, as
# openpyxl's save does.  What would make openpyxl write more than those cells (a cell the blank template
# did not write, a value that changes a cell's style, a comment) is filled as without the kept template
# (loaded anew and saved).  The kept template is put back as it was after every fill.  test_fill.py checks
# that every part equals what a fresh load and save of the template writes.
_LOADED: OrderedDict[bytes, "_Kept"] = OrderedDict()
_KEEP = 8
_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*?(?:/>|>.*?</c>)', re.S)


class _Kept:
    """A template loaded once, and the package openpyxl writes for it unchanged."""

    def __init__(self, template: Path):
        import openpyxl

        self.wb = openpyxl.load_workbook(template)
        buffer = io.BytesIO()
        self.wb.save(buffer)  # (it changes the workbook: only for this package, never saved again)
        with zipfile.ZipFile(buffer) as z:
            self.parts = {n: z.read(n) for n in z.namelist()}
        self.sheet_part = {ws.title: ws.path.lstrip("/") for ws in self.wb.worksheets}
        # where each written cell's XML lies in its sheet's part: {part: {coordinate: (start, end)}}
        self.cells = {part: {m.group(1).decode(): m.span() for m in _CELL.finditer(self.parts[part])}
                      for part in self.sheet_part.values()}
        self.names: dict[str, tuple[Any, str, tuple[int, int]]] = {}  # defined name -> (sheet, title, (row, col))

    def destination(self, name: str) -> tuple[Any, str, tuple[int, int]]:
        if name not in self.names:
            from openpyxl.utils.cell import coordinate_to_tuple

            sheet, ref = next(iter(self.wb.defined_names[name].destinations))
            self.names[name] = (self.wb[sheet], sheet, coordinate_to_tuple(ref.replace("$", "")))
        return self.names[name]


def _loaded(template: Path) -> _Kept:
    key = hashlib.sha256(template.read_bytes()).digest()
    if key in _LOADED:
        _LOADED.move_to_end(key)
    else:
        _LOADED[key] = _Kept(template)
        while len(_LOADED) > _KEEP:
            _LOADED.popitem(last=False)
    return _LOADED[key]


def _fill_kept(kept: _Kept, values: Mapping[str, Any], out: Path) -> bool:
    """Write ``values`` into the loaded template and, unless that would change more than their cells (then
    False), the package as ``out``; then undo every change to the cells written (value, type, style; a
    cell that did not exist is removed again)."""
    wb = kept.wb
    touched: dict[tuple[str, tuple[int, int]], tuple | None] = {}
    try:
        for name, value in values.items():
            ws, sheet, at = kept.destination(name)
            if (sheet, at) not in touched:
                c = ws._cells.get(at)
                touched[sheet, at] = None if c is None else (c._value, c.data_type, copy.copy(c._style))
            ws.cell(*at).value = value
        edits = _cell_edits(kept, touched)
        if edits is not None:
            _write_package(kept, edits, out)
    finally:
        for (sheet, at), was in touched.items():
            ws = wb[sheet]
            if was is None:
                ws._cells.pop(at, None)
            else:
                c = ws._cells[at]
                c._value, c.data_type, c._style = was
    return edits is not None


def _cell_edits(kept: _Kept, touched: dict) -> dict[str, list[tuple[int, int, bytes]]] | None:
    """{part: [(start, end, the cell's XML now)]}, as openpyxl's sheet writer writes each touched cell;
    None when saving would change more than those cells."""
    from openpyxl.cell._writer import write_cell
    from openpyxl.xml.functions import xmlfile

    edits: dict[str, list[tuple[int, int, bytes]]] = {}
    for (sheet, at), was in touched.items():
        ws = kept.wb[sheet]
        c = ws._cells[at]
        span = kept.cells[kept.sheet_part[sheet]].get(c.coordinate)
        if was is None or span is None or c._style != was[2] or c._comment is not None or c.hyperlink:
            return None
        buffer = io.BytesIO()
        if c._value is not None or c.has_style:  # what the sheet writer leaves out (an empty, unstyled cell)
            with xmlfile(buffer) as xf:
                write_cell(xf, ws, c, c.has_style)
        edits.setdefault(kept.sheet_part[sheet], []).append((*span, buffer.getvalue()))
    return edits


def _write_package(kept: _Kept, edits: dict[str, list[tuple[int, int, bytes]]], out: Path) -> None:
    from openpyxl.xml.functions import tostring

    props = copy.copy(kept.wb.properties)
    props.modified = dt.datetime.now(tz=dt.timezone.utc).replace(tzinfo=None)  # as openpyxl's save stamps it
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as z:
        for name, data in kept.parts.items():
            if name in edits:
                pieces, at = [], 0
                for start, end, xml in sorted(edits[name]):
                    pieces += [data[at:start], xml]
                    at = end
                data = b"".join(pieces) + data[at:]
            elif name == "docProps/core.xml":
                data = tostring(props.to_tree())
            z.writestr(name, data)


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

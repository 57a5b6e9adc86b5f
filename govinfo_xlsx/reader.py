"""Read a workbook's structure and values, trusting nothing it says about itself.

Values come from python-calamine (a Rust reader, far faster than openpyxl for
values, and it reads only the sheets asked for); the few pieces of metadata
calamine does not expose (defined names, custom properties, which cells still
hold formulas) are parsed from the package XML with defusedxml.  Cached
formula results are never used as data.
"""

from __future__ import annotations

import io
import os
import posixpath
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

from .errors import UnreadableWorkbookError
from .intake import Package

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
}
R_ID = "{%s}id" % NS["r"]


@dataclass
class RawWorkbook:
    package: Package
    sheets: list[str] = field(default_factory=list)
    sheet_states: dict[str, str] = field(default_factory=dict)
    sheet_parts: dict[str, str] = field(default_factory=dict)
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (sheet, A1 without $)
    custom_props: dict[str, str] = field(default_factory=dict)
    _grids: dict[str, list[list[Any]]] = field(default_factory=dict)
    _formulas: dict[str, set[str]] = field(default_factory=dict)
    _calamine: Any = None

    def grid(self, sheet: str) -> list[list[Any]]:
        if sheet not in self._grids:
            try:
                with _native_stderr_silenced():  # a panic's message and Rust backtrace go to fd 2 directly
                    if self._calamine is None:
                        from python_calamine import CalamineWorkbook

                        self._calamine = CalamineWorkbook.from_filelike(io.BytesIO(self.package.data))
                    self._grids[sheet] = self._calamine.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            except Exception as e:  # calamine raises its own error types for damaged parts
                raise UnreadableWorkbookError(f"{self.package.path}：工作表“{sheet}”无法读取（{e}）。") from None
            except BaseException as e:  # a panic inside calamine (pyo3's PanicException is a BaseException)
                if not type(e).__name__ == "PanicException":
                    raise
                raise UnreadableWorkbookError(
                    f"{self.package.path}：工作表“{sheet}”中有无法识别的值（如设成日期格式的负数或极大的数），"
                    "请检查后重新保存。") from None
        return self._grids[sheet]

    def value(self, sheet: str, row: int, col: int) -> Any:
        """The stored value at 0-based (row, col); None when blank or absent."""
        grid = self.grid(sheet)
        if row < len(grid) and col < len(grid[row]):
            v = grid[row][col]
            return None if v == "" else v
        return None

    def formula_cells(self, sheet: str) -> set[str]:
        """A1 references (without $) of the cells that hold a formula."""
        if sheet not in self._formulas:
            self._formulas[sheet] = _formula_cells(self.package, self.sheet_parts[sheet])
        return self._formulas[sheet]


@contextmanager
def _native_stderr_silenced() -> Iterator[None]:
    """File descriptor 2 pointed at /dev/null for the duration (what native code prints there is no
    message for a clerk; errors come back as exceptions and are reported in Chinese)."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):
        yield
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


def read_raw(pkg: Package) -> RawWorkbook:
    from defusedxml.ElementTree import fromstring

    raw = RawWorkbook(pkg)
    try:
        book = fromstring(pkg.read("xl/workbook.xml"))
        rels = fromstring(pkg.read("xl/_rels/workbook.xml.rels"))
    except Exception:
        raise UnreadableWorkbookError(f"{pkg.path}：工作簿结构已损坏，无法读取。") from None
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", NS)}
    for s in book.findall("m:sheets/m:sheet", NS):
        name = s.get("name", "")
        raw.sheets.append(name)
        raw.sheet_states[name] = s.get("state", "visible")
        target = targets.get(s.get(R_ID), "")
        raw.sheet_parts[name] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
    for d in book.findall("m:definedNames/m:definedName", NS):
        if d.get("localSheetId") is not None or not d.text:
            continue
        dest = _destination(d.text)
        if dest:
            raw.names[d.get("name", "")] = dest
    if pkg.has("docProps/custom.xml"):
        try:
            custom = fromstring(pkg.read("docProps/custom.xml"))
            for p in custom.findall("cp:property", NS):
                raw.custom_props[p.get("name", "")] = "".join(p.itertext())
        except Exception:
            pass  # custom properties are a convenience; the meta sheet and names identify the form too
    return raw


def _destination(text: str) -> tuple[str, str] | None:
    """'Sheet name'!$B$3 -> ('Sheet name', 'B3'); None for ranges, #REF! or formulas."""
    text = text.strip()
    if "!" not in text:
        return None
    sheet, ref = text.rsplit("!", 1)
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    ref = ref.replace("$", "")
    if not ref[:1].isalpha() or ":" in ref or "#" in ref:
        return None
    return sheet, ref


def _formula_cells(pkg: Package, part: str) -> set[str]:
    from defusedxml.ElementTree import iterparse

    cells: set[str] = set()
    c_tag, f_tag = "{%s}c" % NS["m"], "{%s}f" % NS["m"]
    try:
        for _, el in iterparse(io.BytesIO(pkg.read(part)), events=("end",)):
            if el.tag == c_tag:
                if el.find(f_tag) is not None:
                    cells.add(el.get("r", ""))
                el.clear()
    except Exception:
        raise UnreadableWorkbookError(f"{pkg.path}：工作表数据（{part}）已损坏，无法读取。") from None
    return cells

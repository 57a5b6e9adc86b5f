"""Read a workbook's structure and values, trusting nothing it says about itself.

Values come from python-calamine (a Rust reader, far faster than openpyxl for
values, and it reads only the sheets asked for); the few pieces of metadata
calamine does not expose (defined names, custom properties, which cells still
hold formulas) come from the package XML.  Cached formula results are never
used as data.

Each sheet's XML is scanned once before calamine sees it (``scan_sheet``): the
cells that hold formulas, and the cells with a value outside the extent the
sheet may have.  calamine builds a dense grid up to the farthest value, so one
value in XFD1048576 would cost it 512 GB; such cells are cut out of the copy of
the package calamine reads, and reported.
"""

from __future__ import annotations

import functools
import io
import os
import posixpath
import re
import sys
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from .cellref import column_letters, column_number
from ..errors import UnreadableWorkbookError
from .intake import Package

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
}
R_ID = "{%s}id" % NS["r"]

# Rows and columns (1-based, inclusive) a sheet may use when nobody said more: every sheet the
# templates draw fits with room to spare.
DEFAULT_EXTENT = (1000, 64)
MAX_ROWS, MAX_COLUMNS = 1048576, 16384  # a worksheet's size (XFD1048576)


@dataclass(frozen=True)
class SheetScan:
    """What one pass over a sheet's XML found."""

    formulas: frozenset[str] | None  # A1 references (without $) of the cells that hold a formula
    far: tuple[str, ...] = ()  # cells holding a value beyond the extent, in document order (at most a few)
    far_count: int = 0
    trimmed: bytes | None = None  # the sheet's XML without the cells beyond the extent, when there are any


@dataclass
class RawWorkbook:
    package: Package
    sheets: list[str] = field(default_factory=list)
    sheet_states: dict[str, str] = field(default_factory=dict)
    sheet_parts: dict[str, str] = field(default_factory=dict)
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (sheet, A1 without $)
    custom_props: dict[str, str] = field(default_factory=dict)
    extents: dict[str, tuple[int, int]] = field(default_factory=dict)  # sheet -> (rows, columns) it may use
    _grids: dict[str, list[list[Any]]] = field(default_factory=dict)
    _scans: dict[str, SheetScan] = field(default_factory=dict)
    _calamine: Any = None

    def extent(self, sheet: str) -> tuple[int, int]:
        return self.extents.get(sheet, DEFAULT_EXTENT)

    def scan(self, sheet: str) -> SheetScan:
        if sheet not in self._scans:
            part = self.sheet_parts[sheet]
            try:
                xml = self.package.read(part)
            except Exception:
                raise UnreadableWorkbookError(f"{self.package.path}：工作表“{sheet}”无法读取（{part} 缺失或已损坏）。") from None
            try:
                self._scans[sheet] = scan_sheet(xml, self.extent(sheet))
            except ValueError:
                raise UnreadableWorkbookError(f"{self.package.path}：工作表数据（{part}）已损坏，无法读取。") from None
            if self._scans[sheet].trimmed is not None:
                self._calamine = None  # read from a copy without the far cells from now on
        return self._scans[sheet]

    def blank(self, sheet: str, refs: set[str]) -> bool:
        """True when none of the cells ``refs`` (A1 without $) of ``sheet`` holds anything, known from
        the sheet's XML without reading it; False when unsure (then read the cells).  Sure when no
        cell element has a prefix, every cell tag starts with its reference (a cell without one is
        placed after the one before it), no cell lies beyond the sheet's extent (reading the sheet
        cuts those out and reports them) and every cell of ``refs`` is an element without content
        (``<c r="G5" s="24"/>``): the 说明 column of the checks sheet as the template writes it and a
        clerk leaves it.  A comment or CDATA section can only add tags, which makes it unsure."""
        part = self.sheet_parts.get(sheet)
        if sheet in self._grids or part is None or not self.package.has(part):
            return False
        try:
            xml = self.package.read(part)
        except Exception:
            return False  # reading the cells says what is wrong
        m = _SHEET_DATA.search(xml)
        if m is not None and m.group(1):
            return True
        end = xml.find(b"</sheetData>", m.end()) if m is not None else -1
        if end < 0:
            return False
        body = xml[m.end():end]
        if _PREFIXED_CELL.search(body) is not None:
            return False
        quick = _blank_or_outside(*self.extent(sheet), frozenset(refs))
        if quick is not None and quick.search(body) is None:  # one search settles the usual case
            return True
        if not _all_inside(body, self.extent(sheet)):
            return False
        found = [_REF.match(r) for r in refs]
        if not all(found) or any(not m.group(1).isupper() for m in found):
            return False
        wanted = {(m.group(1).encode(), int(m.group(2))) for m in found}  # rows as numbers: r="G05" is G5
        tags = _tags_in_columns(frozenset(c for c, _ in wanted)).findall(body)
        return all(closed for c, row, closed in tags if (c, int(row)) in wanted)

    def far_cells(self) -> dict[str, SheetScan]:
        """The sheets read so far that had values beyond their extent."""
        return {s: scan for s, scan in self._scans.items() if scan.far}

    def grid(self, sheet: str) -> list[list[Any]]:
        if sheet not in self._grids:
            self.load((sheet,))
        return self._grids[sheet]

    def load(self, sheets: Iterable[str]) -> None:
        """Read these sheets (those not read yet), in order: each scanned before calamine sees it,
        all with native stderr silenced once."""
        todo = [s for s in dict.fromkeys(sheets) if s not in self._grids]
        if not todo:
            return
        with _native_stderr_silenced():  # a panic's message and Rust backtrace go to fd 2 directly
            for sheet in todo:
                if sheet in self.sheet_parts:
                    self.scan(sheet)  # before calamine sees the sheet
                try:
                    if self._calamine is None:
                        from python_calamine import CalamineWorkbook

                        self._calamine = CalamineWorkbook.from_filelike(io.BytesIO(self._calamine_bytes()))
                    self._grids[sheet] = self._calamine.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
                except Exception as e:  # calamine raises its own error types for damaged parts
                    raise UnreadableWorkbookError(f"{self.package.path}：工作表“{sheet}”无法读取（{e}）。") from None
                except BaseException as e:  # a panic inside calamine (pyo3's PanicException is a BaseException)
                    if not type(e).__name__ == "PanicException":
                        raise
                    raise UnreadableWorkbookError(
                        f"{self.package.path}：工作表“{sheet}”中有无法识别的值（如设成日期格式的负数或极大的数），"
                        "请检查后重新保存。") from None

    def _calamine_bytes(self) -> bytes:
        trimmed = {self.sheet_parts[s]: scan.trimmed for s, scan in self._scans.items() if scan.trimmed is not None}
        if not trimmed:
            return self.package.data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
            for info in self.package.zip.infolist():
                z.writestr(info.filename, trimmed.get(info.filename) or self.package.read(info.filename))
        return out.getvalue()

    def value(self, sheet: str, row: int, col: int) -> Any:
        """The stored value at 0-based (row, col); None when blank or absent."""
        grid = self.grid(sheet)
        if row < len(grid) and col < len(grid[row]):
            v = grid[row][col]
            return None if v == "" else v
        return None

    def formula_cells(self, sheet: str) -> frozenset[str]:
        """A1 references (without $) of the cells that hold a formula."""
        scan = self.scan(sheet)
        if scan.formulas is None:  # the fast path found no far cell: the formulas from the same body
            part = self.sheet_parts[sheet]
            try:
                xml = self.package.read(part)
                found = _formula_cells(_sheet_data(xml))
                scan = self._scans[sheet] = (SheetScan(found) if found is not None
                                             else scan_sheet(xml, self.extent(sheet), formulas=True))
            except ValueError:
                raise UnreadableWorkbookError(f"{self.package.path}：工作表数据（{part}）已损坏，无法读取。") from None
        return scan.formulas


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
    global _NULL
    try:
        if _NULL is None:
            _NULL = os.open(os.devnull, os.O_WRONLY)  # once per process
        os.dup2(_NULL, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


_NULL: int | None = None


def read_raw(pkg: Package) -> RawWorkbook:
    raw = RawWorkbook(pkg)
    book = _book(pkg)
    raw.sheets = list(book.sheets)
    raw.sheet_states = dict(book.states)
    raw.sheet_parts = dict(book.parts)
    raw.names = dict(book.names)
    if pkg.has("docProps/custom.xml"):
        raw.custom_props = dict(_custom(pkg.read("docProps/custom.xml")))
    return raw


@dataclass(frozen=True)
class _Book:
    sheets: tuple[str, ...]
    states: tuple[tuple[str, str], ...]
    parts: tuple[tuple[str, str], ...]
    names: tuple[tuple[str, tuple[str, str]], ...]


# Every workbook made from one template has the same sheets, defined names, relationships and custom
# properties: a batch parses them once.  Keyed by the bytes they are read from, a handful of entries.
_BOOKS: dict[tuple[bytes, ...], _Book] = {}
_CUSTOM: dict[bytes, tuple[tuple[str, str], ...]] = {}
_CACHED = 8


def _remember(cache: dict, key: Any, value: Any) -> Any:
    if len(cache) >= _CACHED:
        cache.pop(next(iter(cache)))
    cache[key] = value
    return value


def _book_key(xml: bytes, rels: bytes) -> tuple[bytes, ...]:
    """What of workbook.xml and its relationships decides the parse: the root's start tag (its
    namespaces), <sheets> and <definedNames>, when each occurs once and unprefixed; else all of it.
    Excel rewrites the rest (window position, active tab, calculation id) on every save."""
    pieces = [rels]
    root = xml.find(b"<workbook")
    # each at most once (<sheets exactly once): its first occurrence is its last (find and rfind cost
    # a fraction of count on XML)
    sheets, names = xml.find(b"<sheets"), xml.find(b"<definedNames")
    if (root < 0 or sheets < 0 or xml.rfind(b"<sheets") != sheets or xml.rfind(b"<definedNames") != names
            or xml.find(b"</sheets>", sheets) < 0):
        return (xml, rels)
    pieces.append(xml[root:xml.find(b">", root) + 1])
    for at, end in ((sheets, b"</sheets>"), (names, b"</definedNames>")):
        if at >= 0:
            stop = xml.find(end, at)
            if stop < 0:
                return (xml, rels)
            pieces.append(xml[at:stop])
    return tuple(pieces)


def _book(pkg: Package) -> _Book:
    try:
        xml, rels_xml = pkg.read("xl/workbook.xml"), pkg.read("xl/_rels/workbook.xml.rels")
    except Exception:
        raise UnreadableWorkbookError(f"{pkg.path}：工作簿结构已损坏，无法读取。") from None
    key = _book_key(xml, rels_xml)
    hit = _BOOKS.get(key)
    if hit is not None:
        return hit
    from defusedxml.ElementTree import fromstring

    try:
        book, rels = fromstring(xml), fromstring(rels_xml)
    except Exception:
        raise UnreadableWorkbookError(f"{pkg.path}：工作簿结构已损坏，无法读取。") from None
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", NS)}
    sheets, states, parts, names = [], [], [], []
    for s in book.findall("m:sheets/m:sheet", NS):
        name = s.get("name", "")
        sheets.append(name)
        states.append((name, s.get("state", "visible")))
        target = targets.get(s.get(R_ID), "")
        parts.append((name, target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))))
    for d in book.findall("m:definedNames/m:definedName", NS):
        if d.get("localSheetId") is not None or not d.text:
            continue
        dest = _destination(d.text)
        if dest:
            names.append((d.get("name", ""), dest))
    return _remember(_BOOKS, key, _Book(tuple(sheets), tuple(states), tuple(parts), tuple(names)))


def _custom(xml: bytes) -> tuple[tuple[str, str], ...]:
    hit = _CUSTOM.get(xml)
    if hit is not None:
        return hit
    from defusedxml.ElementTree import fromstring

    try:
        props = tuple((p.get("name", ""), "".join(p.itertext()).strip()) for p in fromstring(xml).findall("cp:property", NS))
    except Exception:
        props = ()  # custom properties are a convenience; the meta sheet and names identify the form too
    return _remember(_CUSTOM, xml, props)


def _destination(text: str) -> tuple[str, str] | None:
    """'Sheet name'!$B$3 -> ('Sheet name', 'B3'); None for ranges, #REF!, formulas and anything else
    that is not one cell of a sheet (row 0, a column beyond XFD, text where the reference should be)."""
    text = text.strip()
    if "!" not in text:
        return None
    sheet, ref = text.rsplit("!", 1)
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    m = _REF.fullmatch(ref.replace("$", ""))
    if m is None or not 1 <= int(m.group(2)) <= MAX_ROWS or column_number(m.group(1)) > MAX_COLUMNS:
        return None
    return sheet, f"{m.group(1).upper()}{int(m.group(2))}"


# -- one pass over a sheet's XML ---------------------------------------------------------------------
#
# The fast path reads the XML the way Excel, LibreOffice, WPS, openpyxl and xlsxwriter write it:
# unprefixed elements, every cell with an r="A1" attribute, attributes in double quotes, no
# comments, CDATA or processing instructions in the sheet data.  It is exact for such XML: a cell
# start tag is matched attribute by attribute, so nothing inside an attribute value can pose as a
# reference.  Anything else (or any cell beyond the extent) takes the careful path, a real XML
# parser over the whole part that places cells the way calamine does.

_ATTR = rb'\s+[\w:.-]+\s*=\s*"[^"]*"'
_CELL_REF = re.compile(rb"<c(?:" + _ATTR + rb')*?\s+r\s*=\s*"([A-Z]{1,3})([0-9]{1,7})"')
_CELL_TAG = re.compile(rb"<c(?:" + _ATTR + rb")*\s*>\s*")  # a cell's start tag, up to its first child
_R_ATTR = re.compile(rb'\sr\s*=\s*"([A-Z]{1,3}[0-9]{1,7})"')
_F_TAG = re.compile(rb"<f[\s/>]")
# one pass for what sends a sheet to the careful path: a prefix (calamine reads elements by local
# name, whatever their prefix), a comment, CDATA or processing instruction
# (no possessive quantifier, which Python 3.10 lacks: the name's characters and the three marks are
# disjoint, so giving back a name character can never let the mark match, and the cost stays linear)
_SPECIAL = re.compile(rb"<[\w.-]*[!?:]")  # also <x! and <x?, which no well-formed XML has: careful path
# every "<c" of a sheet body with its reference when r is the tag's first attribute (as every writer
# puts it), else empty: one pass finds the cells and proves that each carries a reference
_CELL_FIRST_REF = re.compile(rb'<c(?:\s+r="([A-Z]{1,3})([0-9]{1,7})")?')
_PREFIXED_CELL = re.compile(rb":c[\s/>]")  # the end of a prefixed cell's tag name (<x:c ...)


@functools.lru_cache(maxsize=32)
def _tags_in_columns(columns: frozenset[bytes]) -> re.Pattern[bytes]:
    """The start tags of the cells of these columns whose reference is their first attribute: column,
    row and, when the cell has double-quoted attributes and no content (``<c r="G5" s="1"/>`` as
    xlsxwriter and Excel write it, ``<c r="G5" s="1" t="n"></c>`` as openpyxl does), its end."""
    letters = b"|".join(sorted(columns))
    return re.compile(rb'<c\s+r="(' + letters + rb')([0-9]{1,7})"(?:(?:\s+[\w:.-]+="[^"]*")*\s*(/>|></c>))?')


_SHEET_DATA = re.compile(rb"<sheetData\b[^>]*?(/?)>")
_FAR_SHOWN = 5


def scan_sheet(xml: bytes, extent: tuple[int, int], formulas: bool = False) -> SheetScan:
    """Values beyond ``extent`` (rows, columns) of one sheet's XML and, with ``formulas`` (or when
    the careful path was taken), the formula cells.  Raises ValueError when the XML is not
    well-formed (on the careful path)."""
    m = _SHEET_DATA.search(xml)
    if m is not None and m.group(1):  # <sheetData/>: no cells at all
        return SheetScan(frozenset())
    end = xml.find(b"</sheetData>", m.end()) if m is not None else -1
    if end >= 0:
        body = xml[m.end():end]
        if _SPECIAL.search(body) is None and _all_inside(body, extent, attribute_order=True):
            if not formulas:
                return SheetScan(None)
            found = _formula_cells(body)
            if found is not None:
                return SheetScan(found)
    return _careful_scan(xml, extent)


def _all_inside(body: bytes, extent: tuple[int, int], attribute_order: bool = False) -> bool:
    """Whether every "<c" of a sheet body is a cell tag whose reference lies within ``extent``
    (rows, columns).  One search for a tag that is not (``_outside``) settles the usual case; when
    it finds one (a reference that is not the first attribute, a leading zero, a cell beyond the
    extent) the references are read one by one.  With ``attribute_order`` a reference anywhere
    among a tag's attributes counts; without it only a reference as its first attribute does."""
    if _outside(*extent).search(body) is None:
        return True
    refs = _CELL_FIRST_REF.findall(body)
    letters, numbers = zip(*refs) if refs else ((), ())  # split in C, not tuple by tuple
    if b"" in numbers:  # some "<c" without r as its first attribute
        if not attribute_order:
            return False
        refs = _CELL_REF.findall(body)  # match attribute by attribute
        if len(refs) != body.count(b"<c"):
            return False
        letters, numbers = zip(*refs) if refs else ((), ())
    rows, cols = extent
    return not refs or (max(map(int, set(numbers))) <= rows and max(map(column_number, set(letters))) <= cols)


@functools.lru_cache(maxsize=32)
def _outside(rows: int, cols: int) -> re.Pattern[bytes]:
    """A "<c" that is not followed by r="A1" as its first attribute with a row from 1 to ``rows``
    (no leading zero) and a column from A to the ``cols``-th."""
    return re.compile(rb'<c(?!\s+r="' + _inside(rows, cols) + rb'")')


@functools.lru_cache(maxsize=32)
def _blank_or_outside(rows: int, cols: int, refs: frozenset[str]) -> re.Pattern[bytes] | None:
    """What ``_outside`` finds, and any cell of ``refs`` that is not an element without content
    (``<c r="G5" s="1"/>``, ``<c r="G5" s="1" t="n"></c>``); None when some reference of ``refs``
    is not a plain A1 reference within the extent."""
    inside = re.compile(_inside(rows, cols) + rb"$")
    if not refs or not all(inside.match(r.encode()) for r in refs):
        return None
    columns: dict[str, list[str]] = {}
    for ref in sorted(refs):
        letters = ref.rstrip("0123456789")
        columns.setdefault(letters, []).append(ref[len(letters):])
    # grouped by column (G(?:5|7|12)): a cell of another column fails at its first letter
    wanted = "|".join(f"{c}(?:{'|'.join(numbers)})" for c, numbers in columns.items()).encode()
    return re.compile(rb'<c(?!\s+r="(?:(?!(?:' + wanted + rb')")' + _inside(rows, cols) + rb'"|(?:' + wanted
                      + rb')"(?:\s+[\w:.-]+="[^"]*")*\s*(?:/>|></c>)))')


def _inside(rows: int, cols: int) -> bytes:
    """A regular expression for the A1 references (no leading zero) within ``rows`` and ``cols``."""
    letters = _at_most("ABCDEFGHIJKLMNOPQRSTUVWXYZ", column_letters(cols), first=0)
    digits = _at_most("0123456789", str(rows), first=1)
    return f"(?:{letters})(?:{digits})".encode()


def _at_most(alphabet: str, bound: str, first: int) -> str:
    """A regular expression for the strings over ``alphabet`` (in order) that do not begin with its
    first ``first`` symbols and, taken as numbers in that alphabet, are at most ``bound``: any
    shorter string, or one as long that sorts no later (for equal lengths the order of the symbols
    is the order of the numbers)."""
    def span(lo: int, hi: int) -> str:  # symbols lo..hi of the alphabet as a class
        return f"[{alphabet[lo]}-{alphabet[hi]}]" if hi > lo else alphabet[lo] if hi == lo else ""

    head, rest = span(first, len(alphabet) - 1), span(0, len(alphabet) - 1)
    # the shorter strings first, in one option (the usual reference is short); what follows the
    # pattern (a quote) makes the engine go on to the longer options when a short match stops early
    options = [head + (f"{rest}{{0,{len(bound) - 2}}}" if len(bound) > 2 else "")] if len(bound) > 1 else []
    for i, symbol in enumerate(bound):  # the same prefix as bound up to i, then a smaller symbol
        lowest = first if i == 0 else 0
        smaller = span(lowest, alphabet.index(symbol) - 1)
        if smaller:
            tail = len(bound) - i - 1
            options.append(bound[:i] + smaller + (f"{rest}{{{tail}}}" if tail else ""))
    options.append(bound)
    return "|".join(options)


def _sheet_data(xml: bytes) -> bytes:
    """What stands between <sheetData> and </sheetData> (called after the fast path accepted it)."""
    m = _SHEET_DATA.search(xml)
    return xml[m.end():xml.find(b"</sheetData>", m.end())]


def _formula_cells(body: bytes) -> frozenset[str] | None:
    """The references of the cells whose first child is <f>, found from each <f> back to its cell's
    start tag; None if some <f> is not a cell's first child (the careful path decides then)."""
    found = []
    for m in _F_TAG.finditer(body):
        at = m.start()
        tag = _CELL_TAG.fullmatch(body, body.rfind(b"<c", 0, at), at)
        if tag is None:
            return None
        found.append(_R_ATTR.search(tag.group(0)).group(1).decode())
    return frozenset(found)


def _ref(row: int, col: int) -> str:
    return f"{column_letters(col)}{row}"


_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})$")


def _careful_scan(xml: bytes, extent: tuple[int, int]) -> SheetScan:
    """The same as the fast path with expat: any prefix (calamine ignores namespaces), cells without
    references (placed after the previous one, as calamine does), and the far cells' byte ranges,
    to cut them out."""
    from xml.parsers import expat

    rows_max, cols_max = extent
    formulas: set[str] = set()
    far: list[str] = []
    far_count = 0
    cuts: list[tuple[int, int]] = []
    state = {"row": 0, "col": 0, "cell": None, "start": 0, "value": False, "cut_from": None, "depth": 0}
    parser = expat.ParserCreate()  # no namespace processing: calamine reads local names only

    def refuse(*_: Any) -> None:
        raise ValueError("DTD")

    def close_cut() -> None:
        if state["cut_from"] is not None:
            cuts.append((state["cut_from"], parser.CurrentByteIndex))
            state["cut_from"] = None

    def start(tag: str, attrs: dict[str, str]) -> None:
        close_cut()
        local = tag.rpartition(":")[2]  # by local name, whatever the prefix, as calamine reads
        if local == "row":
            r = attrs.get("r", "")
            state["row"] = int(r) if r.isdigit() else state["row"] + 1
            state["col"] = 0
        elif local == "c":
            m = _REF.match(attrs.get("r", "").strip())
            if m:
                state["row"], state["col"] = int(m.group(2)), column_number(m.group(1))
            else:
                state["col"] += 1
                state["row"] = max(state["row"], 1)
            state["cell"] = _ref(state["row"], state["col"])
            state["start"] = parser.CurrentByteIndex
            state["value"] = False
        elif state["cell"] is not None:
            if local == "f":
                formulas.add(state["cell"])
            elif local in ("v", "is"):
                state["depth"] = 1 if local == "v" else 2
                if local == "is":
                    state["value"] = True

    def text(data: str) -> None:
        close_cut()
        if state["depth"] == 1 and data:
            state["value"] = True

    def end(tag: str) -> None:
        nonlocal far_count
        close_cut()
        local = tag.rpartition(":")[2]
        if local == "v":
            state["depth"] = 0
        elif local == "c" and state["cell"] is not None:
            if state["row"] > rows_max or state["col"] > cols_max:
                if state["value"]:
                    far_count += 1
                    if len(far) < _FAR_SHOWN:
                        far.append(state["cell"])
                state["cut_from"] = state["start"]  # to the next event: the end of this cell's tag
            state["cell"] = None

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as e:
        raise ValueError(str(e)) from None
    if state["cut_from"] is not None:  # the document ended right after a far cell: not well-formed
        raise ValueError("truncated")
    trimmed = None
    if far_count:
        pieces, at = [], 0
        for a, b in cuts:
            pieces.append(xml[at:a])
            at = b
        pieces.append(xml[at:])
        trimmed = b"".join(pieces)
    return SheetScan(frozenset(formulas), tuple(far), far_count, trimmed)

"""Read a filled workbook back and validate it in ordered passes.

1. intake: is this a safe, readable xlsx package at all (``reading/intake.py``);
2. structure: is it our template, which form and year, are sheets, labels,
   names and formula cells as the declaration says;
3. cells: every input parsed leniently but honestly (``reading/normalize.py``);
4. rules: every rule of the declaration, over values recomputed from the
   inputs (cached formula results are never used);

and return one ``ValidationReport`` whose ``data`` uses the declaration's keys.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import explain, rollupdraft
from .catalogue import entry
from ..errors import NotATemplateError
from ..memo import per_object
from .findings import Finding, ValidationReport
from ..forms import FORM_IDS, fingerprint, get_form
from ..forms.crossyear import applicable, live_cross_year
from ..forms.data import PriorData, build_data, prior_values, with_totals
from ..forms.model import PRIOR, CellSpec, Form, Severity, ValueKind
from ..reading.intake import open_package
from ..template.layout import SHEET_NAMES, Layout, a1, row_col
from ..reading.reader import RawWorkbook, read_raw
from .rulekinds import DateRequired, InputsValid, Rule

if TYPE_CHECKING:
    from ..office.config import OfficeConfig

META_SHEET = SHEET_NAMES["meta"]
# How far beyond a sheet's drawn extent cells are still read (inserted rows and columns, last
# year's figures beside the tables); a value farther out is reported and never read.
EXTENT_MARGIN = (500, 26)


def ingest(path: str | Path, *, strict_blank: bool = False, prior: PriorData | None = None,
           data: bytes | None = None, config: OfficeConfig | None = None,
           draft_rollup: bool = True) -> ValidationReport:
    """Validate one workbook.  Raises GovinfoError subclasses only when it cannot be read.

    With ``prior`` (last year's data) every cross-year rule that last year's
    format can feed is applied; without it, the live cross-year rules run
    against last year's figures the template was prefilled with, if any.
    ``data``: the workbook's bytes when they do not come from ``path`` (``path`` then names it).
    ``config``: an office's configuration (severities, deadlines, required explanations).
    ``draft_rollup``: a roll-up's empty text parts and 成文日期 are 提示 (rollupdraft.py); collect
    says False: a roll-up sent upward as a government's report is judged as any report."""
    return check(read(path, data), strict_blank=strict_blank, prior=prior, config=config,
                 draft_rollup=draft_rollup)


def read(path: str | Path, data: bytes | None = None) -> RawWorkbook:
    """The workbook opened and read once (raises GovinfoError when it cannot be): ``check`` it, as
    often as needed (``pipeline``: again with last year's data), and annotate it from the same read."""
    return read_raw(open_package(Path(path) if data is None else path, data))


def check(raw: RawWorkbook, *, strict_blank: bool = False, prior: PriorData | None = None,
          config: OfficeConfig | None = None, draft_rollup: bool = True) -> ValidationReport:
    """Validate a workbook that ``read`` read (the arguments are ``ingest``'s)."""
    form = identify(raw)
    notes = explain.read(raw, form)
    report = explain.attach(_Validation(raw, form, strict_blank, prior).run(), notes)
    if draft_rollup and rollupdraft.is_rollup(raw.custom_props, _meta(raw)):
        report = rollupdraft.excuse(form, report)
    if prior is not None:
        from .repetition import against_prior

        against_prior(report, prior, config.repetition if config is not None else {})
    return config.apply(report, explainable=notes) if config is not None else report


def identify(raw: RawWorkbook) -> Form:
    """Which form made this workbook: custom property, meta sheet, then defined names."""
    form_id = raw.custom_props.get("govinfo_form_id") or _meta(raw).get("form_id")
    if form_id in FORM_IDS:
        return get_form(form_id)
    if not form_id:
        best = max(FORM_IDS, key=lambda i: _name_match(raw, get_form(i)))
        if _name_match(raw, get_form(best)) >= 0.9:
            return get_form(best)
    raise NotATemplateError(
        f"{raw.package.path}：不是 govinfo-xlsx 生成的填报模板（找不到模板标识和单元格名称），"
        "请用 make-template 生成的模板填写后报送。"
    )


def _meta(raw: RawWorkbook) -> dict[str, str]:
    if META_SHEET not in raw.sheets:
        return {}
    return {str(row[0]): str(row[1]) for row in raw.grid(META_SHEET) if len(row) >= 2 and row[0]}


def _name_match(raw: RawWorkbook, form: Form) -> float:
    names = [c.name for c in form.cells()]
    return sum(n in raw.names for n in names) / len(names)


class _Validation:
    def __init__(self, raw: RawWorkbook, form: Form, strict_blank: bool, prior: PriorData | None = None):
        self.raw, self.form, self.strict_blank, self.prior = raw, form, strict_blank, prior
        self.layout = Layout.of(form)
        self.specs: dict[str, CellSpec] = self.layout.specs
        self.findings: list[Finding] = []
        self.found: dict[str, tuple[str, str, int, int]] = {}  # name -> (sheet, A1, row, col) in this workbook
        self.plan = _plan(self.layout)
        self.input_rule = self.plan.input_rule
        self.bad_dates: dict[str, tuple[Any, str]] = {}  # date cell -> (what it held, why it is no date)
        self._errors: dict[str, dict[str, str]] = {}

    def error_values(self, sheet: str) -> dict[str, str]:
        """The error cells (#DIV/0!, #REF!, ...) of a sheet, which the value reader shows as blank."""
        if sheet not in self._errors:
            from ..reading.errorvalues import error_cells

            part = self.raw.sheet_parts.get(sheet, "")
            self._errors[sheet] = error_cells(self.raw.package.read(part)) if self.raw.package.has(part) else {}
        return self._errors[sheet]

    def add(self, rule: str, name_or_place: str | tuple[str, str], expected: Any = None, actual: Any = None,
            **facts: Any) -> None:
        """A finding of the catalogue entry ``rule``, worded by the entry from ``facts``, at a named cell or
        a (sheet, A1) place."""
        self.findings.append(entry(rule).finding(**self.where(name_or_place), expected=expected, actual=actual,
                                                 **facts))

    def where(self, name_or_place: str | tuple[str, str]) -> dict[str, str]:
        """A named cell's or a (sheet, A1) place's sheet, cell and labels, as ``finding`` takes them."""
        if isinstance(name_or_place, tuple):
            sheet, cell, row_label, col_label = *name_or_place, "", ""
        else:
            sheet, cell, row_label, col_label = self.place(name_or_place)
        return {"sheet": sheet, "cell": cell, "row_label": row_label, "col_label": col_label}

    def place(self, name: str) -> tuple[str, str, str, str]:
        """Where a named cell is in this workbook: (sheet, A1, row label, column label)."""
        spec = self.specs[name]
        sheet, cell = self.found[name][:2]
        return sheet, cell, spec.row_label, spec.col_label

    # -- pass 2: structure ---------------------------------------------------
    def locate(self) -> None:
        expected_sheets = {sl.name for sl in self.layout.sheets.values()}
        names, homes = self.raw.names, self.plan.homes
        if homes.items() <= names.items():  # as the template made it (compared in C)
            self.found = dict(self.plan.found)
        for name, spec in self.specs.items() if not self.found else ():
            sl, area = self.layout.placed[name]
            home = homes[name]
            dest = names.get(name)
            if dest is None:
                self.found[name] = (*home, area.row, area.col)
                if sl.name in self.raw.sheets:
                    self.add("structure-name-missing", name, name=name, home=home[1])
                continue
            row, col = row_col(dest[1])
            self.found[name] = (dest[0], dest[1], row, col)
            if dest[1] != home[1]:
                self.add("structure-cell-moved", name, expected=home[1], actual=dest[1])
        used = {w[0] for w in self.found.values()} | set(SHEET_NAMES.values())
        for s in sorted(set(SHEET_NAMES.values()) - {SHEET_NAMES["meta"]}):
            if s in self.raw.sheets:
                continue
            now = sorted({self.found[n][0] for n, (sl, _) in self.layout.placed.items()
                          if sl.name == s and self.found[n][0] in self.raw.sheets} - {s})
            variant = "renamed" if now else "blank" if s in expected_sheets else ""
            self.add("structure-sheet-missing", (s, ""), variant=variant, now=now[0] if now else "")
        for s in self.raw.sheets:
            if s not in used:
                self.add("structure-sheet-added", (s, ""))
        for key, (rows, cols, _) in _extents(self.layout).items():
            sheet = self.found[next(iter(self.layout.sheets[key].cells))][0]
            self.raw.extents[sheet] = (rows, cols)

    def extent(self) -> None:
        """Values far outside a sheet's tables: cut out before the sheet was read (see reader)."""
        drawn = {self.found[next(iter(sl.cells))][0]: _extents(self.layout)[key][2]
                 for key, sl in self.layout.sheets.items()}
        for sheet, scan in self.raw.far_cells().items():
            self.add("structure-extent", (sheet, scan.far[0]), actual=scan.far_count,
                     variant=("many" if scan.far_count > 1 else "") + ("-drawn" if sheet in drawn else ""),
                     cells="、".join(scan.far), table=drawn.get(sheet, ""))

    def labels(self) -> None:
        self.raw.load(s for s in (self.found[next(iter(sl.cells))][0] for sl in self.layout.sheets.values())
                      if s in self.raw.sheets)
        for sl in self.layout.sheets.values():
            first = next(iter(sl.cells))
            sheet = self.found[first][0]
            if sheet not in self.raw.sheets:
                continue
            grid = self.raw.grid(sheet)
            for lab in sl.labels:
                got = _at(grid, lab.area.row, lab.area.col)
                if (str(got).strip() if got is not None else "") != lab.text:
                    self.add("structure-label", (sheet, a1(lab.area.row, lab.area.col, absolute=False)),
                             expected=lab.text, actual=got, got=got if got is not None else "")

    def version(self) -> None:
        found = (self.raw.custom_props.get("govinfo_declaration_fingerprint")
                 or _meta(self.raw).get("declaration_fingerprint"))
        if found and found != fingerprint(self.form):
            self.add("structure-version", (META_SHEET, ""), expected=fingerprint(self.form), actual=found)

    # -- pass 3: cells -------------------------------------------------------
    def cells(self) -> tuple[dict[str, Any], dict[str, Any], set[str]]:
        """(values for the rules, clean values for the data, names of unreadable inputs)."""
        rule_values: dict[str, Any] = {}
        clean: dict[str, Any] = {}
        unreadable: set[str] = set()
        grids: dict[str, list[list[Any]] | None] = {}
        errors: dict[str, dict[str, str]] = {}  # per sheet, looked up once
        formulas: dict[str, frozenset[str]] = {}  # per sheet, looked up once
        found = self.found
        for name, spec, is_input, cacheable in self.plan.cells:
            sheet, ref, row, col = found[name]
            grid = grids.get(sheet, False)
            if grid is False:
                grid = grids[sheet] = self.raw.grid(sheet) if sheet in self.raw.sheets else None
                errors[sheet] = self.error_values(sheet) if grid is not None else {}
            present = grid is not None
            if present and row < len(grid):  # _at, inline: the loop runs for every cell of the form
                line = grid[row]
                raw = line[col] if col < len(line) else None
                if raw == "":
                    raw = None
            else:
                raw = None
            if not is_input:
                if present:
                    cells = formulas.get(sheet)
                    if cells is None:
                        cells = formulas[sheet] = self.raw.formula_cells(sheet)
                if present and ref not in cells:
                    parsed = spec.kind.parse(raw)
                    rule_values[name] = parsed.value if parsed.value is not None else _inert(raw)
                    self.add("structure-formula", name, expected="公式", actual=raw)
                continue
            error = errors[sheet].get(ref)
            if error:
                self.add("cell-error-value", name, expected=spec.kind.expected, actual=error,
                         label=_label(spec), what=spec.kind.what)
                rule_values[name] = error  # counts as nothing in sums; a date or text rule sees no date or text
                clean[name] = None
                unreadable.add(name)
                continue
            t = type(raw)
            if cacheable and (t is int or t is float or (t is str and len(raw) < 16)):
                parsed = _parse(spec.kind, t, raw)  # the few distinct small values a batch holds
            else:
                parsed = spec.kind.parse(raw)
            if parsed.status == "ok":
                rule_values[name] = clean[name] = parsed.value
                continue
            if parsed.status == "normalized":
                self.add("cell-normalized", name, expected=parsed.value, actual=raw)
            elif parsed.status == "none_as_zero":
                self.add("cell-none-as-zero", name, expected=0, actual=raw)
            elif parsed.status == "invalid" and name in self.input_rule:
                self.findings.append(self.input_rule[name].cell_finding(
                    f"{spec.row_label}／{spec.col_label}", raw, parsed.problem, **self.where(name),
                    expected=spec.kind.expected))
            if parsed.status == "invalid":
                if spec.kind.is_date:
                    self.bad_dates[name] = (raw, parsed.problem)
                    rule_values[name] = None  # no date: the date's own rule reports what was found
                else:  # counts as nothing in sums, as in the spreadsheet
                    rule_values[name] = _inert(raw)
                clean[name] = None
                unreadable.add(name)
            else:
                rule_values[name] = parsed.value
                clean[name] = parsed.value
        return rule_values, clean, unreadable

    # -- pass 4: rules -------------------------------------------------------
    # -- pass 5: cross-year ------------------------------------------------
    def cross_year(self, values: dict[str, Any]) -> tuple[dict[str, Any], list[Rule]]:
        """(PRIOR_ values, the cross-year rules they feed)."""
        if self.prior is None:
            found: dict[str, Any] = {}
            for name in [n for n in self.raw.names if n.startswith(PRIOR)]:
                sheet, ref = self.raw.names[name]
                base = name[len(PRIOR):]
                if base in self.specs and sheet in self.raw.sheets:
                    row, col = row_col(ref)
                    found[name] = self.specs[base].kind.parse(self.raw.value(sheet, row, col)).value
            return found, list(live_cross_year(self.form, frozenset(found)))
        last = self.prior
        found = prior_values(self.form, last)
        year, agency = values.get("INFO_year"), str(values.get("INFO_agency") or "").strip()
        if isinstance(year, (int, float)) and last.year != int(year) - 1:
            self.add("xy-prior-year", "INFO_year", expected=int(year) - 1, actual=last.year,
                     file=last.path.name, year=last.year or "未知")
        if agency and last.agency and last.agency.strip() != agency:
            self.add("xy-prior-agency", "INFO_agency", expected=agency, actual=last.agency,
                     file=last.path.name)
        return found, applicable(self.form.cross_year, set(found))

    def rules(self, values: dict[str, Any], rules: tuple[Rule, ...] | list[Rule]) -> None:
        full = with_totals(self.form, values)
        for rule in rules:
            if rule.per_cell:
                continue  # reported cell by cell in the cells pass
            out = rule.evaluate(full)
            if not out.ok and isinstance(rule, DateRequired) and rule.cell in self.bad_dates:
                found, why = self.bad_dates[rule.cell]
                found = 0 if found == dt.time() else found  # a 0 typed into a date cell reads as midnight
                self.findings.append(rule.unreadable_finding(self.specs[rule.cell].row_label, found, why,
                                                             **self.where(rule.anchor())))
            elif not out.ok:
                strict = self.strict_blank and rule.counts_blanks
                self.findings.append(rule.report(out, self.place, Severity.ERROR if strict else None))

    def run(self) -> ValidationReport:
        self.locate()
        self.labels()
        self.version()
        rule_values, clean, unreadable = self.cells()
        self.extent()
        prior_vals, cross = self.cross_year(rule_values)
        self.rules({**rule_values, **prior_vals}, (*self.form.rules, *cross))
        data = build_data(self.form, clean, unreadable)
        info = data["info"]
        year = info.get("year") if isinstance(info.get("year"), int) else None
        agency = (info.get("agency") or "").strip()
        return ValidationReport(self.raw.package.path, self.form.id, year, agency, self.findings, data)


def _at(grid: list[list[Any]], row: int, col: int) -> Any:
    """A grid's value at 0-based (row, col); None when blank or absent."""
    if row < len(grid):
        line = grid[row]
        if col < len(line):
            v = line[col]
            return None if v == "" else v
    return None


@dataclass(frozen=True)
class _Plan:
    """What a validation needs of a layout, computed once per form."""

    cells: list[tuple[str, CellSpec, bool, bool]]  # (name, spec, is_input, parse remembered) in workbook order
    homes: dict[str, tuple[str, str]]  # name -> (sheet, A1) where the template puts it
    found: dict[str, tuple[str, str, int, int]]  # name -> (sheet, A1, row, col) there
    input_rule: dict[str, InputsValid]


@per_object
def _plan(layout: Layout) -> _Plan:
    found = {name: (sl.name, a1(area.row, area.col, absolute=False), area.row, area.col)
             for name, (sl, area) in layout.placed.items() if name in layout.specs}
    found = {name: found[name] for name in layout.specs}
    homes = {name: w[:2] for name, w in found.items()}
    input_rule = {n: r for r in layout.form.rules if isinstance(r, InputsValid) for n in r.inputs}
    cells = [(name, spec, spec.is_input, spec.kind.numeric or spec.kind.is_date)
             for name, spec in layout.specs.items()]
    return _Plan(cells, homes, found, input_rule)


@per_object(limit=1024)
def _parse(kind: ValueKind, t: type, raw: Any) -> Any:
    """kind.parse(raw) for a small number or text ``raw`` of type ``t`` (1, 1.0 and True are equal keys)."""
    return kind.parse(raw)


@per_object
def _extents(layout: Layout) -> dict[str, tuple[int, int, str]]:
    """Per layout sheet: (rows, columns) it may use, 1-based, and the range the template draws."""
    out = {}
    for key, sl in layout.sheets.items():
        areas = [lab.area for lab in sl.labels] + list(sl.cells.values())
        areas += [sl.status_cell] if sl.status_cell else []
        rows, cols = max(a.last_row for a in areas) + 1, max(a.last_col for a in areas) + 1
        drawn = f"A1:{a1(rows - 1, cols - 1, absolute=False)}"
        out[key] = (rows + EXTENT_MARGIN[0], cols + EXTENT_MARGIN[1], drawn)
    return out


def _inert(raw: Any) -> Any:
    """A value that could not be read, as the rules see it: a non-finite number as its text (counts as
    nothing in sums, like any text)."""
    return str(raw) if isinstance(raw, float) and not math.isfinite(raw) else raw


def _label(spec: CellSpec) -> str:
    return f"{spec.row_label}／{spec.col_label}" if spec.col_label else spec.row_label

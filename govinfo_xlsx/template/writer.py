"""Write the locked template workbook for a form with xlsxwriter."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from dataclasses import dataclass
from functools import partial
from typing import Any, Iterable, Mapping

from .. import __version__
from ..checks import explain
from ..files.atomic import write_bytes_atomic
from ..files.celltext import xlsx_text
from ..forms import fingerprint
from ..forms.crossyear import live_cross_year
from ..forms.data import with_totals
from ..forms.model import PRIOR, CellSpec, Form, Severity, ValueKind
from ..checks.rulekinds import Outcome, Rule
from ..forms.organs import ORGAN_KINDS
from .instructions import instruction_lines, kind_formula, kind_text
from .layout import (
    CHECK_COLUMNS, CHECKS_FIRST_ROW, DIFF_COLUMN, MAX_ROW_HEIGHT, RULE_ID_COLUMN, RULE_ID_HEADER, ROW_HEIGHT,
    SHEET_NAMES, TEXT_ROW_HEIGHT, TITLE_HEIGHT,
    Area, Layout,
    SheetLayout, a1, quote_sheet, text_height,
)
from .protect import lock_structure
from .sheetclass import PreparedOnce

FONT = "宋体"
INPUT_BG = "#FFF9DB"
PREFILLED_BG = "#E2F0D9"  # inputs prefilled from last year and locked
REFERENCE_FG = "#595959"
TOTAL_BG = "#E7ECF3"
HEADER_BG = "#F2F2F2"
BAD = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}
NOTE = {"bg_color": "#FFE0B2", "font_color": "#7A4B00"}  # warnings and hints: amber
GOOD = {"bg_color": "#C6EFCE", "font_color": "#006100"}
CHECK_FAILED = "CHECK_FAILED"
PASSED, FAILED = "通过", "未通过"

DESCRIPTION_WIDTH = 60
# The instructions' one column: narrower than PROSE_WIDTH so that, fitted to the page width, the
# text is printed at (nearly) full size with the wider CJK fonts LibreOffice substitutes.
INSTRUCTIONS_WIDTH = 72
TEXT_LINE = 17.0  # points per line of narrative text (CJK fonts are taller than 15 pt at 11 pt)

INPUT_TITLE_MAX, INPUT_MESSAGE_MAX = 32, 255


def template_metadata(form: Form, year: int) -> dict[str, str]:
    """What the very hidden sheet and the custom properties record."""
    return {
        "generator": "govinfo-xlsx",
        "generator_version": __version__,
        "form_id": form.id,
        "report_year": str(year),
        "format_name": form.format_name,
        "notice": form.notice,
        "declaration_fingerprint": fingerprint(form),
    }


def build_template(
    form: Form,
    year: int,
    *,
    agency: str | None = None,
    kind: str | None = None,
    password: str | None = None,
    values: Mapping[str, Any] | None = None,
    prior_values: Mapping[str, Any] | None = None,
    locked: frozenset[str] = frozenset(),
    notes: tuple[str, ...] = (),
    meta: Mapping[str, str] | None = None,
) -> bytes:
    """The template as xlsx bytes (deterministic for the same arguments).

    ``values`` prefills input cells by defined name; ``locked`` lists prefilled
    inputs that stay locked; ``prior_values`` holds last year's figures (PRIOR_ names),
    shown beside the tables and checked live by the cross-year rules they feed;
    ``notes`` are extra lines for the instructions sheet; ``meta`` extra keys for the very hidden
    sheet and the custom properties (``govinfo_`` + key); ``kind`` the kind of organ
    (``forms.organs.ORGAN_KINDS``), else last year's, else guessed from the agency's name."""
    import xlsxwriter

    if not form.covers(year):
        raise ValueError(f"{form.id} does not cover {year}")
    prefill: dict[str, Any] = {"INFO_year": year, **(values or {}), **(prior_values or {})}
    if agency:
        prefill["INFO_agency"] = agency
    kind_source = choose_organ_kind(prefill, kind)
    live = live_cross_year(form, frozenset(prior_values or ()))
    shown = frozenset(n for r in live for n in r.cells() if n.startswith(PRIOR))
    layout = Layout.of(form, shown)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {
        "in_memory": True,
        "default_format_properties": {"font_name": FONT, "font_size": 11},
    })
    wb.worksheet_class = PreparedOnce  # each formula prepared once (sheetclass.py)
    w = _Writer(wb, form, year, layout, prefill, password)
    w.rules = (*form.rules, *live)
    w.computed = Computed.of(form, w.rules, prefill)
    w.locked, w.notes, w.kind_source = locked, notes, kind_source
    w.meta = {**template_metadata(form, year), **(meta or {})}
    w.write()
    wb.close()
    edits = {f"xl/worksheets/sheet{i}.xml": partial(automatic_heights, rows=rows) for i, rows in w.auto_rows.items()}
    return lock_structure(buf.getvalue(), password, edits)


def automatic_heights(xml: bytes, rows: frozenset[int]) -> bytes:
    """Drop ``customHeight`` from the given (0-based) rows: the height written is kept as the
    row's current height, and Excel, WPS and LibreOffice refit the row when its text is edited
    (xlsxwriter marks every height it writes as custom, which stops the row from ever growing)."""
    import re

    def unfix(m: re.Match[bytes]) -> bytes:
        return m.group(0).replace(b' customHeight="1"', b"")

    return re.sub(rb'<row r="(\d+)"[^>]*>', lambda m: unfix(m) if int(m.group(1)) - 1 in rows else m.group(0), xml)


def formula_values(form: Form, year: int, values: Mapping[str, Any],
                   prior: Mapping[str, Any] | None = None) -> dict[tuple[str, str], Any]:
    """(sheet, A1) -> what each formula cell of the template computes for ``values`` (the cells as
    a spreadsheet holds them) and last year's ``prior`` figures: the cached values to give a copy
    of a filled workbook written by a library that drops them (the annotated copy)."""
    import xlsxwriter

    live = live_cross_year(form, frozenset(prior or ()))
    shown = frozenset(n for r in live for n in r.cells() if n.startswith(PRIOR))
    wb = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    w = _Writer(wb, form, year, Layout.of(form, shown), {**values, **(prior or {})}, None)
    w.rules = (*form.rules, *live)
    w.computed = Computed.of(form, w.rules, w.prefill)
    w.write()  # drawn but never saved: only the record of the formulas is wanted
    return w.cached


def with_cached_values(xlsx: bytes, cached: Mapping[tuple[str, str], Any], parts: Mapping[str, str]) -> bytes:
    """The workbook with ``cached`` written as the cached values of those formula cells; ``parts``:
    sheet -> its zip member (known to whoever wrote ``xlsx``, so it is not read again)."""
    import re
    import zipfile

    by_part: dict[str, dict[str, Any]] = {}
    for (sheet, ref), value in cached.items():
        if sheet in parts:
            by_part.setdefault(parts[sheet], {})[ref] = value

    def patch(xml: bytes, values: dict[str, Any]) -> bytes:
        def one(m: re.Match[str]) -> str:
            ref, attrs, f = m.group(1), m.group(2) or "", m.group(3)
            if ref not in values or values[ref] is None:
                return m.group(0)
            v = values[ref]
            attrs = re.sub(r'\s+t="[^"]*"', "", attrs)
            if isinstance(v, str):
                from xml.sax.saxutils import escape

                return f'<c r="{ref}"{attrs} t="str">{f}<v>{escape(v)}</v></c>'
            return f'<c r="{ref}"{attrs}>{f}<v>{v!r}</v></c>'

        text = xml.decode("utf-8")
        text = re.sub(r'<c r="([A-Z]+\d+)"((?:\s+[a-zA-Z:]+="[^"]*")*)>(<f[^>]*/>|<f[^>]*>.*?</f>)'
                      r'(?:<v\s*/>|<v></v>|<v>[^<]*</v>)?</c>', one, text, flags=re.S)
        return text.encode("utf-8")

    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename in by_part:
                data = patch(data, by_part[info.filename])
            dst.writestr(info, data)
    return out.getvalue()


def choose_organ_kind(prefill: dict[str, Any], kind: str | None) -> str:
    """Set INFO_kind in ``prefill``; return how it was chosen (for the instructions)."""
    from ..forms.organs import ORGAN_KINDS, infer_organ_kind

    if kind:
        if kind not in ORGAN_KINDS:
            raise ValueError(f"unknown kind of organ: {kind}")
        prefill["INFO_kind"] = kind
        return "生成模板时指定"
    if prefill.get("INFO_kind") in ORGAN_KINDS:
        return "沿用上年数据"
    prefill.pop("INFO_kind", None)
    guess = infer_organ_kind(prefill.get("INFO_agency"))
    if guess:
        prefill["INFO_kind"] = guess
        return f"根据机关名称“{prefill['INFO_agency']}”推断"
    return ""


def write_template(form: Form, year: int, path: Path, **kwargs: Any) -> Path:
    data = build_template(form, year, **kwargs)
    write_bytes_atomic(Path(path), data)
    return Path(path)


@dataclass(frozen=True)
class Computed:
    """What the formula cells compute for the values written, from the declaration's own rules
    (``with_totals`` and ``Rule.evaluate``): written as the formulas' cached results, so a viewer
    that does not recalculate (Protected View, previews) shows the truth."""

    values: dict[str, Any]  # every named cell, totals included
    outcomes: dict[str, Outcome]  # rule id -> outcome

    @classmethod
    def of(cls, form: Form, rules: tuple[Rule, ...], values: Mapping[str, Any]) -> "Computed":
        full = with_totals(form, {k: v for k, v in values.items() if v is not None})
        return cls(full, {r.id: r.evaluate(full) for r in rules})

    def total(self, name: str) -> float:
        return _cached_number(self.values.get(name))

    def diff(self, rule_id: str) -> float:
        return _cached_number(self.outcomes[rule_id].diff)

    def result(self, rule_id: str) -> str:
        return PASSED if self.outcomes[rule_id].ok else FAILED

    def failed(self, rules: Iterable[Rule], severity: Severity | None = None) -> int:
        return sum(1 for r in rules if not self.outcomes[r.id].ok and (severity is None or r.severity is severity))


def _cached_number(x: Any) -> float:
    x = float(x or 0)
    return int(x) if x.is_integer() else x


class _Writer:
    def __init__(self, wb: Any, form: Form, year: int, layout: Layout,
                 prefill: Mapping[str, Any], password: str | None):
        self.wb, self.form, self.year, self.layout = wb, form, year, layout
        self.prefill, self.password = prefill, password
        self.fmt_cache: dict[tuple, Any] = {}
        self.rule_rows: dict[str, int] = {}
        self.rules: tuple[Rule, ...] = form.rules
        self.locked: frozenset[str] = frozenset()
        self.notes: tuple[str, ...] = ()
        self.meta: dict[str, str] = template_metadata(form, year)
        self.kind_source = ""
        self.cached: dict[tuple[str, str], Any] = {}  # (sheet, A1) -> each formula's cached value
        self.auto_rows: dict[int, frozenset[int]] = {}  # sheet number -> rows of automatic height
        self.computed = Computed.of(form, self.rules, prefill)

    def formula(self, ws: Any, row: int, col: int, formula: str, fmt: Any, value: Any) -> None:
        """A formula with its cached value (what it computes for the values written), recorded."""
        ws.write_formula(row, col, formula, fmt, value)
        self.cached[(ws.name, a1(row, col, absolute=False))] = value

    # -- formats -----------------------------------------------------------
    def fmt(self, **props: Any) -> Any:
        key = tuple(sorted(props.items()))
        if key not in self.fmt_cache:
            self.fmt_cache[key] = self.wb.add_format({"font_name": FONT, **props})
        return self.fmt_cache[key]

    def label_fmt(self, style: str) -> Any:
        base = {"border": 1, "valign": "vcenter", "text_wrap": True}
        return {
            "title": lambda: self.fmt(bold=True, font_size=14, align="center", valign="vcenter"),
            "caption": lambda: self.fmt(**base, bold=True, align="center", bg_color=HEADER_BG),
            "header": lambda: self.fmt(**base, bold=True, align="center", bg_color=HEADER_BG),
            "note": lambda: self.fmt(**base, align="center", font_size=10, bg_color=HEADER_BG),
            "rowlabel": lambda: self.fmt(**base, align="left"),
            "field": lambda: self.fmt(**base, bold=True, align="left", bg_color=HEADER_BG),
            "section": lambda: self.fmt(**base, bold=True, align="left", bg_color=HEADER_BG),
            "reference": lambda: self.fmt(**base, italic=True, align="center", font_color=REFERENCE_FG),
        }[style]()

    def input_fmt(self, kind: ValueKind, locked: bool = False) -> Any:
        props: dict[str, Any] = {"border": 1, "locked": locked, "bg_color": PREFILLED_BG if locked else INPUT_BG}
        props.update(kind.cell_format())
        return self.fmt(**props)

    # -- the workbook --------------------------------------------------------
    def write(self) -> None:
        wb, form, year = self.wb, self.form, self.year
        wb.set_properties({
            "title": f"{year}年政府信息公开工作年度报告填报模板",
            "subject": form.format_name,
            "author": "govinfo-xlsx",
            "comments": f"{form.notice}；报告年度 {year}",
            "created": dt.datetime(year, 12, 1),
        })
        for k, v in self.meta.items():
            wb.set_custom_property(f"govinfo_{k}", v)
        instructions = wb.add_worksheet(SHEET_NAMES["instructions"])
        sheets = {key: wb.add_worksheet(SHEET_NAMES[key]) for key in ("info", "text", "table2", "table3", "table4")}
        checks = wb.add_worksheet(SHEET_NAMES["checks"])
        meta = wb.add_worksheet(SHEET_NAMES["meta"])
        self.write_instructions(instructions)
        for key, ws in sheets.items():
            self.write_sheet(ws, self.layout.sheets[key])
        self.write_checks(checks)
        for key, ws in sheets.items():
            self.write_status(ws, self.layout.sheets[key])
            self.write_highlights(ws, key)
        self.write_meta(meta)
        for name in self.layout.specs:
            wb.define_name(name, "=" + self.layout.cell(name))
        instructions.activate()

    def protect(self, ws: Any, autofilter: bool = False) -> None:
        ws.protect(self.password or "", {
            "select_locked_cells": False,
            "select_unlocked_cells": True,
            "format_columns": True,
            "format_rows": True,
            "autofilter": autofilter,
        })

    def print_setup(self, ws: Any, sl: SheetLayout | None, landscape: bool = False,
                    fit: bool = True) -> None:
        ws.set_paper(9)
        ws.set_landscape() if landscape else ws.set_portrait()
        if fit:  # LibreOffice clips wrapped text on fitted pages: sheets of prose do not fit
            ws.fit_to_pages(1, 0)
            ws.center_horizontally()
        ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
        # Every printed page names the agency (or the template), the sheet and the page.
        ws.set_header(f"&L{_header_text(self.prefill.get('INFO_agency'), self.year)}&R&A", {"margin": 0.3})
        ws.set_footer("&C第 &P 页，共 &N 页", {"margin": 0.3})
        if sl and sl.header_rows:
            ws.repeat_rows(*sl.header_rows)

    def write_instructions(self, ws: Any) -> None:
        ws.set_column(0, 0, INSTRUCTIONS_WIDTH)
        styles = {
            "title": self.fmt(bold=True, font_size=14, align="center"),
            "heading": self.fmt(bold=True, font_size=12),
            "text": self.fmt(text_wrap=True, valign="top"),
        }
        # The legend: each line in the colour it explains (the same formats the cells use).
        for style, bg in (("legend-input", INPUT_BG), ("legend-note", NOTE["bg_color"]),
                          ("legend-bad", BAD["bg_color"]), ("legend-total", TOTAL_BG),
                          ("legend-prefilled", PREFILLED_BG)):
            styles[style] = self.fmt(text_wrap=True, valign="top", bg_color=bg, border=1)
        lines = instruction_lines(self.form, self.year, self.prefill.get("INFO_kind"), self.kind_source)
        if self.notes:
            lines += [("heading", "五、上年数据")] + [("text", n) for n in self.notes]
        kinds = [kind_text(self.year, k) for k in (None, *ORGAN_KINDS)]
        for r, (style, text) in enumerate(lines):
            if style == "kind" and "INFO_kind" in self.layout.specs:  # follows 基本信息's 机关类别
                self.formula(ws, r, 0, kind_formula(self.year, self.layout.cell("INFO_kind")), styles["text"], text)
                ws.set_row(r, max(text_height(t, INSTRUCTIONS_WIDTH) for t in kinds))
                continue
            ws.write_string(r, 0, text, styles.get(style, styles["text"]))
            if style == "title":
                ws.set_row(r, TITLE_HEIGHT)
            elif style != "heading":
                ws.set_row(r, text_height(text, INSTRUCTIONS_WIDTH))
        self.protect(ws)
        self.print_setup(ws, None)

    def write_sheet(self, ws: Any, sl: SheetLayout) -> None:
        for col, width in sl.widths.items():
            ws.set_column(col, col, width)
        for row, height in sl.heights.items():
            ws.set_row(row, height)
        if sl.key == "text":  # narrative rows: tall enough for their text, refitted as it is edited
            rows = []
            for name, area in sl.cells.items():
                text = self.prefill.get(name)
                need = text_height(text, sl.widths[area.col], TEXT_LINE) if text else 0
                ws.set_row(area.row, min(MAX_ROW_HEIGHT, max(TEXT_ROW_HEIGHT, need)))
                rows.append(area.row)
            self.auto_rows[self.wb.worksheets().index(ws) + 1] = frozenset(rows)
        for lab in sl.labels:
            self.put(ws, lab.area, lab.text, self.label_fmt(lab.style))
        for name, area in sl.cells.items():
            spec = self.layout.specs[name]
            if spec.reference:
                self.put(ws, area, self.prefill.get(name), self.fmt(
                    border=1, italic=True, align="center", valign="vcenter", font_color=REFERENCE_FG,
                    num_format=spec.kind.number_format))
            elif spec.is_input:
                self.write_input(ws, spec, area)
            else:
                self.write_total(ws, spec, area)
        if sl.key == "text":  # one look for a part not yet written, whether required or not (the legend's
            blank = self.wb.add_format(NOTE)  # orange); written first, it comes before the rules' colours
            for name, area in sl.cells.items():
                ws.conditional_format(area.row, area.col, area.last_row, area.last_col,
                                      {"type": "blanks", "format": blank})
        if sl.freeze:
            ws.freeze_panes(*sl.freeze)
        self.protect(ws)
        self.print_setup(ws, sl, sl.landscape)

    def put(self, ws: Any, area: Area, value: Any, fmt: Any) -> None:
        if area.merged:
            ws.merge_range(area.row, area.col, area.last_row, area.last_col, "", fmt)
        if isinstance(value, str):
            ws.write_string(area.row, area.col, xlsx_text(value), fmt)
        elif isinstance(value, dt.date):
            ws.write_datetime(area.row, area.col, _as_datetime(value), fmt)
        elif value is None:
            ws.write_blank(area.row, area.col, None, fmt)
        else:
            ws.write_number(area.row, area.col, value, fmt)

    def write_input(self, ws: Any, spec: CellSpec, area: Area) -> None:
        self.put(ws, area, self.prefill.get(spec.name), self.input_fmt(spec.kind, spec.name in self.locked))
        ws.data_validation(area.row, area.col, area.last_row, area.last_col,
                           validation(spec, a1(area.row, area.col, absolute=False)))

    def write_total(self, ws: Any, spec: CellSpec, area: Area) -> None:
        formula = "=SUM(" + ",".join(self.layout.areas(spec.sum_of, qualified=False)) + ")"
        fmt = self.fmt(border=1, bold=True, align="center", valign="vcenter",
                       num_format=spec.kind.number_format, bg_color=TOTAL_BG)
        self.formula(ws, area.row, area.col, formula, fmt, self.computed.total(spec.name))

    def write_checks(self, ws: Any) -> None:
        rules = self.rules
        first, last = CHECKS_FIRST_ROW, CHECKS_FIRST_ROW + len(rules) - 1
        result_col, sev_col = CHECK_COLUMNS.index("结果"), CHECK_COLUMNS.index("级别")
        res = f"{a1(first, result_col)}:{a1(last, result_col)}"
        sev = f"{a1(first, sev_col)}:{a1(last, sev_col)}"
        ws.set_column(0, 0, DESCRIPTION_WIDTH)  # 校验内容
        ws.set_column(1, 1, 6)  # 级别
        ws.set_column(2, 2, 12)  # 所在工作表
        ws.set_column(3, 3, 12)  # 差额或问题数
        ws.set_column(4, 4, 8)  # 结果
        ws.set_column(RULE_ID_COLUMN, RULE_ID_COLUMN, 26)
        ws.set_row(0, TITLE_HEIGHT)
        ws.merge_range(0, 0, 0, RULE_ID_COLUMN, "", self.fmt(bold=True, font_size=14, align="center"))
        ws.write_string(0, 0, "校验结果", self.fmt(bold=True, font_size=14, align="center"))
        head = self.label_fmt("field")
        num = self.fmt(border=1, bold=True, align="center")
        ws.write_string(1, 0, "未通过项数（点“结果”的筛选按钮可只看未通过的规则）", head)
        done = self.computed
        failed, errors = done.failed(rules), done.failed(rules, Severity.ERROR)
        self.formula(ws, 1, 1, f'=COUNTIF({res},"{FAILED}")', num, failed)
        ws.write_string(1, 2, "其中：错误", head)
        self.formula(ws, 1, 3, f'=COUNTIFS({res},"{FAILED}",{sev},"错误")', num, errors)
        ws.write_string(2, 2, "警告及提示", head)
        self.formula(ws, 2, 3, '=B2-D2', num, failed - errors)
        self.wb.define_name(CHECK_FAILED, f"={quote_sheet(ws.name)}!{a1(1, 1)}")
        for c, text in enumerate(CHECK_COLUMNS):
            ws.write_string(first - 1, c, text, self.label_fmt("header"))
        ws.write_string(first - 1, RULE_ID_COLUMN, RULE_ID_HEADER, self.label_fmt("header"))
        cell = self.fmt(border=1, valign="vcenter", text_wrap=True)
        center = self.fmt(border=1, valign="vcenter", align="center")
        for i, rule in enumerate(rules):
            r = first + i
            self.rule_rows[rule.id] = r
            sheet = self.layout.sheet_of(rule.cells()[0]).name
            ws.write_string(r, 0, rule.description, cell)
            ws.write_string(r, 1, rule.severity.value, center)
            ws.set_row(r, max(ROW_HEIGHT, text_height(rule.description, DESCRIPTION_WIDTH)))
            ws.write_string(r, 2, sheet, center)
            diff = "=" + rule.formula(self.layout)
            diff_col = CHECK_COLUMNS.index(DIFF_COLUMN)
            if rule.array:
                ws.write_array_formula(r, diff_col, r, diff_col, "{" + diff + "}", center, done.diff(rule.id))
                self.cached[(ws.name, a1(r, diff_col, absolute=False))] = done.diff(rule.id)
            else:
                self.formula(ws, r, diff_col, diff, center, done.diff(rule.id))
            d = a1(r, diff_col, absolute=False)
            self.formula(ws, r, result_col, f'=IF(ISERROR({d}),"{FAILED}",IF(ROUND({d},6)=0,"{PASSED}","{FAILED}"))',
                         center, done.result(rule.id))
            ws.write_string(r, RULE_ID_COLUMN, rule.id, self.fmt(border=1, valign="vcenter", font_color=REFERENCE_FG))
        explain.write_column(self, ws, rules, first, len(CHECK_COLUMNS))
        ws.conditional_format(first, result_col, last, result_col, {
            "type": "cell", "criteria": "==", "value": f'"{FAILED}"', "format": self.wb.add_format(BAD)})
        ws.conditional_format(first, result_col, last, result_col, {
            "type": "cell", "criteria": "==", "value": f'"{PASSED}"', "format": self.wb.add_format(GOOD)})
        ws.conditional_format(1, 1, 1, 1, {"type": "cell", "criteria": ">", "value": 0,
                                           "format": self.wb.add_format(BAD)})
        # A filter on the header row: the clerk shows only the rules 未通过 (结果) with one click.
        ws.autofilter(first - 1, 0, last, RULE_ID_COLUMN)
        ws.freeze_panes(first, 1)
        self.protect(ws, autofilter=True)
        self.print_setup(ws, None, landscape=True)
        ws.print_area(0, 0, last, len(CHECK_COLUMNS))  # up to 说明: the IDs are for the screen
        ws.repeat_rows(first - 1)

    def write_status(self, ws: Any, sl: SheetLayout) -> None:
        """A line under the title counting this sheet's failed checks."""
        area = sl.status_cell
        if area is None:
            return
        rows = list(self.rule_rows.values())
        checks = quote_sheet(SHEET_NAMES["checks"])
        res_col, sheet_col = CHECK_COLUMNS.index("结果"), CHECK_COLUMNS.index("所在工作表")
        res = f"{checks}!{a1(min(rows), res_col)}:{a1(max(rows), res_col)}"
        shs = f"{checks}!{a1(min(rows), sheet_col)}:{a1(max(rows), sheet_col)}"
        count = f'COUNTIFS({shs},"{sl.name}",{res},"{FAILED}")'
        ok, bad = "本表校验全部通过", ("本表有", f"项校验未通过，详见“{SHEET_NAMES['checks']}”表")
        formula = f'=IF({count}=0,"{ok}","{bad[0]}"&{count}&"{bad[1]}")'
        n = self.computed.failed(r for r in self.rules if self.layout.sheet_of(r.cells()[0]).key == sl.key)
        shown = ok if n == 0 else f"{bad[0]}{n}{bad[1]}"
        # One unmerged cell whose text overflows to the right; failures turn its text red.
        fmt = self.fmt(align="left", valign="vcenter", font_color="#006100")
        self.formula(ws, area.row, area.col, formula, fmt, shown)
        ws.conditional_format(area.row, area.col, area.row, area.col, {
            "type": "text", "criteria": "containing", "value": FAILED,
            "format": self.wb.add_format({"font_color": "#C00000", "bold": True})})

    def write_highlights(self, ws: Any, sheet_key: str) -> None:
        looks = {Severity.ERROR: self.wb.add_format(BAD), Severity.WARNING: self.wb.add_format(NOTE),
                 Severity.INFO: self.wb.add_format(NOTE)}
        typed = [n for n, spec in self.layout.specs.items() if spec.is_input and n not in self.locked
                 and self.layout.sheet_of(n).key == sheet_key]
        started = ""
        if self.locked and typed:  # a template prefilled from last year: has the clerk begun this sheet?
            started = f"COUNTA({','.join(self.layout.areas(typed, qualified=False))})>0"
        for rule in self.rules:
            bad = looks[rule.severity]
            if self.layout.sheet_of(rule.cells()[0]).key != sheet_key:
                continue
            for names, formula in rule.highlights(self.layout):
                # Prefilled locked cells keep their green and last year's reference figures their grey:
                # the legend gives them those colours, and the clerk cannot change them anyway.
                names = tuple(n for n in names if n not in self.locked and not self.layout.specs[n].reference)
                if started and self._on_locked(rule.cells()):
                    formula = f"AND({started},{formula})"  # quiet until this year's figures are typed
                for g in self.layout.area_groups(names):
                    _, first = self.layout.placed[g[0]]
                    _, last = self.layout.placed[g[-1]]
                    ws.conditional_format(first.row, first.col, last.last_row, last.last_col, {
                        "type": "formula", "criteria": "=" + formula, "format": bad})

    def _on_locked(self, names: Iterable[str]) -> bool:
        """Whether any of ``names`` is a prefilled locked cell or a total of one."""
        for n in names:
            spec = self.layout.specs.get(n)
            if n in self.locked or (spec is not None and spec.sum_of and self._on_locked(spec.sum_of)):
                return True
        return False

    def write_meta(self, ws: Any) -> None:
        for r, (k, v) in enumerate(self.meta.items()):
            ws.write_string(r, 0, k)
            ws.write_string(r, 1, v)
        self.protect(ws)
        ws.very_hidden()


def validation(spec: CellSpec, ref: str = "") -> dict[str, Any]:
    """The data-validation options of an input cell (Chinese messages, Excel limits)."""
    k = spec.kind
    message = "".join(x for x in (spec.hint, k.message) if x) or "请在此填写。"
    title = k.title or "请填写"
    if len(title) > INPUT_TITLE_MAX or len(message) > INPUT_MESSAGE_MAX:
        raise ValueError(f"input message of {spec.name} exceeds Excel's limits")
    opts: dict[str, Any] = {"input_title": title, "input_message": message,
                            "error_title": "输入有误", "error_type": "stop"}
    opts.update(k.validation(ref))
    return opts


HEADER_CHARS = 60  # Excel refuses a header or footer section longer than 255 characters in all


def _header_text(agency: Any, year: int) -> str:
    """The left header: the agency's report when the agency is known, else the template's title
    (an ``&`` doubled so that it prints as itself)."""
    name = agency.strip() if isinstance(agency, str) else ""
    text = f"{name}{year}年政府信息公开工作年度报告" if name else f"{year}年政府信息公开工作年度报告填报模板"
    return text[:HEADER_CHARS].replace("&", "&&")


def _as_datetime(v: dt.date) -> dt.datetime:
    return v if isinstance(v, dt.datetime) else dt.datetime(v.year, v.month, v.day)


def default_template_name(year: int, agency: str | None = None) -> str:
    return f"{agency or ''}{year}年政府信息公开工作年度报告填报模板.xlsx"

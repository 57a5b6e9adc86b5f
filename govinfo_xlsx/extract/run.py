"""extract(): a published report (HTML, DOCX, PDF, text) → the same report as ingest gives.

The report carries, besides the declaration's data, what the audit needs: the page's
title and publication date, the kind of organ guessed from the agency, every prose claim
with its status, and how many table cells were read, blank, not numbers or not found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import GovinfoError
from ..checks.findings import ValidationReport, chinese_date, json_text
from ..forms import form_for_year
from ..forms.model import Form, cell_index
from ..checks.rulekinds import Balance, DateDeadline, SumEquals
from .degrade import judge, verdict
from .document import load_document
from .headings import split_run_in
from .lines import rebuild_lines
from .misplaced import set_aside
from .runs import Split, solve_from_totals, split_tables
from .variants import older_other_row
from .claims_more import check_more
from .collapsed import report_rebuilt, unread_rows_unchecked
from .prose import check_prose
from .read import (
    TABLE_NAMES, choose_form, locate_tables, read_info, read_parts, read_text, read_values, report_completeness,
)


@dataclass
class PublishedReport(ValidationReport):
    """A checked published report; ``published``: title, publication date, kind of organ, source type,
    the prose claims and the count of table cells by status (read / blank / not a number / not found)."""

    published: dict[str, Any] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        """通过 / 仅警告 / 有错误, or 无法完整核对 when a part, table or row could not be checked."""
        return verdict(len(self.errors), len(self.warnings), len(self.published.get("unchecked") or ()))

    @property
    def ok(self) -> bool:  # what could not be checked never passes
        return not self.errors and not self.published.get("unchecked")


def extract(path: str | Path, data: bytes | None = None) -> ValidationReport:
    """Read and check one published report; ``data``: its bytes when they are not read from ``path``."""
    split = Split()
    loaded = load_document(path, data)
    doc = split_tables(split_run_in(rebuild_lines(loaded)), split)
    r = locate_tables(doc)
    read_parts(r)
    info = read_info(doc, r)
    if not r.t2_rows and not r.t3_rows and not r.t4_rows and not r.headings and not info.get("year") \
            and not _speaks_of_a_report(doc):
        raise GovinfoError(f"{path}：找不到年度报告的标题、部分标题或统计表，不像是政府信息公开工作年度报告。")
    year = info.get("year")
    form = choose_form(r, year)
    if not year:
        r.add("pub-year-unknown", "")
    elif year < 2019:
        r.add("pub-year-unknown", "", variant="early", actual=year)
    elif form.id != form_for_year(year).id:
        right = form_for_year(year)
        r.add("pub-wrong-format", "", expected=right.id, actual=form.id, year=year, right=right.notice,
              used=form.notice)
    read_values(r, form)
    set_aside(r, form)
    solve_from_totals(r, form, split)
    r.report_blanks()
    report_completeness(r, form)
    older_other_row(r, form)
    if not r.evidence and not r.t3_rows and not r.t4_rows:
        r.add("pub-format-unknown", "", actual=form.id, notice=form.notice)
    if not info.get("agency"):
        r.add("pub-agency-unknown", "")
    with unread_rows_unchecked(r, form, doc.collapsed):  # 表二's rows of a text that left out repeated lines
        judge(r, form)
    rebuilt = report_rebuilt(r, doc.collapsed)
    if split.inferred:
        shown = sorted(split.inferred, key=lambda x: "按（七）总计" not in x)  # the rows parted by the columns first
        r.add("pub-cells-parted", "", actual=len(split.inferred), rows=shown)
    if loaded.unchecked_pages:  # PDF pages not searched for tables (the rebuilt documents do not carry them)
        _unchecked_pages(r, loaded.unchecked_pages)
    kind = _deadline(r, form, info, year)
    for location in doc.stray:
        r.add("pub-stray-markup", location, section="表格")
    # a PDF's table rows read from lines of text (no ruled lines): a narrow cell may have wrapped its digits
    _check_arithmetic(form, r, frozenset(split.inferred_at) | rebuilt | (doc.spaced if doc.source == "pdf" else frozenset()))
    paragraphs = [(b.location, b.text) for b in doc.blocks if b.kind == "p"]
    claims = check_prose(form, r.values, r.status, paragraphs, r.add)
    claims += check_more(form, r.values, r.status, paragraphs, year, r.add)
    text = read_text(r, form)
    closing = {info.get("agency") or "", chinese_date(info.get("date"))}
    for key in (form.text_fields[-2].key, form.text_fields[-1].key):  # the closing organ and date follow the last part
        lines = text[key].split("\n")
        while lines and lines[-1] in closing:
            lines.pop()
        text[key] = "\n".join(lines)
    report = PublishedReport(Path(path) if data is None else str(path), form.id, year, info.get("agency") or "",
                             r.findings, _data(form, r.values, info, text))
    report.published = {
        "title": info.get("title") or "", "date": info.get("published"), "kind": kind, "source": doc.source,
        "date_from": info.get("published_from") if info.get("published") else None,
        "claims": [c.to_dict() for c in claims], "cells": _cell_counts(form, r.status),
        "cell_status": {n: r.status.get(n, "missing") for n, spec in cell_index(form).items() if spec.sheet in TABLE_NAMES},
        "unchecked": r.unchecked, "older_rows": r.older_rows,
    }
    report.published["tables"] = _table_status(form, r)
    report.published["verdict"] = report.verdict
    return report


MISSING_RULES = ("pub-table-missing", "pub-row-missing", "pub-cell-missing", "pub-table-empty", "pub-format-unknown")


def _unchecked_pages(r, pages: list[int]) -> None:
    """PDF pages whose tables were not looked for (too many ruled lines for the table finder): the
    pages are named, and a table or row not found is 无法核对 (it may be on those pages), not missing;
    the report's verdict is then 无法完整核对, never 通过."""
    from .degrade import TABLE_PART, UNCHECKED

    named = [f"第{p}页" for p in pages]
    shown = "、".join(named[:10]) + ("等" if len(pages) > 10 else "")
    part_table = {f"第{part}部分": table for table, part in TABLE_PART.items()}
    tables = sorted({part_table.get(f.sheet, f.sheet) for f in r.findings if f.rule in MISSING_RULES
                     and part_table.get(f.sheet, f.sheet) in TABLE_PART})
    r.findings[:] = [f for f in r.findings if f.rule not in MISSING_RULES]
    for table in tables:
        r.add("pub-table-unchecked", "", variant="pages", section=table, pages=named)
        r.unchecked.append({"what": table, "section": table, "where": shown, "status": UNCHECKED,
                            "reason": r.findings[-1].message})
    r.add("pub-page-unchecked", shown, section="PDF", actual=len(pages), pages=named)
    r.unchecked.append({"what": shown, "section": "PDF", "where": shown, "status": UNCHECKED,
                        "reason": r.findings[-1].message})


def _speaks_of_a_report(doc) -> bool:
    """Text that says it is a report under the 条例 (its opening sentences), though nothing in it could
    be segmented: read, and said to be 无法完整核对, rather than refused."""
    opening = [b.text for b in doc.blocks[:20] if b.kind == "p"]
    return any("政府信息公开条例" in t and "报告" in t for t in opening)


def _deadline(r, form: Form, info: dict[str, Any], year: int | None) -> str | None:
    """Publication date against the deadline of the organ's kind (条例第四十九条); a late report is as
    severe as the declared deadline rule of its kind (``DateDeadline``: the statutory dates warn, local
    practice informs)."""
    from ..forms.organs import ORGAN_KINDS, deadline, infer_organ_kind

    kind = infer_organ_kind(info.get("agency"))
    published = info.get("published")
    if not (year and published):
        return kind
    import datetime as dt

    day = dt.date.fromisoformat(published)
    if kind:
        due = deadline(kind)
    else:  # the kind is unknown: late only if later than the latest deadline of any kind
        due = max((deadline(k) for k in ORGAN_KINDS), key=lambda d: d.date_for(year))
    if day > due.date_for(year):
        severity = next(x.severity for x in form.rules if isinstance(x, DateDeadline) and x.covers(due.kind))
        r.add("pub-published-late", "", variant="" if kind else "kind-unknown", expected=due.date_for(year).isoformat(),
              actual=published, severity=severity, day=day, kind=kind, due=due.text(year), basis=due.basis)
    return kind


def _table_status(form: Form, r) -> dict[str, str]:
    """表二/表三/表四 -> 已读取 / 部分读取 / 无法核对 / 未找到."""
    unsure = {u["section"] for u in r.unchecked}
    out = {}
    for sheet, counts in _cell_counts(form, r.status).items():
        name = TABLE_NAMES[sheet]
        if name in unsure and counts["missing"]:
            out[name] = "无法核对" if counts["missing"] == sum(counts.values()) else "部分读取（部分无法核对）"
        elif counts["missing"] == sum(counts.values()):
            out[name] = "未找到"
        else:
            out[name] = "部分读取" if counts["missing"] else "已读取"
    return out


def _cell_counts(form: Form, status: dict[str, str]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for spec in cell_index(form).values():
        if spec.sheet in TABLE_NAMES:
            counts = out.setdefault(spec.sheet, {"ok": 0, "blank": 0, "invalid": 0, "missing": 0})
            counts[status.get(spec.name, "missing")] += 1
    return out


def _check_arithmetic(form: Form, r, inferred: frozenset[str] = frozenset()) -> None:
    """The declaration's table rules over the printed figures. Blank counts 0; a rule with a cell that
    was not found or not a number is not applied (the completeness findings name those cells), nor one
    that needs a total left blank while its parts are not 0 (its figure is unknown, not 0). Totals
    left blank while their parts are not 0 are one finding per table naming the rows; every other
    failure is located at the row it was read from. A failure that involves a row whose run-together
    digits were parted by inference (``inferred``: the rows' locations) is only a hint: the parting,
    not the report, may be wrong."""
    specs = cell_index(form)
    blank_totals: dict[str, list[str]] = {}
    first_location: dict[str, str] = {}
    unknown = _unknown_totals(form, r)
    for rule in form.rules:
        if not isinstance(rule, (Balance, SumEquals)):
            continue
        cells = rule.cells()
        if any(r.status.get(c) not in ("ok", "blank") for c in cells):
            continue
        if any(c in unknown for c in cells if not (isinstance(rule, SumEquals) and c == rule.target)):
            continue  # a total left blank is not known to be 0: pub-total-blank names it, nothing is checked on it
        out = rule.evaluate({c: r.values.get(c) or 0 for c in cells})
        if out.ok:
            continue
        anchor = rule.target if isinstance(rule, SumEquals) else cells[0]
        spec = specs[anchor]
        sheet = TABLE_NAMES[spec.sheet]
        if isinstance(rule, SumEquals) and (r.status.get(rule.target) == "blank"
                                            or all(r.status.get(p) == "blank" for p in rule.parts)):
            label = f"“{spec.row_label}”行" if spec.col_label == form.table3.total_column.label or spec.sheet == "table4" \
                else f"“{spec.col_label}”列"
            blank_totals.setdefault(sheet, []).append(label)
            first_location.setdefault(sheet, r.source_row.get(anchor, ""))
            continue
        parted = any(r.source_row.get(c) in inferred for c in cells)
        r.findings.append(rule.published_finding(out, parted, sheet=sheet, cell=r.source_row.get(anchor, ""),
                                                 row_label=spec.row_label, col_label=spec.col_label))
    for sheet, labels in blank_totals.items():
        r.add("pub-total-blank", first_location[sheet], section=sheet, expected=len(labels), actual=0, totals=labels)


def _unknown_totals(form: Form, r) -> set[str]:
    """Totals left blank in the page whose parts are not all blank or 0: their figure is not known
    (it is not 0), so no rule may compare anything with it. Rules are visited until nothing changes,
    since a total may be a part of another total."""
    unknown: set[str] = set()
    sums = [rule for rule in form.rules if isinstance(rule, SumEquals)]
    changed = True
    while changed:
        changed = False
        for rule in sums:
            if rule.target in unknown or r.status.get(rule.target) != "blank":
                continue
            if any(p in unknown or (r.status.get(p) == "ok" and r.values.get(p)) for p in rule.parts):
                unknown.add(rule.target)
                changed = True
    return unknown


def _data(form: Form, values: dict[str, Any], info: dict[str, Any], text: dict[str, str]) -> dict[str, Any]:
    def v(name: str) -> Any:
        return values.get(name)

    t3, t4 = form.table3, form.table4
    t2 = {b.key: {r.key: {c.key: v(b.cell_name(r.key, c.key)) for c in b.columns} for r in b.rows}
          for b in form.table2.blocks}
    d3 = {r.key: {c.key: v(t3.cell_name(r.key, c.key)) for c in t3.columns} for r in t3.data_rows()}
    d4 = {g.key: {c.key: v(t4.cell_name(g.key, c.key)) for c in t4.columns} for g in t4.groups}
    return {"table2": t2, "table3": d3, "table4": d4,
            "info": {f.key: info.get(f.key) for f in form.info_fields},
            "text": {f.key: text.get(f.key, "") for f in form.text_fields}}


def workbook_values(report: ValidationReport) -> dict[str, Any]:
    """Defined name -> value for a template filled with an extracted report: the numbers
    that were read (blank and unreadable cells stay blank), the information and the text."""
    import datetime as dt

    from ..forms import get_form
    from ..forms.data import flat_values

    form = get_form(report.form)
    specs = cell_index(form)
    values = {n: v for n, v in flat_values(form, report.data).items() if specs[n].is_input and v is not None}
    info_names = {f.key: s.name for f, s in zip(form.info_fields, specs.values())}
    text_names = {s.name.split("_", 1)[1]: s.name for s in specs.values() if s.sheet == "text"}
    for k, v in report.data["info"].items():
        if v not in (None, "") and k in info_names:
            values[info_names[k]] = dt.datetime.fromisoformat(v) if k == "date" else v
    values.update({text_names[k]: v for k, v in report.data["text"].items() if v and k in text_names})
    return values


def cut_in_xlsx(report: ValidationReport) -> list[str]:
    """The labels of the texts too long for one xlsx cell (written cut, with a note in the cell)."""
    from ..files.celltext import XLSX_MAX_CHARS
    from ..forms import get_form

    form = get_form(report.form)
    labels = {f.key: f.label for f in (*form.info_fields, *form.text_fields)}
    values = {**report.data.get("info", {}), **report.data.get("text", {})}
    return [labels.get(k, k) for k, v in values.items() if isinstance(v, str) and len(v) > XLSX_MAX_CHARS]


def write_extracted(report: ValidationReport, out: Path) -> None:
    """OUT.json: the same JSON as ingest --json (plus ``published``); OUT.xlsx: a filled template."""
    from ..files.atomic import write_bytes_atomic

    out = Path(out)
    if out.suffix.lower() == ".json":
        payload = report.to_dict()
        if isinstance(report, PublishedReport):
            payload["published"] = report.published
        text = json_text(payload)
        write_bytes_atomic(out, text.encode("utf-8"))
    elif out.suffix.lower() == ".xlsx":
        from ..forms import get_form
        from ..template.writer import build_template

        form = get_form(report.form)
        if not report.year or not form.covers(report.year):
            raise GovinfoError(f"报告的统计表是{form.notice}格式，与报告年度{report.year or '（未知）'}不符，"
                               "无法生成该年度的填报表；请输出 JSON。")
        write_bytes_atomic(out, build_template(form, report.year, values=workbook_values(report)))
    else:
        raise GovinfoError(f"输出文件“{out}”应为 .json 或 .xlsx。")

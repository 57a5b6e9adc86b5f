"""extract(): a published report (HTML, DOCX, text) → the same report as ingest gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import GovinfoError
from ..findings import Finding, ValidationReport
from ..forms import form_for_year
from ..forms.model import Form, cell_index
from ..rulekinds import Balance, SumEquals
from .document import load_document
from .prose import check_prose
from .read import choose_form, read_info, read_parts, read_tables, read_text

TABLE_SHEETS = {"T2": "表二", "T3": "表三", "T4": "表四"}


def extract(path: str | Path) -> ValidationReport:
    doc = load_document(path)
    r = read_tables(doc)
    r.report_blanks()
    read_parts(r)
    info = read_info(doc, r)
    if not r.values and not r.headings:
        raise GovinfoError(f"{path}：找不到年度报告的标题、部分标题或统计表，不像是政府信息公开工作年度报告。")
    year = info.get("year")
    form = choose_form(r, year)
    if year and year >= 2019 and form.id != form_for_year(year).id:
        right = form_for_year(year)
        r.add("pub-wrong-format", "", f"{year}年度报告应使用{right.notice}格式的统计表，本报告使用的是{form.notice}格式。",
              expected=right.id, actual=form.id)
    for where in doc.stray:
        r.add("pub-stray-markup", where, "表格中残留 Word 书签标记“[bookmark: …]”。", section="表格")
    specs = cell_index(form)
    _check_arithmetic(form, r.values, r.status, r.findings)
    paragraphs = [(b.where, b.text) for b in doc.blocks if b.kind == "p"]
    check_prose(form, r.values, paragraphs,
                lambda rule, where, message, expected, actual: r.add(rule, where, message, expected=expected,
                                                                      actual=actual))
    text = read_text(r)
    closing = {info.get("agency") or "", _chinese_date(info.get("date"))}
    for key in ("part5", "part6"):  # the closing organ and date follow the last part
        lines = text[key].split("\n")
        while lines and lines[-1] in closing:
            lines.pop()
        text[key] = "\n".join(lines)
    data = _data(form, r.values, info, text, specs)
    return ValidationReport(Path(path), form.id, year, info.get("agency") or "", r.findings, data)


def _chinese_date(iso: str | None) -> str:
    if not iso:
        return ""
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


def _check_arithmetic(form: Form, values: dict[str, Any], status: dict[str, str], findings: list[Finding]) -> None:
    """The declaration's table rules over the printed figures: blank counts 0, a rule with a cell
    that was not found or not a number is not applied."""
    for rule in form.rules:
        if not isinstance(rule, (Balance, SumEquals)):
            continue
        cells = rule.cells()
        if any(status.get(c) not in ("ok", "blank") for c in cells):
            continue
        out = rule.evaluate({c: values.get(c) or 0 for c in cells})
        if not out.ok:
            anchor = cells[0]
            findings.append(Finding(rule.id, rule.severity, TABLE_SHEETS[anchor[:2]], "", 
                                    f"{rule.description}：按公布的数字，相差 {out.diff:g}。", "", "",
                                    out.expected, out.actual))


def _data(form: Form, values: dict[str, Any], info: dict[str, Any], text: dict[str, str],
          specs: dict) -> dict[str, Any]:
    def v(name: str) -> Any:
        return values.get(name)

    t2 = {b.key: {r.key: {c.key: v(f"T2_{b.key}_{r.key}_{c.key}") for c in b.columns} for r in b.rows}
          for b in form.table2.blocks}
    t3 = {r.key: {c.key: v(f"T3_{r.key}_{c.key}") for c in form.table3.columns} for r in form.table3.data_rows()}
    t4 = {g.key: {c.key: v(f"T4_{g.key}_{c.key}") for c in form.table4.columns} for g in form.table4.groups}
    return {"table2": t2, "table3": t3, "table4": t4,
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
    for k, v in report.data["info"].items():
        if v not in (None, ""):
            values[f"INFO_{k}"] = dt.datetime.fromisoformat(v) if k == "date" else v
    values.update({f"TEXT_{k}": v for k, v in report.data["text"].items() if v})
    return values


def write_extracted(report: ValidationReport, out: Path) -> None:
    """OUT.json: the same JSON as ingest --json; OUT.xlsx: a filled template of the report's format."""
    import json

    from ..atomic import write_bytes_atomic

    out = Path(out)
    if out.suffix.lower() == ".json":
        text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
        write_bytes_atomic(out, text.encode("utf-8"))
    elif out.suffix.lower() == ".xlsx":
        from ..forms import get_form
        from ..writer import build_template

        form = get_form(report.form)
        if not report.year or not form.covers(report.year):
            raise GovinfoError(f"报告的统计表是{form.notice}格式，与报告年度{report.year or '（未知）'}不符，"
                               "无法生成该年度的填报表；请输出 JSON。")
        write_bytes_atomic(out, build_template(form, report.year, values=workbook_values(report)))
    else:
        raise GovinfoError(f"输出文件“{out}”应为 .json 或 .xlsx。")

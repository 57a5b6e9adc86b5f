"""The clerk's explanations (说明) of warnings and hints.

Every 警告 and 提示 rule listed on the 校验结果 sheet gets an unlocked cell in a 说明 column,
named ``EXPLAIN_<rule id with - replaced by _>`` (``forms.model.explain_name``), where the clerk says why the figure stands
(联网直报's 强制上报说明). Ingest reads those cells back and puts the text on the rule's
findings (``Finding.explanation``); an office may require them (``office/config.py``).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Iterable

from ..forms.model import Severity, explain_name
from ..memo import per_object

if TYPE_CHECKING:
    from .findings import ValidationReport
    from ..forms.model import Form
    from ..reading.reader import RawWorkbook
    from .rulekinds import Rule

HEADER = "说明"
WIDTH = 40
EXPLAINED = (Severity.WARNING, Severity.INFO)
MAX_CHARS = 2000
INPUT_TITLE = "填写说明"
INPUT_MESSAGE = "本项为警告或提示：数字确实无误时，请在此说明原因（如“本年度确无依申请公开”），审核时据此核实。"


def explainable(rules: Iterable[Rule]) -> list[Rule]:
    """The rules that get a 说明 cell: every 警告 and 提示 rule."""
    return [r for r in rules if r.severity in EXPLAINED]


def write_column(writer: Any, ws: Any, rules: Iterable[Rule], first: int, col: int) -> None:
    """Write the 说明 column of the checks sheet: a header and, on the row of every 警告 and 提示
    rule, an unlocked, named, validated cell (``writer`` is writer._Writer; rows 0-based)."""
    from ..template.layout import quote_sheet, a1

    ws.set_column(col, col, WIDTH)
    ws.write_string(first - 1, col, HEADER, writer.label_fmt("header"))
    fmt = writer.fmt(border=1, locked=False, bg_color="#FFF9DB", text_wrap=True, valign="top", num_format="@")
    done = writer.fmt(border=1, valign="vcenter")
    for i, rule in enumerate(rules):
        r = first + i
        if rule.severity not in EXPLAINED:
            ws.write_blank(r, col, None, done)
            continue
        ws.write_blank(r, col, None, fmt)
        ws.data_validation(r, col, r, col, {
            "validate": "length", "criteria": "<=", "value": MAX_CHARS,
            "input_title": INPUT_TITLE, "input_message": INPUT_MESSAGE,
            "error_title": "输入有误", "error_type": "stop",
            "error_message": f"说明最多{MAX_CHARS}个字。"})
        writer.wb.define_name(explain_name(rule.id), f"={quote_sheet(ws.name)}!{a1(r, col)}")


def read(raw: RawWorkbook, form: Form) -> dict[str, str]:
    """rule id -> the clerk's explanation from a filled workbook, for every 说明 cell it has ("" when
    left empty; a workbook from before the 说明 column has none)."""
    from ..template.layout import row_col

    ids = _ids(form)
    cells = [(ids[name], sheet, ref) for name, (sheet, ref) in raw.names.items() if name in ids and sheet in raw.sheets]
    # most 说明 cells are left empty: known from the sheet's XML, the checks sheet is not read for them
    blank = {sheet: raw.blank(sheet, {ref for _, s, ref in cells if s == sheet}) for sheet in {s for _, s, _ in cells}}
    out: dict[str, str] = {}
    for rule_id, sheet, ref in cells:
        value = None if blank[sheet] else raw.value(sheet, *row_col(ref))
        out[rule_id] = str(value).strip() if value is not None else ""
    return out


@per_object
def _ids(form: Form) -> dict[str, str]:
    """The form's 说明 cell names -> rule id (once per form)."""
    return {explain_name(r.id): r.id for r in (*form.rules, *form.cross_year)}


def attach(report: ValidationReport, explanations: dict[str, str]) -> ValidationReport:
    """The report with each finding of an explained rule carrying its explanation."""
    if any(explanations.values()):
        report.findings = [dataclasses.replace(f, explanation=explanations[f.rule])
                           if explanations.get(f.rule) else f for f in report.findings]
    return report

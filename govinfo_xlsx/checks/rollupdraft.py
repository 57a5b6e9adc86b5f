"""A region's roll-up workbook (``collect --rollup``) says what it is, and ingest reads it so.

The roll-up writes ``rollup`` into its very hidden 元数据 sheet and as the custom property
``govinfo_rollup`` (read the way the form ID is read). Its text parts and 成文日期 are left for the
office to write, so for such a workbook the rules that find them empty are reported as 提示
(“汇总报告的文字部分（…）待本办填写”) through the severity override an office configuration uses,
and the report renders with those parts marked 待填写. Only an empty cell is excused: a filled text
part that misses a required mention, a 成文日期 that is no date or is late, any figure — all keep
their severity.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from ..forms.model import Form, Severity, info_name, text_name
from .rulekinds import DateRequired, TextRequired

if TYPE_CHECKING:
    from .findings import ValidationReport

KEY = "rollup"  # the key in the 元数据 sheet; custom property govinfo_rollup
DATE = "date"  # the key of 成文日期 among what is left to write (the others are text keys)


def metadata(agency: str, count: int) -> dict[str, str]:
    """What the roll-up adds to the template's metadata."""
    return {KEY: f"{agency}：{count}份报告之和（collect --rollup）"}


def is_rollup(custom_props: Mapping[str, str], meta: Mapping[str, str]) -> bool:
    return bool(custom_props.get(f"govinfo_{KEY}") or meta.get(KEY))


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def left_to_write(form: Form, report: ValidationReport) -> dict[str, tuple[str, str]]:
    """rule ID -> (what is left: a text key or ``DATE``, the 提示's message), for the emptiness rules
    (text required, 成文日期 required) whose finding is about an empty cell."""
    fields = {text_name(f): f.key for f in form.text_fields}
    rules = {r.id: r for r in form.rules if isinstance(r, (TextRequired, DateRequired))}
    out: dict[str, tuple[str, str]] = {}
    for f in report.findings:
        rule = rules.get(f.rule)
        if rule is None or not _blank(f.actual):
            continue
        if isinstance(rule, TextRequired) and rule.cell in fields:
            key = fields[rule.cell]
            out[f.rule] = key, rule.left_message(form.text_title(key))
        elif isinstance(rule, DateRequired) and rule.cell == info_name(DATE):
            out[f.rule] = DATE, rule.left_message()
    return out


def excuse(form: Form, report: ValidationReport) -> ValidationReport:
    """The roll-up's empty text parts and 成文日期 as 提示, recorded in ``report.to_write``."""
    from ..office.config import OfficeConfig

    left = left_to_write(form, report)
    if not left:
        return report
    report = OfficeConfig(severities={rule: Severity.INFO for rule in left}).apply(report)
    rules = {r.id: r for r in form.rules}
    report.findings = [rules[f.rule].reworded(f, left[f.rule][1]) if f.rule in left else f for f in report.findings]
    report.to_write = tuple(key for key, _ in left.values())
    return report

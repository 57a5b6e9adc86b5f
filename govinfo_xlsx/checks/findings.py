"""One findings model for everything that checks a workbook or a report.

A finding is made by the rule it reports: a rule kind of the declaration
(``rulekinds.py``) or an entry of the catalogue of checks outside the declaration
(``catalogue.py``) both inherit ``Reporter.finding``, which stamps the rule's
ID and severity.  Severity has this one source; nothing looks it up by ID.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any


class Severity(str, Enum):
    ERROR = "错误"
    WARNING = "警告"
    INFO = "提示"


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def whole(x: Any) -> Any:
    """A float that is a whole number as an int (3.0 -> 3); anything else unchanged."""
    return int(x) if isinstance(x, float) and x.is_integer() else x


def chinese_date(value: Any) -> str:
    """A date as the reports write it, “2026年1月5日” (the one place it is formatted): a date, a
    datetime or an ISO string (returned unchanged when it is no date); '' for anything else."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year}年{value.month}月{value.day}日"
    return ""


def show(v: Any) -> str:
    """How a message shows a value: dates in Chinese, times as 10:30, whole numbers without .0,
    long text cut at 60 characters."""
    if isinstance(v, (dt.date, dt.datetime)):
        return chinese_date(v)
    if isinstance(v, dt.time):
        return v.strftime("%H:%M") if not v.second else v.isoformat()
    if isinstance(v, str) and len(v) > 60:
        return v[:60] + "……"
    return str(whole(v))


def plain(value: Any) -> Any:
    """A JSON-ready copy of a value (strict JSON: no NaN or Infinity, no date or time objects)."""
    t = type(value)
    if t is str or t is int or value is None:  # what nearly every value is: by identity, no isinstance
        return value
    if t is dict:  # the data of a report, thousands of cells: its plain members copied without a call
        return {str(k): (v if (type(v) is int or type(v) is str or v is None) else plain(v))
                for k, v in value.items()}
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)  # "nan", "inf", "-inf": shown as found, never a bare NaN in the JSON
        return int(value) if value.is_integer() and abs(value) < 2**63 else value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, bool)):
        return value
    return str(value)


def json_text(value: Any) -> str:
    """A document as every JSON output writes it (ingest/extract/audit/collect --json, the report's
    .json, the export's descriptors): strict JSON of ``plain(value)``, UTF-8 text not escaped,
    indented by 2, with a final newline."""
    import json

    return json.dumps(plain(value), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    sheet: str
    cell: str  # A1, without $
    message: str
    row_label: str = ""
    col_label: str = ""
    expected: Any = None
    actual: Any = None
    explanation: str | None = None  # the clerk's 说明 for a 警告 or 提示 (explain.py)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "sheet": self.sheet,
            "cell": self.cell,
            "row_label": self.row_label,
            "col_label": self.col_label,
            "expected": plain(self.expected),
            "actual": plain(self.actual),
            "message": self.message,
            "explanation": self.explanation,
        }

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet


class Reporter:
    """Mixin of everything that reports findings: has ``id``, ``severity`` and ``description``."""

    id: str
    severity: Severity
    description: str

    def finding(self, message: str, *, sheet: str = "", cell: str = "", row_label: str = "",
                col_label: str = "", expected: Any = None, actual: Any = None,
                severity: Severity | None = None) -> Finding:
        """A finding of this rule (``severity`` overrides the rule's own, e.g. for --strict-blank)."""
        return Finding(self.id, severity or self.severity, sheet, cell, message, row_label, col_label,
                       expected, actual)


@dataclass
class ValidationReport:
    path: Path | str
    form: str
    year: int | None
    agency: str
    findings: list[Finding] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    repetition: dict[str, Any] | None = None  # 重复率 against last year (repetition.py), with --prior
    to_write: tuple[str, ...] = ()  # a roll-up's parts left for the office to write: text keys, "date" (rollupdraft.py)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=lambda f: SEVERITY_ORDER[f.severity])

    def to_dict(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "year": self.year,
            "agency": self.agency,
            "ok": self.ok,
            "findings": [f.to_dict() for f in self.sorted_findings()],
            "data": plain(self.data),
            **({"repetition": self.repetition} if self.repetition is not None else {}),
        }

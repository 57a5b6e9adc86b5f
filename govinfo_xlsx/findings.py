"""One findings model for everything that checks a workbook or a report."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .forms.model import Severity

SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def plain(value: Any) -> Any:
    """A JSON-ready copy of a value (strict JSON: no NaN or Infinity, no date or time objects)."""
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


@dataclass
class ValidationReport:
    path: Path | str
    form: str
    year: int | None
    agency: str
    findings: list[Finding] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

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
        }

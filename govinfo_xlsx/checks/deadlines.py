"""The kinds of organ that publish a report, and when each kind's report is due (条例第四十九条).

The lowest layer's facts: the declared deadline rule (``rulekinds.DateDeadline``), the form
declarations (``forms.organs`` re-exports these), extract, audit and collect all read them here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Mapping

from .findings import chinese_date

DEPARTMENT = "县级以上人民政府部门"
GOVERNMENT = "县级以上地方人民政府"
TOWNSHIP = "乡镇人民政府、街道办事处"
AUTHORISED = "法律法规授权的组织"

#: The values of the ``INFO_kind`` list, in the order the template shows them.
ORGAN_KINDS: tuple[str, ...] = (DEPARTMENT, GOVERNMENT, TOWNSHIP, AUTHORISED)


@dataclass(frozen=True, kw_only=True)
class Deadline:
    """When a report of one kind of organ is due, and on what authority."""

    kind: str
    month: int
    day: int
    statutory: bool  # True: 条例第四十九条 sets it; False: usual local practice only
    severity: str  # severity of a late report: "警告" where the statute sets the date, else "提示"

    def date_for(self, report_year: int) -> dt.date:
        return dt.date(report_year + 1, self.month, self.day)

    def text(self, report_year: int | None = None) -> str:
        """``次年1月31日`` or ``2026年1月31日``."""
        return f"次年{self.month}月{self.day}日" if report_year is None else chinese_date(self.date_for(report_year))

    @property
    def basis(self) -> str:
        """The authority in words, for instructions and messages."""
        if self.statutory:
            return "条例第四十九条"
        return "条例未规定期限，按通行做法"


_DEADLINES = {
    DEPARTMENT: Deadline(kind=DEPARTMENT, month=1, day=31, statutory=True, severity="警告"),
    GOVERNMENT: Deadline(kind=GOVERNMENT, month=3, day=31, statutory=True, severity="警告"),
    TOWNSHIP: Deadline(kind=TOWNSHIP, month=1, day=31, statutory=False, severity="提示"),
    AUTHORISED: Deadline(kind=AUTHORISED, month=1, day=31, statutory=False, severity="提示"),
}


def deadline(kind: str | None, overrides: Mapping[str, tuple[int, int]] | None = None) -> Deadline:
    """The deadline of a kind of organ; an unknown or empty kind is treated as a department's.

    ``overrides``: kind -> (month, day) set by a coordinating office (``collect --config``); an
    office's own date is local practice, not the statute's."""
    found = _DEADLINES.get(kind or DEPARTMENT, _DEADLINES[DEPARTMENT])
    if overrides and found.kind in overrides:
        month, day = overrides[found.kind]
        if (month, day) != (found.month, found.day):
            return replace(found, month=month, day=day, statutory=False)
    return found

"""Kinds of organ that publish an annual report, and the publication deadline of each.

条例第四十九条 sets two deadlines: 县级以上人民政府部门 publish their own report by 1月31日 of the
following year; the 主管部门 of a 县级以上地方人民政府 publishes the report of 本级政府 by 3月31日.
For 乡镇人民政府、街道办事处 and 法律法规授权的组织 the statute names no date; local practice
is usually 1月31日, so that date is used as a reminder (提示) without citing 第四十九条.

This module is the one home of that fact: the template's instructions, the deadline rule,
collect's 逾期 and extract's publication-date check all ask :func:`deadline`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Mapping

DEPARTMENT = "县级以上人民政府部门"
GOVERNMENT = "县级以上地方人民政府"
TOWNSHIP = "乡镇人民政府、街道办事处"
AUTHORISED = "法律法规授权的组织"

#: The values of the ``INFO_kind`` list, in the order the template shows them.
KINDS: tuple[str, ...] = (DEPARTMENT, GOVERNMENT, TOWNSHIP, AUTHORISED)

#: Other names a clerk types for a kind (``make-template --kind``): each half of the township kind,
#: and short forms.
KIND_ALIASES: dict[str, str] = {
    "部门": DEPARTMENT, "政府": GOVERNMENT, "乡镇人民政府": TOWNSHIP, "街道办事处": TOWNSHIP,
    "乡镇": TOWNSHIP, "街道": TOWNSHIP, "授权组织": AUTHORISED,
}


def kind_named(text: str) -> str | None:
    """The kind a name stands for (a kind itself or one of ``KIND_ALIASES``), or None."""
    name = text.strip()
    return name if name in KINDS else KIND_ALIASES.get(name)


#: Kinds whose reports are a government's (条例第五十条第（四）项: 工作考核、社会评议和责任追究结果情况).
GOVERNMENT_KINDS: tuple[str, ...] = (GOVERNMENT, TOWNSHIP)


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
        year = "次年" if report_year is None else f"{report_year + 1}年"
        return f"{year}{self.month}月{self.day}日"

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


# A 本级政府 report is named after the government itself ("某某县人民政府", "某某区政府"), or after
# the office that publishes it for the government ("某某市人民政府办公厅/办公室"). Departments carry
# a further name ("某某县财政局"); townships end in 乡/镇/街道. Anything else is left to the clerk.
_TOWNSHIP = re.compile(r"(乡|镇|街道办事处|街道)(人民政府)?$|(乡|镇)人民政府|街道办事处")
_GOVERNMENT = re.compile(r"(省|自治区|市|州|盟|县|区|旗)(人民)?政府(办公厅|办公室)?$")


def infer_kind(agency: str | None) -> str | None:
    """A best guess of the kind of organ from its name, or None where the name says nothing.

    The guess is shown to the clerk (template instructions, editable list) and never used silently
    where the clerk chose a kind."""
    name = re.sub(r"\s+", "", agency or "")
    if not name:
        return None
    if _TOWNSHIP.search(name):
        return TOWNSHIP
    if _GOVERNMENT.search(name):
        return GOVERNMENT
    if name.endswith(("局", "厅", "委", "办", "办公室", "部", "署", "院", "所", "站", "队", "处", "会")) \
            or "委员会" in name or name.endswith("中心"):
        return DEPARTMENT
    return None

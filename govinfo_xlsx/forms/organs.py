"""Kinds of organ that publish an annual report, the names a clerk gives them, and the publication
deadline of each (the kinds and deadlines themselves live in ``govinfo_xlsx/checks/deadlines.py``, the
lowest layer, so that the deadline rule of ``rulekinds`` imports them downwards; re-exported here).

条例第四十九条 sets two deadlines: 县级以上人民政府部门 publish their own report by 1月31日 of the
following year; the 主管部门 of a 县级以上地方人民政府 publishes the report of 本级政府 by 3月31日.
For 乡镇人民政府、街道办事处 and 法律法规授权的组织 the statute names no date; local practice
is usually 1月31日, so that date is used as a reminder (提示) without citing 第四十九条.

``checks/deadlines.py`` is the one home of that fact: the template's instructions, the deadline rule,
collect's 逾期 and extract's publication-date check all ask :func:`deadline`.
"""

from __future__ import annotations

import re

from ..checks.deadlines import AUTHORISED, DEPARTMENT, GOVERNMENT, ORGAN_KINDS, TOWNSHIP, Deadline, deadline  # noqa: F401

#: Other names a clerk types for a kind (``make-template --kind``): each half of the township kind,
#: and short forms.
ORGAN_KIND_ALIASES: dict[str, str] = {
    "部门": DEPARTMENT, "政府": GOVERNMENT, "乡镇人民政府": TOWNSHIP, "街道办事处": TOWNSHIP,
    "乡镇": TOWNSHIP, "街道": TOWNSHIP, "授权组织": AUTHORISED,
}


def organ_kind_named(text: str) -> str | None:
    """The kind a name stands for (a kind itself or one of ``ORGAN_KIND_ALIASES``), or None."""
    name = text.strip()
    return name if name in ORGAN_KINDS else ORGAN_KIND_ALIASES.get(name)


#: Kinds whose reports are a government's (条例第五十条第（四）项: 工作考核、社会评议和责任追究结果情况).
GOVERNMENT_ORGAN_KINDS: tuple[str, ...] = (GOVERNMENT, TOWNSHIP)


# A 本级政府 report is named after the government itself ("某某县人民政府", "某某区政府"), or after
# the office that publishes it for the government ("某某市人民政府办公厅/办公室"). Departments carry
# a further name ("某某县财政局"); townships end in 乡/镇/街道. Anything else is left to the clerk.
_TOWNSHIP = re.compile(r"(乡|镇|街道办事处|街道)(人民政府)?$|(乡|镇)人民政府|街道办事处")
_GOVERNMENT = re.compile(r"(省|自治区|市|州|盟|县|区|旗)(人民)?政府(办公厅|办公室)?$")


def infer_organ_kind(agency: str | None) -> str | None:
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

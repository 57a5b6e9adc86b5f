"""The kind of organ of a submission, in one place.

A workbook whose declaration has the ``INFO_kind`` input says its kind (``data.info.kind``); where
that input is left empty the kind is None, which the declared deadline rules count as a department's
(and ``info-kind`` asks the clerk to choose). Data without the input at all (older workbooks,
published reports) gets a guess from the agency's name (``organs.infer_organ_kind``)."""

from __future__ import annotations

from typing import Any, Mapping

from ..forms.organs import ORGAN_KINDS, infer_organ_kind


def organ_kind_of(agency: str | None, info: Mapping[str, Any] | None = None) -> str | None:
    info = info or {}
    if "kind" not in info:
        return infer_organ_kind(agency)
    chosen = info["kind"]
    if isinstance(chosen, str) and chosen.strip() in ORGAN_KINDS:
        return chosen.strip()
    return None

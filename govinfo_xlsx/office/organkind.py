"""The kind of organ of a submission, in one place.

A workbook whose declaration has the ``INFO_kind`` input says its kind (``data.info.kind``); where
that input is left empty the kind is None, which the declared deadline rules count as a department's
(and ``info-kind`` asks the clerk to choose). Data without the input at all (older workbooks,
published reports) gets a guess from the agency's name (``organs.infer_kind``)."""

from __future__ import annotations

from typing import Any, Mapping

from ..forms.organs import KINDS, infer_kind


def kind_of(agency: str | None, info: Mapping[str, Any] | None = None) -> str | None:
    info = info or {}
    if "kind" not in info:
        return infer_kind(agency)
    chosen = info["kind"]
    if isinstance(chosen, str) and chosen.strip() in KINDS:
        return chosen.strip()
    return None

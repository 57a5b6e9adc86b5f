"""The kind of organ of a submission, in one place.

A workbook whose declaration has the ``INFO_kind`` input says its kind (``data.info.kind``); for
older workbooks the kind is guessed from the agency's name (``organs.infer_kind``)."""

from __future__ import annotations

from typing import Any, Mapping

from ..forms.organs import KINDS, infer_kind


def kind_of(agency: str | None, info: Mapping[str, Any] | None = None) -> str | None:
    chosen = (info or {}).get("kind")
    if isinstance(chosen, str) and chosen.strip() in KINDS:
        return chosen.strip()
    return infer_kind(agency)

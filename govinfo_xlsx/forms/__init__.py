"""The statutory formats, one declaration each, and the choice of format by year."""

from __future__ import annotations

import datetime as dt

from ..errors import GovinfoError
from ..memo import per_object
from .model import Form

FORM_IDS = ("gov-2019", "gov-2021")


def get_form(form_id: str) -> Form:
    if form_id == "gov-2019":
        from .gov2019 import FORM
    elif form_id == "gov-2021":
        from .gov2021 import FORM
    else:
        raise GovinfoError(f"未知的报告格式：{form_id}（可用：{'、'.join(FORM_IDS)}）")
    return FORM


def all_forms() -> tuple[Form, ...]:
    return tuple(get_form(i) for i in FORM_IDS)


def form_for_year(year: int) -> Form:
    """The format that applies to a report year (2019–2020 → gov-2019, 2021+ → gov-2021)."""
    for form in all_forms():
        if form.covers(year):
            return form
    raise GovinfoError(f"{year}年没有适用的年度报告格式：本工具支持2019年及以后的报告年度。")


def parse_report_year(text: str, today: dt.date | None = None) -> int:
    """Parse and check a report year given by a user.

    Refuses non-numbers, years before 2019 (the current formats start with the
    2019 report) and years beyond next year."""
    today = today or dt.date.today()
    s = str(text).strip()
    if not s.isdigit() or not s.isascii():
        raise GovinfoError(f"报告年度“{text}”不是有效的年份，请填写四位数字，如 2025。")
    year = int(s)
    if year < 2019:
        raise GovinfoError(
            f"报告年度 {year} 早于2019年：现行年度报告格式（国办公开办函〔2019〕60号）自2019年度起适用。"
        )
    if year > today.year + 1:
        raise GovinfoError(f"报告年度 {year} 晚于明年（{today.year + 1}年），无法为将来的年度生成模板。")
    return year


@per_object
def fingerprint(form: Form) -> str:
    """A short hash of everything the declaration says (labels, cells, rules)."""
    return _fingerprint(form)


def _fingerprint(form: Form) -> str:
    import dataclasses
    import hashlib
    import json

    def plain(obj: object) -> object:
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return {"@": type(obj).__name__,
                    **{f.name: plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}}
        if isinstance(obj, (list, tuple)):
            return [plain(x) for x in obj]
        if isinstance(obj, dict):
            return {str(k): plain(v) for k, v in obj.items()}
        if hasattr(obj, "value"):  # enums
            return getattr(obj, "value")
        return obj

    text = json.dumps(plain(form), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]

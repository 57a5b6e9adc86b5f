"""Lenient but honest parsing of what clerks type into input cells.

Full-width digits, surrounding spaces, thousands separators and a trailing
unit (件/元/万元, the cell's own unit) are read with a warning; 无, -, —, ／
mean 0 with a warning; anything else that is not a number is an error, as are
negative counts, fractions where a whole number belongs, too many decimals and
absurdly large values.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Protocol

from ..checks.findings import whole


class Bounds(Protocol):
    """What number parsing needs of a value kind (``forms.kinds.ValueKind``)."""

    minimum: float | None
    maximum: float | None
    decimals: int
    unit: str

NONE_WORDS = {"无", "-", "--", "—", "——", "–", "/"}
UNITS = ("万元", "元", "件")
NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
FIRST_DATE_YEAR = 1900  # Excel's first day; calamine reads NaN in a date cell as 1899-12-30
EXCEL_EPOCH = dt.date(1899, 12, 30)
FIRST_SERIAL, LAST_SERIAL = 61, 2958465  # 1900-03-01 (after Excel's phantom 1900-02-29) .. 9999-12-31
DATE_TEXT = re.compile(r"^(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?$")


@dataclass(frozen=True)
class Parsed:
    value: Any  # the number (int where whole) / text / date; None when blank or unusable
    status: str  # ok | blank | normalized | none_as_zero | invalid
    problem: str = ""  # for invalid: why, in Chinese

    @property
    def blank(self) -> bool:
        return self.status == "blank"


def _check_range(x: float, kind: Bounds) -> str:
    if kind.minimum is not None and x < kind.minimum:
        return "不应为负数" if kind.minimum == 0 else "超出允许范围"
    if kind.maximum is not None and x > kind.maximum:
        return "数值大得不合常理，请核对"
    if round(x, kind.decimals) != x:
        return "应为整数" if kind.decimals == 0 else f"最多保留{kind.decimals}位小数"
    return ""


def parse_number(raw: Any, kind: Bounds) -> Parsed:
    if raw is None or raw == "":
        return Parsed(None, "blank")
    if type(raw) is not int and type(raw) is not float:  # the common case skips these tests
        if isinstance(raw, dt.time):
            return Parsed(None, "invalid", "是时间，不是数字")
        if isinstance(raw, bool) or isinstance(raw, (dt.date, dt.datetime)):
            return Parsed(None, "invalid", "不是数字")
    if isinstance(raw, float) and not math.isfinite(raw):
        return Parsed(None, "invalid", "不是有效的数字（无穷大或非数值）")
    if isinstance(raw, (int, float)):
        problem = _check_range(raw, kind)
        return Parsed(None, "invalid", problem) if problem else Parsed(whole(raw), "ok")
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    if text == "":
        return Parsed(None, "blank")
    if text in NONE_WORDS:
        return Parsed(0, "none_as_zero")
    for unit in UNITS:
        if text.endswith(unit):
            if unit != kind.unit:
                return Parsed(None, "invalid", f"单位“{unit}”与本栏不符" + (f"（本栏单位为{kind.unit}）" if kind.unit else ""))
            text = text[: -len(unit)].strip()
            break
    if GROUPED.match(text):
        text = text.replace(",", "")
    if not NUMBER.match(text):
        return Parsed(None, "invalid", "不是数字")
    x = float(text)
    if not math.isfinite(x):
        return Parsed(None, "invalid", "数值大得不合常理，请核对")
    problem = _check_range(x, kind)
    return Parsed(None, "invalid", problem) if problem else Parsed(whole(x), "normalized")


def parse_text(raw: Any) -> Parsed:
    if raw is None:
        return Parsed(None, "blank")
    if isinstance(raw, float):
        raw = whole(raw)
    text = str(raw)
    return Parsed(text, "ok" if text.strip() else "blank")


def parse_date(raw: Any) -> Parsed:
    """A date cell. Excel keeps dates as day numbers from 1900; a time (10:30, or a 0 typed into a date
    cell), a day number beyond 9999-12-31, a date before 1900 (what a NaN reads as) or a non-finite
    number is not a date."""
    if raw is None or raw == "":
        return Parsed(None, "blank")
    if isinstance(raw, dt.time):
        return Parsed(None, "invalid", "是时间（或0），不是日期")
    if isinstance(raw, (dt.date, dt.datetime)) and raw.year < FIRST_DATE_YEAR:
        return Parsed(None, "invalid", "不是有效的日期")
    if isinstance(raw, dt.datetime):
        return Parsed(raw.date() if raw.time() == dt.time() else raw, "ok")
    if isinstance(raw, dt.date):
        return Parsed(raw, "ok")
    if isinstance(raw, bool):
        return Parsed(None, "invalid", "不是日期")
    if isinstance(raw, (int, float)):  # a day number in a cell without a date format
        if math.isfinite(raw) and FIRST_SERIAL <= raw <= LAST_SERIAL:
            return Parsed(EXCEL_EPOCH + dt.timedelta(days=int(raw)), "normalized")
        return Parsed(None, "invalid", "不是有效的日期")
    m = DATE_TEXT.match(unicodedata.normalize("NFKC", str(raw)).strip())
    if m:
        try:
            d = dt.date(*map(int, m.groups()))
        except ValueError:
            return Parsed(None, "invalid", "不是有效的日期")
        if d.year >= FIRST_DATE_YEAR:
            return Parsed(d, "normalized")
        return Parsed(None, "invalid", "不是有效的日期")
    return Parsed(None, "invalid", "不是日期")


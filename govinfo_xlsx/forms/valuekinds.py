"""What an input cell accepts: the value kinds of the declaration, with their behaviour.

A ``ValueKind`` is declared data (range, decimals, number format, input
message, unit) and carries everything that differs by kind: how a rule names
such a column (``noun``, ``should_be``), what a finding says was expected
(``expected``), how a typed value is read (``parse``, lenient parsing in
``reading/normalize.py``), how a report shows it (``format``), and the workbook's data
validation and cell format (``validation``, ``cell_format``).  No other module
branches on ``kind.key``; the table of traits below is the one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

from ..reading import normalize


@dataclass(frozen=True)
class _Traits:
    """What differs between the kinds (not part of the declaration's data or fingerprint)."""

    noun: str = ""  # how table 二's rules name a column of this kind: 数量栏
    should_be: str = ""  # ... and what it should hold: 不小于0的整数
    expected: str = "有效值"  # a finding's ``expected`` for an invalid cell ({unit} filled in)
    parse: Callable[[Any, "ValueKind"], normalize.Parsed] = lambda raw, kind: normalize.parse_number(raw, kind)
    validate: str = "integer"  # Excel data validation type
    error_message: str = ""  # Excel's message for a value it refuses ({minimum}/{maximum} filled in)
    align: str = "center"
    money: bool = False
    what: str = "整数"  # what a cell of this kind holds, in "…不是整数"


_PLACES = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五", 6: "六"}
_NUMBER_ERROR = "请输入不小于0的整数，无则填0，不要带单位。"
_TRAITS = {
    "count": _Traits("数量栏", "不小于0的整数", "不小于0的整数", error_message=_NUMBER_ERROR),
    "signed": _Traits("增减栏", "整数（减少填负数）", "整数",
                      error_message="请输入整数：增加填正数，减少填负数，无变化填0。"),
    "money": _Traits("金额栏", "不小于0、最多{places}位小数的金额", "不小于0的金额（{unit}，最多{places}位小数）",
                     validate="decimal", error_message="请输入不小于0的金额（最多{places}位小数），不要带单位。", money=True,
                     what="金额"),
    "year": _Traits(error_message="请输入{minimum}至{maximum}之间的年份。", align="left", what="年度"),
    "date": _Traits(parse=lambda raw, kind: normalize.parse_date(raw), validate="date",
                    error_message="请输入日期，如 2026-01-20 或 2026年1月20日。", align="left", what="日期"),
    "text": _Traits(parse=lambda raw, kind: normalize.parse_text(raw), validate="length",
                    error_message="文字过长：单元格最多容纳32767个字符。", align="wrap", what="文字"),
}

@dataclass(frozen=True)
class ValueKind:
    """What an input cell accepts."""

    key: str
    minimum: float | None = None
    maximum: float | None = None
    decimals: int = 0
    number_format: str = "0"
    title: str = ""  # input-message title (<= 32 chars)
    message: str = ""  # generic input message, cell hints are prepended
    unit: str = ""  # the unit a clerk may have typed after the number
    choices: tuple[str, ...] = ()  # a text cell chosen from a list (data validation)

    @property
    def _traits(self) -> _Traits:
        return _TRAITS[self.key]

    @property
    def numeric(self) -> bool:
        return self._traits.validate in ("integer", "decimal")

    @property
    def money(self) -> bool:
        return self._traits.money

    @property
    def is_date(self) -> bool:
        return self._traits.validate == "date"

    @property
    def what(self) -> str:
        """What a cell of this kind holds (整数, 金额, 年度, 日期, 文字)."""
        return self._traits.what

    @property
    def noun(self) -> str:
        """How a rule names a table column of this kind (数量栏, 增减栏, 金额栏)."""
        return self._traits.noun

    @property
    def should_be(self) -> str:
        """What a rule says such a column should hold."""
        return self._traits.should_be.format(places=self.places)

    @property
    def expected(self) -> str:
        """What a finding on an invalid cell gives as expected."""
        return self._traits.expected.format(unit=self.unit, places=self.places)

    @property
    def places(self) -> str:
        """The number of decimals allowed, as a message says it (两, 六)."""
        return _PLACES.get(self.decimals, str(self.decimals))

    def parse(self, raw: Any) -> normalize.Parsed:
        """Read what a clerk typed, leniently but honestly (see ``normalize``)."""
        return self._traits.parse(raw, self)

    def format(self, v: Any) -> str:
        """How a report shows a value of this kind ("—" when unknown)."""
        if v is None:
            return "—"
        if self.money:
            return f"{v:.{self.decimals}f}".rstrip("0").rstrip(".") if isinstance(v, float) else str(v)
        return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)

    def validation(self, ref: str = "") -> dict[str, Any]:
        """xlsxwriter data-validation options that refuse values outside the kind (with a Chinese message).
        ``ref``: the cell's own A1 reference, so that a decimal kind also refuses more decimals than
        it allows (a custom rule: between the bounds and equal to itself rounded)."""
        t = self._traits
        if t.validate == "decimal" and ref:
            opts = {"validate": "custom",
                    "value": f"=AND(ISNUMBER({ref}),{ref}>=0,{ref}<={self.maximum},ROUND({ref},{self.decimals})={ref})"}
        elif t.validate == "integer":
            lo, hi = int(self.minimum or 0), int(self.maximum or 0)
            opts: dict[str, Any] = {"validate": "integer", "criteria": "between", "minimum": lo, "maximum": hi}
        elif t.validate == "decimal":
            opts = {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": self.maximum}
        elif t.validate == "date":
            opts = {"validate": "date", "criteria": "between",
                    "minimum": dt.datetime(2019, 1, 1), "maximum": dt.datetime(2100, 12, 31)}
        elif self.choices:
            return {"validate": "list", "source": list(self.choices),
                    "error_message": "请从下拉列表中选择：" + "、".join(self.choices) + "。"}
        else:
            opts = {"validate": "length", "criteria": "<=", "value": 32767}
        opts["error_message"] = t.error_message.format(minimum=int(self.minimum or 0), maximum=int(self.maximum or 0),
                                                       places=self.places)
        return opts

    def cell_format(self) -> dict[str, Any]:
        """xlsxwriter format properties of an input cell of this kind."""
        if self._traits.align == "wrap":
            return {"text_wrap": True, "valign": "top", "align": "left", "num_format": "@"}
        return {"num_format": self.number_format, "align": self._traits.align, "valign": "vcenter"}


MAX_COUNT = 99_999_999
MAX_MONEY = 999_999_999_999.99

COUNT = ValueKind(
    "count", 0, MAX_COUNT, 0, "0", "请填写件数",
    "请填写不小于0的整数，无则填0。", "件",
)
SIGNED = ValueKind(
    "signed", -MAX_COUNT, MAX_COUNT, 0, "+0;-0;0", "请填写增减数",
    "请填写整数：增加填正数，减少填负数（如-8），无变化填0。", "件",
)
# Money shows every decimal typed (at least two): a wrong third decimal is seen, not rounded away.
MONEY_FORMAT = "0.00########"
# 万元 to the 分 (0.000001万元 = 0.01元): the format fixes the unit, not the decimals, and a small fee
# (380元 = 0.038万元) must be entered as it is, not rounded to 0.04.
MONEY_WAN = ValueKind(
    "money", 0, MAX_MONEY, 6, MONEY_FORMAT, "请填写金额（万元）",
    "单位：万元，最多六位小数（精确到分），如380元填0.038，无则填0。", "万元",
)
MONEY_YUAN = ValueKind(
    "money", 0, MAX_MONEY, 2, MONEY_FORMAT, "请填写金额（元）",
    "单位：元（表中未印单位，本模板统一按元填报），最多两位小数，无则填0。", "元",
)
TEXT = ValueKind("text", title="请填写文字", message="")
DATE = ValueKind("date", number_format="yyyy\"年\"m\"月\"d\"日\"", title="请填写日期")
YEAR = ValueKind("year", 2019, 2100, 0, "0", "报告年度", "")


def choice(title: str, message: str, choices: tuple[str, ...]) -> ValueKind:
    """A text cell whose value is picked from a list."""
    return ValueKind("text", title=title, message=message, choices=choices)

"""What an input cell accepts: the value kinds of the declaration."""

from __future__ import annotations

from dataclasses import dataclass


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

    @property
    def numeric(self) -> bool:
        return self.key in ("count", "signed", "money", "year")


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
MONEY_WAN = ValueKind(
    "money", 0, MAX_MONEY, 2, "0.00", "请填写金额（万元）",
    "单位：万元，最多两位小数，无则填0。", "万元",
)
MONEY_YUAN = ValueKind(
    "money", 0, MAX_MONEY, 2, "0.00", "请填写金额（元）",
    "单位：元（表中未印单位，本模板统一按元填报），最多两位小数，无则填0。", "元",
)
TEXT = ValueKind("text", title="请填写文字", message="")
DATE = ValueKind("date", number_format="yyyy\"年\"m\"月\"d\"日\"", title="请填写日期")
YEAR = ValueKind("year", 2019, 2100, 0, "0", "报告年度", "")

"""Lenient but honest parsing of typed values."""

from __future__ import annotations

import datetime as dt

import pytest

from govinfo_xlsx.forms.valuekinds import COUNT, MONEY_WAN, MONEY_YUAN, SIGNED


@pytest.mark.parametrize("raw,kind,value,status", [
    (12, COUNT, 12, "ok"),
    (12.0, COUNT, 12, "ok"),
    (None, COUNT, None, "blank"),
    ("   ", COUNT, None, "blank"),
    ("１２", COUNT, 12, "normalized"),
    (" 12 ", COUNT, 12, "normalized"),
    ("12件", COUNT, 12, "normalized"),
    ("1,234", COUNT, 1234, "normalized"),
    ("1，234", COUNT, 1234, "normalized"),
    ("无", COUNT, 0, "none_as_zero"),
    ("—", COUNT, 0, "none_as_zero"),
    ("／", COUNT, 0, "none_as_zero"),
    ("-", COUNT, 0, "none_as_zero"),
    ("-8", SIGNED, -8, "normalized"),
    ("－8", SIGNED, -8, "normalized"),
    ("1828582元", MONEY_YUAN, 1828582, "normalized"),
    ("182.86万元", MONEY_WAN, 182.86, "normalized"),
    (0.038, MONEY_WAN, 0.038, "ok"),  # a 380元 fee, as 万元
    (12.3456789, MONEY_WAN, None, "invalid"),  # beyond the 分
    (12.345, MONEY_YUAN, None, "invalid"),
    ("1828582元", MONEY_WAN, None, "invalid"),
    ("12万元", COUNT, None, "invalid"),
    ("12个", COUNT, None, "invalid"),
    ("1e3", COUNT, None, "invalid"),
    ("nan", COUNT, None, "invalid"),
    (-1, COUNT, None, "invalid"),
    (0.5, COUNT, None, "invalid"),
    (True, COUNT, None, "invalid"),
    (dt.datetime(2021, 1, 1), COUNT, None, "invalid"),
    (10**9, COUNT, None, "invalid"),
    ("12,34", COUNT, None, "invalid"),
])
def test_parse_number(raw, kind, value, status):
    p = kind.parse(raw)
    assert (p.value, p.status) == (value, status)
    assert (p.problem != "") == (status == "invalid")

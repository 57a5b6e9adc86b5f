"""The bundled example: the 永康市行政服务中心 2020 report (gov-2019 format) as a filled workbook."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
EXAMPLE_JSON = HERE / "yongkang-2020.json"
EXAMPLE_XLSX = HERE / "yongkang-2020.xlsx"


def example_source() -> dict[str, Any]:
    doc = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
    values = dict(doc["values"])
    values["INFO_date"] = dt.datetime.fromisoformat(values["INFO_date"])
    return {"form": doc["form"], "year": doc["year"], "values": values}


def build_example() -> bytes:
    """The example workbook: our template for its year with the example's values typed in."""
    from ..forms import get_form
    from ..template.writer import build_template

    src = example_source()
    return build_template(get_form(src["form"]), src["year"], values=src["values"])

"""Fill a template the way a clerk would (test helper): values by defined name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable, Mapping

from govinfo_xlsx.forms.model import Form
from govinfo_xlsx.forms.organs import DEPARTMENT


def fill(template: Path, values: Mapping[str, Any], out: Path,
         tweak: Callable[[Any], None] | None = None) -> Path:
    """Copy the template with values written by defined name; ``tweak(wb)`` may change more."""
    import openpyxl

    wb = openpyxl.load_workbook(template)
    for name, value in values.items():
        cell(wb, name).value = value
    if tweak:
        tweak(wb)
    wb.save(out)
    return out


def cell(wb: Any, name: str) -> Any:
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    return wb[sheet][ref.replace("$", "")]


def consistent_values(form: Form, year: int) -> dict[str, Any]:
    """A complete, rule-abiding data set with distinct numbers in every cell."""
    v: dict[str, Any] = {}
    for f in form.info_fields:
        v[f"INFO_{f.key}"] = {"year": year, "date": dt.datetime(year + 1, 1, 20)}.get(
            f.kind.key, f"{f.label}内容")
    v["INFO_agency"] = "测试市测试局"
    v["INFO_kind"] = DEPARTMENT
    for f in form.text_fields:
        v[f"TEXT_{f.key}"] = f"{f.label}：本年度情况说明。未收取信息处理费。"
    for c in form.cells():
        if c.sheet == "table2":
            v[c.name] = {"signed": -3, "money": 12.5}.get(c.kind.key, 7)
    t3 = form.table3
    results = t3.result_rows()
    for i, col in enumerate(t3.input_columns):
        done = 0
        for j, r in enumerate(results):
            n = (i + j) % 4
            v[f"T3_{r.key}_{col.key}"] = n
            done += n
        carry = i % 3
        new = done + carry - (i + 1)
        assert new >= 0
        v[f"T3_new_{col.key}"] = new
        v[f"T3_carried_over_{col.key}"] = i + 1
        v[f"T3_carry_forward_{col.key}"] = carry
    t4 = form.table4
    for gi, g in enumerate(t4.groups):
        for ci, col in enumerate(t4.columns[:-1]):
            v[f"T4_{g.key}_{col.key}"] = gi + ci
    return v


def inbox_of(folder: Path, form: Form, year: int, names: tuple[str, ...] = ("甲局", "乙局")) -> Path:
    """``folder``/收件箱 holding one consistent workbook of the template per agency named."""
    from govinfo_xlsx.template.writer import write_template

    template = write_template(form, year, folder / "template.xlsx")
    box = folder / "收件箱"
    box.mkdir()
    for name in names:
        v = consistent_values(form, year)
        v["INFO_agency"] = name
        fill(template, v, box / f"{name}.xlsx")
    return box

"""Earlier years' figures from the open data that ``collect --export`` wrote (``collect --history DIR…``).

A package is read by its column names only, so both layouts are read alike: the first one
(data.csv with agency, kind, year, form, status, then every input by its defined name) and the Data
Package (datapackage.json beside data.csv, which adds the totals, the file and more columns). Only
the rows that year's 汇总 summed are summed (``summed`` true; without that column the accepted
submissions, 状态 通过 or 仅警告; every row when there is no status column either); the totals are recomputed from the summed inputs, so a package without totals
gives the same figures as one with them.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable

from ..errors import GovinfoError
from ..forms import form_for_year
from ..forms.model import cell_index
from .region import ACCEPTED_STATUSES, YearFigures, carry_forward, sum_values

MAX_CSV_BYTES = 2 * 1024 ** 3
SUMMED = ("true", "1", "是", "yes")


def data_csv(path: str | Path) -> Path:
    """The data.csv of a package given as its folder, its datapackage.json or the CSV itself."""
    p = Path(path)
    if p.is_dir():
        package = p / "datapackage.json"
        if package.is_file():
            return _from_descriptor(package)
        p = p / "data.csv"
    elif p.name.lower() == "datapackage.json":
        return _from_descriptor(p)
    if not p.is_file():
        raise GovinfoError(f"--history：找不到“{p}”：请给出 collect --export 写出的开放数据目录（含 data.csv）。")
    return p


def _from_descriptor(package: Path) -> Path:
    try:
        doc = json.loads(package.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise GovinfoError(f"--history：“{package}”不是有效的 JSON（{e}）。") from None
    for res in (doc.get("resources") or []) if isinstance(doc, dict) else []:
        if isinstance(res, dict) and (res.get("name") == "data" or str(res.get("path", "")).endswith("data.csv")):
            target = package.parent / str(res.get("path") or "data.csv")
            if target.is_file():
                return target
    target = package.parent / "data.csv"
    if not target.is_file():
        raise GovinfoError(f"--history：“{package}”没有列出 data.csv，目录中也没有 data.csv。")
    return target


def read_history(paths: Iterable[str | Path]) -> list[YearFigures]:
    """Each year of each package, oldest first; a year given twice is taken from the first package."""
    years: dict[int, YearFigures] = {}
    for path in paths:
        for yf in read_package(data_csv(path)):
            years.setdefault(yf.year, yf)
    return [years[y] for y in sorted(years)]


def read_package(path: Path) -> list[YearFigures]:
    if path.stat().st_size > MAX_CSV_BYTES:
        raise GovinfoError(f"--history：“{path}”过大。")
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            fields = reader.fieldnames or []
            year_col = next((c for c in ("year", "INFO_year") if c in fields), None)
            if year_col is None or not any(c.startswith("T3_") for c in fields):
                raise GovinfoError(f"--history：“{path}”不是 collect --export 写出的 data.csv（没有 year 或 INFO_year 列和表三的列）。")
            by_year: dict[int, list[dict[str, Any]]] = defaultdict(list)
            for line, row in enumerate(reader, start=2):
                if "summed" in fields:  # the Data Package says which rows that year's 汇总 summed
                    if (row.get("summed") or "").strip().lower() not in SUMMED:
                        continue
                elif "status" in fields and (row.get("status") or "").strip() not in ACCEPTED_STATUSES:
                    continue
                year = _year(row.get(year_col) or row.get("INFO_year"))
                if year is None:
                    continue
                by_year[year].append(_numbers(row, path, line))
    except UnicodeDecodeError:
        raise GovinfoError(f"--history：“{path}”不是 UTF-8 编码的 CSV。") from None
    except csv.Error as e:
        raise GovinfoError(f"--history：“{path}”无法按 CSV 读取（{e}）。") from None
    out = []
    for year in sorted(by_year):
        try:
            form = form_for_year(year)
        except (GovinfoError, ValueError):
            continue
        rows = [r for r in by_year[year] if r.get("form") in (None, "", form.id)]
        if not rows:
            continue
        names = set(cell_index(form))
        values, n = sum_values(form, ({k: v for k, v in r.items() if k in names} for r in rows))
        agencies = {r["agency"]: carry_forward(form, r) for r in rows if r["agency"]}
        out.append(YearFigures(year, form, values, f"开放数据“{path}”（{n}份）", n, agencies))
    return out


def _year(text: Any) -> int | None:
    try:
        return int(float(str(text).strip()))
    except (TypeError, ValueError):
        return None


def _numbers(row: dict[str, Any], path: Path, line: int) -> dict[str, Any]:
    out: dict[str, Any] = {"form": (row.get("form") or "").strip(),
                           "agency": (row.get("agency") or row.get("INFO_agency") or "").strip()}
    for name, text in row.items():
        if not name or not name.startswith(("T2_", "T3_", "T4_")):
            continue
        text = (text or "").strip()
        if not text:
            continue
        try:
            out[name] = float(text)
        except ValueError:
            raise GovinfoError(f"--history：“{path}”第{line}行“{name}”列的“{text}”不是数字。") from None
    return out

"""Last year's data: load it from a filled workbook or from ``ingest --json`` output,
and map it onto this year's form as ``PRIOR_<name>`` values."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import GovinfoError
from ..forms import FORM_IDS, get_form
from ..forms.crossyear import applicable
from ..forms.data import PriorData, prior_values
from ..forms.model import Form, info_name, prior_name

MAX_JSON_BYTES = 20 * 1024 * 1024


def load_prior(path: str | Path) -> PriorData:
    path = Path(path)
    if path.suffix.lower() == ".json":
        return _from_json(path)
    from ..checks.ingest import ingest

    report = ingest(path)
    return PriorData(path, report.form, report.year, report.agency, report.data)


def _from_json(path: Path) -> PriorData:
    def fail(why: str) -> GovinfoError:
        return GovinfoError(f"{path}：{why}")

    from ..files.plainfile import check_plain

    check_plain(path)
    if not path.is_file():
        raise fail("上年数据文件不存在。")
    if path.stat().st_size > MAX_JSON_BYTES:
        raise fail("文件过大，不像是 ingest --json 输出的上年数据。")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise fail(f"不是有效的 JSON（{e}）。") from None
    if isinstance(doc, list) and len(doc) == 1:
        doc = doc[0]
    if not isinstance(doc, dict) or doc.get("form") not in FORM_IDS or not isinstance(doc.get("data"), dict):
        raise fail("不是 govinfo-xlsx ingest --json 输出的单个工作簿数据（缺少 form/data）。")
    try:
        PriorData(path, doc["form"], doc.get("year"), doc.get("agency") or "", doc["data"]).flat()
    except (KeyError, TypeError, AttributeError):
        raise fail("数据不完整，缺少该格式的表格栏目。") from None
    return PriorData(path, doc["form"], doc.get("year"), doc.get("agency") or "", doc["data"])


def unmapped_notes(form: Form, last_form_id: str) -> list[str]:
    """Chinese lines naming the cross-year checks last year's format cannot feed."""
    available = {prior_name(c.name) for c in get_form(last_form_id).cells()}
    missing = [r for r in form.cross_year if r not in applicable(form.cross_year, available)]
    notice = get_form(last_form_id).notice
    return [f"{r.description}——上年报告使用{notice}格式，没有对应栏目，本项不预填、不校验。"
            for r in missing if r.live]


CARRIED_INFO = ("agency", "kind", "contact_dept", "address", "postcode", "phone", "website")


@dataclass(frozen=True)
class Prefill:
    values: dict[str, Any]  # inputs to prefill
    prior_values: dict[str, Any]  # PRIOR_ values shown beside the tables
    locked: frozenset[str]  # prefilled inputs that stay locked
    notes: tuple[str, ...]  # lines for the instructions sheet


def check_prior_year(last: PriorData, year: int) -> None:
    if last.year != year - 1:
        raise GovinfoError(
            f"{last.path}：上年数据是{last.year or '未知'}年度的，不是{year - 1}年度的，不能用于{year}年度。")


def prefill_from(form: Form, year: int, last: PriorData, unlock: bool = False) -> Prefill:
    """What a template for ``year`` takes over from last year's data."""
    check_prior_year(last, year)
    info = last.data.get("info", {})
    values = {info_name(k): info[k] for k in CARRIED_INFO if info.get(k) not in (None, "")}
    pv = prior_values(form, last)
    t3 = form.table3
    carried, carry = t3.head_rows[1].key, t3.tail_rows[0].key
    for c in t3.input_columns:
        v = pv.get(prior_name(t3.cell_name(carry, c)))
        if v is not None:
            values[t3.cell_name(carried, c)] = v
    locked = frozenset() if unlock else frozenset(n for n in values if n.startswith("T3_"))
    last_form = get_form(last.form)
    state = "可修改" if unlock else "已锁定；如确需修改，请联系政务公开办重新生成可修改的模板"
    notes = [
        f"本模板已按上年数据（{last.path.name}，{last.year}年度，{last_form.notice}格式）预填：机关名称、机关类别和联系方式，"
        f"以及表三“{t3.head_rows[1].label}”（取自上年“{t3.tail_rows[0].label}”，浅绿色，{state}）。",
        "表格右侧或下方的斜体数字是上年报告的数字，仅供参考；“校验结果”表中以“xy-”开头的规则据此校验。",
    ]
    notes += unmapped_notes(form, last.form)
    return Prefill(values, pv, locked, tuple(notes))

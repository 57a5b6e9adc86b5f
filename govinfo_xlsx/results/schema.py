"""The JSON Schema (draft 2020-12) of the ingest JSON, generated from the declarations.

``govinfo-xlsx schema [--form ID]`` prints it and ``collect --export`` writes it beside the open
data, so whoever reads ``ingest --json``, ``extract -o X.json``, the report's JSON or the exported
tables knows every key: the tables' rows and columns, the fields, the rule IDs and severities.
"""

from __future__ import annotations

from typing import Any

from .. import __version__
from ..forms import FORM_IDS, get_form
from ..forms.model import Form, Severity

DIALECT = "https://json-schema.org/draft/2020-12/schema"
NULLABLE_INT = {"type": ["integer", "null"]}
NULLABLE_NUMBER = {"type": ["number", "null"]}


def _number(kind_key: str) -> dict[str, Any]:
    return dict(NULLABLE_NUMBER if kind_key == "money" else NULLABLE_INT)


def _object(properties: dict[str, Any], title: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": properties, "required": list(properties),
                           "additionalProperties": False}
    if title:
        out["title"] = title
    return out


def _table2(form: Form) -> dict[str, Any]:
    return _object({b.key: _object({r.key: _object({c.key: {**_number(c.kind.key), "title": c.label}
                                                      for c in b.columns}, r.label)
                                     for r in b.rows}, b.caption)
                    for b in form.table2.blocks}, "表二 主动公开")


def _table3(form: Form) -> dict[str, Any]:
    t = form.table3
    return _object({r.key: _object({c.key: {**NULLABLE_INT, "title": c.label} for c in t.columns}, r.label)
                    for r in t.data_rows()}, "表三 依申请公开")


def _table4(form: Form) -> dict[str, Any]:
    t = form.table4
    return _object({g.key: _object({c.key: {**NULLABLE_INT, "title": c.label} for c in t.columns}, g.label)
                    for g in t.groups}, "表四 复议诉讼")


def _info(form: Form) -> dict[str, Any]:
    kinds = {
        "year": {"type": ["integer", "null"]},
        "date": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}"},
    }
    return _object({f.key: {**kinds.get(f.kind.key, {"type": ["string", "number", "null"]}), "title": f.label}
                    for f in form.info_fields}, "基本信息")


def _text(form: Form) -> dict[str, Any]:
    return _object({f.key: {"type": ["string", "number"], "title": form.text_title(f.key)} for f in form.text_fields},
                   "文字部分")


def finding_schema() -> dict[str, Any]:
    from ..office.config import known_rules

    return {
        "type": "object",
        "title": "一项校验结果",
        "properties": {
            "rule": {"enum": sorted(known_rules()), "description": "规则编号（govinfo-xlsx rules）"},
            "severity": {"enum": [s.value for s in Severity]},
            "sheet": {"type": "string"},
            "cell": {"type": "string",
                     "description": "工作簿中为 A1 形式的单元格；已公布的报告（extract）中为段落或表格位置，如“第2个表格第25行”"},
            "row_label": {"type": "string"},
            "col_label": {"type": "string"},
            "expected": {},
            "actual": {},
            "message": {"type": "string", "minLength": 1},
            "explanation": {"type": ["string", "null"], "description": "机关在“校验结果”表“说明”栏填写的说明"},
        },
        "required": ["rule", "severity", "sheet", "cell", "row_label", "col_label", "expected", "actual",
                     "message", "explanation"],
    }


def collect_schema() -> dict[str, Any]:
    """``collect --json``: rows of 报送情况, findings with file, agency and review, totals, rule counts."""
    from ..checks.decisions import DECISIONS

    return {
        "type": "object",
        "title": "collect --json",
        "properties": {
            "rows": {"type": "array", "items": {"type": "object", "required": ["agency", "status", "file", "notes"]}},
            "findings": {"type": "array", "items": {
                "$ref": "#/$defs/finding",
                "properties": {"file": {"type": "string"}, "agency": {"type": "string"},
                               "state": {"enum": ["当前", "已替换"]}, "fingerprint": {"type": "string"},
                               "review": {"enum": ["", *DECISIONS]}},
                "required": ["file", "agency", "review"],
                "unevaluatedProperties": False}},
            "totals": {"type": "object"},
            "rules": {"type": "array"},
        },
        "required": ["rows", "findings", "totals", "rules"],
        "additionalProperties": False,
    }


def _published(form: Form) -> dict[str, Any]:
    """What ``extract -o X.json`` adds about a published report (absent from ingest's JSON)."""
    from ..forms.model import cell_index

    tables = [n for n, spec in cell_index(form).items() if spec.sheet.startswith("table")]
    return {
        "type": "object",
        "description": "extract：已公布报告的标题、发布日期、机关类型、来源、正文表述的核对和各单元格的读取情况",
        "properties": {
            "title": {"type": "string"},
            "date": {"type": ["string", "null"]},
            "date_from": {"type": ["string", "null"], "description": "发布日期从哪里读出：meta标签、信息表或“发布日期”行"},
            "kind": {"type": ["string", "null"]},
            "source": {"type": "string"},
            "claims": {"type": "array", "items": {"type": "object"}},
            "cells": {"type": "object", "description": "每张表读到的单元格数：ok 已读、blank 空白、invalid 非数字、missing 未找到",
                      "additionalProperties": {"type": "object", "additionalProperties": {"type": "integer"}}},
            "cell_status": {"type": "object", "propertyNames": {"enum": tables},
                            "additionalProperties": {"type": "string"}},
        },
        "required": ["title", "date", "kind", "source", "claims", "cells", "cell_status"],
    }


def _repetition() -> dict[str, Any]:
    """What ``ingest --prior`` adds: the 重复率 against last year's report (checks/repetition.py)."""
    share = {"type": "object", "properties": {
        "whole": {"type": "number", "minimum": 0, "maximum": 1, "description": "全文重复率（0—1）"},
        "parts": {"type": "object", "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1}},
        "chars": {"type": "integer", "description": "屏蔽后的字符数"}}, "required": ["whole", "parts", "chars"]}
    return {"type": "object", "description": "重复率：与上年报告相同的连续13字以上片段所覆盖的字符占比",
            "properties": {"measure": {"type": "string"}, "prior": {"oneOf": [share, {"type": "null"}]},
                           "prior_agency": {"type": "string"}},
            "required": ["measure", "prior"]}


def form_schema(form: Form) -> dict[str, Any]:
    """The ingest JSON of one format."""
    return {
        "type": "object",
        "title": f"{form.format_name}（{form.notice}）",
        "properties": {
            "form": {"const": form.id},
            "year": {"type": ["integer", "null"]},
            "agency": {"type": "string"},
            "ok": {"type": "boolean", "description": "没有错误"},
            "findings": {"type": "array", "items": {"$ref": "#/$defs/finding", "unevaluatedProperties": False}},
            "data": _object({"table2": _table2(form), "table3": _table3(form), "table4": _table4(form),
                             "info": _info(form), "text": _text(form)}),
            "published": _published(form),
            "repetition": _repetition(),
        },
        "required": ["form", "year", "agency", "ok", "findings", "data"],
        "additionalProperties": False,
    }


def ingest_schema(form_id: str | None = None) -> dict[str, Any]:
    """The schema of ``ingest --json`` (one workbook), for one format or any."""
    head = {"$schema": DIALECT,
            "$id": f"https://govinfo-xlsx.invalid/schema/{form_id or 'ingest'}.json",
            "description": f"govinfo-xlsx {__version__} ingest --json：政府信息公开工作年度报告的数据与校验结果"}
    defs: dict[str, Any] = {"finding": finding_schema(), "collect": collect_schema()}
    if form_id:
        return {**head, **form_schema(get_form(form_id)), "$defs": defs}
    for fid in FORM_IDS:
        defs[fid] = form_schema(get_form(fid))
    return {**head, "title": "政府信息公开工作年度报告（ingest --json）",
            "oneOf": [{"$ref": f"#/$defs/{fid}"} for fid in FORM_IDS], "$defs": defs}

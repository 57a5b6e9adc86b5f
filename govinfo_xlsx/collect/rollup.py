"""The region's report rolled up from the batch (``collect … --rollup OUT.xlsx [--rollup-agency NAME]``).

That year's template, made by the template writer (so every formula's cached value is what it
computes), with:

- tables 二, 三 and 四: the sums over the summed submissions (those the 汇总 sheet sums), the
  government's own workbook left out when it is in the batch (the brief sets the two side by side);
- 上年结转: last year's 结转下年度 of the government's report (its workbook of last year in
  ``--prior-dir``, which is last year's roll-up when the office published one), else the sum of
  last year's 结转 (the workbooks in ``--prior-dir``, or last year's ``--history`` package), else
  the sum of this year's 上年结转; with last year's figures, they are shown beside the tables and
  the cross-year rules check them live, as ``make-template --prior`` does;
- the government's name and kind (县级以上地方人民政府) filled in; the 成文日期 and the text parts
  left for the government to write; the workbook says it is a roll-up (``rollupdraft``), so ingest
  reports those empty parts as 提示 and renders the report with them marked 待填写.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import GovinfoError
from ..forms import get_form
from ..forms.model import Form, cell_index
from ..forms.organs import GOVERNMENT
from ..report.figures import whole
from .region import Region


def rollup_values(form: Form, sums: dict[str, float]) -> dict[str, Any]:
    """The inputs of the tables (the totals are the template's formulas)."""
    return {n: whole(sums.get(n, 0)) for n, s in cell_index(form).items()
            if s.is_input and n.startswith(("T2_", "T3_", "T4_"))}


def build_rollup(region: Region) -> tuple[bytes, dict[str, Any]]:
    """The roll-up workbook's bytes and what went into it (agency, count, source of 上年结转)."""
    from ..template.prior import prefill_from
    from ..checks.rollupdraft import metadata
    from ..template.writer import build_template

    if region.form_id is None or region.year is None:
        raise GovinfoError("--rollup：没有可汇总的报告（只汇总可以读取且没有错误的报告），未生成汇总报告。")
    agency = region.government_name
    if not agency:
        raise GovinfoError("--rollup：未指定本级政府的名称，批次中也没有唯一一份“县级以上地方人民政府”的报告："
                           "请用 --rollup-agency 指定（如 --rollup-agency 永康市人民政府）。")
    form = get_form(region.form_id)
    sums, count, carried = region.rollup
    values = rollup_values(form, sums)
    notes = [f"本表由 govinfo-xlsx collect --rollup 生成：表二、三、四为本次收集中{count}份无错误报告之和"
             + (f"（不含“{region.government[0]}”自己的报告）" if region.government else "")
             + "；成文日期和文字部分请本级政府填写。"]
    prior_values: dict[str, Any] = {}
    locked: frozenset[str] = frozenset()
    t3 = form.table3
    # last year's roll-up: the government's workbook of last year, when its own is not in this batch
    last_rollup = region.priors.get(agency) if region.government is None else None
    if last_rollup is not None:
        pre = prefill_from(form, region.year, last_rollup)
        values.update({k: v for k, v in pre.values.items() if not k.startswith("INFO_")})
        prior_values, locked = pre.prior_values, pre.locked
        source = f"上年“{agency}”的工作簿（{Path(last_rollup.path).name}）"
        notes.append(f"表三“{t3.head_rows[1].label}”取自{source}的“{t3.tail_rows[0].label}”。")
        notes += list(pre.notes[1:])
    else:
        last = region.last_by_agency()
        known = [a for a in carried if last is not None and a in last.agencies]
        for c in t3.input_columns:
            values[t3.cell_name(t3.head_rows[1], c)] = whole(sum(
                (last.agencies[a] if last is not None and a in known else carried[a]).get(c.key, 0)
                for a in carried))
        if last is not None:
            source = f"{last.source}中各机关上年的“{t3.tail_rows[0].label}”"
            notes.append(f"表三“{t3.head_rows[1].label}”：{len(known)}个机关取自{source}"
                         + (f"，{len(carried) - len(known)}个机关（上年没有数据）取自其本年所填数字"
                            if len(known) < len(carried) else "") + "。")
        else:
            source = "本年各机关所填数字"
            notes.append(f"未提供上年数据（--prior-dir 或 --history）：表三“{t3.head_rows[1].label}”为本年各机关所填之和。")
    data = build_template(form, region.year, agency=agency, kind=GOVERNMENT, values=values,
                          prior_values=prior_values, locked=locked, notes=tuple(notes),
                          meta=metadata(agency, count))
    return data, {"agency": agency, "count": count, "carried_from": source}


def write_rollup(region: Region, path: Path) -> dict[str, Any]:
    from ..files.atomic import write_bytes_atomic

    data, info = build_rollup(region)
    write_bytes_atomic(Path(path), data)
    return info

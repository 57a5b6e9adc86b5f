"""gov-2021: 《中华人民共和国政府信息公开工作年度报告格式》, 国办公开办函〔2021〕30号.

Applies to the reports for 2021 onward.  Labels verbatim from the notice
(tests/data/statutory_labels.json holds them for the tests); what it left unchanged is taken
from the gov-2019 declaration.
"""

from __future__ import annotations

from . import gov2019 as prev
from .valuekinds import COUNT, MONEY_WAN
from .model import Block, Column, Form, Group, Row, Table2, Table3
from .standard_rules import fee_mention, standard_rules

TABLE2 = Table2(
    title="二、主动公开政府信息情况",
    content_label="信息内容",
    blocks=(
        Block("art20_1", "第二十条第（一）项", (
            Column("issued", "本年制发件数"),
            Column("repealed", "本年废止件数"),
            Column("in_force", "现行有效件数", hint="截至12月31日现行有效的件数。"),
        ), (
            Row("rules", "规章", "设区的市、自治州人民政府及以上填报，其他机关一般填0。"),
            Row("normative", "行政规范性文件"),
        )),
        Block("art20_5", "第二十条第（五）项", (
            Column("decisions", "本年处理决定数量", COUNT, "本年作出的行政许可决定数量。"),
        ), (
            Row("licensing", "行政许可"),
        )),
        Block("art20_6", "第二十条第（六）项", (
            Column("decisions", "本年处理决定数量", COUNT, "本年作出的处理决定数量。"),
        ), (
            Row("penalty", "行政处罚"),
            Row("coercion", "行政强制"),
        )),
        Block("art20_8", "第二十条第（八）项", (
            Column("amount", "本年收费金额（单位：万元）", MONEY_WAN),
        ), (
            Row("fees", "行政事业性收费"),
        )),
    ),
)

TABLE3 = Table3(
    title=prev.TABLE3.title,
    balance_note=prev.T3_BALANCE_NOTE,
    applicant_label=prev.TABLE3.applicant_label,
    org_label=prev.TABLE3.org_label,
    columns=prev.T3_COLUMNS,
    head_rows=prev.T3_HEAD_ROWS,
    results_label=prev.TABLE3.results_label,
    results=(
        prev.T3_GRANTED, prev.T3_PARTIAL, prev.T3_DENIED, prev.T3_UNABLE, prev.T3_NOT_PROCESSED,
        Group("（六）其他处理", (
            Row("other_1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            Row("other_2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
            Row("other_3", "3.其他"),
        )),
    ),
    results_total=prev.T3_RESULTS_TOTAL,
    tail_rows=prev.T3_TAIL_ROWS,
)

_TEXT_FIELDS = tuple(
    f if f.key != "part6" else type(f)(
        f.key, f.label, f.kind,
        "逐项说明：收取信息处理费的情况；落实上级年度政务公开工作要点情况；"
        "人大代表建议和政协提案办理结果公开情况；年度政务公开工作创新情况等。",
        f.required,
    )
    for f in prev.TEXT_FIELDS
)

_BASE = Form(
    id="gov-2021",
    notice="国办公开办函〔2021〕30号",
    notice_title="国务院办公厅政府信息与政务公开办公室关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知",
    format_name="中华人民共和国政府信息公开工作年度报告格式",
    first_year=2021,
    last_year=None,
    parts=prev.PARTS,
    info_fields=prev.INFO_FIELDS,
    text_fields=_TEXT_FIELDS,
    text_sections=prev.TEXT_SECTIONS,
    table2=TABLE2,
    table3=TABLE3,
    table4=prev.TABLE4,
)

FORM = standard_rules(_BASE, extra=(fee_mention(),))

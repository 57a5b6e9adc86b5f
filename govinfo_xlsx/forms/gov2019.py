"""gov-2019: 《中华人民共和国政府信息公开工作年度报告格式（试行）》, 国办公开办函〔2019〕60号.

Applies to the reports for 2019 and 2020.  Labels verbatim from the notice
(tests/data/statutory_labels.json holds them for the tests).
"""

from __future__ import annotations

from ..checks.findings import Severity
from .valuekinds import COUNT, DATE, MONEY_YUAN, SIGNED, YEAR, choice
from .model import Block, Column, Field, Form, Group, LitigationGroup, Part, Row, Table2, Table3, Table4
from .organs import ORGAN_KINDS
from .standard_rules import standard_rules

PARTS = (
    Part("一", "总体情况"),
    Part("二", "主动公开政府信息情况"),
    Part("三", "收到和处理政府信息公开申请情况"),
    Part("四", "政府信息公开行政复议、行政诉讼情况"),
    Part("五", "存在的主要问题及改进情况"),
    Part("六", "其他需要报告的事项"),
)

W = Severity.WARNING
INFO_FIELDS = (
    Field("agency", "机关名称", hint="填写本机关全称，将用于报告标题和落款。"),
    Field("kind", "机关类别", choice("请选择机关类别", "从列表中选择；决定公布时限和需要报告的内容。", ORGAN_KINDS),
          "县级以上人民政府部门次年1月31日前、县级以上地方人民政府（本级政府的报告）次年3月31日前公布"
          "（条例第四十九条）；乡镇人民政府、街道办事处和法律法规授权的组织条例未规定期限。",
          required=W),
    Field("year", "报告年度", YEAR, "报告所述年度（统计期限为该年1月1日至12月31日）。"),
    Field("date", "成文日期", DATE,
          "报告落款日期，应不晚于本机关类别的公布时限（见“机关类别”）。"),
    Field("contact_dept", "联系机构", hint="受理对本报告疑问的机构，如“办公室”。", required=W),
    Field("address", "联系地址", required=W),
    Field("postcode", "邮政编码", hint="6位数字。", required=W),
    Field("phone", "联系电话", hint="含区号。", required=W),
    Field("website", "报告发布平台", hint="报告电子版发布的网站或平台，如“XX市人民政府门户网站”。",
          required=W),
)

TEXT_FIELDS = (
    Field("part1_intro", "总述", hint="总体情况的开头段落（可不填）。", required=None),
    Field("part1_active", "（一）主动公开"),
    Field("part1_request", "（二）依申请公开",
          hint="可简写；生成报告时可附上按表三数据自动生成的段落。", required=W),
    Field("part1_management", "（三）政府信息管理"),
    Field("part1_platform", "（四）政府信息公开平台建设"),
    Field("part1_supervision", "（五）监督保障",
          hint="各级人民政府还应报告工作考核、社会评议和责任追究结果情况（条例第五十条）。"),
    Field("part5", "存在的主要问题及改进情况", hint="写明主要问题、改进措施。"),
    Field("part6", "其他需要报告的事项", hint="无则写明“本年度无其他需要报告的事项”。"),
)

TEXT_SECTIONS = (
    ("一、总体情况", ("part1_intro", "part1_active", "part1_request", "part1_management",
                  "part1_platform", "part1_supervision")),
    ("五、存在的主要问题及改进情况", ("part5",)),
    ("六、其他需要报告的事项", ("part6",)),
)

_PREV = Column("prev_count", "上一年项目数量", COUNT, "上一年度的事项（项目）数量。")
_CHANGE = Column("change", "本年增/减", SIGNED)
_DECISIONS = Column("decisions", "处理决定数量", COUNT, "本年作出的处理决定（办件）数量。")

TABLE2 = Table2(
    title="二、主动公开政府信息情况",
    content_label="信息内容",
    blocks=(
        Block("art20_1", "第二十条第（一）项", (
            Column("made", "本年新制作数量"),
            Column("published", "本年新公开数量"),
            Column("total_public", "对外公开总数量", hint="截至年底对外公开的总数量。"),
        ), (
            Row("rules", "规章", "设区的市、自治州人民政府及以上填报，其他机关一般填0。"),
            Row("normative", "规范性文件"),
        )),
        Block("art20_5", "第二十条第（五）项", (_PREV, _CHANGE, _DECISIONS), (
            Row("licensing", "行政许可"),
            Row("other_services", "其他对外管理服务事项",
                "除行政许可、行政处罚、行政强制以外的其他行政权力及对外管理服务事项。"),
        )),
        Block("art20_6", "第二十条第（六）项", (_PREV, _CHANGE, _DECISIONS), (
            Row("penalty", "行政处罚"),
            Row("coercion", "行政强制"),
        )),
        Block("art20_8", "第二十条第（八）项", (_PREV, _CHANGE), (
            Row("fees", "行政事业性收费"),
        )),
        Block("art20_9", "第二十条第（九）项", (
            Column("projects", "采购项目数量"),
            Column("amount", "采购总金额", MONEY_YUAN),
        ), (
            Row("procurement", "政府集中采购"),
        )),
    ),
)

T3_COLUMNS = (
    Column("natural", "自然人"),
    Column("commercial", "商业企业"),
    Column("research", "科研机构"),
    Column("social", "社会公益组织"),
    Column("legal", "法律服务机构"),
    Column("other_org", "其他"),
    Column("total", "总计"),
)

PARTIAL_HINT = "区分处理的，只计入本项，不再计入不予公开、无法提供等其他情形。"

T3_HEAD_ROWS = (
    Row("new", "一、本年新收政府信息公开申请数量", "本年1月1日至12月31日新收到的申请。"),
    Row("carried_over", "二、上年结转政府信息公开申请数量", "应等于上年度报告“四、结转下年度继续办理”。"),
)

T3_DENIED = Group("（三）不予公开", (
    Row("denied_1", "1.属于国家秘密"),
    Row("denied_2", "2.其他法律行政法规禁止公开"),
    Row("denied_3", "3.危及“三安全一稳定”"),
    Row("denied_4", "4.保护第三方合法权益"),
    Row("denied_5", "5.属于三类内部事务信息"),
    Row("denied_6", "6.属于四类过程性信息"),
    Row("denied_7", "7.属于行政执法案卷"),
    Row("denied_8", "8.属于行政查询事项"),
))
T3_UNABLE = Group("（四）无法提供", (
    Row("unable_1", "1.本机关不掌握相关政府信息"),
    Row("unable_2", "2.没有现成信息需要另行制作"),
    Row("unable_3", "3.补正后申请内容仍不明确"),
))
T3_NOT_PROCESSED = Group("（五）不予处理", (
    Row("not_processed_1", "1.信访举报投诉类申请"),
    Row("not_processed_2", "2.重复申请"),
    Row("not_processed_3", "3.要求提供公开出版物"),
    Row("not_processed_4", "4.无正当理由大量反复申请"),
    Row("not_processed_5", "5.要求行政机关确认或重新出具已获取信息"),
))
T3_GRANTED = Group("（一）予以公开", key="granted")
T3_PARTIAL = Group("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", key="partial",
                   hint=PARTIAL_HINT)

T3_BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_RESULTS_TOTAL = Row("total", "（七）总计", "自动计算：（一）至（六）各项之和。")
T3_TAIL_ROWS = (
    Row("carry_forward", "四、结转下年度继续办理", "截至12月31日尚未办结、转入下年度办理的申请。"),
)

TABLE3 = Table3(
    title="三、收到和处理政府信息公开申请情况",
    balance_note=T3_BALANCE_NOTE,
    applicant_label="申请人情况",
    org_label="法人或其他组织",
    columns=T3_COLUMNS,
    head_rows=T3_HEAD_ROWS,
    results_label="三、本年度办理结果",
    results=(
        T3_GRANTED, T3_PARTIAL, T3_DENIED, T3_UNABLE, T3_NOT_PROCESSED,
        Group("（六）其他处理", key="other"),
    ),
    results_total=T3_RESULTS_TOTAL,
    tail_rows=T3_TAIL_ROWS,
)

TABLE4 = Table4(
    title="四、政府信息公开行政复议、行政诉讼情况",
    review_label="行政复议",
    suit_label="行政诉讼",
    groups=(
        LitigationGroup("review", "行政复议", under_suit=False),
        LitigationGroup("suit_direct", "未经复议直接起诉", under_suit=True),
        LitigationGroup("suit_after_review", "复议后起诉", under_suit=True),
    ),
    columns=(
        Column("upheld", "结果维持"),
        Column("corrected", "结果纠正"),
        Column("other", "其他结果"),
        Column("pending", "尚未审结"),
        Column("total", "总计"),
    ),
)

_BASE = Form(
    id="gov-2019",
    notice="国办公开办函〔2019〕60号",
    notice_title="国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知",
    format_name="中华人民共和国政府信息公开工作年度报告格式（试行）",
    first_year=2019,
    last_year=2020,
    parts=PARTS,
    info_fields=INFO_FIELDS,
    text_fields=TEXT_FIELDS,
    text_sections=TEXT_SECTIONS,
    table2=TABLE2,
    table3=TABLE3,
    table4=TABLE4,
)

FORM = standard_rules(_BASE)

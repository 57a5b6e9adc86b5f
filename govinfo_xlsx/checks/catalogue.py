"""Checks outside the declaration (structure, cell parsing, published reports, batches)
and the rule catalogue.

The declared rules of each form live in the form declarations; these are the
checks that have no place in a live formula.  Each entry carries its ID,
severity, description and message template, and makes its own findings from
facts: ``entry(id).finding(cell=..., expected=..., **facts)`` fills the template
(``str.format`` with named facts; ``{x!v}`` shows a value as messages do, see
``findings.show``).  A check worded several ways names each wording
(``variant=``).  Callers pass facts, never words (tests/test_architecture.py).
``render_catalogue`` writes the Markdown catalogue from both, so documentation
cannot drift from the code; docs/rules.md is that output, kept fresh by a test.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field, replace
from typing import Any, Mapping

from .findings import Finding, Reporter, Severity, show
from ..forms.model import Form

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True)
class CatalogueRule(Reporter):
    """A check outside the declaration's rule kinds."""

    id: str
    severity: Severity
    description: str
    template: str | Mapping[str, str] = field(default="", compare=False)  # one wording, or {variant: wording}

    def templates(self) -> dict[str, str]:
        """{variant: message template} ("" names the only wording)."""
        return dict(self.template) if isinstance(self.template, Mapping) else {"": self.template}

    def say(self, variant: str = "", **facts: Any) -> str:
        """The message of this check from its facts."""
        return _FORMATTER.format(self.templates()[variant], **facts)

    def finding(self, *, variant: str = "", sheet: str = "", cell: str = "", row_label: str = "",
                col_label: str = "", expected: Any = None, actual: Any = None, severity: Severity | None = None,
                **facts: Any) -> Finding:
        """A finding of this check, worded by its template (``variant``) from its place, expected and
        actual values and ``facts``."""
        text = self.say(variant, sheet=sheet, cell=cell, row_label=row_label, col_label=col_label,
                        expected=expected, actual=actual, **facts)
        return super().finding(text, sheet=sheet, cell=cell, row_label=row_label, col_label=col_label,
                               expected=expected, actual=actual, severity=severity)


class _Formatter(string.Formatter):
    """str.format with more conversions and lists: ``{x!v}`` shows a value as messages do (dates in
    Chinese, whole numbers without .0, see findings.show); ``{x!u}`` likewise, or 未知 when missing;
    ``{x!n}`` an agency's name, or （机关名称未知）; ``{x!q}`` quotes it (each item of a list) “so”; a list is joined by its format spec's separator (default 、), cut after the spec's number of
    items with 等: ``{rows!q:、8}``."""

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "v":
            return show(value)
        if conversion == "u":
            return show(value) if value not in (None, "", 0) else "未知"
        if conversion == "n":
            return show(value) if value not in (None, "") else "（机关名称未知）"
        if conversion == "q":
            return [f"“{x}”" for x in value] if isinstance(value, (list, tuple)) else f"“{value}”"
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, (list, tuple)):
            sep = format_spec.rstrip("0123456789") or "、"
            limit = int(format_spec[len(sep):] or 0) if format_spec else 0
            shown = [str(x) for x in (value[:limit] if limit else value)]
            return sep.join(shown) + ("等" if limit and len(value) > limit else "")
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


INGEST_RULES = (
    CatalogueRule("structure-sheet-missing", E, "模板中的工作表被删除或改名",
                  {"": "缺少工作表“{sheet}”。", "blank": "缺少工作表“{sheet}”，其中的内容按空白处理。",
                  "renamed": "工作表“{sheet}”被改名为“{now}”，已按单元格名称读取。"}),
    CatalogueRule("structure-sheet-added", W, "工作簿中有模板以外的工作表",
                  "工作表“{sheet}”不属于填报模板，其内容不会被读取。"),
    CatalogueRule("structure-name-missing", E, "单元格的定义名称被删除，按模板原位置读取",
                  "单元格名称 {name} 不存在，已按模板原位置 {home} 读取。"),
    CatalogueRule("structure-cell-moved", E, "单元格不在模板原位置（插入或删除了行列）",
                  "“{row_label}／{col_label}”应在 {expected}，现在在 {actual}：请勿插入或删除行列。"),
    CatalogueRule("structure-label", E, "表格栏目文字被改动，与统一格式不一致",
                  "栏目文字应为“{expected}”，现为“{got}”：请勿改动表格栏目。"),
    CatalogueRule("structure-formula", E, "自动计算的总计单元格被改成了数值",
                  "“{row_label}／{col_label}”的总计公式被改成了“{actual}”，已按各项之和重新计算。"),
    CatalogueRule("structure-extent", W, "表格以外很远的单元格有内容（未读取）",
                  {"": "工作表“{sheet}”的 {cells} 单元格有内容，远在模板表格之外，未读取：请删除表格以外的内容后报送。",
                  "-drawn": "工作表“{sheet}”的 {cells} 单元格有内容，远在模板表格（{table}）之外，未读取：请删除表格以外的内容后报送。",
                  "many": "工作表“{sheet}”的 {cells} 等 {actual} 个单元格有内容，远在模板表格之外，未读取：请删除表格以外的内容后报送。",
                  "many-drawn": "工作表“{sheet}”的 {cells} 等 {actual} 个单元格有内容，远在模板表格（{table}）之外，未读取：请删除表格以外的内容后报送。"}),
    CatalogueRule("structure-version", INFO, "模板由其他版本的 govinfo-xlsx 生成",
                  "该模板由其他版本的 govinfo-xlsx 生成，已按当前版本的格式声明校验。"),
    CatalogueRule("cell-normalized", W, "数字带有单位、空格、千分位或全角字符，已按数字读取",
                  "“{actual}”已按 {expected!v} 读取，请只填写数字或日期本身。"),
    CatalogueRule("cell-none-as-zero", W, "填写了“无”“-”“—”“/”等，已按0读取",
                  "“{actual}”已按 0 读取：没有的请直接填 0。"),
    CatalogueRule("cell-error-value", E, "单元格中是公式错误值（如 #DIV/0!、#REF!），不是数据",
                  "“{label}”是公式错误值“{actual}”，不是{what}：请改为填写数据本身。"),
    CatalogueRule("xy-prior-agency", E, "上年数据属于另一个机关",
                  "上年数据（{file}）属于“{actual}”，不是“{expected}”。"),
    CatalogueRule("xy-prior-year", E, "上年数据不是上一年度的",
                  "上年数据（{file}）是{year}年度的，不是{expected}年度的。"),
    CatalogueRule("xy-repetition", W, "文字部分与上年报告的重复率达到本办阈值（默认50%；13字以上相同片段所占字符比例，"
                                      "屏蔽名称、年份、日期和数字后）",
                  {"": "文字部分与上年报告（{name}）重复率：{over}（全文{actual}）。请按本年工作实际撰写，不应照搬上年内容。",
                  "unnamed": "文字部分与上年报告（上年报告）重复率：{over}（全文{actual}）。请按本年工作实际撰写，不应照搬上年内容。",
                  "published": "文字部分与本机关{year}年度报告重复率：{over}（全文{actual}）。请核实是否照搬上年内容。",
                  "published-unknown-year": "文字部分与本机关上一年度报告重复率：{over}（全文{actual}）。请核实是否照搬上年内容。"}),
)


PUBLISHED_RULES = (
    CatalogueRule("pub-wrong-format", E, "报告的统计表格式与报告年度不符（2019—2020年度用2019年格式，2021年度起用2021年格式）",
                  "{year}年度报告应使用{right}格式的统计表，本报告使用的是{used}格式。"),
    CatalogueRule("pub-part-missing", E, "缺少统一格式规定的某一部分",
                  "缺少第{expected}部分“{expected}、{heading}”。"),
    CatalogueRule("pub-part-order", E, "各部分顺序与统一格式不一致",
                  "各部分的顺序为“{present}”，应为“一、二、三、四、五、六”。"),
    CatalogueRule("pub-part-numbering", E, "部分标题编号错误（如“5、”应为“五、”）",
                  "标题“{heading}”的编号应为“{expected}”。"),
    CatalogueRule("pub-part-empty", E, "某一部分没有内容",
                  "{sheet}没有内容。"),
    CatalogueRule("pub-table-empty", E, "第二、三、四部分的统计表缺失或为空",
                  "{sheet}没有统计表（或表格为空）。"),
    CatalogueRule("pub-cell-blank", W, "统计表单元格空白（没有的应填0）",
                  "{sheet}有 {actual} 个空白单元格（首个在{cell}）：没有的应填0，不应留空。"),
    CatalogueRule("pub-cell-not-number", E, "统计表单元格不是数字（或带有与栏目不符的单位）",
                  "{what}“{actual}”{problem}。"),
    CatalogueRule("pub-cell-normalized", W, "统计表单元格带有单位、文字或全角字符，已按数字读取",
                  "{what}写作“{actual}”，数字单元格中不应带单位或文字（已按 {expected} 读取）。"),
    CatalogueRule("pub-stray-markup", INFO, "表格中残留 Word 书签等排版标记",
                  "表格中残留 Word 书签标记“[bookmark: …]”。"),
    CatalogueRule("pub-page-unchecked", INFO, "PDF 某页的表格线过多，未在其中识别表格：该页只按文字读取，其中的统计表无法核对（不作为缺少）",
                  "PDF {pages:、10}的表格线过多（超过表格识别的上限），未在其中识别表格，只按文字读取；这些页上的统计表无法核对。"),
    CatalogueRule("pub-prose-number", E, "正文中的数字与统计表不一致",
                  "正文写“{said}”，统计表中{what}为 {expected} 件（按{basis}）。"),
    CatalogueRule("pub-prose-percent", W, "正文中列出的各项占比相加不等于100%",
                  "正文列出的各项占比之和为 {actual:g}%，不等于100%。"),
    CatalogueRule("pub-prose-outcome", E, "正文对复议、诉讼结果的表述（如“均获维持”）与表四不符",
                  "正文写“{said}”，但表四中{actual}。"),
    CatalogueRule("pub-prose-all-done", W, "正文称申请“均已办结”“全部办结”“均已办理完成”等，而表三“结转下年度继续办理”不为0",
                  "正文写“{said}”，但表三“结转下年度继续办理”为 {actual} 件（按{basis}）。"),
    CatalogueRule("pub-prose-year", INFO, "正文以另一个（更早的）年度陈述本机关的情况，可能是上一年报告中留下的句子",
                  "正文写“{said}……”，说的是{actual}年度的情况，而本报告是{expected}年度的：这句话可能是上一年报告中留下的，请核对。"),
    CatalogueRule("pub-year-unknown", E, "读不出报告年度（或早于2019年度），无法确定格式",
                  {"": "未能从页面标题、文章标题或报告标题中读出报告年度，无法确定应使用的格式，也无法核对发布时限；请核对报告标题（如“某某局2025年政府信息公开工作年度报告”）。",
                  "early": "报告年度为{actual}年，早于现行格式适用的2019年度。"}),
    CatalogueRule("pub-format-unknown", E, "统计表中没有可判断格式的栏目，无法确定格式（按年度推定）",
                  "统计表中没有可判断格式的栏目，无法确定报告使用的格式（按年度推定为{notice}格式）。"),
    CatalogueRule("pub-agency-unknown", E, "读不出发布机关的名称",
                  "未能从页面或报告标题中读出发布机关的名称。"),
    CatalogueRule("pub-label-changed", W, "统计表的栏目文字被改动（加了说明、印错）或多出统一格式以外的行",
                  {"": "表二的栏目文字与统一格式不一致（{actual} 处）：{seen:；6}。统一格式的栏目文字不得增删改动。",
                  "表三": "表三的行标题与统一格式不一致（{actual} 处）：{seen:；6}。已按编号和相近的文字读取该行。"}),
    CatalogueRule("pub-table-missing", E, "未找到表二、表三或表四",
                  "未找到{sheet}（{title}），其中 {expected} 个单元格均未读取。"),
    CatalogueRule("pub-row-missing", E, "统计表中缺少某些行",
                  "{sheet}中未找到 {expected} 行：{rows!q:、8}。"),
    CatalogueRule("pub-cell-missing", E, "统计表的某行缺少单元格",
                  "{sheet}“{row_label}”行缺少 {expected} 个单元格：{columns!q}。"),
    CatalogueRule("pub-cell-precision", INFO, "金额的小数位数超过格式的精度（已按公布的数字读取）",
                  "{what}写作“{actual}”，超过{decimals}位小数（已按 {actual} 读取）。"),
    CatalogueRule("pub-total-blank", E, "统计表的合计空白而各项不为0",
                  "{sheet}有 {expected} 处合计空白而各项不为0：{totals:、10}；合计应等于各项之和。"),
    CatalogueRule("pub-row-older-format", E, "2021年格式的表三中“（六）其他处理”只印了2019年格式的一行（已读取该行，缺少统一格式的三个编号行）",
                  {"": "表三“（六）其他处理”只印了2019年格式的一行（已读取：{figures}）；2021年格式应分为{rows!q}{expected}行，各行的数字无法分开。",
                  "no-figures": "表三“（六）其他处理”只印了2019年格式的一行（已读取：无数字）；2021年格式应分为{rows!q}{expected}行，各行的数字无法分开。"}),
    CatalogueRule("pub-cells-parted", INFO, "统计表的数字连在一起（网站存档的文字），已按“总计等于各项之和”唯一地拆分读取，请核对原文",
                  "{actual} 行统计表的数字连在一起，已按“总计等于各项之和”唯一地拆分读取：{rows:；4}。请核对原文。"),
    CatalogueRule("pub-cells-rebuilt", INFO, "网站存档的文字略去了与前一行相同的行，统计表的行按“略去的数字与前一个相同”和统一格式的合计关系唯一地还原读取；只有按合计关系才能还原的行，其合计与勾稽关系无法核对",
                  {"": "{sheet}的文字略去了与前一行相同的行（网站存档的文字）：{actual} 行按“略去的数字与前一个相同”唯一地还原读取（如一个“0”为整行0）。请核对原文。",
                  "sums": "{sheet}的文字略去了与前一行相同的行（网站存档的文字）：{actual} 行按“略去的数字与前一个相同”还原读取，其中 {expected} 行的数字只有按统一格式的合计关系才能唯一地放入各栏：{rows:；4}。这些行的合计与勾稽关系已用于还原，不能再用来发现错误（原文若有合计错误，还原也可能有误），无法核对；请核对原文。",
                  "unread": "{sheet}的文字略去了与前一行相同的行（网站存档的文字），{actual} 行未能唯一地还原，未读取：{rows:；4}。原因：{why}。"}),
    CatalogueRule("pub-text-unsegmented", INFO, "正文未能分成统一格式的各部分（找不到部分标题）：各部分和统计表无法核对，结论为“无法完整核对”",
                  {"": "未能把正文分成统一格式的六个部分（识别出的部分标题：{found}），各部分是否齐全无法核对。",
                  "none": "未能把正文分成统一格式的六个部分（识别出的部分标题：无），各部分是否齐全无法核对。"}),
    CatalogueRule("pub-part-unchecked", INFO, "某一部分的标题与统一格式相差太远，未能确认，或其标题后紧接前一部分的标题（两个标题互换）：该部分无法核对（不作为缺少或没有内容）",
                  {"": "未能确认第{part}部分的标题：{seen}可能是“{part}、”部分，但文字与统一格式的标题不符，该部分无法核对。",
                  "order": "第{part}部分的标题之后紧接着前一部分的标题（各部分的顺序为{present}，两个标题可能互换）：该部分的内容可能印在别处，是否有内容无法核对。"}),
    CatalogueRule("pub-table-unchecked", INFO, "统计表所在部分有未能对应到栏目的数字：该表无法核对（不作为缺少）",
                  {"": "未能读出{sheet}，无法核对。原因：{why}。",
                  "pages": "未能读出{sheet}，无法核对。原因：PDF {pages:、10}的表格线过多（超过表格识别的上限），未在其中识别表格，只按文字读取。"}),
    CatalogueRule("pub-row-unchecked", INFO, "统计表的某些行未能读取，而附近有未能对应到栏目的数字：这些行无法核对（不作为缺少）",
                  {"": "{sheet}中有未能读取的行，无法核对：{rows!q:、8}。原因：{why}。",
                  "as-found": "{sheet}中有未能读取的行，无法核对：{listed}原因：{why}。"}),
    CatalogueRule("pub-published-late", W, "发布日期晚于该类机关的公布时限（部门1月31日，县级以上地方人民政府3月31日）",
                  {"": "报告发布于{day!v}，晚于{kind}的公布时限{due}（{basis}）。",
                  "kind-unknown": "报告发布于{day!v}，晚于（机关类型未能判断）任何一类机关的公布时限{due}（{basis}）。",
                  "undated": "页面没有注明发布日期，报告的成文日期{day!v}已晚于公布时限{due!v}，发布只会更晚。"}),
)


AUDIT_RULES = (  # audit/evidence.py
    CatalogueRule("pub-date-unknown", INFO, "页面没有注明发布日期（成文日期也不能说明已逾期）：是否按时发布无法核对",
                  {"": "页面没有注明发布日期，报告也没有成文日期：是否按时发布无法核对（不视为按时发布）。",
                  "dated": "页面没有注明发布日期，报告落款的成文日期不晚于公布时限：是否按时发布无法核对（不视为按时发布）。"}),
    CatalogueRule("pub-changed", W, "发布后有变动：报告内容与上次审核（audit --previous）时不同",
                  "发布后有变动：“{agency}”{year}年度报告的内容与上次审核时不同（内容哈希 {hash}，上次为 {hashes}）。"),
    CatalogueRule("pub-versions", W, "同一机关同一年度的报告有内容不同的多个版本",
                  "“{agency}”{year}年度报告有{actual}个内容不同的版本：本份与{others!q:、5}不同。"),
)


COLLECT_RULES = (
    CatalogueRule("collect-unreadable", E, "文件无法读取",
                  "{error}"),
    CatalogueRule("collect-wrong-year", E, "报告年度与本次收集的年度不符",
                  {"": "报告年度为{actual!u}，本次收集的是{expected}年度。",
                  "majority": "报告年度为{actual!u}，本批多数文件（即本次收集）是{expected}年度。",
                  "audit": "报告年度为{actual!u}，本次审核的是{expected}年度。"}),
    CatalogueRule("collect-duplicate-file", W, "与另一份报送文件内容完全相同",
                  "与“{first}”内容完全相同。"),
    CatalogueRule("collect-duplicate-agency", W, "同一机关报送了多份文件",
                  {"": "“{agency}”共有{n}份{year!u}年度的报告。",
                  "replaced": "“{agency}”共报送了{n}份文件，以最新的一份为准，本份已被替换。"}),
    CatalogueRule("collect-not-in-roster", W, "机关不在报送名单中",
                  "“{actual!n}”不在名单中。"),
    CatalogueRule("collect-annotate-failed", INFO, "未能生成标注副本（校验结果不受影响）",
                  "{error}"),
    CatalogueRule("collect-late", W, "成文日期晚于本次收集规定的时限（collect --deadline；未指定时按机关类别的公布时限，"
                                     "见 info-date-deadline、info-date-deadline-local）",
                  {"": "逾期：成文日期{date!v}晚于{due!v}（{kind}，{basis}）。",
                  "override": "逾期：成文日期{date!v}晚于{due!v}（本次收集规定的时限）。"}),
    CatalogueRule("collect-kind-mismatch", INFO, "工作簿所填的机关类别与报送名单的“机关类别”不符，"
                                                 "或名称含“人民政府”“镇”“街道”而类别为部门",
                  {"": "工作簿所填的机关类别为“{actual}”，报送名单为“{expected}”：请核实（公布期限和同类机关比较按工作簿所填计算）。",
                  "name": "“{agency}”的名称像是人民政府、乡镇或街道，机关类别却是“{actual}”：请核实。"}),
)


PEER_RULES = (
    CatalogueRule("peer-all-zero", INFO, "表三、表四全为0，而同类机关多数报告了依申请公开",
                  "表三、表四全为0（本年没有任何依申请公开和复议诉讼），而同类机关（{kind}）{others}个中有{reporting}个报告了依申请公开：请核实是否漏报。"),
    CatalogueRule("peer-disclosure-rate", INFO, "公开率（予以公开和部分公开占办结数）远离同类机关的正常范围（中位数±k倍MAD）",
                  "公开率（予以公开和部分公开{num}件占办结{den}件）为{rate:.0%}，同类机关（{kind}，{peers}个）的中位数为{middle:.0%}，正常范围约{low:.0%}—{high:.0%}：请核实。"),
    CatalogueRule("peer-correction-rate", INFO, "纠错率（复议、诉讼中被纠正占总计）远离同类机关的正常范围（中位数±k倍MAD）",
                  "纠错率（复议、诉讼中被纠正{num}件占总计{den}件）为{rate:.0%}，同类机关（{kind}，{peers}个）的中位数为{middle:.0%}，正常范围约{low:.0%}—{high:.0%}：请核实。"),
    CatalogueRule("peer-repetition", INFO, "文字部分与同批另一机关（不限类型）的报告重复率达到本办阈值（默认50%，内容雷同）",
                  "文字部分与同批“{peer}”的报告重复率：{over}（全文{actual}；与同批全部其他机关相比{peers}）。请核实是否照搬其他单位的报告（内容雷同）。"),
)


_ENTRIES = {r.id: r for r in (*INGEST_RULES, *PUBLISHED_RULES, *AUDIT_RULES, *COLLECT_RULES, *PEER_RULES)}


UNSEGMENTED_NOTE = "（正文未能分段，无法核对。）"


def unsegmented(f: Finding) -> Finding:
    """A finding about a report's identity (year, agency) when the text could not be segmented: a 提示,
    said to be 无法核对 (extract/degrade.py)."""
    return replace(f, severity=Severity.INFO, message=f.message + UNSEGMENTED_NOTE)


UNEXPLAINED = "（本办要求：警告须在“校验结果”表“说明”栏写明理由，未填写的按错误计）"


def unexplained(f: Finding) -> Finding:
    """A 警告 left without the clerk's 说明 where the office requires one (office/config.py): an 错误,
    saying why."""
    return replace(f, severity=Severity.ERROR, message=f.message + UNEXPLAINED)


def restated(f: Finding, **changes: Any) -> Finding:
    """A catalogue finding said again with changed facts (fewer rows missing, …): worded anew by its entry,
    at the same place and severity; ``changes``: expected, actual, labels and the template's facts."""
    where = {"sheet": f.sheet, "cell": f.cell, "row_label": f.row_label, "col_label": f.col_label,
             "expected": f.expected, "actual": f.actual, "severity": f.severity}
    return replace(entry(f.rule).finding(**{**where, **changes}), explanation=f.explanation)


def entry(rule_id: str) -> CatalogueRule:
    """The catalogue entry of a check outside the declaration (KeyError for an unknown ID)."""
    return _ENTRIES[rule_id]


def rule_index(*forms: Form) -> dict[str, Reporter]:
    """rule ID -> rule, over the forms' declared and cross-year rules and every catalogue entry."""
    out: dict[str, Reporter] = {r.id: r for form in forms for r in (*form.rules, *form.cross_year)}
    out.update(_ENTRIES)
    return out


def rule_stats(counts, *forms: Form) -> list[dict[str, Any]]:
    """The 规则统计 rows of a batch (collect, audit): (rule ID, severity found, number of files), in
    the order given, with each rule's declared severity (else the one found) and description."""
    index = rule_index(*forms)
    return [{"rule": rule, "severity": index[rule].severity.value if rule in index else severity,
             "description": index[rule].description if rule in index else "", "files": n}
            for rule, severity, n in counts]


def _templates(r: CatalogueRule) -> str:
    """A catalogue entry's message templates for the Markdown table (variants one per line)."""
    shown = [f"{k}：`{t}`" if k else f"`{t}`" for k, t in r.templates().items() if t]
    return "<br>".join(x.replace("|", "\\|") for x in shown) or "—"


def _table(heading: str, rules, with_kind: bool = False, intro: str = "", config=None) -> list[str]:
    """A Markdown section listing rules: ID, severity, (kind,) description; catalogue entries also
    their message templates."""
    said = not with_kind
    head = ("| 规则编号 | 级别 | 类型 | 说明 |" if with_kind else "| 规则编号 | 级别 | 说明 |") + (" 消息模板 |" if said else "")
    rule = ("| --- | --- | --- | --- |" if with_kind else "| --- | --- | --- |") + (" --- |" if said else "")
    lines = [heading, ""] + ([intro, ""] if intro else []) + [head, rule]
    for r in rules:
        kind = f" {type(r).__name__} |" if with_kind else ""
        later = "" if getattr(r, "live", True) else "（仅读取时校验）"
        severity = r.severity.value
        if config is not None and config.severity(r.id, r.severity) is not r.severity:
            changed = config.severity(r.id, r.severity)
            severity = f"{changed.value if changed else '关闭'}（本办设定，原为{r.severity.value}）"
        lines.append(f"| `{r.id}` | {severity} |{kind} {r.description}{later} |" + (f" {_templates(r)} |" if said else ""))
    return lines + [""]


def render_catalogue(forms: tuple[Form, ...], config=None) -> str:
    """The catalogue; with an office ``config`` (office/config.py) the effective one."""
    lines = ["# 校验规则目录", "", "由 govinfo-xlsx 的格式声明生成（`govinfo-xlsx rules`），请勿手工编辑。", ""]
    if config is not None:  # (office.config reads this catalogue: not imported here)
        lines += config.describe()
    for form in forms:
        span = f"{form.first_year}—{form.last_year}" if form.last_year else f"{form.first_year}起"
        lines += _table(f"## {form.id}：{form.format_name}（{form.notice}，{span}年度）", form.rules, True, config=config)
        lines += _table(f"### {form.id} 跨年度规则（make-template/ingest --prior）", form.cross_year, True,
                        config=config)
    lines += _table("## 读取时的结构与单元格规则（各格式通用）", INGEST_RULES, config=config)
    lines += _table("## 已公布报告的检查（extract）", PUBLISHED_RULES, intro="统计表的算术规则同上（表三、表四各规则）。",
                    config=config)
    lines += _table("## 审核已公布报告时的发布证据（audit）", AUDIT_RULES, config=config,
                    intro="内容哈希、发布日期及其来源、公布时限；audit --previous 与上次审核比较。")
    lines += _table("## 批量收集时的规则（collect）", COLLECT_RULES, config=config)
    lines += _table("## 同类机关比较（collect）", PEER_RULES, config=config,
                    intro="同一批次中同类机关（机关类型相同）之间比较，案件数足够时才比较。")
    return "\n".join(lines).rstrip("\n") + "\n"

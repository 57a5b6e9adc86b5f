"""The text of the 填报说明 sheet, built from the declaration."""

from __future__ import annotations

from ..forms.valuekinds import SIGNED
from ..forms.model import Form
from ..forms.organs import GOVERNMENT_ORGAN_KINDS, ORGAN_KINDS, deadline
from .layout import SHEET_NAMES

# Legend lines: style -> what a cell of that look is.  The writer paints each line in its colour.
LEGEND = (
    ("legend-input", "浅黄色：可以填写的单元格（其余单元格已锁定；按 Tab 键在可填写的单元格之间跳转）。"),
    ("legend-note", "橙色：还没有填写的单元格（数字空白按0计，无则请填0；文字部分空着的栏目都是橙色）和有提示、警告的单元格。"),
    ("legend-bad", "红色：校验未通过的单元格（含基本信息中必须填写而还空着的），改正后自动恢复原色。"),
    ("legend-total", "灰蓝色：由公式自动计算的“总计”，不需要也不能填写。"),
    ("legend-prefilled", "浅绿色：按上年数据预填并锁定的单元格（仅用上年数据生成的模板中有）。"),
)


def _title(table_title: str) -> str:
    """“表三（收到和处理政府信息公开申请情况）” for “三、收到和处理政府信息公开申请情况”."""
    number, _, name = table_title.partition("、")
    return f"表{number}（{name}）"


def deadline_lines(year: int, kind: str | None, source: str) -> list[tuple[str, str]]:
    """The deadlines of 条例第四十九条 and the one of this template's kind of organ."""
    statutory = [deadline(k) for k in ORGAN_KINDS if deadline(k).statutory]
    others = [k for k in ORGAN_KINDS if not deadline(k).statutory]
    lines = [
        ("text", "依据《中华人民共和国政府信息公开条例》第四十九条，"
                 + "；".join(f"{d.kind}应当在每年{d.month}月{d.day}日前向本级政府信息公开工作主管部门提交"
                            "并向社会公布本行政机关上一年度的年度报告" if i == 0 else
                            f"{d.kind}的政府信息公开工作主管部门应当在每年{d.month}月{d.day}日前向社会公布"
                            "本级政府上一年度的年度报告"
                            for i, d in enumerate(statutory))
                 + f"。{'和'.join(others)}的公布时限条例未作规定，本模板按通行做法以"
                 + f"{deadline(others[0]).text()}作提示，以本地要求为准。"),
    ]
    if source:
        lines.append(("text", f"生成本模板时的机关类别：“{kind}”（{source}）。" if kind else
                              "生成本模板时未确定机关类别。"))
    lines.append(("kind", kind_text(year, kind)))
    lines.append(("text", f"机关类别为{'或'.join(f'“{k}”' for k in GOVERNMENT_ORGAN_KINDS)}的（各级人民政府的报告），还应在总体情况的"
                          "“监督保障”中报告工作考核、社会评议和责任追究结果情况（条例第五十条第（四）项）。"))
    return lines


def kind_text(year: int, kind: str | None) -> str:
    """The line on the kind chosen and the deadline that follows from it (the writer makes it a
    formula on 基本信息's 机关类别, ``kind_formula``; this is its value)."""
    info = SHEET_NAMES["info"]
    period = f"统计期限为{year}年1月1日至{year}年12月31日。"
    if kind not in ORGAN_KINDS:
        d = deadline(None)
        return (f"机关类别尚未选择：请在“{info}”表的“机关类别”中选择。未选择时按{d.kind}的时限"
                f"（{d.text(year)}）校验。{period}")
    d = deadline(kind)
    return (f"本模板的机关类别为“{kind}”（如有不符，请在“{info}”表的“机关类别”中重新选择，公布时限和校验"
            f"随之调整）。{year}年度报告的公布时限为{d.text(year)}（{d.basis}）。{period}")


def kind_formula(year: int, ref: str) -> str:
    """An Excel formula giving ``kind_text`` for the kind in cell ``ref``."""
    def lit(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    expr = lit(kind_text(year, None))
    for kind in ORGAN_KINDS:
        expr = f"IF({ref}={lit(kind)},{lit(kind_text(year, kind))},{expr})"
    return "=" + expr


def instruction_lines(form: Form, year: int, kind: str | None = None, kind_source: str = "") -> list[tuple[str, str]]:
    """(style, text) lines; style is 'title', 'heading', 'text', 'kind' (the line ``kind_formula``
    computes) or one of the LEGEND styles."""
    t2, t3 = form.table2, form.table3
    money = [
        (b.caption, r.label, c.label, c.kind.message)
        for b in t2.blocks for r in b.rows for c in b.columns if c.kind.money
    ]
    signed = [c.label for b in t2.blocks for c in b.columns if c.kind == SIGNED]
    partial = next(g for g in t3.results if g.key == "partial")
    lines: list[tuple[str, str]] = [
        ("title", f"{year}年政府信息公开工作年度报告 填报说明"),
        ("text", f"本模板按《{form.format_name}》（{form.notice}）制作，适用于"
                 + (f"{form.first_year}—{form.last_year}年度" if form.last_year else f"{form.first_year}年度及以后")
                 + "的年度报告。表格的栏目和文字与统一格式一致，请勿改动。"),
        ("heading", "一、填报时限"),
        *deadline_lines(year, kind, kind_source),
        ("heading", "二、怎样填写"),
        ("text", "单元格的颜色："),
        *LEGEND,
        ("text", "数字单元格：无则填0，不要留空，不要填“无”“/”“—”，不要在数字后加“件”“元”等单位。"),
        ("text", f"文字单元格：在“{SHEET_NAMES['text']}”表中填写；单元格内换行请按 Alt+Enter（WPS 同）。"),
        ("heading", "三、各表口径"),
        ("text", f"{_title(t2.title)}：按条例第二十条各项填报本机关的数量。"),
    ]
    for caption, row, col, message in money:
        lines.append(("text", f"{caption}“{row}”的“{col}”：{message}"))
    if signed:
        lines.append(("text", f"“{signed[0]}”：与上一年相比增加填正数，减少填负数（如-8），无变化填0。"))
    lines += [
        ("text", f"{_title(t3.title)}：{t3.balance_note.strip('（）')}。每一列都须满足这一关系，"
                 f"即“{t3.head_rows[0].label}”加“{t3.head_rows[1].label}”"
                 f"等于“{t3.results_label}{t3.results_total.label}”加“{t3.tail_rows[0].label}”。"),
        ("text", f"“{partial.label}”：{partial.hint}"),
        ("text", f"“{t3.head_rows[1].label}”应与上一年度报告的“{t3.tail_rows[0].label}”逐列一致。"),
        ("text", f"{_title(form.table4.title)}：填报本年度因政府信息公开工作被申请行政复议、提起行政诉讼的案件数量，"
                 "各组“总计”自动计算。"),
        ("heading", "四、校验"),
        ("text", f"“{SHEET_NAMES['checks']}”表逐条列出校验规则及结果；未通过的规则及其涉及的单元格显示为红色"
                 "（错误）或橙色（警告、提示）。“差额或问题数”一栏为0即通过：勾稽关系填两边之差，其他规则填有问题的"
                 "单元格数、逾期天数等。请在报送前确保“未通过项数”为0。"),
        ("text", "警告和提示项的数字确实无误时，请在该行“说明”栏写明理由（如“本年度确无依申请公开”），"
                 "政务公开办审核时据此核实；未写明理由的警告可能被退回修改。"),
        ("text", "报送后，政务公开办会用同一套规则重新校验，并以重新计算的结果为准。"),
    ]
    return lines

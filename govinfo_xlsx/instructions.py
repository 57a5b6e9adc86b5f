"""The text of the 填报说明 sheet, built from the declaration."""

from __future__ import annotations

from .forms.kinds import SIGNED
from .forms.model import Form
from .layout import SHEET_NAMES


def instruction_lines(form: Form, year: int) -> list[tuple[str, str]]:
    """(style, text) lines; style is 'title', 'heading' or 'text'."""
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
        ("text", f"依据《中华人民共和国政府信息公开条例》第四十九条，县级以上人民政府部门应当在每年1月31日前"
                 f"向本级政府信息公开工作主管部门提交上一年度的年度报告并向社会公布。{year}年度报告的公布时限为"
                 f"{year + 1}年1月31日。统计期限为{year}年1月1日至{year}年12月31日。"),
        ("heading", "二、怎样填写"),
        ("text", "只有浅黄色的单元格可以填写，其余单元格已锁定；按 Tab 键可在可填写的单元格之间跳转。"),
        ("text", "数字单元格：无则填0，不要留空，不要填“无”“/”“—”，不要在数字后加“件”“元”等单位。"),
        ("text", "灰色的“总计”单元格由公式自动计算，不需要也不能填写。"),
        ("text", f"文字单元格：在“{SHEET_NAMES['text']}”表中填写；单元格内换行请按 Alt+Enter（WPS 同）。"),
        ("heading", "三、各表口径"),
        ("text", f"{t2.title}：按条例第二十条各项填报本机关的数量。"),
    ]
    for caption, row, col, message in money:
        lines.append(("text", f"{caption}“{row}”的“{col}”：{message}"))
    if signed:
        lines.append(("text", f"“{signed[0]}”：与上一年相比增加填正数，减少填负数（如-8），无变化填0。"))
    lines += [
        ("text", f"{t3.title}：{t3.balance_note.strip('（）')}。每一列都须满足这一关系，"
                 f"即“{t3.head_rows[0].label}”加“{t3.head_rows[1].label}”"
                 f"等于“{t3.results_label}{t3.results_total.label}”加“{t3.tail_rows[0].label}”。"),
        ("text", f"“{partial.label}”：{partial.hint}"),
        ("text", f"“{t3.head_rows[1].label}”应与上一年度报告的“{t3.tail_rows[0].label}”逐列一致。"),
        ("text", f"{form.table4.title}：填报本年度因政府信息公开工作被申请行政复议、提起行政诉讼的案件数量，"
                 "各组“总计”自动计算。"),
        ("heading", "四、校验"),
        ("text", f"“{SHEET_NAMES['checks']}”表逐条列出校验规则及结果；未通过的规则及其涉及的单元格显示为红色。"
                 "请在报送前确保“未通过项数”为0。"),
        ("text", "警告和提示项的数字确实无误时，请在该行“说明”栏写明理由（如“本年度确无依申请公开”），"
                 "政务公开办审核时据此核实；未写明理由的警告可能被退回修改。"),
        ("text", "报送后，政务公开办会用同一套规则重新校验，并以重新计算的结果为准。"),
    ]
    return lines

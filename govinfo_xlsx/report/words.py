"""Where a line may break inside the statutory tables' labels: only where a word ends.

The labels are fixed by the declarations of the two statutory formats, so their words are listed
here (no segmenter needed): ``label_units`` cuts a label after its number (“（三）”, “三、”, “1.”) and
then by longest match against ``WORDS``.  Punctuation stays with its word (“费用、”, “（单位：”), a
quotation stays whole (“三安全一稳定”), and a character of no listed word is a unit of its own.
"""

from __future__ import annotations

import re

# The words of the statutory labels of tables 二、三、四 (both formats), as a reader would cut them.
WORDS = frozenset("""
本年 本年度 上年 上一年 下年度 新 新收 新制作 新公开 制作 制发 废止 现行 有效 件数 数量 总数量 总金额 金额
对外 公开 信息 内容 规章 规范性 文件 项目 增/减 处理 决定 行政 机关 本机关 许可 其他 管理 服务 事项 处罚
强制 事业性 收费 采购 政府 集中 单位 万元 本列 数据 的 勾稽 关系 为 第一项 第二项 第三项 第四项 加 之和
等于 申请人 申请 情况 自然人 法人 或 组织 商业 企业 科研 机构 社会 公益 法律 总计 结转 办理 结果 予以
部分 区分 只计 这一 情形 不计 不予 属于 国家 秘密 法规 禁止 危及 保护 第三方 合法 权益 三类 四类 内部
事务 过程性 执法 案卷 查询 无法 提供 不掌握 相关 没有 现成 需要 另行 补正后 仍 不明确 信访 举报 投诉 类
重复 要求 出版物 无正当理由 大量 反复 确认 重新 出具 已获取 逾期 不补正 不再 其 未按 通知 缴纳 费用
继续 复议 诉讼 维持 纠正 尚未 审结 未经 直接 起诉 复议后 第二十条
""".split())
LONGEST = max(len(w) for w in WORDS)

_NUMBERING = re.compile(r"^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d+\.)")
_ITEM = re.compile(r"第（[一二三四五六七八九十]+）项")  # 第（一）项 is one word
_QUOTED = re.compile(r"“[^”]*”")
_OPENING = "（“《"
_CLOSING = "）”》，、。：；"


def _words(text: str) -> list[str]:
    """``text`` cut by longest match against WORDS (items and quotations whole)."""
    units: list[str] = []
    i = 0
    while i < len(text):
        m = _ITEM.match(text, i) or _QUOTED.match(text, i)
        if m:
            units.append(m.group(0))
            i = m.end()
            continue
        for size in range(min(LONGEST, len(text) - i), 0, -1):
            if size == 1 or text[i:i + size] in WORDS:
                units.append(text[i:i + size])
                i += size
                break
    return units


def label_units(text: str) -> list[str]:
    """A label cut where a reader accepts a line break (see the module docstring)."""
    m = _NUMBERING.match(text)
    prefix, rest = (m.group(0), text[m.end():]) if m else ("", text)
    units: list[str] = [prefix] if prefix else []
    pending = ""  # opening brackets wait for the next word
    for unit in _words(rest):
        if unit in _OPENING:
            pending += unit
        elif unit in _CLOSING and units and not pending:
            units[-1] += unit
        else:
            units.append(pending + unit)
            pending = ""
    if pending:
        units.append(pending)
    return units

"""AUDIT.xlsx, the audit table (审核表): 报告情况 (one row per report, then the roster's agencies without one), 问题清单,
规则统计 and 正文核对 (every claim of the prose with its status), written with xlsxwriter, atomically."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..files.atomic import atomic_path
from .run import Audit

ROW_COLUMNS = (
    ("agency", "机关", 28), ("kind", "机关类型", 20), ("year", "年度", 7), ("form", "格式", 10),
    ("published", "发布日期", 12), ("timely", "是否按时", 9), ("status", "状态", 10), ("notes", "备注", 50),
    ("errors", "错误", 6), ("warnings", "警告", 6),
    ("hints", "提示", 6), ("cells_read", "已读单元格", 10), ("cells_blank", "空白", 7), ("cells_invalid", "非数字", 7),
    ("cells_missing", "未找到", 7), ("claims_contradicted", "正文矛盾", 9), ("claims_unchecked", "正文无法核对", 11),
    ("unchecked", "无法核对", 16),
    ("title", "标题", 40), ("file", "文件", 40),
)
# the layout of collect's 问题清单: what the reviewer works with first, then the file and the rule
FINDING_COLUMNS = (("agency", "机关", 24), ("severity", "级别", 6), ("where", "位置", 30), ("message", "问题", 70),
                   ("review", "审核意见", 10), ("file", "文件", 40), ("rule", "规则编号", 22),
                   ("sheet", "部分", 10), ("cell", "段落或行", 18), ("row_label", "行", 24), ("col_label", "列", 14))
RULE_COLUMNS = (("rule", "规则编号", 24), ("severity", "级别", 6), ("description", "说明", 70), ("files", "报告数", 8))
CLAIM_COLUMNS = (("file", "文件", 40), ("paragraph", "段落", 8), ("what", "事项", 16), ("text", "原文", 36),
                 ("value", "正文数字", 10), ("table_value", "统计表", 12), ("basis", "依据", 24), ("status", "核对结果", 9),
                 ("reason", "原因", 30))
PRINTED = {"报告情况": "notes", "问题清单": "review"}  # the last column printed
STATUS_COLORS = {"逾期": "#F8CBAD", "按时": "#C6EFCE", "有错误": "#F8CBAD", "无法读取": "#F8CBAD", "未找到报告": "#F8CBAD", "仅警告": "#FFE699", "无法完整核对": "#FFE699", "通过": "#C6EFCE"}


def write_audit(result: Audit, out: Path) -> None:
    import xlsxwriter

    from ..files.celltext import write_value
    from ..collect.summary import ROW_HEIGHT, review_column, text_lines, where
    from ..files.sheetrows import continued

    # xlsxwriter's own temporary files go to a folder of this run that is removed on every path (a full disk too)
    with atomic_path(Path(out)) as tmp, tempfile.TemporaryDirectory(prefix="govinfo-audit-") as tmpdir:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False, "tmpdir": tmpdir})
        head = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"})
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        colors = {k: wb.add_format({"bg_color": v, "valign": "top"}) for k, v in STATUS_COLORS.items()}
        claims = [{"file": r["source"], **c} for r in result.results for c in r["claims"]]
        issues = ({**f, "where": where(f), "review": ""} for f in result.findings())
        for title, columns, rows in (("报告情况", ROW_COLUMNS, result.rows()), ("问题清单", FINDING_COLUMNS, issues),
                                     ("规则统计", RULE_COLUMNS, result.rule_stats()), ("正文核对", CLAIM_COLUMNS, claims)):
            def write(ws, rows, title=title, columns=columns) -> int:
                ws.set_landscape()
                ws.set_paper(9)
                ws.fit_to_pages(1, 0)
                ws.repeat_rows(0)
                ws.freeze_panes(1, 1 if title == "问题清单" else 0)
                for c, (_, label, width) in enumerate(columns):
                    ws.write_string(0, c, label, head)
                    ws.set_column(c, c, width)
                n = 0
                for n, row in enumerate(rows, start=1):
                    lines = max(text_lines(row.get(key), width) for key, _, width in columns)
                    if lines > 1:  # each row as tall as its longest text: no application measures it on opening
                        ws.set_row(n, ROW_HEIGHT * lines)
                    for c, (key, _, _) in enumerate(columns):
                        v = row.get(key)
                        write_value(ws, n, c, v, colors.get(v, wrap) if key in ("status", "timely") else wrap)
                ws.autofilter(0, 0, max(n, 1), len(columns) - 1)
                keys = [k for k, _, _ in columns]
                if title in PRINTED:  # on paper the columns a reviewer reads; the rest on screen
                    ws.print_area(0, 0, max(n, 1), keys.index(PRINTED[title]))
                if title == "问题清单":
                    review_column(ws, n, keys.index("review"))
                return n

            # a list longer than a sheet holds goes on in “问题清单（续）”… (files/sheetrows.py)
            continued(wb.add_worksheet, title, rows, write, lambda text, key=columns[0][0]: {key: text})
        from .evidence import write_sheet

        write_sheet(wb, result.results, head, wrap, write_value)
        if result.scoring is not None:
            from ..checks.scoring import write_sheet as write_scores

            write_scores(wb, result.scores(), head, wrap, result.scoring.start, write_value)
        wb.close()

"""Terminal summaries in Chinese: errors first, each with its cell."""

from __future__ import annotations

from ..checks.findings import Severity, ValidationReport
from ..forms import get_form


def summary(report: ValidationReport, limit: int = 50) -> str:
    form = get_form(report.form)
    counts = {s: sum(f.severity is s for f in report.findings) for s in Severity}
    verdict = "通过" if report.ok else "未通过"
    if getattr(report, "verdict", "") == "无法完整核对":  # a published report with parts that could not be read
        verdict = "无法完整核对"
    lines = [
        f"文件：{report.path}",
        f"格式：{form.id}（{form.notice}）  年度：{report.year or '未知'}  机关：{report.agency or '（未填写）'}",
        f"结论：{verdict}（错误 {counts[Severity.ERROR]} 项，警告 {counts[Severity.WARNING]} 项，"
        f"提示 {counts[Severity.INFO]} 项）",
    ]
    prior = (getattr(report, "repetition", None) or {}).get("prior")
    if prior:  # ingest --prior: the 重复率 against last year (checks/repetition.py)
        lines.append(f"重复率：与上年报告 {prior['whole'] * 100:.0f}%（13字以上相同片段所占字符比例）")
    shown = report.sorted_findings()
    for f in shown[:limit]:
        lines.append(f"  {f.severity.value} {f.where} [{f.rule}] {f.message}"
                     + (f"（说明：{f.explanation}）" if f.explanation else ""))
    if len(shown) > limit:
        lines.append(f"  ……另有 {len(shown) - limit} 项，完整清单请用 --json 输出。")
    return "\n".join(lines)

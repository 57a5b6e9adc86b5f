"""An agency's 图解 (``ingest -o DIR --format …,graphic``): the report's key figures and charts on
one page, PNG and SVG, drawn with matplotlib in a Chinese font found on the machine (plots.py).

The figures are those of the report's own data (tables 三 and 四, totals recomputed from the
inputs), through the same ``FigureSpec``s as the 图表 sheet of a collection's summary.
"""

from __future__ import annotations

from typing import Any

from ..checks.findings import ValidationReport
from ..forms import get_form
from ..forms.data import flat_values
from ..forms.model import Form
from .figures import applicant_specs, correction_rate, disclosure_rate, headline_specs, outcome_specs, t4_specs
from .plots import Chart, KeyFigure, Page, render

SUFFIXES = {"png": "-图解.png", "svg": "-图解.svg"}


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1%}"


def number(v: float) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:,.2f}"


def charts_of(form: Form, values: dict[str, Any]) -> list[Chart]:
    """The charts of one set of table values: applicants, outcomes, 复议 and 诉讼."""
    t4 = t4_specs(form)
    return [
        Chart("column", "本年新收申请：按申请人类型", [s.label for s in applicant_specs(form)],
              [("件数", [s.value(values) for s in applicant_specs(form)])]),
        Chart("pie", "申请办理结果", [s.label for s in outcome_specs(form)],
              [("件数", [s.value(values) for s in outcome_specs(form)])]),
        Chart("stacked", "行政复议、行政诉讼结果", [label for label, _ in t4],
              [(spec.label, [specs[i].value(values) for _, specs in t4])
               for i, spec in enumerate(t4[0][1])]),
    ]


def key_figures(form: Form, values: dict[str, Any]) -> list[KeyFigure]:
    h = {s.label: s.value(values) for s in headline_specs(form)}
    return [
        KeyFigure("本年新收申请（件）", number(h["本年新收申请"])),
        KeyFigure("办结（件）", number(h["办结总计"])),
        KeyFigure("公开率", percent(disclosure_rate(form, values)), "予以公开和部分公开占办结"),
        KeyFigure("行政复议（件）", number(h["行政复议"])),
        KeyFigure("行政诉讼（件）", number(h["行政诉讼"])),
        KeyFigure("纠错率", percent(correction_rate(form, values)), "复议诉讼中被纠正"),
    ]


def graphic_page(report: ValidationReport) -> Page:
    form = get_form(report.form)
    values = flat_values(form, report.data)
    title = f"{report.agency or ''}{report.year or ''}年政府信息公开工作年度报告图解"
    draft = "（草稿：未通过校验）" if not report.ok else ""
    return Page(charts_of(form, values), title=title, subtitle=f"依申请公开和行政复议、行政诉讼情况{draft}",
                keys=key_figures(form, values), columns=2)


def render_graphic(report: ValidationReport) -> dict[str, bytes]:
    """The 图解 as {"png": bytes, "svg": bytes}; NoCJKFont when no Chinese font is found."""
    page = graphic_page(report)
    return {fmt: render(page, fmt) for fmt in SUFFIXES}

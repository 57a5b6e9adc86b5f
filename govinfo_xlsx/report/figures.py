"""Key figures of tables 三 and 四, each a named sum of defined names (``FigureSpec``).

The 图表 sheet's series, the brief's rows and charts and an agency's 图解 all come from the same
specs, so they say the same numbers. Both statutory formats share the keys used here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from ..forms.model import Form
from ..forms.valuekinds import MONEY_WAN, MONEY_YUAN

# 表三's outcome rows grouped as the statutory table groups them (by the row keys' stems)
OUTCOMES = (("予以公开", "granted"), ("部分公开", "partial"), ("不予公开", "denied"), ("无法提供", "unable"),
            ("不予处理", "not_processed"), ("其他处理", "other"))
T4_GROUPS = (("行政复议", ("review",)), ("行政诉讼", ("suit_direct", "suit_after_review")))


@dataclass(frozen=True)
class FigureSpec:
    """A figure: its label and the defined names whose sum it is."""

    label: str
    names: tuple[str, ...]

    def value(self, values: dict[str, Any]) -> float:
        return sum(_num(values.get(n)) for n in self.names)


def _num(v: Any) -> float:
    try:
        return float(v or 0)
    except (TypeError, ValueError):
        return 0.0


# the finest decimals any input keeps (万元 to the 分): sums are rounded to it, which removes float noise
# and loses nothing a clerk typed
FINEST = max(MONEY_WAN.decimals, MONEY_YUAN.decimals)


def whole(x: float) -> Any:
    return int(x) if float(x).is_integer() else round(x, FINEST)


def applicant_specs(form: Form) -> list[FigureSpec]:
    """新收 by kind of applicant (表三's columns, 总计 left out)."""
    t3 = form.table3
    return [FigureSpec(c.label, (t3.cell_name(t3.head_rows[0], c),)) for c in t3.input_columns]


def outcome_specs(form: Form) -> list[FigureSpec]:
    """办结 by outcome (表三's 总计 column, rows grouped)."""
    t3 = form.table3
    total = t3.columns[-1]
    out = []
    for label, stem in OUTCOMES:
        rows = [r for r in t3.result_rows() if r.key == stem or r.key.startswith(stem + "_")]
        out.append(FigureSpec(label, tuple(t3.cell_name(r, total) for r in rows)))
    return out


def t4_columns(form: Form) -> list[Any]:
    return [c for c in form.table4.columns if c.key != "total"]


def t4_specs(form: Form) -> list[tuple[str, list[FigureSpec]]]:
    """表四: 行政复议 and 行政诉讼 (both kinds of suit), each by outcome."""
    t4 = form.table4
    groups = {g.key: g for g in t4.groups}
    return [(label, [FigureSpec(c.label, tuple(t4.cell_name(groups[k], c) for k in keys)) for c in t4_columns(form)])
            for label, keys in T4_GROUPS]


def headline_specs(form: Form) -> list[FigureSpec]:
    """The rows of the brief's year-on-year table."""
    t3, t4 = form.table3, form.table4
    total = t3.columns[-1]
    groups = {g.key: g for g in t4.groups}
    col = {c.key: c for c in t4.columns}

    def four(keys: Sequence[str], c: str) -> tuple[str, ...]:
        return tuple(t4.cell_name(groups[k], col[c]) for k in keys)

    return [
        FigureSpec("本年新收申请", (t3.cell_name(t3.head_rows[0], total),)),
        FigureSpec("上年结转申请", (t3.cell_name(t3.head_rows[1], total),)),
        *outcome_specs(form),
        FigureSpec("办结总计", ("T3_total_total",)),
        FigureSpec("结转下年度", (t3.cell_name(t3.tail_rows[0], total),)),
        FigureSpec("行政复议", four(("review",), "total")),
        FigureSpec("复议纠正", four(("review",), "corrected")),
        FigureSpec("行政诉讼", four(("suit_direct", "suit_after_review"), "total")),
        FigureSpec("诉讼纠正", four(("suit_direct", "suit_after_review"), "corrected")),
    ]


def trend_specs(form: Form) -> list[FigureSpec]:
    """The series of the charts across years."""
    h = {s.label: s for s in headline_specs(form)}
    disclosed = FigureSpec("予以公开和部分公开", h["予以公开"].names + h["部分公开"].names)
    return [h["本年新收申请"], h["办结总计"], disclosed, h["行政复议"], h["行政诉讼"]]


def disclosure_rate(form: Form, values: dict[str, Any]) -> float | None:
    """予以公开 + 部分公开 over 办结 (as collect/peers.py computes it for an agency)."""
    h = {s.label: s for s in headline_specs(form)}
    done = h["办结总计"].value(values)
    return (h["予以公开"].value(values) + h["部分公开"].value(values)) / done if done else None


def correction_rate(form: Form, values: dict[str, Any]) -> float | None:
    """纠正 over the 复议 and 诉讼 总计 (as collect/peers.py computes it)."""
    t4 = form.table4
    cols = {c.key: c for c in t4.columns}
    cases = sum(_num(values.get(t4.cell_name(g, cols["total"]))) for g in t4.groups)
    corrected = sum(_num(values.get(t4.cell_name(g, cols["corrected"]))) for g in t4.groups)
    return corrected / cases if cases else None

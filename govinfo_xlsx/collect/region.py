"""The region's figures: what the chart sheet, the leader's brief and the roll-up show.

One ``Region`` per collection, computed once and shared, so the 图表 sheet, the brief and the
roll-up say the same numbers as the 汇总 sheet (they all read ``Collection.totals``):

- this year: the 汇总 totals of the report format most submissions use;
- earlier years: the data packages ``collect --export`` wrote (``--history DIR…``, read by their
  column names, old and new layouts alike: history.py) and last year's workbooks
  (``--prior-dir``), summed;
- the figures themselves are named groups of defined names (``FigureSpec``): a chart's series, a
  row of the brief, a cell of the data block all come from the same spec.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from ..forms import form_for_year, get_form
from ..forms.data import with_totals
from ..forms.model import Form
from ..forms.organs import GOVERNMENT
from ..report.figures import FigureSpec, _num, headline_specs

if TYPE_CHECKING:
    from .run import Collection

ACCEPTED_STATUSES = ("通过", "仅警告")


@dataclass
class YearFigures:
    """One year's region totals: every table cell by defined name (totals included)."""

    year: int
    form: Form
    values: dict[str, float]
    source: str  # where the figures come from, in Chinese (shown in the brief)
    count: int = 0  # submissions summed
    agencies: dict[str, dict[str, float]] = field(default_factory=dict)  # agency -> its 结转下年度 cells

    def value(self, spec: FigureSpec) -> float:
        return spec.value(self.values)

    def figure(self, label: str) -> float:
        """A figure by its label, in this year's own format (the labels are the same in both)."""
        for spec in headline_specs(self.form):
            if spec.label == label:
                return spec.value(self.values)
        raise KeyError(label)


def sum_values(form: Form, rows: Iterator[dict[str, Any]]) -> tuple[dict[str, float], int]:
    """The sum of many submissions' table cells (inputs; the totals recomputed from the sums)."""
    from ..forms.model import cell_index

    names = [n for n, s in cell_index(form).items() if s.is_input and n.startswith(("T2_", "T3_", "T4_"))]
    sums = dict.fromkeys(names, 0.0)
    n = 0
    for values in rows:
        n += 1
        for name in names:
            sums[name] += _num(values.get(name))
    return with_totals(form, sums), n


@dataclass
class Region:
    """The region's figures for one collection (computed lazily, each once)."""

    col: "Collection"
    history: Sequence[YearFigures] = ()  # earlier years' packages (--history, read by history.py)
    agency: str | None = None  # --rollup-agency: the government whose report the roll-up is

    @cached_property
    def form_id(self) -> str | None:
        """The format most of the summed submissions use (the one the 汇总 sheet shows first if alone)."""
        totals = self.col.totals
        if not totals:
            return None
        return max(sorted(totals), key=lambda f: totals[f]["count"])

    @cached_property
    def year(self) -> int | None:
        if self.form_id is None:
            return None
        if getattr(self.col, "year", None):  # the round's year (collect --year, the configuration, the roster)
            return self.col.year
        from collections import Counter

        years = Counter(y for (y,) in self.col.store.db.execute(  # a scan, no sort: a handful of years
            "SELECT year FROM files WHERE counted = 1 AND form = ? AND year IS NOT NULL", (self.form_id,)))
        return max(years, key=lambda y: (years[y], y)) if years else None

    @cached_property
    def current(self) -> YearFigures | None:
        """This year: exactly the 汇总 sheet's figures."""
        if self.form_id is None:
            return None
        entry = self.col.totals[self.form_id]
        form = get_form(self.form_id)
        return YearFigures(self.year or 0, form, dict(entry["values"]), "本次汇总", entry["count"])

    @cached_property
    def earlier(self) -> list[YearFigures]:
        """Earlier years, oldest first: the history packages, and last year's workbooks (--prior-dir)
        for a year no package gives."""
        years: dict[int, YearFigures] = {}
        for yf in self.history:
            if self.year is None or yf.year < self.year:
                years.setdefault(yf.year, yf)
        last = self.prior_sum
        if last is not None and last.year not in years:
            years[last.year] = last
        return [years[y] for y in sorted(years)]

    @property
    def years(self) -> list[YearFigures]:
        """Every year shown, oldest first, this year last."""
        return [*self.earlier, *([self.current] if self.current else [])]

    @property
    def last(self) -> YearFigures | None:
        if self.year is None:
            return None
        return next((y for y in self.earlier if y.year == self.year - 1), None)

    # -- last year's workbooks (--prior-dir) -----------------------------------------------------

    @cached_property
    def priors(self) -> dict[str, Any]:
        """Last year's readable workbooks by agency (``PriorData``), from collect's --prior-dir index."""
        from ..errors import GovinfoError
        from ..template.prior import load_prior

        db_path = self.col.store.path("priors.sqlite3")
        if self.year is None or not db_path.exists():
            return {}
        out = {}
        db = sqlite3.connect(db_path)
        try:
            for agency, path in db.execute("SELECT agency, path FROM priors ORDER BY agency"):
                try:
                    last = load_prior(path)
                except (GovinfoError, OSError):
                    continue
                if last.year == self.year - 1:
                    out[agency] = last
        finally:
            db.close()
        return out

    @cached_property
    def prior_sum(self) -> YearFigures | None:
        """Last year's workbooks summed (those of last year's format)."""
        if not self.priors or self.year is None:
            return None
        form = form_for_year(self.year - 1)
        found = [(a, p.flat()) for a, p in self.priors.items() if p.form == form.id]
        if not found:
            return None
        values, n = sum_values(form, (v for _, v in found))
        return YearFigures(self.year - 1, form, values, f"上年报送的工作簿（{n}份）", n,
                           {a: carry_forward(form, v) for a, v in found})

    def last_by_agency(self) -> YearFigures | None:
        """Last year's figures with each agency's own (``YearFigures.agencies``): last year's
        workbooks (--prior-dir), else last year's --history package."""
        if self.year is None:
            return None
        for yf in (self.prior_sum, *self.history):
            if yf is not None and yf.year == self.year - 1 and yf.agencies:
                return yf
        return None

    # -- the government's own workbook ---------------------------------------------------------

    @cached_property
    def government(self) -> tuple[str, dict[str, Any]] | None:
        """(agency, flat values) of the government's own workbook in the batch: the submission named
        --rollup-agency, else the one submission of the kind 县级以上地方人民政府."""
        from ..forms.data import flat_values
        from ..office.organkind import organ_kind_of
        from .filedata import submissions

        if self.form_id is None:
            return None
        found = []
        for row, data in submissions(self.col.store):
            if not row["counted"] or row["form"] != self.form_id:
                continue
            name = row["agency"]
            if (self.agency and name == self.agency) or (
                    not self.agency and organ_kind_of(name, data.get("info")) == GOVERNMENT):
                found.append((name, flat_values(get_form(row["form"]), data)))
        return found[0] if len(found) == 1 else None

    @property
    def government_name(self) -> str | None:
        """The government the roll-up is made for: --rollup-agency, else the government's workbook's."""
        if self.agency:
            return self.agency
        return self.government[0] if self.government else None

    @cached_property
    def rollup(self) -> tuple[dict[str, float], int, dict[str, dict[str, float]]]:
        """The sum over the summed submissions other than the government's own workbook, their
        count, and each agency's 上年结转 by column key (an agency with two different files summed, as 汇总
        sums them: both added)."""
        from ..forms.data import flat_values
        from .filedata import submissions

        form = get_form(self.form_id)  # type: ignore[arg-type]
        own = self.government[0] if self.government else None
        carried: dict[str, dict[str, float]] = {}

        def rows() -> Iterator[dict[str, Any]]:
            for row, data in submissions(self.col.store):
                if row["counted"] and row["form"] == self.form_id and row["agency"] != own:
                    values = flat_values(form, data)
                    mine = carried.setdefault(row["agency"], {})
                    for c, name in zip(form.table3.input_columns, carry_names(form, "carried_over")):
                        mine[c.key] = mine.get(c.key, 0.0) + _num(values.get(name))
                    yield values

        sums, n = sum_values(form, rows())
        return sums, n, carried


def carry_names(form: Form, row: str) -> list[str]:
    """表三's cells of one row (上年结转 ``carried_over`` or 结转下年度 ``carry_forward``), by column."""
    t3 = form.table3
    r = t3.head_rows[1] if row == "carried_over" else t3.tail_rows[0]
    return [t3.cell_name(r, c) for c in t3.input_columns]


def carry_forward(form: Form, values: dict[str, Any]) -> dict[str, float]:
    """An agency's 结转下年度 cells by column key."""
    return {c.key: _num(values.get(n)) for c, n in zip(form.table3.input_columns, carry_names(form, "carry_forward"))}

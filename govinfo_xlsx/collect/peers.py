"""Peer comparison: each agency against the batch's other agencies of the same kind.

A township that reports no application at all while most townships report dozens, or an
agency that discloses a tenth of what its peers disclose, is worth a phone call. These are
提示 findings with their own rule IDs (``peer-*``, in the catalogue); they compare only the
submissions without errors, only within a kind with enough agencies, and a rate only where the
agency and enough peers have enough cases for the rate to mean something. The range is robust:
the median and the median absolute deviation (scaled to a standard deviation), so one outlier
does not move it. Plain Python (``statistics``): importing pandas for a median would add some
45 MB to every collection's peak memory (scripts/bench_collect.py), for a few numbers per agency.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from statistics import median
from typing import Any, Iterator

from ..checks.catalogue import entry
from ..forms import get_form
from ..template.layout import Layout
from ..office.organkind import organ_kind_of
from .filedata import submissions
from .store import Store

MIN_PEERS = 5  # agencies of one kind (with enough cases, for a rate) before anything is compared
MIN_CASES = 10  # cases behind a rate: 办结 for 公开率, 复议 and 诉讼 总计 for 纠错率
K = 3.0  # how many scaled MADs from the median is "far"
MAD_SCALE = 1.4826  # MAD -> standard deviation for normally spread rates
MAD_FLOOR = 0.05  # peers that are nearly alike: a spread below 5 percentage points is taken as 5
MOST = 0.5  # "most peers report applications": more than half

RATES = (
    ("peer-disclosure-rate", "disclosed", "done", "T3_total_total"),  # (rule, numerator, denominator, anchor)
    ("peer-correction-rate", "corrected", "cases", "T4_review_total"),
)


def figures(agency: str, form_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """The numbers the comparison needs from one submission."""
    t3, t4 = data["table3"], data["table4"]

    def n(v: Any) -> float:
        return float(v or 0)

    zero = all(n(v) == 0 for row in t3.values() for v in row.values()) and \
        all(n(v) == 0 for row in t4.values() for v in row.values())
    return {
        "agency": agency, "form": form_id, "kind": organ_kind_of(agency, data.get("info")), "zero": zero,
        "new": n(t3["new"]["total"]), "done": n(t3["total"]["total"]),
        "disclosed": n(t3["granted"]["total"]) + n(t3["partial"]["total"]),
        "corrected": sum(n(g.get("corrected")) for g in t4.values()),
        "cases": sum(n(g.get("total")) for g in t4.values()),
    }


class _Group:
    """The figures of one kind's submissions, column by column in arrays (8 bytes a number, not a
    dict per agency: the collect process's memory stays flat whatever the batch's size)."""

    FIELDS = ("new", "done", "disclosed", "corrected", "cases")

    def __init__(self) -> None:
        self.idx = array("q")
        self.form = array("H")  # an index into the batch's list of form IDs
        self.zero = bytearray()
        self.columns = {name: array("d") for name in self.FIELDS}

    def __len__(self) -> int:
        return len(self.idx)

    def add(self, idx: int, form: int, f: dict[str, Any]) -> None:
        self.idx.append(idx)
        self.form.append(form)
        self.zero.append(bool(f["zero"]))
        for name, column in self.columns.items():
            column.append(f[name])


def compare(store: Store) -> Iterator[tuple[int, str, list[dict[str, Any]]]]:
    """(file, agency, its peer findings as dicts) for every submission with a finding."""
    groups: dict[str, _Group] = defaultdict(_Group)
    forms: dict[str, int] = {}
    for row, data in submissions(store):
        if row["countable"]:
            f = figures(row["agency"], row["form"], data)
            if f["kind"]:
                groups[f["kind"]].add(row["idx"], forms.setdefault(row["form"], len(forms)), f)
    found: dict[int, list[dict[str, Any]]] = {}
    for idx, f in peer_findings(groups, list(forms)):
        found.setdefault(idx, []).append(f)
    for idx in sorted(found):
        yield idx, store.db.execute("SELECT agency FROM files WHERE idx = ?", (idx,)).fetchone()[0], found[idx]


def peer_findings(groups: dict[str, _Group], forms: list[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    for kind in sorted(groups):
        group = groups[kind]
        if len(group) < MIN_PEERS:
            continue
        yield from _all_zero(kind, group, forms)
        for rule, num, den, anchor in RATES:
            yield from _rate(kind, group, forms, rule, num, den, anchor)


def _finding(rule: str, form_id: str, anchor: str, expected: Any = None, actual: Any = None, **facts: Any
             ) -> dict[str, Any]:
    """A finding of ``rule`` at the anchor cell of the agency's form, worded by its entry from ``facts``."""
    layout = Layout.of(get_form(form_id))
    sheet, cell = layout.address(anchor)
    spec = layout.specs[anchor]
    return entry(rule).finding(sheet=sheet, cell=cell, row_label=spec.row_label, col_label=spec.col_label,
                               expected=expected, actual=actual, **facts).to_dict()


def _all_zero(kind: str, group: _Group, forms: list[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    # counted once for the group, not once per all-zero agency (a batch of townships has thousands):
    # an all-zero agency reports no application itself, so its peers' count is the group's
    reporting, others = sum(v > 0 for v in group.columns["new"]), len(group) - 1
    if reporting <= MOST * others:
        return
    for i, zero in enumerate(group.zero):
        if zero:
            yield group.idx[i], _finding("peer-all-zero", forms[group.form[i]], "T3_new_total",
                                         expected="同类机关多数有申请", actual=0, kind=kind, others=others,
                                         reporting=reporting)


def _rate(kind: str, group: _Group, forms: list[str], rule: str, num: str, den: str, anchor: str
          ) -> Iterator[tuple[int, dict[str, Any]]]:
    nums, dens = group.columns[num], group.columns[den]
    enough = [i for i, d in enumerate(dens) if d >= MIN_CASES]
    if len(enough) < MIN_PEERS:
        return
    rates = [nums[i] / dens[i] for i in enough]
    middle = median(rates)
    spread = max(median(abs(x - middle) for x in rates) * MAD_SCALE, MAD_FLOOR)
    low, high = max(0.0, middle - K * spread), min(1.0, middle + K * spread)
    for i, value in zip(enough, rates):
        if abs(value - middle) <= K * spread:
            continue
        yield group.idx[i], _finding(rule, forms[group.form[i]], anchor, expected=f"{low:.0%}—{high:.0%}",
                                     actual=f"{value:.0%}", num=_int(nums[i]), den=_int(dens[i]), rate=value,
                                     kind=kind, peers=len(enough), middle=middle, low=low, high=high)


def _int(v: float) -> Any:
    return int(v) if float(v).is_integer() else v

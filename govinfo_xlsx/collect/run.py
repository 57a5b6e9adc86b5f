"""Run a collection: find the files, check them in parallel, build the rows of the summary.

Every file goes through the same ``ingest`` as a single workbook; results come
back in input order whatever the scheduling, and only small per-file results
are kept (the data of error-free workbooks is added to the totals at once), so
memory does not grow with the data of thousands of workbooks.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ..catalogue import COLLECT_RULES as CATALOGUED_COLLECT_RULES
from ..catalogue import rule_index
from ..errors import GovinfoError
from ..forms import get_form
from ..forms.model import Severity
from ..prior import PriorData, load_prior
from ..report.context import flat_values
from . import worker
from .roster import read_roster
from .sources import Source, find_sources

STATUS_MISSING, STATUS_UNREADABLE, STATUS_ERRORS, STATUS_WARNINGS, STATUS_OK = (
    "未报送", "无法读取", "有错误", "仅警告", "通过")
COLLECT_RULES = {r.id: (r.severity, r.description) for r in CATALOGUED_COLLECT_RULES}


@dataclass
class Collection:
    rows: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, dict[str, Any]] = field(default_factory=dict)  # form id -> {"count", "values"}
    rule_stats: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "findings": self.findings, "totals": self.totals, "rules": self.rule_stats}

    def counts(self) -> Counter:
        return Counter(r["status"] for r in self.rows)


def load_prior_dir(path: str | Path) -> dict[str, PriorData]:
    """Last year's workbooks or JSON files in a folder, by agency (unreadable ones are skipped)."""
    out: dict[str, PriorData] = {}
    for source in find_sources([str(path)]):
        if source.member or Path(source.path).suffix.lower() not in (".xlsx", ".json"):
            continue
        try:
            last = load_prior(source.path)
        except GovinfoError:
            continue
        if last.agency:
            out.setdefault(last.agency, last)
    return out


def _results(sources: list[Source], jobs: int, priors: dict[str, PriorData], options: dict[str, Any],
             progress: bool) -> Iterator[dict[str, Any]]:
    from tqdm import tqdm

    bar = tqdm(total=len(sources), desc="校验", unit="份", file=sys.stderr, disable=not progress)
    work = list(enumerate(sources))
    try:
        if jobs <= 1:
            worker.init(priors, options)
            for job in work:
                yield worker.check(job)
                bar.update()
        else:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=jobs, initializer=worker.init, initargs=(priors, options)) as pool:
                for result in pool.map(worker.check, work, chunksize=8):
                    yield result
                    bar.update()
    finally:
        bar.close()


def collect(paths: list[str], *, roster: str | None = None, year: int | None = None,
            prior_dir: str | None = None, jobs: int = 1, strict_blank: bool = False,
            annotate_dir: str | None = None, progress: bool = False) -> Collection:
    sources = find_sources(paths)
    agencies = read_roster(roster) if roster else None
    priors = load_prior_dir(prior_dir) if prior_dir else {}
    if annotate_dir:
        Path(annotate_dir).mkdir(parents=True, exist_ok=True)
    options = {"strict_blank": strict_blank, "annotate_dir": annotate_dir}
    col = Collection()
    results = []
    for r in _results(sources, jobs, priors, options, progress):
        data = r.pop("data")
        if data is not None:
            _add_totals(col.totals, r["form"], data)
        results.append(r)
    _flag(results, year, agencies)
    col.rows = _rows(results, agencies)
    for r in results:
        for f in r["findings"]:  # tagged in place: no second copy of every finding
            f["file"], f["agency"] = r["source"], r["agency"]
            col.findings.append(f)
    col.rule_stats = _rule_stats(results)
    return col


def _finding(rule: str, message: str) -> dict[str, Any]:
    severity, _ = COLLECT_RULES[rule]
    return {"rule": rule, "severity": severity.value, "sheet": "", "cell": "", "row_label": "", "col_label": "",
            "expected": None, "actual": None, "message": message}


def _add(r: dict[str, Any], rule: str, message: str) -> None:
    f = _finding(rule, message)
    if f["severity"] == Severity.ERROR.value:
        r["findings"].insert(0, f)  # errors first, as in every findings list
    else:
        r["findings"].append(f)
    r["counts"][f["severity"]] += 1
    r.setdefault("notes", []).append(message)


def _flag(results: list[dict[str, Any]], year: int | None, agencies: list[str] | None) -> None:
    by_hash: dict[str, str] = {}
    by_agency: dict[str, list[dict[str, Any]]] = defaultdict(list)
    known = set(agencies or ())
    for r in results:
        r.setdefault("notes", [])
        if r["error"]:
            r["findings"] = [_finding("collect-unreadable", r["error"])]
            r["counts"][Severity.ERROR.value] = 1
            continue
        if year is not None and r["year"] != year:
            _add(r, "collect-wrong-year", f"报告年度为{r['year'] or '未知'}，本次收集的是{year}年度。")
        if r["sha256"] in by_hash:
            _add(r, "collect-duplicate-file", f"与“{by_hash[r['sha256']]}”内容完全相同。")
        else:
            by_hash[r["sha256"]] = r["source"]
        if any(f["rule"] == "info-date-deadline" for f in r["findings"]):
            r["notes"].append("逾期：成文日期晚于1月31日")
        if agencies is not None and r["agency"] not in known:
            _add(r, "collect-not-in-roster", f"“{r['agency'] or '（未填写机关名称）'}”不在报送名单中。")
        if r["agency"]:
            by_agency[r["agency"]].append(r)
    for agency, rs in by_agency.items():
        if len(rs) > 1:
            for r in rs:
                _add(r, "collect-duplicate-agency", f"“{agency}”共报送了{len(rs)}份文件。")


def _status(r: dict[str, Any]) -> str:
    if r["error"]:
        return STATUS_UNREADABLE
    if r["counts"][Severity.ERROR.value]:
        return STATUS_ERRORS
    return STATUS_WARNINGS if r["counts"][Severity.WARNING.value] else STATUS_OK


def _row(r: dict[str, Any]) -> dict[str, Any]:
    h = r["headline"]
    return {"agency": r["agency"], "status": _status(r), "errors": r["counts"][Severity.ERROR.value],
            "warnings": r["counts"][Severity.WARNING.value], "hints": r["counts"][Severity.INFO.value],
            "form": r["form"], "year": r["year"], "new": h.get("new"), "done": h.get("done"),
            "carry": h.get("carry"), "review": h.get("review"), "suit": h.get("suit"), "file": r["source"],
            "notes": "；".join(r["notes"])}


def _rows(results: list[dict[str, Any]], agencies: list[str] | None) -> list[dict[str, Any]]:
    if agencies is None:
        return [_row(r) for r in results]
    # roster order; then submissions from agencies outside the roster; then unreadable files
    rows = []
    by_agency: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        by_agency[r["agency"]].append(r)
    for a in agencies:
        if by_agency.get(a):
            rows += [_row(r) for r in by_agency[a]]
        else:
            rows.append({"agency": a, "status": STATUS_MISSING, "errors": 0, "warnings": 0, "hints": 0,
                         "form": "", "year": None, "new": None, "done": None, "carry": None, "review": None,
                         "suit": None, "file": "", "notes": ""})
    known = set(agencies)
    rows += [_row(r) for r in results if r["agency"] not in known and not r["error"]]
    rows += [_row(r) for r in results if r["error"]]
    return rows


def _add_totals(totals: dict[str, dict[str, Any]], form_id: str, data: dict[str, Any]) -> None:
    entry = totals.setdefault(form_id, {"count": 0, "values": {}})
    entry["count"] += 1
    for name, v in flat_values(get_form(form_id), data).items():
        entry["values"][name] = entry["values"].get(name, 0) + (v or 0)


def _rule_stats(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    failing: Counter = Counter()
    for r in results:
        for rule in {f["rule"] for f in r["findings"]}:
            failing[rule] += 1
    index: dict[str, tuple[Severity, str]] = {k: v for k, v in COLLECT_RULES.items()}
    for form_id in {r["form"] for r in results if r["form"]}:
        index.update(rule_index(get_form(form_id)))
    stats = [{"rule": rule, "severity": index.get(rule, (Severity.INFO, ""))[0].value,
              "description": index.get(rule, (Severity.INFO, ""))[1], "files": n}
             for rule, n in failing.items()]
    return sorted(stats, key=lambda s: (-s["files"], s["rule"]))

"""Run an audit: find the published reports, check each in isolation (in worker processes with
``--jobs``), compare the batch with the roster and the year. Files, folders and zip archives are
walked by collect's ``sources``, the worker pool is collect's, the roster is read by collect's reader."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterator

from ..checks.catalogue import entry, rule_stats
from ..collect.roster import read_roster
from ..collect.source import Source
from ..collect.inbox import check_paths, iter_sources
from ..forms import get_form
from ..files.limits import Limits
from . import worker

REPORT_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml", ".docx", ".pdf", ".txt", ".md")
STATUS_MISSING, STATUS_UNREADABLE, STATUS_ERRORS, STATUS_WARNINGS, STATUS_OK = (
    "未找到报告", "无法读取", "有错误", "仅警告", "通过")
STATUS_UNCHECKED = "无法完整核对"  # a part, table or row could not be read: never 通过


@dataclass
class Audit:
    results: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # roster agencies without a report
    skipped: int = 0  # files that are not reports (a saved page's images, scripts, styles)
    scoring: Any = None  # the office's 扣分 table (scoring.Pack): AUDIT.xlsx gets a 评分 sheet

    def rows(self) -> Iterator[dict[str, Any]]:
        for r in self.results:
            yield _row(r)
        for agency in self.missing:
            yield {"agency": agency, "kind": "", "year": None, "form": "", "published": None, "timely": "",
                   "status": STATUS_MISSING,
                   "errors": None, "warnings": None, "hints": None, "cells_read": None, "cells_blank": None,
                   "cells_invalid": None, "cells_missing": None, "claims_contradicted": None, "claims_unchecked": None,
                   "unchecked": "", "title": "", "file": "", "notes": "名单中的机关没有找到报告"}

    def findings(self) -> Iterator[dict[str, Any]]:
        for r in self.results:
            for f in r["findings"]:
                yield {"file": r["source"], "agency": r["agency"], **f}
            if r["error"]:
                yield {"file": r["source"], "agency": "", **_finding("collect-unreadable", error=r["error"])}

    def rule_stats(self) -> list[dict[str, Any]]:
        files: Counter = Counter()
        for r in self.results:
            for rule in {f["rule"] for f in r["findings"]} | ({"collect-unreadable"} if r["error"] else set()):
                files[rule] += 1
        return rule_stats(((rule, "", n) for rule, n in sorted(files.items(), key=lambda x: (-x[1], x[0]))),
                          *(get_form(form_id) for form_id in sorted({r["form"] for r in self.results if r["form"]})))

    def counts(self) -> Counter:
        return Counter(row["status"] for row in self.rows())

    def to_dict(self) -> dict[str, Any]:
        from .evidence import rows as evidence_rows

        return {"rows": list(self.rows()), "findings": list(self.findings()), "rules": self.rule_stats(),
                "claims": [{"file": r["source"], **c} for r in self.results for c in r["claims"]],
                "evidence": list(evidence_rows(self.results)),
                **({"scores": self.scores()} if self.scoring is not None else {})}

    def scores(self) -> list[dict[str, Any]]:
        """The office's 扣分 table applied (checks/scoring.py): each agency's deductions and score."""
        from ..checks.scoring import batch_scores

        return batch_scores(self.scoring, self.rows(), self.findings(), STATUS_MISSING, (STATUS_UNREADABLE,))


def _finding(rule: str, **facts: Any) -> dict[str, Any]:
    """A finding of the catalogue entry ``rule`` (worded by it from ``facts``), as a dict."""
    return entry(rule).finding(**facts).to_dict()


def _status(r: dict[str, Any]) -> str:
    if r["error"]:
        return STATUS_UNREADABLE
    severities = Counter(f["severity"] for f in r["findings"])
    if severities["错误"]:
        return STATUS_ERRORS
    if r.get("unchecked"):
        return STATUS_UNCHECKED
    return STATUS_WARNINGS if severities["警告"] else STATUS_OK


def _row(r: dict[str, Any]) -> dict[str, Any]:
    sev = Counter(f["severity"] for f in r["findings"])
    cells = Counter()
    for counts in r["cells"].values():
        cells.update(counts)
    claims = Counter(c["status"] for c in r["claims"])
    notes = [f["message"] for f in r["findings"] if f["rule"].startswith("collect-")]
    if r["error"]:
        notes.insert(0, r["error"])
    return {"agency": r["agency"], "kind": r["kind"] or "", "year": r["year"], "form": r["form"],
            "published": r["published"], "timely": timeliness(r["published"], r["year"], r["kind"]),
            "status": _status(r), "errors": sev["错误"], "warnings": sev["警告"],
            "hints": sev["提示"], "cells_read": cells["ok"], "cells_blank": cells["blank"],
            "cells_invalid": cells["invalid"], "cells_missing": cells["missing"],
            "claims_contradicted": claims["矛盾"], "claims_unchecked": claims["无法核对"],
            "unchecked": "、".join(dict.fromkeys(u["section"] for u in r.get("unchecked") or ())), "title": r["title"],
            "file": r["source"], "notes": "；".join(notes)}


ON_TIME, LATE, UNSURE = "按时", "逾期", "无法核对"


def timeliness(published: Any, year: Any, kind: Any) -> str:
    """The publication date read against the deadline of the agency's kind: 按时, 逾期, or 无法核对
    (no date or year read; a kind not known and the date between the kinds' deadlines)."""
    import datetime as dt

    from ..forms.organs import ORGAN_KINDS, deadline

    if not published or not isinstance(year, int) or not dt.MINYEAR <= year + 1 <= dt.MAXYEAR:
        return "" if not published and year is None else UNSURE
    try:
        day = dt.date.fromisoformat(str(published)[:10])
    except ValueError:
        return UNSURE
    dues = [deadline(kind).date_for(year)] if kind in ORGAN_KINDS else [deadline(k).date_for(year) for k in ORGAN_KINDS]
    if day <= min(dues):
        return ON_TIME
    return LATE if day > max(dues) else UNSURE


def is_report(source: Source) -> bool:
    return source.name.lower().endswith(REPORT_SUFFIXES)


def audit(paths: list[str], *, roster: str | None = None, year: int | None = None, jobs: int = 1,
          progress: bool = False, previous: str | None = None, config: Any = None,
          prior_dir: str | None = None, limits: Limits | None = None) -> Audit:
    """``previous``: the last audit's AUDIT.xlsx or JSON (evidence.py: 发布后有变动); ``config``: an
    office configuration (its 重复率 thresholds, its 扣分 table); ``prior_dir``: last year's published
    reports, read the same way, for the 重复率 against last year; ``limits``: each report is read in a
    process of its own under them (time, memory, pages, text: ``limits.Limits``; a report over one is a
    无法读取 row with the reason)."""
    from tqdm import tqdm

    from ..collect.archive import ArchiveReader
    from ..collect.run import _parallel

    from . import evidence

    check_paths(paths)
    agencies = read_roster(roster) if roster else None
    last = evidence.load_previous(previous) if previous else None
    if prior_dir:
        check_paths([prior_dir])
    result = Audit()
    sources = []
    for s in iter_sources(paths):
        if is_report(s) or s.path.lower().endswith(".zip") and not s.member:
            sources.append(s)  # a zip that could not be opened is reported by the worker
        else:
            result.skipped += 1
    sources.sort(key=lambda s: s.label)
    bar = tqdm(total=len(sources), desc="审核", unit="份", file=sys.stderr, disable=not progress)
    archives = ArchiveReader()  # members read in label order with their archive kept open (linear cost)
    try:
        loaded = (archives.load(s) for s in sources)
        options = {"limits": limits}
        if jobs <= 1:
            worker.init(options)
            stream = (worker.check(s) for s in loaded)
        else:
            stream = _parallel(loaded, jobs, options, job=worker)
        for r in stream:
            result.results.append(r)
            bar.update()
    finally:
        archives.close()
        bar.close()
    _flag_batch(result, agencies, year)
    evidence.flag(result.results, last)
    evidence.repetition(result.results, config)
    if prior_dir:
        evidence.against_last_year(result.results, audit([prior_dir], jobs=jobs, limits=limits).results, config)
    result.scoring = getattr(config, "scoring", None)  # the office's 扣分 table: AUDIT.xlsx gets a 评分 sheet
    return result


def _flag_batch(result: Audit, agencies: list[str] | None, year: int | None) -> None:
    seen: Counter = Counter(r["agency"] for r in result.results if r["agency"] and not r["error"])
    # one agency's reports of different years (a folder of several years) are not duplicates
    same_year: Counter = Counter((r["agency"], r["year"]) for r in result.results if r["agency"] and not r["error"])
    roster = set(agencies or ())
    for r in result.results:
        if r["error"]:
            continue
        own = []
        if year is not None and r["year"] != year:
            own.append(_finding("collect-wrong-year", variant="audit", expected=year, actual=r["year"]))
        if agencies is not None and r["agency"] not in roster:
            own.append(_finding("collect-not-in-roster", actual=r["agency"]))
        if r["agency"] and same_year[(r["agency"], r["year"])] > 1:
            n = same_year[(r["agency"], r["year"])]
            own.append(_finding("collect-duplicate-agency", agency=r["agency"], n=n, year=r["year"]))
        r["findings"] = own + r["findings"]
    if agencies is not None:
        result.missing = [a for a in agencies if a not in seen]

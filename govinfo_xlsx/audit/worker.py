"""Audit one published report in a worker process and return a small, picklable result."""

from __future__ import annotations

from typing import Any

from ..collect.source import Source, read_into
from ..errors import GovinfoError

_OPTIONS: dict[str, Any] = {}
_READ = [0]  # reports this process has had read


def init(options: dict[str, Any]) -> None:
    _OPTIONS.clear()
    _OPTIONS.update(options)


def _warm() -> None:
    """Before this process forks its second reading: build what every reading needs (extract/warm.py),
    so that it and every later one start with it.  (Not before the first: an audit of one report, or a
    worker handed one, would only pay for it.)"""
    from ..extract.warm import warm

    warm(lambda name, data: read_report(name, data, blank_result(Source(name, name))))


def blank_result(source: Source, error: str = "") -> dict[str, Any]:
    return {"source": source.label, "sha256": "", "form": "", "year": None, "agency": "", "kind": None,
            "title": "", "published": None, "type": "", "error": error, "findings": [], "claims": [], "cells": {},
            "unchecked": [], "evidence": None, "text": None}


def check(source: Source) -> dict[str, Any]:
    """One report, read in a process of its own under the run's limits (``limits.run_limited``):
    whatever it holds or costs, a result comes back."""
    from ..files.limits import DEFAULT, run_limited

    result = blank_result(source)
    data = read_into(source, result)
    if data is None:
        return result
    name = source.name if source.member else source.path
    _READ[0] += 1
    if _READ[0] == 2:
        _warm()
    try:
        return run_limited(source.label, read_report, name, data, result, limits=_OPTIONS.get("limits") or DEFAULT)
    except GovinfoError as e:
        result["error"] = str(e).replace(name, source.label, 1)
        return result
    except Exception as e:  # a damaged file must never stop the batch
        result["error"] = f"{source.label}：读取时出错（{type(e).__name__}），无法审核。"
        return result


def read_report(name: str, data: bytes, result: dict[str, Any]) -> dict[str, Any]:
    """``result`` with what the audit keeps of one report (plain data: it travels back from the reading
    process)."""
    from ..extract.run import extract

    report = extract(name, data=data)
    pub = report.published
    result.update(form=report.form, year=report.year, agency=report.agency, kind=pub["kind"], title=pub["title"],
                  published=pub["date"], type=pub["source"], claims=pub["claims"], cells=pub["cells"],
                  unchecked=pub.get("unchecked", []),
                  findings=[f.to_dict() for f in report.sorted_findings()])
    from . import evidence

    result["evidence"] = evidence.of(result, report)  # content hash, publication date and its source, deadline
    result["findings"] += [f.to_dict() for f in evidence.findings_of(result["evidence"], pub["date"], report.year)]
    result["text"] = report.data.get("text")  # for the 重复率 against the batch and last year
    return result

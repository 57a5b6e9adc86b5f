"""Check one submitted file in a worker process and return a small, picklable result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import GovinfoError
from ..forms.data import PriorData
from ..files.safetext import file_stem
from .source import Source, read_into

# Set once per worker process by ``init``.
_OPTIONS: dict[str, Any] = {}


def init(options: dict[str, Any]) -> None:
    """options: strict_blank, annotate_dir, priors (the path of the prior index, or None), config (an
    office configuration, or None) and review (the decisions of an earlier round, or None)."""
    _OPTIONS.clear()
    _OPTIONS.update(options)


def prior_for(agency: str) -> PriorData | None:
    """Last year's file of this agency, from the index ``run.index_priors`` wrote."""
    if not _OPTIONS.get("priors") or not agency:
        return None
    import sqlite3

    from ..template.prior import load_prior

    # read-only, as a URI: the path quoted (a temporary folder with "#", "%", "?" or spaces in its name)
    db = sqlite3.connect(Path(_OPTIONS["priors"]).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        row = db.execute("SELECT path FROM priors WHERE agency = ?", (agency,)).fetchone()
    finally:
        db.close()
    try:
        return load_prior(row[0]) if row else None
    except GovinfoError:  # readable when indexed; if it has gone since, check without it
        return None


def blank_result(source: Source, error: str = "") -> dict[str, Any]:
    """A file's result before it is read (and, with ``error``, of a file that could not be read)."""
    return {"source": source.label, "sha256": "", "form": "", "year": None, "agency": "",
            "error": error, "findings": [], "headline": {}, "data": None}


MAX_TEXTS = 400  # strings of an unreadable workbook kept to tell whose it is
MAX_XML = 2 * 1024 * 1024


def readable_texts(data: bytes) -> list[str]:
    """The short texts of a workbook that cannot be read as a whole, from its shared strings and the
    sheets that can still be read (the agency's name is usually among them): the batch attaches the
    file to its roster agency by them. [] when not even that part can be read."""
    import io
    import re
    import zipfile
    from html import unescape

    found: dict[str, None] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = [n for n in z.namelist() if n == "xl/sharedStrings.xml" or n.startswith("xl/worksheets/sheet")]
            for name in parts[:50]:
                try:
                    with z.open(name) as f:
                        xml = f.read(MAX_XML).decode("utf-8", "replace")
                except Exception:  # this part is damaged: the others may still tell
                    continue
                for t in re.findall(r"<t(?:\s[^>]*)?>([^<]{2,80})</t>", xml):
                    found.setdefault(unescape(t).strip())
                if len(found) >= MAX_TEXTS:
                    break
    except Exception:  # not a zip at all: nothing to tell
        return []
    return [t for t in found if t][:MAX_TEXTS]


def headline(data: dict[str, Any]) -> dict[str, Any]:
    t3, t4 = data["table3"], data["table4"]
    return {
        "new": t3["new"]["total"], "done": t3["total"]["total"], "carry": t3["carry_forward"]["total"],
        "review": t4["review"]["total"],
        "suit": (t4["suit_direct"]["total"] or 0) + (t4["suit_after_review"]["total"] or 0),
    }


def _decision(report: Any, finding: Any) -> str:
    """The earlier round's decision on a finding of this file (collect --review): the file's own findings
    are keyed without its fingerprint, as ``run._keep`` marks them."""
    from .review import finding_key

    return _OPTIONS["review"].get(finding_key(report.agency, finding.to_dict()), "")


def check(source: Source) -> dict[str, Any]:
    """Everything that happens to one file, isolated: whatever the file holds, a result comes back."""
    from ..results.pipeline import annotated_stem, check_workbook

    result = blank_result(source)
    data = read_into(source, result)
    if data is None:
        return result
    try:
        annotate_dir = _OPTIONS.get("annotate_dir")
        checked = check_workbook(
            source.label, data, strict_blank=_OPTIONS.get("strict_blank", False), prior=prior_for,
            annotate_dir=annotate_dir or None, annotate_failing_only=True,
            annotate_stem=annotated_stem(file_stem(Path(source.name).stem), result["sha256"][:8]),
            config=_OPTIONS.get("config"), draft_rollup=False,  # a roll-up sent upward: any report
            decision=_decision if _OPTIONS.get("review") else None,
        )
        report = checked.report
        findings = [f.to_dict() for f in report.sorted_findings()]
        head = headline(report.data)
    except GovinfoError as e:
        result["error"] = str(e)
        result["texts"] = readable_texts(data)
        return result
    except Exception as e:  # a damaged file must never stop the batch
        result["error"] = f"{source.label}：读取时出错（{type(e).__name__}），请重新保存后报送。"
        result["texts"] = readable_texts(data)
        return result
    result.update(form=report.form, year=report.year, agency=report.agency, findings=findings, headline=head)
    result["repetition"] = report.repetition  # 重复率 against last year (with --prior-dir)
    result["data"] = report.data  # also with errors: re-submissions compare cells, the export lists every file
    if checked.annotated:
        result["annotated"] = str(checked.annotated)
    elif isinstance(checked.annotate_error, GovinfoError):
        result["annotate_error"] = str(checked.annotate_error)
    elif checked.annotate_error is not None:
        result["annotate_error"] = f"未能生成标注副本（{type(checked.annotate_error).__name__}），校验结果不受影响。"
    return result

"""One workbook through ingest → annotate → report: the library function behind
``govinfo-xlsx ingest`` and each of ``collect``'s workers.

``check_workbook`` validates the workbook (against last year's data when given,
or against the agency's own prior file when ``prior`` is a look-up), writes the
annotated copy (callers name it with ``annotated_stem``) and the narrative report
when asked, and returns what it wrote.  Unreadable input raises ``GovinfoError``
as ``ingest`` does; an annotated copy that cannot be made does not change the
result and is returned as ``Checked.annotate_error`` for the caller to word; a
report that cannot be written raises ``OutputFailed`` wrapping the cause.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Union

from ..checks.findings import Finding, ValidationReport
from ..forms.data import PriorData

if TYPE_CHECKING:  # pragma: no cover
    from ..office.config import OfficeConfig
    from ..files.safetext import Names

ANNOTATED = ".校验批注"

# Last year's data: fixed (ingest --prior), or looked up by this year's agency (collect --prior-dir).
Prior = Union[PriorData, Callable[[str], Union[PriorData, None]], None]
# An office's decision (collect --review) on a finding of a report: 已核实, 需修改 or "" (none).
Decision = Callable[[ValidationReport, Finding], str]


def annotated_stem(stem: str, tag: str = "") -> str:
    """The file stem of an annotated copy (add .xlsx): <stem>.校验批注, or <stem>-<tag>.校验批注 when
    several files of one batch may share a stem (collect tags them with their hash)."""
    return f"{stem}-{tag}{ANNOTATED}" if tag else f"{stem}{ANNOTATED}"


class OutputFailed(Exception):
    """Writing the report failed; ``__cause__`` is why (e.g. an OSError)."""


def must_act(report: ValidationReport, decision: Decision | None = None) -> bool:
    """Whether the clerk must do something about the workbook: an error, or a 警告 whose 说明 cell on
    the 校验结果 sheet is still empty (an office reviews the reason before it accepts the figure).  With
    ``decision`` (an office's review of an earlier round: the decision on a finding of this report), a
    finding the office accepted (已核实) asks nothing more, and one it wants changed (需修改) does."""
    from ..checks.decisions import ACCEPTED, TO_CHANGE
    from ..forms.model import Severity

    decided = [(f, decision(report, f) if decision is not None else "") for f in report.findings]
    if any(d == TO_CHANGE for _, d in decided):
        return True
    open_ = [f for f, d in decided if d != ACCEPTED]
    if any(f.severity is Severity.ERROR for f in open_):
        return True
    from ..checks.explain import explainable
    from ..forms import get_form

    try:
        form = get_form(report.form)
    except (KeyError, ValueError):
        return False
    explained = {r.id for r in explainable((*form.rules, *form.cross_year))}
    return any(f.severity is Severity.WARNING and not f.explanation and f.rule in explained for f in open_)


@dataclass
class Checked:
    report: ValidationReport
    annotated: Path | None = None  # the annotated copy, when one was written
    annotate_error: Exception | None = None  # why the annotated copy could not be made
    documents: list[Path] = field(default_factory=list)  # the narrative report's files
    format_error: Exception | None = None  # why one format (the 图解) was not made


def check_workbook(path: str | Path, data: bytes | None = None, *, strict_blank: bool = False,
                   prior: Prior = None, annotate_dir: str | Path | None = None, annotate_stem: str = "",
                   annotate_failing_only: bool = False, report_dir: str | Path | None = None,
                   formats: tuple[str, ...] = (), names: Names | None = None,
                   config: OfficeConfig | None = None, draft_rollup: bool = True,
                   decision: Decision | None = None) -> Checked:
    """Validate one workbook, then write its annotated copy into ``annotate_dir`` as
    ``annotate_stem``.xlsx (every workbook, or only those whose clerk must act: ``must_act``) and its
    report in ``formats`` into ``report_dir``; with ``names``, file names are claimed from it so that one run never
    writes two files to one name.

    ``data``: the workbook's bytes when they do not come from ``path`` (``path`` then names it,
    e.g. archive!member); ``config``: an office's configuration (office/config.py);
    ``draft_rollup``: as ingest's (collect says False); ``decision``: as ``must_act``'s (collect --review)."""
    from ..checks.ingest import check, read

    raw = read(path, data)  # the one read of the workbook: checked (twice with a looked-up prior), annotated
    if callable(prior):
        report = check(raw, strict_blank=strict_blank, config=config, draft_rollup=draft_rollup)
        last = prior(report.agency)
        # last year's file only: a file of another year (last year's sent again) is never compared with itself
        if last is not None and (last.year is None or report.year is None or last.year == report.year - 1):
            report = check(raw, strict_blank=strict_blank, prior=last, config=config, draft_rollup=draft_rollup)
    else:
        report = check(raw, strict_blank=strict_blank, prior=prior, config=config, draft_rollup=draft_rollup)
    out = Checked(report)
    if annotate_dir is not None and not (annotate_failing_only and not must_act(report, decision)):
        target = Path(annotate_dir) / (names.claim(annotate_stem, ".xlsx") if names else annotate_stem + ".xlsx")
        try:
            from .annotate import annotate

            target.parent.mkdir(parents=True, exist_ok=True)
            out.annotated = annotate(report, raw, target)
        except Exception as e:  # openpyxl cannot load every workbook calamine reads (NaN in a number cell)
            out.annotate_error = e
    if report_dir is not None and formats:
        from ..report.render import write_report

        from ..report.render import FormatSkipped

        try:
            out.documents = write_report(report, Path(report_dir), formats, names)
        except FormatSkipped as e:  # the other formats are written
            out.documents, out.format_error = e.written, e
        except Exception as e:
            raise OutputFailed(str(e)) from e
    return out

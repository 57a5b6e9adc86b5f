"""One workbook through ingest → annotate → report: the library function behind
``govinfo-xlsx ingest`` and each of ``collect``'s workers.

``check_workbook`` validates the workbook (against last year's data when given,
or against the agency's own prior file when ``prior`` is a look-up), writes the
annotated copy (callers name it with ``annotated_name``) and the narrative report when asked,
and returns what it wrote.  Unreadable input raises ``GovinfoError`` as ``ingest`` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Union

from .findings import ValidationReport
from .forms.data import PriorData

ANNOTATED_SUFFIX = ".校验批注.xlsx"

# Last year's data: fixed (ingest --prior), or looked up by this year's agency (collect --prior-dir).
Prior = Union[PriorData, Callable[[str], Union[PriorData, None]], None]


def annotated_name(stem: str, tag: str = "") -> str:
    """The file name of an annotated copy: <stem>.校验批注.xlsx, or <stem>-<tag>.校验批注.xlsx
    when several files of one batch may share a stem (collect tags them with their hash)."""
    return f"{stem}-{tag}{ANNOTATED_SUFFIX}" if tag else f"{stem}{ANNOTATED_SUFFIX}"


@dataclass
class Checked:
    report: ValidationReport
    annotated: Path | None = None  # the annotated copy, when one was written
    documents: list[Path] = field(default_factory=list)  # the narrative report's files


def check_workbook(path: str | Path, data: bytes | None = None, *, strict_blank: bool = False,
                   prior: Prior = None, annotate_to: Path | None = None, annotate_failing_only: bool = False,
                   report_dir: str | Path | None = None, formats: tuple[str, ...] = ()) -> Checked:
    """Validate one workbook, then write its annotated copy to ``annotate_to`` (every workbook,
    or only those with 错误) and its report in ``formats`` into ``report_dir``.

    ``data``: the workbook's bytes when they do not come from ``path`` (``path`` then names it,
    e.g. archive!member)."""
    from .ingest import ingest

    if callable(prior):
        report = ingest(path, data=data, strict_blank=strict_blank)
        last = prior(report.agency)
        if last is not None:
            report = ingest(path, data=data, strict_blank=strict_blank, prior=last)
    else:
        report = ingest(path, data=data, strict_blank=strict_blank, prior=prior)
    out = Checked(report)
    if annotate_to is not None and not (annotate_failing_only and report.ok):
        from .annotate import annotate

        out.annotated = annotate(report, data if data is not None else Path(path).read_bytes(), annotate_to)
    if report_dir is not None and formats:
        from .report.render import write_report

        out.documents = write_report(report, Path(report_dir), formats)
    return out

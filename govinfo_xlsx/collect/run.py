"""Run a collection: find the files, check them in parallel, keep the results on disk.

Every file goes through the same ``ingest`` as a single workbook; results come
back in input order whatever the scheduling and go straight to a temporary
database (``store.Store``); the data of error-free workbooks is added to the
totals at once.  Nothing grows with the number of files in memory: the
sources are listed into the database too, at most a few files per worker are
in flight, and the summary reads the rows back one by one.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import sys
import tempfile
from collections import Counter, deque
from contextlib import closing
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from ..checks.catalogue import entry, rule_stats
from ..errors import GovinfoError
from ..forms import get_form
from ..forms.model import Severity
from ..template.prior import load_prior
from ..forms.data import flat_values
from . import worker
from . import filedata
from . import repetition
from .resubmit import resolve
from .review import mark
from . import rounds
from .roster import load_roster
from .archive import ArchiveReader
from .inbox import Source, check_paths, iter_sources
from .store import ACCEPTED, HEADLINE, PHASE_COLLECT, PHASE_INGEST, TO_CHANGE, Store, file_fingerprint

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from ..office.config import OfficeConfig

STATUS_MISSING, STATUS_UNREADABLE, STATUS_ERRORS, STATUS_WARNINGS, STATUS_OK = (
    "未报送", "无法读取", "有错误", "仅警告", "通过")
STATUS_SUPERSEDED = "已替换"  # an agency's earlier file, replaced by its newer one (resubmit.py)
IN_FLIGHT_PER_JOB = 8  # files handed to each worker ahead of the one being collected
CHUNK = 4  # files per round trip to a worker


class Collection:
    """The result of ``collect``: rows and findings stream from disk; use as a context manager."""

    def __init__(self, store: Store, totals: dict[str, dict[str, Any]], year: int | None = None,
                 year_basis: str = "") -> None:
        self.store = store
        self.totals = totals  # form id -> {"count", "values", "agencies_twice"}
        self.scoring = None  # the office's 扣分 table (checks/scoring.py): SUMMARY.xlsx gets a 评分 sheet
        self.year = year  # the round's report year, and where it came from (the summary states both)
        self.year_basis = year_basis

    def __enter__(self) -> "Collection":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    def rows(self) -> Iterator[dict[str, Any]]:
        """One row per file (and per roster agency that sent nothing), in the summary's order."""
        for f in self.store.files():
            if isinstance(f, str):
                yield _missing_row(f)
            else:
                yield {**_row(f, self.store.notes(f["idx"])), "repetition": repetition.note(self.store, f["idx"])}

    def findings(self) -> Iterator[dict[str, Any]]:
        return self.store.findings()

    def rule_stats(self) -> list[dict[str, Any]]:
        return rule_stats(self.store.rule_counts(), *(get_form(form_id) for form_id in self.store.forms()))

    def counts(self) -> Counter:
        """How many rows have each status (without building the rows)."""
        return Counter(STATUS_MISSING if isinstance(f, str) else _status(f) for f in self.store.files())

    def to_dict(self) -> dict[str, Any]:
        """Everything as one dict (holds the whole batch in memory: for small batches and tests)."""
        return {"rows": list(self.rows()), "findings": list(self.findings()), "totals": self.totals,
                "rules": self.rule_stats()}

    def write_json(self, path: Path) -> None:
        """The same as ``to_dict`` written to a file row by row, atomically."""
        from ..files.atomic import atomic_path

        def dump(v: Any) -> str:
            return json.dumps(v, ensure_ascii=False)

        with atomic_path(Path(path)) as tmp, open(tmp, "w", encoding="utf-8") as out:
            for i, (key, items) in enumerate((("rows", self.rows()), ("findings", self.findings()))):
                out.write(("{" if i == 0 else ",\n") + f'"{key}": [')
                for j, item in enumerate(items):
                    out.write(("\n " if j == 0 else ",\n ") + dump(item))
                out.write("\n]")
            out.write(f',\n"totals": {dump(self.totals)},\n"rules": {dump(self.rule_stats())}\n}}\n')


def index_priors(folder: str | Path, db_path: Path) -> int:
    """Index last year's workbooks or JSON files in a folder by agency, into a small database the
    workers read (unreadable files are skipped). Returns the count."""
    import sqlite3

    check_paths([str(folder)])
    db = sqlite3.connect(db_path)
    db.execute("CREATE TABLE priors (agency TEXT PRIMARY KEY, path TEXT NOT NULL)")
    for source in iter_sources([str(folder)]):
        if source.member or source.error or not source.path.lower().endswith((".xlsx", ".json")):
            continue
        try:
            last = load_prior(source.path)
        except GovinfoError:
            continue
        if last.agency:  # of two files of one agency, the first by name wins, whatever the listing order
            db.execute("INSERT INTO priors VALUES (?, ?) ON CONFLICT (agency) DO UPDATE SET path = excluded.path"
                       " WHERE excluded.path < priors.path", (last.agency, source.path))
    db.commit()
    count = db.execute("SELECT COUNT(*) FROM priors").fetchone()[0]
    db.close()
    return count


def collect(paths: list[str], *, roster: str | None = None, year: int | None = None,
            prior_dir: str | None = None, jobs: int = 1, strict_blank: bool = False,
            annotate_dir: str | None = None, progress: bool = False, config: OfficeConfig | None = None,
            review: dict[Any, str] | None = None, peers: bool = True,
            deadline: dt.date | None = None) -> Collection:
    """Check every file under ``paths``; the returned Collection must be closed (use ``with``).

    ``config``: an office configuration (office/config.py); ``review``: the decisions of an earlier
    round (review.load_review); ``peers``: compare agencies of the same kind (peers.py);
    ``deadline``: the batch's own deadline, for every file (else each kind of organ's)."""
    check_paths(paths)
    if config is not None:  # the office's round; the arguments override it
        roster = roster or config.roster
        year = year if year is not None else config.year
        prior_dir = prior_dir or config.prior_dir
    listed = load_roster(roster) if roster else None
    agencies = listed.agencies if listed else None
    basis = "指定" if year is not None else ""
    if year is None and listed is not None and listed.year is not None:
        year, basis = listed.year, "报送名单"
    try:
        store = Store()
    except (sqlite3.OperationalError, OSError) as e:
        raise GovinfoError(f"无法在临时文件夹（{tempfile.gettempdir()}）中建立工作文件（{e}）：请清理磁盘空间，"
                           "或用环境变量 TMPDIR 指定其他文件夹。") from None
    try:
        filedata.prepare(store)
        repetition.prepare(store)
        if agencies:
            store.set_roster(agencies, listed.kinds if listed else {})
        total = store.add_sources(iter_sources(paths))
        options: dict[str, Any] = {"strict_blank": strict_blank, "annotate_dir": annotate_dir, "priors": None,
                                   "config": config, "tmpdir": str(store.path("tmp")),
                                   "review": review if annotate_dir else None}  # who must act, for annotating
        store.path("tmp").mkdir()
        if prior_dir:
            options["priors"] = str(store.path("priors.sqlite3"))
            index_priors(prior_dir, Path(options["priors"]))
        if annotate_dir:
            Path(annotate_dir).mkdir(parents=True, exist_ok=True)
        totals: dict[str, dict[str, Any]] = {}
        with ArchiveReader() as archives:  # members are read here, each archive opened once
            sources = (archives.load(s) for s in store.sources())
            # closed at once on any exit (Ctrl-C included): the worker processes end before the store goes
            with closing(_results(sources, total, jobs, options, progress)) as results:
                for index, r in enumerate(results):
                    _keep(store, totals, index, r, year, config, review, deadline)
        if year is None:
            year, basis = rounds.majority_year(store), "本批多数文件"
            if year is not None:
                for i, agency, found in rounds.wrong_year(store, year, _finding):
                    _own(store, i, agency, found, config, review)
        _flag_batch(store, totals, config, review)
        rounds.supersede_unreadable(store)
        if peers:
            from .peers import compare

            for i, agency, found in compare(store):  # listed with the file's own findings, not as notes
                _own(store, i, agency, found, config, review, PHASE_INGEST)
            for i, agency, found in list(repetition.compare(store, config)):
                _own(store, i, agency, found, config, review, PHASE_INGEST)
        store.count_findings()
        # the totals hold exactly the submissions the summary shows as accepted (通过, 仅警告) in the roster
        rounds.reconcile(store, totals, _subtract_totals, outside=bool(config and config.sum_outside_roster))
        for form_id, n in store.counted_twice().items():
            totals[form_id]["agencies_twice"] = n
    except sqlite3.OperationalError as e:  # the temporary folder is full (or gone)
        store.close()
        raise GovinfoError(f"临时文件夹（{tempfile.gettempdir()}）无法写入（{e}）：请清理磁盘空间，"
                           "或用环境变量 TMPDIR 指定空间更大的文件夹。") from None
    except BaseException:
        store.close()
        raise
    result = Collection(store, totals, year, basis if year is not None else "")
    result.scoring = getattr(config, "scoring", None)
    return result


def _results(sources: Iterator[Source], total: int, jobs: int, options: dict[str, Any],
             progress: bool) -> Iterator[dict[str, Any]]:
    """Each source's result, in input order."""
    from tqdm import tqdm

    bar = tqdm(total=total, desc="校验", unit="份", file=sys.stderr, disable=not progress)
    try:
        if jobs <= 1:
            worker.init(options)
            for source in sources:
                yield worker.check(source)
                bar.update()
        else:
            with closing(_parallel(sources, jobs, options)) as results:
                for result in results:
                    yield result
                    bar.update()
    finally:
        bar.close()


def _parallel(sources: Iterator[Source], jobs: int, options: dict[str, Any],
              job: Any = worker) -> Iterator[dict[str, Any]]:
    """job.check over the sources in worker processes, results in input order, with only a few
    files in flight. Files travel in small chunks (one round trip for several files). A worker that
    dies (a crash inside a reader, the kernel's out-of-memory killer) costs the file it was reading,
    not the batch: the files of its chunk are retried one by one, alone, and the one that kills its
    worker again is reported as unreadable. ``job``: a module with ``init(options)``,
    ``check(source)`` and ``blank_result(source, error)`` (collect's worker, or audit's)."""
    from concurrent.futures.process import BrokenProcessPool

    executor = _pool(jobs, options, job)
    pending: deque = deque()
    try:
        while True:
            while len(pending) * CHUNK < jobs * IN_FLIGHT_PER_JOB:
                chunk = list(islice(sources, CHUNK))
                if not chunk:
                    break
                pending.append((chunk, executor.submit(_check_chunk, job.check, chunk)))
            if not pending:
                return
            chunk, future = pending.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                executor.shutdown(cancel_futures=True)
                for source in chunk:
                    yield _alone(source, options, job)
                executor = _pool(jobs, options, job)
                pending = deque((c, executor.submit(_check_chunk, job.check, c)) for c, _ in pending)
                continue
            yield from results
    except BaseException:  # interrupted (Ctrl-C, SIGTERM) or failing: no worker may outlive the run
        _terminate(executor)
        raise
    finally:
        executor.shutdown(cancel_futures=True)


def _check_chunk(check: Any, chunk: list[Source]) -> list[dict[str, Any]]:
    """``check`` over a few sources in a worker: one round trip for several files."""
    return [check(source) for source in chunk]


def _terminate(executor: ProcessPoolExecutor) -> None:
    """Stop the pool's worker processes now, without waiting for the files they are reading."""
    processes = dict(getattr(executor, "_processes", None) or {})  # no public API before Python 3.14
    for p in processes.values():
        if p.is_alive():
            p.terminate()
    for p in processes.values():
        p.join(timeout=5)
        if p.is_alive():
            p.kill()


def _pool(jobs: int, options: dict[str, Any], job: Any = worker) -> ProcessPoolExecutor:
    import os
    from concurrent.futures import ProcessPoolExecutor

    from ..files.processes import context

    return ProcessPoolExecutor(max_workers=jobs, mp_context=context(), initializer=_init_process,
                               initargs=(job.__name__, options, os.getpid()))


def _init_process(job: str, options: dict[str, Any], parent: int | None = None) -> None:
    """A worker process's start: Ctrl-C is left to the main process, SIGTERM ends it at once, and so
    does its parent's end (files/processes.py); then the job module's ``init`` (a module is named, not
    passed: modules do not pickle)."""
    import importlib

    from ..files.interrupt import in_worker
    from ..files.processes import die_with_parent

    in_worker()
    if parent is not None:
        die_with_parent(parent)
    if options.get("tmpdir"):  # a worker's temporary files (openpyxl's, say) go where the run cleans up,
        import tempfile  # even when the worker is ended by a signal in the middle of a file

        tempfile.tempdir = options["tmpdir"]
    importlib.import_module(job).init(options)


def _alone(source: Source, options: dict[str, Any], job: Any = worker) -> dict[str, Any]:
    from concurrent.futures.process import BrokenProcessPool

    with _pool(1, options, job) as one:
        try:
            return one.submit(job.check, source).result()
        except BrokenProcessPool:
            return job.blank_result(source, f"{source.label}：读取时处理进程异常退出，文件可能已损坏，请重新保存后报送。")


def _own(store: Store, index: int, agency: str, own: list[dict[str, Any]], config: OfficeConfig | None,
         decisions: dict[Any, str] | None, phase: int = PHASE_COLLECT) -> None:
    """Store the batch's own findings of a file, under the office's configuration and review."""
    own = config.apply_dicts(own) if config is not None else own
    mark(agency, own, decisions, store.fingerprint(index))
    store.add_findings(index, phase, own)


def _keep(store: Store, totals: dict[str, dict[str, Any]], index: int, r: dict[str, Any], year: int | None,
          config: OfficeConfig | None = None, decisions: dict[Any, str] | None = None,
          deadline: dt.date | None = None) -> None:
    """Store one file's result with the findings that need no other file; add its data to the totals."""
    own: list[dict[str, Any]] = []
    if r["error"]:
        own.append(_finding("collect-unreadable", error=r["error"]))
        r["agency"] = rounds.agency_of_unreadable(store, r["source"], r.pop("texts", ()))
    else:
        if r.get("annotate_error"):
            own.append(_finding("collect-annotate-failed", error=r["annotate_error"]))
        if year is not None and r["year"] != year:
            own.append(_finding("collect-wrong-year", expected=year, actual=r["year"]))
        if store.has_roster() and not store.in_roster(r["agency"]):
            own.append(_finding("collect-not-in-roster", actual=r["agency"]))
    data = r.pop("data")
    if data is not None:
        own += rounds.kind_hints(store, r["agency"], r["form"], data, _finding)
    facts = late_facts(data, r["year"], deadline, config)
    late = entry("collect-late").say(**facts).rstrip("。") if facts else ""
    if late and deadline is not None:
        own.append(_finding("collect-late", **facts))
    own = config.apply_dicts(own) if config is not None else own
    fingerprint = file_fingerprint(r["source"], r["sha256"])
    mark(r["agency"], r["findings"], decisions, fingerprint)
    mark(r["agency"], own, decisions, fingerprint)
    # summed (and compared with peers, exported as 通过) when no error stands: none, or each accepted in review
    countable = data is not None and not any(_stands_as_error(f) for f in (*r["findings"], *own))
    counted = countable and not store.seen(r["sha256"])
    store.add_file(index, r, late, counted)
    store.add_findings(index, PHASE_COLLECT, own)
    filedata.keep(store, index, r, data, countable)
    repetition.keep(store, index, r)
    if counted:
        _add_totals(totals, r["form"], data)


def late_facts(data: dict[str, Any] | None, year: int | None, override: dt.date | None,
               config: OfficeConfig | None = None) -> dict[str, Any] | None:
    """The facts of collect-late when the report's 成文日期 is after its deadline: ``override``
    (collect --deadline) or the deadline of its kind of organ (``checks/deadlines.py``, as the office's
    ``config`` sets them); None when on time or unknown."""
    from ..checks.deadlines import deadline as statutory

    def deadline(kind: Any) -> Any:
        return config.deadline(kind) if config is not None else statutory(kind)

    info = (data or {}).get("info") or {}
    try:
        date = dt.date.fromisoformat(str(info.get("date"))[:10])
    except ValueError:
        return None
    if override is not None:
        facts = {"variant": "override", "due": override}
    elif isinstance(year, int) and dt.MINYEAR <= year + 1 <= dt.MAXYEAR:
        d = deadline(info.get("kind"))
        facts = {"due": d.date_for(year), "kind": d.kind, "basis": d.basis}
    else:  # no year, or an impossible one (its own rule reports it)
        return None
    return {**facts, "date": date} if date > facts["due"] else None


def _stands_as_error(f: dict[str, Any]) -> bool:
    if f.get("review") == ACCEPTED:
        return False
    return f["severity"] == Severity.ERROR.value or f.get("review") == TO_CHANGE


def _flag_batch(store: Store, totals: dict[str, dict[str, Any]], config: OfficeConfig | None = None,
                decisions: dict[Any, str] | None = None) -> None:
    """The findings that compare files: identical files, one agency in several files (the newest is the
    submission, the others are replaced: resubmit.py)."""
    submissions = resolve(store, totals, _add_totals, _subtract_totals)
    for i, first in list(store.identical_earlier()):  # the query reads files, the insert writes findings
        _own(store, i, store.agency(i), [_finding("collect-duplicate-file", first=first)], config, decisions)
    for i, agency, n in list(store.shared_agencies()):
        if i not in submissions:
            _own(store, i, agency, [_finding("collect-duplicate-agency", variant="replaced", agency=agency, n=n)],
                 config, decisions)


def _finding(rule: str, **facts: Any) -> dict[str, Any]:
    """A finding of the catalogue entry ``rule`` (worded by it from ``facts``), as a dict."""
    return entry(rule).finding(**facts).to_dict()


def _status(f: Any) -> str:
    if "superseded" in f.keys() and f["superseded"]:
        return STATUS_SUPERSEDED
    if f["error"]:
        return STATUS_UNREADABLE
    if f["errors"]:
        return STATUS_ERRORS
    return STATUS_WARNINGS if f["warnings"] else STATUS_OK


def _row(f: Any, notes: list[str]) -> dict[str, Any]:
    if "superseded" in f.keys() and f["superseded"] and f["error"]:
        notes.insert(0, f"已被“{f['superseded']}”替换")
    elif "superseded" in f.keys() and f["superseded"]:
        changes = json.loads(f["changed"] or "[]")
        notes.insert(0, f"已被较新的“{f['superseded']}”替换（改动{len(changes)}处，见“重新报送”表）")
    elif "replaces" in f.keys() and f["replaces"]:
        notes.insert(0, f"重新报送：以本份为准，替换了较早的{f['replaces']}份（见“重新报送”表）")
    if f["late"] and not any(n.startswith(f["late"]) for n in notes):
        notes.append(f["late"])
    if f["annotated"]:
        notes.append(f"已生成标注副本：{Path(f['annotated']).name}")
    status = _status(f)
    shown = status in (STATUS_OK, STATUS_WARNINGS)  # figures of a report with errors may be partial sums
    return {"agency": f["agency"], "status": status, "errors": f["errors"], "warnings": f["warnings"],
            "hints": f["hints"], "form": f["form"], "year": f["year"],
            **{k: f[k] if shown else None for k in HEADLINE},
            "file": f["source"], "notes": "；".join(n.rstrip("。；") for n in notes), "summed": "是" if f["counted"] else ""}


def _missing_row(agency: str) -> dict[str, Any]:
    return {"agency": agency, "status": STATUS_MISSING, "errors": 0, "warnings": 0, "hints": 0, "form": "",
            "year": None, **{k: None for k in HEADLINE}, "file": "", "notes": "", "summed": "", "repetition": ""}


def _add_totals(totals: dict[str, dict[str, Any]], form_id: str, data: dict[str, Any], sign: int = 1) -> None:
    entry = totals.setdefault(form_id, {"count": 0, "agencies_twice": 0, "values": {}})
    entry["count"] += sign
    for name, v in flat_values(get_form(form_id), data).items():
        entry["values"][name] = entry["values"].get(name, 0) + sign * (v or 0)


def _subtract_totals(totals: dict[str, dict[str, Any]], form_id: str, data: dict[str, Any]) -> None:
    _add_totals(totals, form_id, data, -1)
    if totals[form_id]["count"] == 0:
        del totals[form_id]

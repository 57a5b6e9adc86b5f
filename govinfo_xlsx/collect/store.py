"""Where a collection keeps its per-file results: a temporary SQLite database.

A province collects tens of thousands of workbooks; holding every file's row
and findings in Python until the summary is written would make memory grow
with the batch.  Results go to disk as they arrive, the checks that need the
whole batch (identical files, the same agency twice, roster order) are SQL
queries, and the summary and JSON are written by streaming rows back.  Memory
is then the same for 1,000 and 10,000 files.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..checks.decisions import ACCEPTED, TO_CHANGE  # noqa: F401  (collect.run imports them here)
from ..checks.findings import SEVERITY_ORDER
from ..forms.model import Severity
from .source import Source

SEVERITY_RANK = {s.value: rank for s, rank in SEVERITY_ORDER.items()}
HEADLINE = ("new", "done", "carry", "review", "suit")
FINDING_KEYS = ("rule", "severity", "sheet", "cell", "row_label", "col_label", "expected", "actual", "message",
                "explanation", "review")
# phase orders a file's findings within one severity: the batch's own findings first, then ingest's
PHASE_COLLECT, PHASE_INGEST = 0, 1

SCHEMA = f"""
CREATE TABLE sources (idx INTEGER PRIMARY KEY, label TEXT NOT NULL, path BLOB NOT NULL, member TEXT NOT NULL,
    locator TEXT NOT NULL, error TEXT NOT NULL, time REAL NOT NULL);
CREATE TABLE files (
    idx INTEGER PRIMARY KEY, source TEXT NOT NULL, sha256 TEXT NOT NULL, form TEXT NOT NULL, year INTEGER,
    agency TEXT NOT NULL, error TEXT NOT NULL, {", ".join(HEADLINE)}, late TEXT NOT NULL,
    annotated TEXT NOT NULL, counted INTEGER NOT NULL, errors INTEGER, warnings INTEGER, hints INTEGER);
CREATE TABLE findings (
    idx INTEGER NOT NULL, rank INTEGER NOT NULL, phase INTEGER NOT NULL, seq INTEGER NOT NULL,
    {", ".join(f"{k} TEXT" for k in FINDING_KEYS)});
CREATE TABLE roster (pos INTEGER PRIMARY KEY, agency TEXT NOT NULL UNIQUE, kind TEXT NOT NULL DEFAULT '');
CREATE INDEX sources_label ON sources (label);
CREATE INDEX files_sha256 ON files (sha256);
CREATE INDEX files_agency ON files (agency);
CREATE INDEX files_agency_form ON files (agency, form, counted);
CREATE INDEX files_year ON files (year);
CREATE INDEX findings_idx ON findings (idx, rank, phase, seq);
CREATE INDEX findings_rule ON findings (rule, idx, severity);
"""


def file_fingerprint(label: str, sha256: str) -> str:
    """What a decision on a file-level finding is bound to: the file's content (SHA-256), or for a file
    whose bytes could not be read its name (the archive's and the member's; not the folders above it,
    which change from round to round)."""
    if sha256:
        return sha256[:16]
    head, sep, member = label.partition("!")
    return "文件：" + head.replace("\\", "/").rsplit("/", 1)[-1] + sep + member


class Store:
    """The results of one collection, on disk for as long as the object is open."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="govinfo-collect-")
        self.db = sqlite3.connect(Path(self._dir.name) / "collect.sqlite3")
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        # 128 KiB of page cache: full after the first hundred files or so, hence the same for any larger batch
        # (the operating system caches the file itself)
        self.db.execute("PRAGMA cache_size = -128")
        self.db.executescript(SCHEMA)
        self.db.row_factory = sqlite3.Row
        self._forms: set[str] = set()
        self._roster = False

    def path(self, name: str) -> Path:
        """A path in the store's temporary folder (removed with the store)."""
        return Path(self._dir.name) / name

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None  # type: ignore[assignment]
            self._dir.cleanup()

    # -- input ---------------------------------------------------------------------------------

    def add_sources(self, sources: Iterable[Source]) -> int:
        """Store sources; they come back sorted by label. Returns the count. The path is kept as the
        file system's bytes (a name in GBK bytes is no valid text)."""
        self.db.executemany(
            "INSERT INTO sources (label, path, member, locator, error, time) VALUES (?, ?, ?, ?, ?, ?)",
            ((s.label, os.fsencode(s.path), s.member, s.locator, s.error, s.time) for s in sources))
        return self.db.execute("SELECT COUNT(*) FROM sources").fetchone()[0]

    def sources(self) -> Iterator[Source]:
        for row in self.db.execute(
                "SELECT label, path, member, locator, error, time FROM sources ORDER BY label, idx"):
            yield Source(row["label"], os.fsdecode(row["path"]), row["member"], row["locator"], row["error"],
                         row["time"])

    def set_roster(self, agencies: list[str], kinds: dict[str, str] | None = None) -> None:
        """The roster's agencies in order, with the kind of each where the roster says it."""
        kinds = kinds or {}
        self.db.executemany("INSERT INTO roster (agency, kind) VALUES (?, ?)", ((a, kinds.get(a, "")) for a in agencies))
        self._roster = self._roster or bool(agencies)

    def roster_agencies(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT agency FROM roster ORDER BY pos")]

    def roster_kind(self, agency: str) -> str:
        row = self.db.execute("SELECT kind FROM roster WHERE agency = ?", (agency,)).fetchone()
        return row[0] if row else ""

    def agency(self, index: int) -> str:
        row = self.db.execute("SELECT agency FROM files WHERE idx = ?", (index,)).fetchone()
        return row[0] if row else ""

    def fingerprint(self, index: int) -> str:
        row = self.db.execute("SELECT source, sha256 FROM files WHERE idx = ?", (index,)).fetchone()
        return file_fingerprint(row[0], row[1]) if row else ""

    def has_roster(self) -> bool:
        return self._roster

    def in_roster(self, agency: str) -> bool:
        return self.db.execute("SELECT 1 FROM roster WHERE agency = ?", (agency,)).fetchone() is not None

    def seen(self, sha256: str) -> bool:
        """Whether a readable file with these bytes was stored already."""
        return self.db.execute("SELECT 1 FROM files WHERE sha256 = ? AND error = '' LIMIT 1",
                               (sha256,)).fetchone() is not None

    def add_file(self, index: int, result: dict[str, Any], late: str, counted: bool) -> None:
        """One file's result; ``late`` the 逾期 note ('' when on time); ``counted`` when its data
        went into the totals."""
        h = result["headline"]
        if result["form"]:
            self._forms.add(result["form"])
        self.db.execute(
            f"INSERT INTO files (idx, source, sha256, form, year, agency, error, {', '.join(HEADLINE)}, late,"
            f" annotated, counted) VALUES ({', '.join('?' * (10 + len(HEADLINE)))})",
            (index, result["source"], result["sha256"], result["form"], result["year"], result["agency"],
             result["error"], *(h.get(k) for k in HEADLINE), late, result.get("annotated", ""), int(counted)))
        self.add_findings(index, PHASE_INGEST, result["findings"])

    def add_findings(self, index: int, phase: int, findings: list[dict[str, Any]]) -> None:
        self.db.executemany(
            f"INSERT INTO findings (idx, rank, phase, seq, {', '.join(FINDING_KEYS)})"
            f" VALUES ({', '.join('?' * (4 + len(FINDING_KEYS)))})",
            ((index, SEVERITY_RANK[f["severity"]], phase, seq,
              *(json.dumps(f.get(k), ensure_ascii=False) if k in ("expected", "actual") else f.get(k)
                for k in FINDING_KEYS))
             for seq, f in enumerate(findings)))

    # -- whole-batch queries --------------------------------------------------------------------

    def identical_earlier(self) -> Iterator[tuple[int, str]]:
        """(file, the first earlier readable file with the same bytes)."""
        yield from self.db.execute(
            "SELECT f.idx, (SELECT g.source FROM files g WHERE g.sha256 = f.sha256 AND g.error = '' AND g.idx < f.idx"
            " ORDER BY g.idx LIMIT 1) AS first FROM files f WHERE f.error = '' AND first IS NOT NULL ORDER BY f.idx")

    def shared_agencies(self) -> Iterator[tuple[int, str, int]]:
        """(file, agency, how many readable files name that agency) where more than one does."""
        yield from self.db.execute(
            "SELECT f.idx, f.agency, (SELECT COUNT(*) FROM files g WHERE g.agency = f.agency AND g.error = '') AS n"
            " FROM files f WHERE f.error = '' AND f.agency != '' AND n > 1 ORDER BY f.idx")

    def counted_twice(self) -> dict[str, int]:
        """Per form, how many agencies have more than one (different) file in the totals."""
        out: dict[str, int] = {}
        for form, n in self.db.execute("SELECT form, COUNT(*) FROM files WHERE counted = 1 AND agency != ''"
                                       " GROUP BY agency, form"):
            if n > 1:
                out[form] = out.get(form, 0) + 1
        return out

    def count_findings(self) -> None:
        """Store each file's number of findings per severity (after every finding is in): a finding the
        office accepted (已核实) counts for nothing, one it sent back (需修改) counts as an error."""
        self.db.execute(
            "UPDATE files SET "
            + ", ".join(f"{col} = (SELECT COUNT(*) FROM findings x WHERE x.idx = files.idx"
                        " AND IFNULL(x.review, '') != ? AND (CASE WHEN x.review = ? THEN ? ELSE x.severity END) = ?)"
                        for col in ("errors", "warnings", "hints")),
            tuple(v for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO)
                  for v in (ACCEPTED, TO_CHANGE, Severity.ERROR.value, sev.value)))
        self.db.commit()

    # -- output ---------------------------------------------------------------------------------

    def files(self) -> Iterator[sqlite3.Row | str]:
        """Files in the order of the summary: the roster's order, each roster agency that sent nothing as
        its name (a str); then files from agencies outside the roster; then unreadable files.
        Without a roster, files in input order."""
        if not self.has_roster():
            yield from self.db.execute("SELECT * FROM files ORDER BY idx")
            return
        for row in self.db.execute("SELECT r.agency AS roster_agency, f.* FROM roster r"
                                   " LEFT JOIN files f ON f.agency = r.agency ORDER BY r.pos, f.idx"):
            yield row["roster_agency"] if row["idx"] is None else row
        yield from self.db.execute("SELECT * FROM files WHERE error = '' AND agency NOT IN (SELECT agency FROM roster)"
                                   " ORDER BY idx")
        yield from self.db.execute("SELECT * FROM files WHERE error != '' AND agency NOT IN (SELECT agency FROM roster)"
                                   " ORDER BY idx")

    def notes(self, index: int) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT message, phase FROM findings WHERE idx = ? ORDER BY rank, phase, seq", (index,))
            if r[1] == PHASE_COLLECT]

    def findings(self) -> Iterator[dict[str, Any]]:
        """Every finding with its file, agency and state (当前, or 已替换 for a file replaced by a newer
        one): the current files' first, then the replaced files', each in the summary's order (the
        roster's), errors first. Each file's findings are an index walk: nothing is sorted."""
        cols = ", ".join(FINDING_KEYS)
        replaced = "superseded" in self._columns()
        for state in ("当前", "已替换") if replaced else ("当前",):
            for f in self.files():
                if isinstance(f, str) or (replaced and bool(f["superseded"]) != (state == "已替换")):
                    continue
                head = {"file": f["source"], "agency": f["agency"], "state": state,
                        "fingerprint": file_fingerprint(f["source"], f["sha256"])}
                for row in self.db.execute(f"SELECT {cols} FROM findings WHERE idx = ? ORDER BY rank, phase, seq",
                                           (f["idx"],)).fetchall():
                    out = dict(head)
                    for k in FINDING_KEYS:
                        out[k] = json.loads(row[k]) if k in ("expected", "actual") else row[k]
                    yield out

    def _columns(self) -> set[str]:
        return {r[1] for r in self.db.execute("PRAGMA table_info(files)")}

    def rule_counts(self) -> list[tuple[str, str, int]]:
        """(rule, severity, number of files it was found in), most frequent first."""
        counts: dict[str, list[Any]] = {}
        last = None  # the index gives (rule, file) in order: a file is counted once per rule, nothing is sorted
        for rule, idx, severity in self.db.execute("SELECT rule, idx, severity FROM findings ORDER BY rule, idx"):
            if (rule, idx) != last:
                counts.setdefault(rule, [severity, 0])[1] += 1
                last = (rule, idx)
        return sorted(((rule, sev, n) for rule, (sev, n) in counts.items()), key=lambda c: (-c[2], c[0]))

    def forms(self) -> list[str]:
        """The forms of the readable files (a handful at most)."""
        return sorted(self._forms)

"""Run LibreOffice headless to recalculate or convert workbooks (test helper).

The user profile's settings make Calc recalculate every formula when it loads an xlsx file, so
nothing depends on cached values.  Each test process starts one LibreOffice in its own profile and
keeps it running (start-up is about 2 CPU seconds, a dozen test files convert): each conversion is a
short ``soffice --convert-to`` in the same profile, which hands its documents to the running instance
and returns when they are written.  Where that instance cannot be confirmed, each call starts its own
LibreOffice in a fresh profile as before.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Sequence

from openpyxl.utils.cell import coordinate_to_tuple

RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    return None


def convert(files: Sequence[Path], outdir: Path, target: str = "xlsx", timeout: int = 300) -> list[Path]:
    """Open each file in LibreOffice (recalculating) and save it as ``target`` in outdir."""
    ext = target.split(":")[0]
    return _run(files, outdir, target, [outdir / (Path(f).stem + "." + ext) for f in files], timeout)


def _run(files: Sequence[Path], outdir: Path, target: str, outs: list[Path], timeout: int) -> list[Path]:
    """One LibreOffice run converting ``files`` to ``target`` in outdir; ``outs`` must exist afterwards."""
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    args = ["--convert-to", target, "--outdir", str(outdir), *map(str, files)]
    instance = _Instance.get(exe)
    if instance is not None:
        proc = instance.convert(exe, args, timeout)
    else:
        with tempfile.TemporaryDirectory(prefix="lo-profile-") as prof:
            proc = subprocess.run(_command(exe, _profile(Path(prof)), args), capture_output=True, text=True,
                                  timeout=timeout, env={**os.environ, "HOME": prof})
    missing = [o for o in outs if not o.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {missing}: {proc.stdout} {proc.stderr}")
    return outs


def _profile(folder: Path) -> str:
    """A user profile in ``folder`` that recalculates every formula on load: its URL."""
    user = folder / "user"
    user.mkdir(exist_ok=True)
    (user / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
    return folder.as_uri()


def _command(exe: str, profile: str, args: Sequence[str]) -> list[str]:
    return [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck", *args]


class _Instance:
    """The LibreOffice this test process keeps running (headless, its own profile and temp folder).

    ``soffice`` started again with the same profile finds it by its pipe, passes the documents over and
    waits until they are converted.  LibreOffice quits once a conversion leaves it without an open
    document, so it keeps one open: an empty text file (its lock file shows it is loaded).  The pipe is
    /tmp/OSL_PIPE_<uid>_SingleOfficeIPC_<MD5 of the profile URL as UTF-16>; the instance is used only
    once the pipe and the lock file are seen, and is stopped (its process group: only what this helper
    started) when the process exits or a conversion times out."""

    _current: _Instance | None = None
    _failed = False
    READY_SECONDS = 60

    def __init__(self, exe: str) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="lo-instance-"))
        self.profile = _profile(self.folder)
        (self.folder / "tmp").mkdir()
        keep = self.folder / "keep.txt"
        keep.write_text("", encoding="utf-8")
        self.ready = [self.folder / ".~lock.keep.txt#"]
        self.env = {**os.environ, "HOME": str(self.folder), "TMPDIR": str(self.folder / "tmp")}
        digest = hashlib.md5(self.profile.encode("utf-16-le")).digest()
        self.pipe = Path("/tmp") / f"OSL_PIPE_{os.getuid()}_SingleOfficeIPC_{''.join('%x' % b for b in digest)}"
        self.ready.append(self.pipe)
        self.pid = os.getpid()
        self.proc = subprocess.Popen(_command(exe, self.profile, [str(keep)]), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env,
                                     start_new_session=True)
        atexit.register(self.stop)

    @classmethod
    def get(cls, exe: str) -> _Instance | None:
        """The running instance (started on first use), or None when it cannot be had."""
        if not hasattr(os, "getuid") or cls._failed:
            return None
        current = cls._current
        if current is not None and (current.pid != os.getpid() or current.proc.poll() is not None):
            current.stop()
            current = cls._current = None
        if current is None:
            current = cls._current = cls(exe)
            deadline = time.monotonic() + cls.READY_SECONDS
            while not all(map(Path.exists, current.ready)) and current.proc.poll() is None \
                    and time.monotonic() < deadline:
                time.sleep(0.05)
            if not all(map(Path.exists, current.ready)) or current.proc.poll() is not None:
                current.stop()
                cls._current, cls._failed = None, True
                return None
        return current

    def convert(self, exe: str, args: Sequence[str], timeout: int) -> subprocess.CompletedProcess:
        try:
            return subprocess.run(_command(exe, self.profile, args), capture_output=True, text=True,
                                  timeout=timeout, env=self.env)
        except subprocess.TimeoutExpired:
            self.stop()
            type(self)._current = None
            raise

    def stop(self) -> None:
        if self.pid != os.getpid():
            return  # a forked child: the instance is its parent's
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait()
        try:
            self.pipe.unlink()
        except OSError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


def read_checks(path: Path) -> tuple[dict[str, tuple[object, object]], object]:
    """From a workbook LibreOffice (or Gnumeric) recalculated and saved as xlsx: {rule id: (difference,
    result)} of the checks sheet, and the value of CHECK_FAILED, as the saved file holds them (python-calamine
    reads the checks sheet's stored values: a few milliseconds, where openpyxl took a tenth of a second)."""
    from python_calamine import CalamineWorkbook

    from govinfo_xlsx.template.layout import SHEET_NAMES

    wb = CalamineWorkbook.from_path(str(path))
    try:
        rows = [[None if v == "" else v for v in row]
                for row in wb.get_sheet_by_name(SHEET_NAMES["checks"]).to_python(skip_empty_area=False)]
    finally:
        wb.close()
    return _read_rows(rows, path)


def _read_rows(rows: list, workbook: Path) -> tuple[dict[str, tuple[object, object]], object]:
    """{rule id: (difference, result)} of the checks sheet's ``rows`` (cell values from A1) and the value of
    CHECK_FAILED, found where ``workbook``'s defined name points."""
    from govinfo_xlsx.template.layout import CHECK_COLUMNS, CHECKS_FIRST_ROW, DIFF_COLUMN, RULE_ID_COLUMN, SHEET_NAMES
    from govinfo_xlsx.template.writer import CHECK_FAILED

    sheet, ref = workbook_names(workbook)[1][CHECK_FAILED].lstrip("=").rsplit("!", 1)
    assert sheet.strip("'") == SHEET_NAMES["checks"], sheet
    r, c = coordinate_to_tuple(ref.replace("$", ""))
    return _checks(rows, CHECKS_FIRST_ROW, CHECK_COLUMNS.index(DIFF_COLUMN), CHECK_COLUMNS.index("结果"),
                   RULE_ID_COLUMN), _at(rows, r - 1, c - 1)


def _at(rows: list, r: int, c: int) -> object:
    return _field(rows[r], c) if r < len(rows) else None


def _field(row: list, c: int) -> object:
    return row[c] if c < len(row) else None


def _checks(rows: list, first: int, diff: int, result: int, rule: int) -> dict[str, tuple[object, object]]:
    """{rule id: (difference, result)} of the rows from ``first`` (0-based) until the first without a rule id."""
    out: dict[str, tuple[object, object]] = {}
    for row in rows[first:]:
        if not _field(row, rule):
            break
        out[row[rule]] = (_field(row, diff), _field(row, result))
    return out


# LibreOffice's CSV export (filter options, in order): comma, double quote, UTF-8, from line 1, default
# cell formats, default language, quoted fields not as text, detect special numbers, values not "as
# shown" (the full number), no formulas, spaces kept, and the number (1-based) of the sheet to export.
CSV_OPTIONS = "44,34,76,1,,0,false,true,false,false,false,{sheet}"


def _csv_target(sheet: int) -> str:
    """The --convert-to target for the CSV of sheet ``sheet`` (1-based; -1: every sheet, a file each)."""
    return "csv:Text - txt - csv (StarCalc):" + CSV_OPTIONS.format(sheet=sheet)


def workbook_names(path: Path) -> tuple[list[str], dict[str, str]]:
    """The sheet names in order and the defined names ({name: formula}) of an xlsx file (its workbook.xml)."""
    import zipfile

    from defusedxml.ElementTree import fromstring

    with zipfile.ZipFile(path) as z:
        root = fromstring(z.read("xl/workbook.xml"))
    ns = root.tag[:root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    sheets = [e.get("name") for e in root.iter(f"{ns}sheet")]
    return sheets, {e.get("name"): (e.text or "") for e in root.iter(f"{ns}definedName")}


def recalc_checks(files: Sequence[Path], outdir: Path, timeout: int = 600) -> list[Path]:
    """Each workbook recalculated by LibreOffice (one run for all), its checks sheet saved as
    outdir/<name>.csv with the values LibreOffice computed: what ``read_checks_csv`` reads.  Cheaper
    than an xlsx save read back by openpyxl (half the LibreOffice time, no workbook to parse), for tests
    that look only at the checks sheet.  The defined names no formula uses are left out (``without_names``)."""
    from govinfo_xlsx.template.layout import SHEET_NAMES

    sheet = SHEET_NAMES["checks"]
    numbers = {workbook_names(f)[0].index(sheet) + 1 for f in files}
    assert len(numbers) == 1, f"the checks sheet is not at the same place in every workbook: {numbers}"
    unnamed = without_names(files, outdir / "unnamed")
    # one sheet exported: LibreOffice names the file <name>-<sheet>.csv
    return _run(unnamed, outdir, _csv_target(numbers.pop()),
                [outdir / f"{Path(f).stem}-{sheet}.csv" for f in files], timeout)


# every formula of a sheet: a cell's, a conditional format's, a data validation's
FORMULA = re.compile(rb"<(f|formula|formula1|formula2)(?:\s[^>]*)?>([^<]*)</\1>")
TOKEN = re.compile(r"(?:[^\W\d]|\\)[\w.]*")  # a name as a formula writes it: a letter, _ or \ first
DEFINED_NAME = re.compile(rb'<definedName name="([^"]*)"[^>]*>[^<]*</definedName>')


def without_names(files: Sequence[Path], folder: Path) -> list[Path]:
    """Copies of ``files`` in ``folder`` (the same names) without the defined names that no formula (a
    cell's, a conditional format's, a data validation's) refers to: every formula computes as before.  The
    names are the readers' way into the cells; for LibreOffice they cost about a tenth of a second a workbook
    (measured on the 2021 template: 0.26 s with all 237 names, 0.18 s with the one a formula uses)."""
    import zipfile
    from html import unescape

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for path in map(Path, files):
        with zipfile.ZipFile(path) as src:
            infos = src.infolist()
            parts = {item.filename: src.read(item.filename) for item in infos}
        used = {token for name, data in parts.items() if name.startswith("xl/worksheets/")
                for m in FORMULA.finditer(data) for token in TOKEN.findall(unescape(m[2].decode("utf-8")))}

        def unused(m: re.Match) -> bytes:
            return b"" if unescape(m[1].decode("utf-8")) not in used else m[0]

        parts["xl/workbook.xml"] = re.sub(rb"<definedNames>\s*</definedNames>", b"",
                                          DEFINED_NAME.sub(unused, parts["xl/workbook.xml"]))
        copy = folder / path.name
        with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in infos:
                dst.writestr(item, parts[item.filename])
        out.append(copy)
    return out


def recalc_sheets(files: Sequence[Path], outdir: Path, timeout: int = 600) -> list[dict[str, Path]]:
    """Each workbook recalculated by LibreOffice (one run for all), every sheet saved as
    outdir/<name>-<sheet>.csv with the values LibreOffice computed (the CSV filter's sheet -1: every sheet):
    [{sheet: its CSV}].  Cheaper than an xlsx save (LibreOffice's xlsx export is most of its time).  The
    defined names no formula uses are left out (``without_names``)."""
    sheets = [workbook_names(f)[0] for f in files]
    outs = _run(without_names(files, outdir / "unnamed"), outdir, _csv_target(-1),
                [outdir / f"{Path(f).stem}-{s}.csv" for f, names in zip(files, sheets) for s in names], timeout)
    found = iter(outs)
    return [{s: next(found) for s in names} for names in sheets]


def csv_cells(csv_path: Path) -> dict[str, str]:
    """{A1: text} of the non-empty fields of a CSV LibreOffice wrote (``recalc_sheets``)."""
    import csv

    from openpyxl.utils import get_column_letter

    with open(csv_path, encoding="utf-8", newline="") as f:
        return {f"{get_column_letter(c)}{r}": v for r, row in enumerate(csv.reader(f), 1)
                for c, v in enumerate(row, 1) if v != ""}


def read_checks_csv(csv_path: Path, workbook: Path) -> tuple[dict[str, tuple[object, object]], object]:
    """What ``read_checks`` gives, from ``recalc_checks``' CSV of ``workbook``: {rule id: (difference,
    result)} and the value of CHECK_FAILED (where the workbook's defined name points)."""
    import csv

    with open(csv_path, encoding="utf-8", newline="") as f:
        rows = [[_csv_value(v) for v in row] for row in csv.reader(f)]
    return _read_rows(rows, workbook)


def _csv_value(text: str) -> object:
    """A CSV field as openpyxl gives the cell's value: None when empty, a number when it is one."""
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


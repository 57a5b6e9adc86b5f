"""Run LibreOffice headless to recalculate or convert workbooks (test helper).

Each call uses a fresh user profile whose settings make Calc recalculate every
formula when it loads an xlsx file, so nothing depends on cached values.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
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
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as prof:
        user = Path(prof) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
        env = {**os.environ, "HOME": prof}
        cmd = [exe, f"-env:UserInstallation={Path(prof).as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", target, "--outdir", str(outdir), *map(str, files)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    missing = [o for o in outs if not o.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {missing}: {proc.stdout} {proc.stderr}")
    return outs


def read_checks(path: Path) -> tuple[dict[str, tuple[object, object]], object]:
    """From a workbook LibreOffice (or Gnumeric) recalculated and saved as xlsx: {rule id: (difference,
    result)} of the checks sheet, and the value of CHECK_FAILED (openpyxl, read-only: only the checks
    sheet is parsed)."""
    import openpyxl

    from govinfo_xlsx.template.layout import CHECK_COLUMNS, CHECKS_FIRST_ROW, DIFF_COLUMN, RULE_ID_COLUMN, SHEET_NAMES
    from govinfo_xlsx.template.writer import CHECK_FAILED

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet, ref = next(iter(wb.defined_names[CHECK_FAILED].destinations))
        assert sheet == SHEET_NAMES["checks"], sheet
        rows = list(wb[sheet].iter_rows(values_only=True))
    finally:
        wb.close()
    r, c = coordinate_to_tuple(ref.replace("$", ""))
    return _checks(rows, CHECKS_FIRST_ROW, CHECK_COLUMNS.index(DIFF_COLUMN), CHECK_COLUMNS.index("结果"),
                   RULE_ID_COLUMN), _at(rows, r - 1, c - 1)


def _at(rows: list, r: int, c: int) -> object:
    return rows[r][c] if r < len(rows) and c < len(rows[r]) else None


def _checks(rows: list, first: int, diff: int, result: int, rule: int) -> dict[str, tuple[object, object]]:
    """{rule id: (difference, result)} of the rows from ``first`` (0-based) until the first without a rule id."""
    out: dict[str, tuple[object, object]] = {}
    for row in rows[first:]:
        if not _at([row], 0, rule):
            break
        out[row[rule]] = (_at([row], 0, diff), _at([row], 0, result))
    return out


# LibreOffice's CSV export (filter options, in order): comma, double quote, UTF-8, from line 1, default
# cell formats, default language, quoted fields not as text, detect special numbers, values not "as
# shown" (the full number), no formulas, spaces kept, and the number (1-based) of the sheet to export.
CSV_OPTIONS = "44,34,76,1,,0,false,true,false,false,false,{sheet}"


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
    that look only at the checks sheet."""
    from govinfo_xlsx.template.layout import SHEET_NAMES

    sheet = SHEET_NAMES["checks"]
    numbers = {workbook_names(f)[0].index(sheet) + 1 for f in files}
    assert len(numbers) == 1, f"the checks sheet is not at the same place in every workbook: {numbers}"
    # one sheet exported: LibreOffice names the file <name>-<sheet>.csv
    return _run(files, outdir, "csv:Text - txt - csv (StarCalc):" + CSV_OPTIONS.format(sheet=numbers.pop()),
                [outdir / f"{Path(f).stem}-{sheet}.csv" for f in files], timeout)


def read_checks_csv(csv_path: Path, workbook: Path) -> tuple[dict[str, tuple[object, object]], object]:
    """What ``read_checks`` gives, from ``recalc_checks``' CSV of ``workbook``: {rule id: (difference,
    result)} and the value of CHECK_FAILED (where the workbook's defined name points)."""
    import csv

    from govinfo_xlsx.template.layout import CHECK_COLUMNS, CHECKS_FIRST_ROW, DIFF_COLUMN, RULE_ID_COLUMN, SHEET_NAMES
    from govinfo_xlsx.template.writer import CHECK_FAILED

    with open(csv_path, encoding="utf-8", newline="") as f:
        rows = [[_csv_value(v) for v in row] for row in csv.reader(f)]
    sheet, ref = workbook_names(workbook)[1][CHECK_FAILED].lstrip("=").rsplit("!", 1)
    assert sheet.strip("'") == SHEET_NAMES["checks"], sheet
    r, c = coordinate_to_tuple(ref.replace("$", ""))
    return _checks(rows, CHECKS_FIRST_ROW, CHECK_COLUMNS.index(DIFF_COLUMN), CHECK_COLUMNS.index("结果"),
                   RULE_ID_COLUMN), _at(rows, r - 1, c - 1)


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


def failed_checks(path: Path) -> set[str]:
    from govinfo_xlsx.template.writer import FAILED

    return {rule for rule, (_, result) in read_checks(path)[0].items() if result == FAILED}

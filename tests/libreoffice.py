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
    ext = target.split(":")[0]
    outs = [outdir / (Path(f).stem + "." + ext) for f in files]
    missing = [o for o in outs if not o.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {missing}: {proc.stdout} {proc.stderr}")
    return outs


def read_checks(path: Path) -> tuple[dict[str, tuple[object, object]], object]:
    """From a workbook LibreOffice recalculated: {rule id: (difference, result)} of the
    checks sheet, and the value of CHECK_FAILED."""
    import openpyxl

    from govinfo_xlsx.template.layout import CHECK_COLUMNS, CHECKS_FIRST_ROW, DIFF_COLUMN, RULE_ID_COLUMN, SHEET_NAMES
    from govinfo_xlsx.template.writer import CHECK_FAILED

    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb[SHEET_NAMES["checks"]]
    diff_col, result_col = CHECK_COLUMNS.index(DIFF_COLUMN) + 1, CHECK_COLUMNS.index("结果") + 1
    rows, r = {}, CHECKS_FIRST_ROW + 1
    while ws.cell(r, RULE_ID_COLUMN + 1).value:
        rows[ws.cell(r, RULE_ID_COLUMN + 1).value] = (ws.cell(r, diff_col).value, ws.cell(r, result_col).value)
        r += 1
    sheet, ref = next(iter(wb.defined_names[CHECK_FAILED].destinations))
    return rows, wb[sheet][ref.replace("$", "")].value


def failed_checks(path: Path) -> set[str]:
    from govinfo_xlsx.template.writer import FAILED

    return {rule for rule, (_, result) in read_checks(path)[0].items() if result == FAILED}

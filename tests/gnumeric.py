"""Recalculate workbooks with Gnumeric's ssconvert (test helper): a second, independent
spreadsheet engine for the template's formulas.

``ssconvert --recalc`` loads each workbook, recalculates every formula and saves the results as
the cached values of an xlsx file, which ``libreoffice.read_checks`` reads like LibreOffice's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Sequence


def ssconvert() -> str | None:
    return shutil.which("ssconvert")


def recalc(files: Sequence[Path], outdir: Path, timeout: int = 120) -> list[Path]:
    """Each file recalculated by Gnumeric and saved as outdir/<name>.xlsx (two at a time)."""
    exe = ssconvert()
    if exe is None:
        raise RuntimeError("Gnumeric (ssconvert) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)

    def one(src: Path) -> Path:
        out = outdir / (src.stem + ".xlsx")
        with tempfile.TemporaryDirectory(prefix="gnumeric-home-") as home:  # no user settings
            proc = subprocess.run([exe, "--recalc", "--export-type=Gnumeric_Excel:xlsx2", str(src), str(out)],
                                  capture_output=True, text=True, timeout=timeout, env={**os.environ, "HOME": home})
        if not out.exists():
            raise RuntimeError(f"ssconvert did not write {out}: {proc.stdout} {proc.stderr}")
        return out

    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(one, files))

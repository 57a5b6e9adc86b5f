"""The roster of agencies expected to submit: a CSV or an xlsx, one agency a row."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import GovinfoError

HEADERS = {"机关名称", "单位名称", "名称", "机关", "单位", "agency"}


def read_roster(path: str | Path) -> list[str]:
    from ..plainfile import check_plain

    path = Path(path)
    check_plain(path)  # a FIFO is no roster: refused, never opened
    if not path.is_file():
        raise GovinfoError(f"{path}：报送名单文件不存在。")
    if path.suffix.lower() in (".xlsx", ".xls", ".ods"):
        from python_calamine import CalamineWorkbook

        try:
            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
            rows = [[str(c).strip() for c in row] for row in sheet.to_python()]
        except Exception:
            raise GovinfoError(f"{path}：报送名单无法读取，请另存为 CSV 或 xlsx。") from None
    else:
        raw = path.read_bytes()
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise GovinfoError(f"{path}：报送名单的文字编码无法识别，请存为 UTF-8 或 GBK 的 CSV。")
        rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    rows = [r for r in rows if r and any(r)]
    if not rows:
        raise GovinfoError(f"{path}：报送名单是空的。")
    col = 0
    if any(c in HEADERS for c in rows[0]):
        col = next(i for i, c in enumerate(rows[0]) if c in HEADERS)
        rows = rows[1:]
    names, seen = [], set()
    for r in rows:
        name = r[col] if col < len(r) else ""
        if name and name not in seen:
            names.append(name)
            seen.add(name)
    return names

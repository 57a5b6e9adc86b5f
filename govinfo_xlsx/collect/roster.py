"""The roster of agencies expected to submit, as offices keep it: a CSV (UTF-8 or GBK) or a workbook,
perhaps with title rows above the header, a 序号 column, merged cells and a 机关类别 column.

The header row is found by its column names (机关名称, 单位名称, …) among the first rows; rows above it
are titles (a year written there, “2026年度”, is the roster's year). Without a header a file of one
column is a plain list of names. A 机关类别 column gives each agency's kind (``forms.organs.ORGAN_KINDS``,
or a short form: 部门, 乡镇, 街道, 授权组织…). Anything unclear — several columns and no header, a
number where a name belongs, an unknown kind, a title row in a headerless list, a header with no
agency under it — is refused with a message naming the row: nothing is silently made an agency.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GovinfoError
from ..forms.organs import AUTHORISED, DEPARTMENT, GOVERNMENT, ORGAN_KINDS, TOWNSHIP

HEADERS = {"机关名称", "单位名称", "名称", "机关", "单位", "agency", "部门名称", "机关（单位）名称"}
KIND_HEADERS = {"机关类别", "机关类型", "类别", "类型", "kind"}
NUMBER_HEADERS = {"序号", "编号", "No.", "no", "#"}
HEADER_ROWS = 10  # the header is looked for among the first rows
ORGAN_KIND_WORDS = {
    "部门": DEPARTMENT, "政府部门": DEPARTMENT, "人民政府部门": DEPARTMENT,
    "县级以上人民政府": GOVERNMENT, "人民政府": GOVERNMENT, "政府": GOVERNMENT, "地方人民政府": GOVERNMENT,
    "乡镇": TOWNSHIP, "街道": TOWNSHIP, "乡镇街道": TOWNSHIP, "乡镇人民政府": TOWNSHIP, "街道办事处": TOWNSHIP,
    "授权组织": AUTHORISED, "法律法规授权组织": AUTHORISED,
}


@dataclass
class Roster:
    agencies: list[str] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)  # agency -> its kind, where the roster says it
    year: int | None = None  # a year stated in a title row (“2026年度……名单”)


def read_roster(path: str | Path) -> list[str]:
    """The roster's agency names, in order."""
    return load_roster(path).agencies


def load_roster(path: str | Path) -> Roster:
    from ..files.plainfile import check_plain

    path = Path(path)
    check_plain(path)  # a FIFO is no roster: refused, never opened
    if not path.is_file():
        raise GovinfoError(f"{path}：报送名单文件不存在。")
    rows = _rows(path)
    numbered = [(i, r) for i, r in enumerate(rows, start=1) if any(r)]
    if not numbered:
        raise GovinfoError(f"{path}：报送名单是空的。")
    at = next((k for k, (_, r) in enumerate(numbered[:HEADER_ROWS]) if any(c in HEADERS for c in r)), None)
    out = Roster()
    if at is None:
        name_col, kind_col, body = 0, None, numbered
        wide = next(((i, r) for i, r in numbered if sum(bool(c) for c in r) > 1), None)
        if wide:
            raise GovinfoError(f"{path}：第{wide[0]}行有多个单元格，但找不到表头（应有“机关名称”或“单位名称”列）："
                               "请在名单上方加一行表头，或只留一列机关名称。")
    else:
        line, header = numbered[at]
        for _, r in numbered[:at]:
            m = re.search(r"((?:19|20)\d\d)\s*年度?", "".join(r))
            out.year = out.year or (int(m[1]) if m else None)
        name_col = next(i for i, c in enumerate(header) if c in HEADERS)
        kind_col = next((i for i, c in enumerate(header) if c in KIND_HEADERS), None)
        body = numbered[at + 1:]
        if not body:
            raise GovinfoError(f"{path}：报送名单只有表头（第{line}行），没有机关：请在表头下每行填写一个机关。")
    for line, r in body:
        name = r[name_col] if name_col < len(r) else ""
        if not name:
            continue  # a row of notes beside the list, or a blank name: nobody to expect
        if re.fullmatch(r"[\d.\s]+", name) or name in HEADERS or name in NUMBER_HEADERS:
            raise GovinfoError(f"{path}：第{line}行的机关名称“{name}”不像机关名称：请检查名单的表头和各列。")
        if at is None and "名单" in name:
            raise GovinfoError(f"{path}：第{line}行“{name}”像是标题而不是机关：请在名单上方加一行表头"
                               "（“机关名称”或“单位名称”）。")
        if name in out.kinds or name in out.agencies:
            continue
        out.agencies.append(name)
        text = r[kind_col] if kind_col is not None and kind_col < len(r) else ""
        if text:
            kind = text if text in ORGAN_KINDS else ORGAN_KIND_WORDS.get(text.replace("、", "").replace(" ", ""))
            if kind is None:
                raise GovinfoError(f"{path}：第{line}行“{name}”的机关类别“{text}”无法识别，应为："
                                   f"{'、'.join(ORGAN_KINDS)}。")
            out.kinds[name] = kind
    if not out.agencies:
        raise GovinfoError(f"{path}：报送名单中没有机关名称。")
    return out


def _rows(path: Path) -> list[list[str]]:
    if path.suffix.lower() in (".xlsx", ".xls", ".ods", ".xlsm"):
        from python_calamine import CalamineWorkbook

        try:
            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
            return [[_text(c) for c in row] for row in sheet.to_python()]
        except Exception:
            raise GovinfoError(f"{path}：报送名单无法读取，请另存为 CSV 或 xlsx。") from None
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise GovinfoError(f"{path}：报送名单的文字编码无法识别，请存为 UTF-8 或 GBK 的 CSV。")
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]


def _text(c: object) -> str:
    if isinstance(c, float) and c.is_integer():
        return str(int(c))
    return str(c).strip() if c is not None else ""

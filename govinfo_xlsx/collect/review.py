"""Review decisions carried from one round of a collection to the next (``collect --review``).

The 问题清单 sheet of a summary has a 审核意见 column with a list: 已核实 (the office checked the
finding and accepts it: no change needed) or 需修改 (the agency must change it). The next round
reads an earlier summary and gives each decision to the same finding there — the same agency,
rule, sheet and cell, and the same value in the cell; a changed value is a new finding. A finding
about a whole file (unreadable, identical to another, not in the roster, of another year) is also
bound to that file's content (``文件指纹``: its SHA-256, or its name where its bytes could not be
read): accepting one broken file never accepts the next one. Accepted
findings then count for nothing in the agency's status, findings to change count as errors
(``store.count_findings``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from ..checks.decisions import ACCEPTED, DECISIONS, TO_CHANGE  # noqa: F401  (re-exported)
from ..errors import GovinfoError
from ..files.sheetrows import sheet_name

SHEET = "问题清单"
COLUMN = "审核意见"
KEY_COLUMNS = ("机关", "规则编号", "工作表", "单元格", "填写值")
FINGERPRINT = "文件指纹"
ALIASES = {"机关": ("机关", "机关名称")}  # a summary written before issue 21 names the column 机关名称
FILE_RULES = frozenset({"collect-unreadable", "collect-duplicate-file", "collect-not-in-roster",
                        "collect-wrong-year"})

Key = tuple[str, str, str, str, str, str]


def show_value(v: Any) -> str:
    """A finding's value as the summary shows it (and a review file gives it back)."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (list, tuple)):
        return "、".join(show_value(x) for x in v)
    return str(v)


def finding_key(agency: str, f: dict[str, Any], fingerprint: str = "") -> Key:
    return (agency or "", f["rule"], f.get("sheet") or "", f.get("cell") or "", show_value(f.get("actual")),
            fingerprint if f["rule"] in FILE_RULES else "")


def load_review(path: str | Path) -> dict[Key, str]:
    """The decisions of an earlier summary: finding key -> 已核实 or 需修改 (rows left blank are skipped)."""
    from ..files.plainfile import check_plain
    from ..reading.openbook import load_book

    p = Path(path)
    check_plain(p)
    if not p.is_file():
        raise GovinfoError(f"审核意见文件“{p}”不存在。")
    unreadable = "“{}”无法作为 xlsx 汇总表读取（{}）：请指定上一轮 collect 生成的汇总表。"
    try:
        wb = load_book(p, read_only=True, data_only=True)
    except Exception as e:  # not a zip, damaged XML or data (zlib.error, ...): one line, like any bad input
        raise GovinfoError(unreadable.format(p, type(e).__name__)) from None
    try:
        if SHEET not in wb.sheetnames:
            raise GovinfoError(f"“{p}”中没有“{SHEET}”工作表：请指定上一轮 collect 生成的汇总表。")
        out: dict[Key, str] = {}
        k = 0
        while sheet_name(SHEET, k) in wb.sheetnames:  # 问题清单, then 问题清单（续）… of a very large batch
            name = sheet_name(SHEET, k)
            rows = wb[name].iter_rows(values_only=True)
            header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
            at = {c: next((header.index(a) for a in ALIASES.get(c, (c,)) if a in header), -1)
                  for c in (*KEY_COLUMNS, COLUMN, FINGERPRINT)}
            missing = [c for c in (*KEY_COLUMNS, COLUMN) if at[c] < 0]
            if missing:
                raise GovinfoError(f"“{p}”的“{name}”表缺少“{'”“'.join(missing)}”列：请指定本工具生成的汇总表。")
            for key, decision in _decisions(p, rows, at, name).items():
                out.setdefault(key, decision)
            k += 1
        return out
    except GovinfoError:
        raise
    except Exception as e:  # read_only reads the sheet while rows are asked for: damage shows here
        raise GovinfoError(unreadable.format(p, type(e).__name__)) from None
    finally:
        wb.close()


def _decisions(p: Path, rows: Iterable[tuple[Any, ...]], at: dict[str, int], sheet: str = SHEET) -> dict[Key, str]:
    from ..template.layout import a1

    out: dict[Key, str] = {}
    for r, row in enumerate(rows, start=1):
        def get(c: str) -> str:
            i = at[c]
            return show_value(row[i]).strip() if 0 <= i < len(row) else ""

        decision = get(COLUMN)
        if not decision:
            continue
        if decision not in DECISIONS:
            raise GovinfoError(f"“{p}”的“{sheet}”表 {a1(r, at[COLUMN], absolute=False)} 单元格的审核意见"
                               f"“{decision}”无效：应为“{ACCEPTED}”或“{TO_CHANGE}”（或留空）。")
        rule = get("规则编号")
        key = (get("机关"), rule, get("工作表"), get("单元格"), get("填写值"),
               get(FINGERPRINT) if rule in FILE_RULES else "")
        out.setdefault(key, decision)
    return out


def mark(agency: str, findings: list[dict[str, Any]], decisions: dict[Key, str] | None,
         fingerprint: str = "") -> None:
    """Give each finding its decision from the earlier round ("" when none); ``fingerprint``: the file's
    (``store.file_fingerprint``), for the findings about the whole file."""
    for f in findings:
        f["review"] = decisions.get(finding_key(agency, f, fingerprint), "") if decisions else ""

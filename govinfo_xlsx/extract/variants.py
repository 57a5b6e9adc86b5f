"""Labels as sites print them, read as the statutory ones, each with a label finding.

- A header label of 表二 with a typo ("本年新作数量") or words added ("对外公开总数量（2019年起）",
  "采购总金额（元）"): the block is read when the rest of its header matches.
- Rows of 表三 labelled in the words of the prose ("本年度新收", "上年度结转", "结转下年度"):
  read as 一、本年新收… / 二、上年结转… / 四、结转下年度继续办理.
- A change written with a word in 表二's 本年增/减 column ("减4"): read as -4, with pub-cell-normalized.
- A 2021-format 表三 whose （六）其他处理 is the single row of the 2019 format: the row is read
  (``Reading.older_rows``) and the deviation reported, in place of three rows "not found".
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

TYPO_RATIO = 0.8  # how alike a misprinted label and the statutory one are (difflib ratio)
TYPO_MIN = 5  # labels shorter than this are not matched loosely
TWO_CHARS = 8  # a label this long may have one word of two characters mistyped
# words of the prose for the rows before and after the results of 表三 -> the row's key
ROW_WORDS = (
    (re.compile(r"^(一[、.．]?)?本年度?新收(政府信息公开申请|政府信息公开|申请)?(数量|件数|数)?$"), "new"),
    (re.compile(r"^(二[、.．]?)?上年度?结转(政府信息公开申请|政府信息公开|申请)?(数量|件数|数)?$"), "carried_over"),
    (re.compile(r"^(四[、.．]?)?结转下一?年度?(继续办理)?(数量|件数|数)?$"), "carry_forward"),
)


def typo(printed: str, label: str) -> bool:
    """A label misprinted by a character or two: as long (±1) and mostly the same characters."""
    if len(label) < TYPO_MIN or abs(len(printed) - len(label)) > 1 or printed == label:
        return False
    if bool(re.search(r"\d", printed)) != bool(re.search(r"\d", label)):
        return False  # a number run into a label ("政府集中采购2") is not a misprint
    if len(printed) == len(label) >= TWO_CHARS:  # a word of two characters mistyped ("本年处理绝对数量")
        wrong = [i for i, (a, b) in enumerate(zip(printed, label)) if a != b]
        if len(wrong) <= 2 and wrong[-1] - wrong[0] <= 1:
            return True
    m = SequenceMatcher(None, printed, label)
    return m.real_quick_ratio() >= TYPO_RATIO and m.quick_ratio() >= TYPO_RATIO and m.ratio() >= TYPO_RATIO


SIGNED_WORD = re.compile(r"(增加?|减少?)\s*(\d+)(?:件|项|个)?")


def signed_change(cell: str) -> str | None:
    """A change written with a word in 表二's 本年增/减 column ("减4", "增加2"): the signed figure ("-4", "2")."""
    m = SIGNED_WORD.fullmatch(cell.strip())
    if not m:
        return None
    return ("-" if m.group(1).startswith("减") else "") + m.group(2)


def head_row(cell: str) -> str | None:
    """The key of a row of 表三 before or after the results, from the words a site used for it."""
    for pattern, key in ROW_WORDS:
        if pattern.match(cell):
            return key
    return None


def row_variant(cells: list[str], norm) -> tuple[str | None, int]:
    """(row key, index of the label cell) of a 表三 row labelled in other words, followed by numbers."""
    for i, c in enumerate(cells):
        key = head_row(norm(c))
        if not key:
            continue
        rest = [x.strip() for x in cells[i + 1:] if x.strip()]
        # followed by the row's numbers: not a header row "项目 | 本年新收件数 | 上年结转件数 | …"
        if rest and all(re.fullmatch(r"[\d.,，\s/\-—–无]+", x) for x in rest):
            return key, i
        return None, -1
    return None, -1


OLDER_OTHER = "other"  # the 2019 format's single row （六）其他处理


def older_other_row(r, form) -> None:
    """A 2021-format 表三 with the 2019 format's single （六）其他处理 row: read the row, report the
    deviation, and take its three rows out of the "not found" finding."""
    hit = r.t3_rows.get(OLDER_OTHER)
    group = next((g for g in form.table3.results if g.rows and g.label.startswith("（六）")), None)
    if hit is None or group is None or any(r.status.get(form.table3.cell_name(x.key, c.key)) != "missing"
                                          for x in group.rows for c in form.table3.columns):
        return
    from ..reading.normalize import parse_number

    block, cells = hit
    cols = form.table3.columns
    raw = cells[-len(cols):]
    values: dict[str, Any] = {}
    for c, text in zip(cols, raw):
        parsed = parse_number(text.strip() or None, c.kind)
        values[c.key] = parsed.value if parsed.status in ("ok", "normalized", "none_as_zero") else None
    r.older_rows["（六）其他处理"] = values
    shown = [f"{c.label} {v}" for c, v in zip(cols, (values.get(c.key) for c in cols)) if v is not None]
    labels = [x.label for x in group.rows]
    r.add("pub-row-older-format", block.location, section="表三", expected=len(labels), actual=1,
          row_label="（六）其他处理", variant="" if shown else "no-figures", figures=shown, rows=labels)
    _drop_rows(r, set(labels))


def _drop_rows(r, labels: set[str]) -> None:
    """Take rows out of 表三's "not found" finding (rewritten, or dropped when no row is left)."""
    for i, f in enumerate(r.findings):
        if f.rule != "pub-row-missing" or f.sheet != "表三":
            continue
        rows = [x for x in re.findall(r"“([^”]+)”", f.message.split("：", 1)[-1]) if x not in labels]
        if len(rows) == f.expected - len(labels) and rows:
            from ..checks.catalogue import restated

            r.findings[i] = restated(f, expected=len(rows), row_label=rows[0], rows=rows)
        elif not rows and f.expected == len(labels):
            del r.findings[i]
        return

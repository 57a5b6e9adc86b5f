"""Honest degradation: what could not be read is 无法核对, not missing.

The reader states that a part, table, row or cell is missing (an error) only when the text was
understood around it.  ``judge`` goes over the absence findings once the tables and parts are
located and keeps each one only if:

- the text was segmented: at least two of the six parts were recognised by their headings;
- a missing part has no heading-like paragraph with its numeral that was not recognised
  ("三、行政机关收到和处理……" worded beyond recognition): else the part is 无法核对;
- a missing or empty table's part holds no numbers left unread (cells the reader could not put
  in columns): else the table, or the rows not found, are 无法核对;
- a missing or empty table's part, nor the rest of the text, holds no header cells of that table
  left unread (three of its column labels, as a site's archive text keeps them when it drops its
  repeated cells, or under a heading repeated before it): else the table is there but not read,
  无法核对.

What is 无法核对 is listed in ``Reading.unchecked`` (part, table or row, where, why) and made a
finding of its own (提示); the report's verdict is then "无法完整核对", never 通过.
Every step walks the blocks once.
"""

from __future__ import annotations

import re
from typing import Any

from ..checks.catalogue import restated, unsegmented
from .labels import _norm as _key  # spaces out, NFKC
from .labels import is_number_cell
from .read import PART_KEYWORDS, PART_OF_TABLE, TABLE_NAMES, Reading
from .wrapped import named, wrapped_labels

VERDICT_UNCHECKED = "无法完整核对"
UNCHECKED = "无法核对"
TABLE_PART = {TABLE_NAMES[k]: v for k, v in PART_OF_TABLE.items()}  # 表三 -> 三
ABSENCE = {"pub-part-missing", "pub-part-order", "pub-part-empty", "pub-table-empty", "pub-table-missing",
           "pub-row-missing", "pub-format-unknown"}
IDENTITY = {"pub-year-unknown", "pub-agency-unknown"}
MIN_PARTS = 2  # parts recognised by their headings for the text to count as segmented
RESIDUE = 3  # numbers left unread in a part that make its table 无法核对


def _consumed(r: Reading) -> set[str]:
    """Locations of the blocks the reader took as table rows or cells."""
    out = set(r.table_paragraphs)
    out.update(b.location for b in r.t2_rows.values())
    out.update(b.location for b, _ in r.t3_rows.values())
    out.update(b.location for b, _ in r.t4_rows)
    out.update(loc for loc, _ in r.label_notes)
    out.update(loc for loc, _ in r.label_notes3)
    out.update(getattr(r, "extra_rows", ()))
    return out


def residue(r: Reading, number: str, consumed: set[str]) -> int:
    """Numbers in part ``number`` that were not read into a table: number lines, and rows with
    numbers that matched no row of the format."""
    n = 0
    for b in r.parts.get(number, []):
        if b.location in consumed:
            continue
        if b.kind == "img" or (b.kind == "p" and OMITTED.fullmatch(b.text.strip())):
            n += RESIDUE  # a picture, or a converter's mark for a table it left out: the table may be there
        elif b.kind == "p":
            n += is_number_cell(b.text) or (RESIDUE if _table_text(b.text) or _numbers_in_line(b.text) else 0) \
                or (len(b.text.split()) if FIGURES_ONLY.fullmatch(b.text.strip()) else 0)
        elif sum(1 for c in b.cells if c.strip() and (is_number_cell(c) or FIGURES_ONLY.fullmatch(c.strip()))) >= 2 \
                or (len(b.cells) == 1 and re.search(r"\d", b.cells[0])):  # a row whose digits ran together
            n += RESIDUE
    return n


# figures standing apart on a line of PDF text whose blank cells left no trace ("2 7 8", "1 9")
FIGURES_ONLY = re.compile(r"\d+(?:\s+\d+)+")
# what a converter leaves where it could not write a table: pandoc's "[TABLE]", a raw HTML table tag
OMITTED = re.compile(r"\[TABLE\]|</?table\b.*", re.I)
TABLE_WORDS = ("信息内容", "第二十条第", "申请人情况", "自然人", "本年新收", "予以公开", "结果维持", "尚未审结",
               "直接起诉")


def _opening(label: str) -> str:
    """The first eight characters of a long row label without its numbering: enough to name the row where a PDF
    wrapped the label around its cells ("申请人无正当理由逾期不补正、行政机关不再处 0 0 0 …" / "1." / "理其……");
    a short label is compared whole."""
    bare = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[）)]?[、.．]?", "", re.sub(r"\s", "", _key(label)))
    return bare[:8] if len(bare) >= 12 else "\x00"


def _numbers_in_line(text: str) -> bool:
    """A line of a table that a PDF gave as text, its label wrapped around its cells ("（二）部分公开（区分 6 0 0 0
    0 0 6本 处理的，只计这一情"): five numbers or more standing apart, three of them in a row."""
    return len(re.findall(r"(?<![\d.])\d+(?![\d.])", text)) >= 5 and bool(re.search(r"\d+\s+\d+\s+\d+", text))


def _table_text(text: str) -> bool:
    """A paragraph that is a table run together (cells without separators, as an archive's one-line
    text gives it): table labels and digits."""
    return len(text) > 40 and bool(re.search(r"\d", text)) and sum(w in text for w in TABLE_WORDS) >= 2


# column and head labels of each table that prose hardly uses: three of them left unread in the table's part
# mean the table is there but was not read (its cells one a line, repeats left out by a site's archive)
HEADER_WORDS = {
    "表二": ("信息内容", "本年制发件数", "本年新制作数量", "本年废止件数", "本年新公开数量", "现行有效件数",
            "对外公开总数量", "本年处理决定数量", "采购项目数量", "采购总金额", "本年收费金额"),
    "表三": ("申请人情况", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "本年新收",
            "上年结转", "予以公开", "部分公开", "不予公开", "无法提供", "不予处理"),
    "表四": ("结果维持", "结果纠正", "其他结果", "尚未审结", "未经复议直接起诉", "复议后起诉"),
}
HEADER_MIN = 3
HEADER_CELL = 20  # a header cell is short; prose is not searched


def _header_left(blocks: list, table: str, consumed: set[str]) -> list[str]:
    """The header words of ``table`` found in the short ``blocks`` (its part's, or the whole text's)
    that were not read as rows (joined, so that a label a copy broke over lines, "结果" / "维持", is
    found): at least ``HEADER_MIN`` of them, or none."""
    parts = []
    for b in blocks:
        if b.location in consumed:
            continue
        text = _key(b.text if b.kind == "p" else "".join(b.cells))
        if len(text) <= HEADER_CELL:
            parts.append(text)
    joined = "".join(parts)
    found = [w for w in HEADER_WORDS[table] if w in joined]
    return found if len(found) >= HEADER_MIN else []


def _missing_rows(r: Reading, form, table: str) -> list[str]:
    """Labels of the rows of ``table`` (表二/表三/表四) none of whose cells was found."""
    from ..forms.model import cell_index

    sheet = next(k for k, v in TABLE_NAMES.items() if v == table)
    rows: dict[str, bool] = {}
    for spec in cell_index(form).values():
        if spec.sheet == sheet:
            rows[spec.row_label] = rows.get(spec.row_label, True) and r.status.get(spec.name) == "missing"
    return [label for label, missing in rows.items() if missing]


def _row_names(form) -> dict[str, set[str]]:
    """Row label of ``form``'s 表二 and 表三 -> the labels the same row has in every format ("行政规范性
    文件" is "规范性文件" in 2019) and the words sites use for 表三's head rows: a row printed under any
    of them is named by the text, not absent."""
    from ..forms import all_forms

    by_key: dict[tuple[str, str, str], set[str]] = {}
    for g in all_forms():
        for blk in g.table2.blocks:
            for row in blk.rows:
                by_key.setdefault(("二", blk.key, row.key), set()).add(row.label)
        for row in g.table3.data_rows():
            by_key.setdefault(("三", "", row.key), set()).add(row.label)
    for words, key in (("本年度新收", "new"), ("上年度结转", "carried_over"), ("结转下年度", "carry_forward")):
        by_key.setdefault(("三", "", key), set()).add(words)
    out: dict[str, set[str]] = {}
    for blk in form.table2.blocks:
        for row in blk.rows:
            out.setdefault(row.label, {row.label}).update(by_key[("二", blk.key, row.key)])
    for row in form.table3.data_rows():
        out.setdefault(row.label, {row.label}).update(by_key[("三", "", row.key)])
        out[row.label].add(re.split(r"[（(]区分", row.label)[0])  # a label wrapped before its note: "（二）部分公开"
    return out


def _residue_text(r: Reading, number: str, consumed: set[str]) -> tuple[str, bool]:
    """The text of the blocks of part ``number`` that hold numbers not read (normalised, joined), and
    whether any of them is a number alone (a cell whose row label cannot be told)."""
    texts, anonymous = [], False
    for b in r.parts.get(number, []):
        if b.location in consumed:
            continue
        if b.kind == "img":
            anonymous = True  # a picture: which rows it holds cannot be told
            continue
        text = b.text if b.kind == "p" else " ".join(b.cells)
        if not re.search(r"\d", text):
            continue
        if b.kind == "p" and is_number_cell(text) or not re.search(r"[\u4e00-\u9fff]", text):
            anonymous = True
        texts.append(_key(text))
    return "\n".join(texts), anonymous


def _broken_rows(r: Reading, form, table: str, part: str, consumed: set[str]) -> list[str]:
    """Rows of ``table`` not found whose labels the part's unread short lines spell, a piece a line (a row a
    page break or a narrow column broke up)."""
    pieces = wrapped_labels(r.parts.get(part, []), consumed)
    names = _row_names(form)
    return [x for x in _missing_rows(r, form, table) if any(named(_key(n), pieces) for n in names.get(x, (x,)))]


def _unrecognised_heading(r: Reading, number: str) -> str:
    """A short paragraph opening with the part's numeral that was not taken as any part's heading,
    nor as a label of a table: the part's heading, worded beyond recognition."""
    pattern = re.compile(rf"^\s*{number}\s*[、.．]")
    taken = {id(b) for _, b in r.headings}
    for b in r.doc.blocks:
        if b.kind == "p" and id(b) not in taken and len(b.text) <= 60 and pattern.match(b.text) \
                and not re.search(r"本年新收|上年结转|办理结果|结转下年度", b.text):
            return b.location + "“" + b.text + "”"
    return ""


def _before_its_place(part: str, present: str) -> bool:
    """Whether the heading that follows part ``part``'s in the text (``present``: the parts in the order
    printed) is the part just before it: “六、” printed right before “五、”, two headings swapped, so the
    part's text may follow the other's. (“五、” right before “二、” is not that: 五 is empty.)"""
    i = present.find(part)
    return 0 <= i < len(present) - 1 and "一二三四五六".find(present[i + 1]) == "一二三四五六".find(part) - 1


def _home(r: Reading, table: str) -> str:
    """The part whose text holds ``table``: its own part, or, when that part's heading was not found, the
    part in which rows of the table were read (表二 after part 一's text when “二、” is left out)."""
    part = TABLE_PART[table]
    if part in r.parts:
        return part
    read = {"表二": [b.location for b in r.t2_rows.values()], "表三": [b.location for b, _ in r.t3_rows.values()],
            "表四": [b.location for b, _ in r.t4_rows]}[table]
    for n, blocks in r.parts.items():
        if any(b.location in read for b in blocks):
            return n
    return part


def judge(r: Reading, form=None) -> None:
    """Replace each absence finding that the text does not support by a 无法核对 entry."""
    segmented = len(r.headings) >= MIN_PARTS
    consumed = _consumed(r)
    unsure_parts: dict[str, str] = {}  # part number -> why it is 无法核对
    kept: list = []
    pending: list = []  # the 无法核对 findings, after the ones kept
    format_unknown: list = []  # kept only when the tables were read and tell no format
    if not segmented:
        _add(r, pending, "pub-text-unsegmented", section="正文", name="全文", location="", variant="" if r.headings else "none",
             found=[n for n, _ in r.headings])
        for n in PART_KEYWORDS:
            if n not in r.parts:
                unsure_parts[n] = "正文未能分段"
    else:
        for n in PART_KEYWORDS:
            if n not in r.parts:
                seen = _unrecognised_heading(r, n)
                if seen:
                    unsure_parts[n] = f"{seen}可能是该部分的标题，但文字与统一格式不符"
                    _add(r, pending, "pub-part-unchecked", section="正文", name=f"第{n}部分",
                         location=seen.split("“")[0], part=n, seen=seen)
    tables_unsure: set[str] = set()
    order = next((f for f in r.findings if f.rule == "pub-part-order"), None)
    for f in r.findings:
        if f.rule in IDENTITY and not segmented:  # a title not found in text not understood: a hint
            kept.append(unsegmented(f))
            continue
        if f.rule not in ABSENCE:
            kept.append(f)
            continue
        if f.rule in ("pub-part-missing", "pub-part-order", "pub-part-empty"):
            if not segmented or (f.rule == "pub-part-missing" and f.expected in unsure_parts) \
                    or (f.rule == "pub-part-order" and unsure_parts):
                continue
            part = f.sheet.strip("第部分")
            if f.rule == "pub-part-empty" and order and _before_its_place(part, str(order.actual)):
                # the heading of the part before printed right after this one (swapped): its text may follow it
                _add(r, pending, "pub-part-unchecked", section="正文", name=f.sheet, location=f.cell, variant="order",
                     part=part, present="、".join(str(order.actual)))
                continue
            kept.append(f)
            continue
        if f.rule == "pub-format-unknown":
            format_unknown.append(f)
            continue
        table = f.sheet if f.sheet in TABLE_PART else {f"第{v}部分": k for k, v in TABLE_PART.items()}.get(f.sheet)
        if table is None:
            kept.append(f)
            continue
        part = _home(r, table)
        why = ""
        if TABLE_PART[table] in unsure_parts:
            why = unsure_parts[TABLE_PART[table]]
        elif not segmented:
            why = "正文未能分段，找不到该表所在的部分"
        elif table in r.misplaced:
            why = r.misplaced[table]
        elif residue(r, part, consumed) >= RESIDUE or (f.rule == "pub-row-missing" and residue(r, part, consumed)):
            blocks = r.parts.get(part, [])
            why = (f"第{part}部分有图片，统计表可能是以图片发布的" if any(b.kind == "img" for b in blocks)
                   else f"第{part}部分的表格在转换时被略去（“{next(b.text for b in blocks if b.kind == 'p' and OMITTED.fullmatch(b.text.strip()))[:20]}”）"
                   if any(b.kind == "p" and OMITTED.fullmatch(b.text.strip()) for b in blocks)
                   else f"第{part}部分有未能对应到栏目的数字（表格的单元格连在一起无法分开，或空白单元格没有留下位置）")
        elif f.rule == "pub-row-missing" and form is not None and _broken_rows(r, form, table, part, consumed):
            why = f"第{part}部分有表格的行被分页或窄栏拆成了零散的文字，其单元格无法对位"
        elif f.rule != "pub-row-missing" and _header_left(r.parts.get(part, []), table, consumed):
            why = (f"第{part}部分有{table}的栏目文字（{'、'.join(_header_left(r.parts.get(part, []), table, consumed)[:3])}"
                   "等），但未能读出其单元格（表格未能还原，或相同的单元格被合并）")
        elif f.rule != "pub-row-missing" and _header_left(r.doc.blocks, table, consumed):
            why = (f"文中别处有{table}的栏目文字（{'、'.join(_header_left(r.doc.blocks, table, consumed)[:3])}等），"
                   f"{table}可能不在第{part}部分的标题下，未能读出")
        if not why:
            kept.append(f)
            continue
        if f.rule == "pub-row-missing":
            rows = _missing_rows(r, form, table) if form is not None else []
            seen, anonymous = _residue_text(r, part, consumed) if segmented and part not in unsure_parts \
                and table not in r.misplaced else ("", True)
            names = _row_names(form) if form is not None else {}
            # (a label a PDF wrapped around its cells, "四、结转下年度继" / "0 0 0 0 0 0 0续办理", is named too)
            bare = re.sub(r"[\d\s]", "", seen)
            pieces = wrapped_labels(r.parts.get(part, []), consumed)  # rows a narrow column broke over lines
            absent = [x for x in rows if not anonymous and not any(
                _key(n) in seen or re.sub(r"\d", "", _key(n)) in bare or _opening(n) in bare or named(_key(n), pieces)
                for n in names.get(x, (x,)))]
            unsure = [x for x in rows if x not in absent] if rows else []
            if absent:  # rows the text never names, beside rows it names with numbers that were not read
                kept.append(restated(f, expected=len(absent), row_label=absent[0], rows=absent))
            if not unsure and rows:
                continue
            _add(r, pending, "pub-row-unchecked", table, unsure[0] if unsure else (f.row_label or table), f.cell,
                 variant="" if unsure else "as-found", expected=len(unsure) or f.expected, rows=unsure,
                 listed=f.message.split("：", 1)[-1], why=why)
        elif table not in tables_unsure:
            tables_unsure.add(table)
            _add(r, pending, "pub-table-unchecked", table, table, f.cell, why=why)
    if segmented and not tables_unsure:
        kept += format_unknown
    r.findings[:] = kept + pending


def _add(r: Reading, pending: list, rule: str, section: str, name: str, location: str, expected: Any = None,
         **facts: Any) -> None:
    """A 无法核对 finding of ``rule``, worded by its catalogue entry from ``facts``, and its 无法核对 entry."""
    from ..checks.catalogue import entry

    f = entry(rule).finding(sheet=section, cell=location, expected=expected, **facts)
    r.unchecked.append({"what": name, "section": section, "where": location, "status": UNCHECKED, "reason": f.message})
    pending.append(f)


def verdict(errors: int, warnings: int, unchecked: int) -> str:
    if errors:
        return "有错误"
    if unchecked:
        return VERDICT_UNCHECKED
    return "仅警告" if warnings else "通过"

"""Frozen dataclasses that declare one statutory report format.

A declaration holds what the official format prints (labels, blocks, rows,
columns, notes), what each data cell accepts, which cells are totals, and the
rules.  Everything else (the workbook layout, Excel formulas, Python checks,
reports) is derived from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

from ..checks.findings import Severity
from ..memo import per_object
from .valuekinds import COUNT, TEXT, ValueKind

if TYPE_CHECKING:  # pragma: no cover
    from ..checks.rulekinds import Rule

# Every data cell has a workbook-level defined name; the declaration builds them
# (here and in ``Block.cell_name``, ``Table3.cell_name``, ``Table4.cell_name``), everyone else asks for them.
PRIOR = "PRIOR_"  # last year's value of a cell, as the cross-year rules see it


def _key(x: "str | Row | Column | Block | Group | LitigationGroup | Field") -> str:
    return x if isinstance(x, str) else x.key


def info_name(field: "str | Field") -> str:
    """INFO_<field>: a basic-information cell."""
    return f"INFO_{_key(field)}"


def text_name(field: "str | Field") -> str:
    """TEXT_<field>: a narrative cell."""
    return f"TEXT_{_key(field)}"


def prior_name(name: str) -> str:
    """PRIOR_<name>: the value cell <name> had in last year's data."""
    return PRIOR + name


def explain_name(rule: "str | Rule") -> str:
    """EXPLAIN_<rule id with - as _>: the clerk's 说明 of a 警告 or 提示 rule (``checks/explain.py``);
    ``EXPLAIN_xy_jump_new`` for ``xy-jump-new``."""
    rule_id = rule if isinstance(rule, str) else rule.id
    return f"EXPLAIN_{rule_id.replace('-', '_')}"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: ValueKind = COUNT
    hint: str = ""


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class Block:
    """A block of table 二: a caption row, a header row and data rows."""

    key: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    def cell_name(self, row: str | Row, col: str | Column) -> str:
        """T2_<block>_<row>_<col>."""
        return f"T2_{self.key}_{_key(row)}_{_key(col)}"


@dataclass(frozen=True)
class Table2:
    title: str
    content_label: str  # "信息内容"
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Group:
    """A level-2 item of table 三 (e.g. （三）不予公开) with optional sub-rows."""

    label: str
    rows: tuple[Row, ...] = ()  # sub-rows; empty when the group is one row
    key: str = ""  # row key when the group is a single row
    hint: str = ""


@dataclass(frozen=True)
class Table3:
    title: str
    balance_note: str
    applicant_label: str  # 申请人情况
    org_label: str  # 法人或其他组织
    columns: tuple[Column, ...]  # 7 columns, the last is the total
    head_rows: tuple[Row, ...]  # 一、二
    results_label: str  # 三、本年度办理结果
    results: tuple[Group, ...]  # （一）…（六）
    results_total: Row  # （七）总计
    tail_rows: tuple[Row, ...]  # 四、结转下年度继续办理

    def result_rows(self) -> tuple[Row, ...]:
        out: list[Row] = []
        for g in self.results:
            out.extend(g.rows if g.rows else (Row(g.key, g.label, g.hint),))
        return tuple(out)

    def data_rows(self) -> tuple[Row, ...]:
        return self.head_rows + self.result_rows() + (self.results_total,) + self.tail_rows

    @property
    def total_column(self) -> Column:
        return self.columns[-1]

    @property
    def input_columns(self) -> tuple[Column, ...]:
        return self.columns[:-1]

    @staticmethod
    def cell_name(row: str | Row, col: str | Column) -> str:
        """T3_<row>_<col>."""
        return f"T3_{_key(row)}_{_key(col)}"


@dataclass(frozen=True)
class LitigationGroup:
    key: str
    label: str  # 行政复议 / 未经复议直接起诉 / 复议后起诉
    under_suit: bool  # True: a sub-group under the 行政诉讼 band


@dataclass(frozen=True)
class Table4:
    title: str
    review_label: str  # 行政复议
    suit_label: str  # 行政诉讼
    groups: tuple[LitigationGroup, ...]
    columns: tuple[Column, ...]  # 5 columns, the last is the total

    @property
    def total_column(self) -> Column:
        return self.columns[-1]

    @staticmethod
    def cell_name(group: str | LitigationGroup, col: str | Column) -> str:
        """T4_<group>_<col>."""
        return f"T4_{_key(group)}_{_key(col)}"


@dataclass(frozen=True)
class Field:
    """A basic-information or narrative cell."""

    key: str
    label: str
    kind: ValueKind = TEXT
    hint: str = ""
    # Severity of the "must be filled" check, None when the field is optional.
    required: Severity | None = Severity.ERROR


@dataclass(frozen=True)
class Part:
    number: str  # 一 … 六
    heading: str

    @property
    def title(self) -> str:
        return f"{self.number}、{self.heading}"


@dataclass(frozen=True)
class CellSpec:
    """One named data cell of the workbook, derived from the declaration."""

    name: str  # workbook-level defined name
    sheet: str  # sheet key: info, text, table2, table3, table4
    kind: ValueKind
    row_label: str
    col_label: str
    hint: str = ""
    sum_of: tuple[str, ...] = ()  # non-empty: a locked formula total
    reference: bool = False  # last year's figure shown for reference (locked)

    @property
    def is_input(self) -> bool:
        return not self.sum_of and not self.reference


@dataclass(frozen=True)
class Form:
    id: str
    notice: str  # 国办公开办函〔2019〕60号
    notice_title: str
    format_name: str
    first_year: int
    last_year: int | None
    parts: tuple[Part, ...]
    info_fields: tuple[Field, ...]
    text_fields: tuple[Field, ...]  # key -> TEXT_<key>
    text_sections: tuple[tuple[str, tuple[str, ...]], ...]  # part heading -> field keys
    table2: Table2
    table3: Table3
    table4: Table4
    rules: tuple["Rule", ...] = field(default=())
    cross_year: tuple["Rule", ...] = field(default=())  # rules against last year's data (PRIOR_ names)

    def covers(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)

    def cells(self) -> Iterator[CellSpec]:
        """Every named data cell, in workbook order."""
        for f in self.info_fields:
            yield CellSpec(info_name(f), "info", f.kind, f.label, "", f.hint)
        for f in self.text_fields:
            yield CellSpec(text_name(f), "text", f.kind, f.label, "", f.hint)
        yield from table2_cells(self.table2)
        yield from table3_cells(self.table3)
        yield from table4_cells(self.table4)

    def cell(self, name: str) -> CellSpec:
        return cell_index(self)[name]

    def text_title(self, key: str) -> str:
        """How messages name a narrative field: its part, plus the aspect within part 一."""
        part = next(title for title, keys in self.text_sections if key in keys)
        label = next(f.label for f in self.text_fields if f.key == key)
        return part if label in part else part + label


@per_object
def cell_index(form: Form) -> dict[str, CellSpec]:
    """name -> CellSpec for a form, in workbook order (computed once per form object)."""
    return {c.name: c for c in form.cells()}


def table2_cells(t: Table2) -> Iterator[CellSpec]:
    for b in t.blocks:
        for r in b.rows:
            for c in b.columns:
                yield CellSpec(
                    b.cell_name(r.key, c.key), "table2", c.kind, r.label, c.label,
                    c.hint or r.hint,
                )


def table3_cells(t: Table3) -> Iterator[CellSpec]:
    result_keys = tuple(r.key for r in t.result_rows())
    inputs = t.input_columns
    for r in t.data_rows():
        for c in t.columns:
            name = t.cell_name(r.key, c.key)
            if c is t.total_column:
                parts = tuple(t.cell_name(r.key, ic.key) for ic in inputs)
            elif r is t.results_total:
                parts = tuple(t.cell_name(k, c.key) for k in result_keys)
            else:
                parts = ()
            yield CellSpec(name, "table3", COUNT, r.label, c.label, r.hint, parts)


def table4_cells(t: Table4) -> Iterator[CellSpec]:
    inputs = t.columns[:-1]
    for g in t.groups:
        for c in t.columns:
            parts = (
                tuple(t.cell_name(g.key, ic.key) for ic in inputs) if c is t.total_column else ()
            )
            row_label = f"{t.suit_label}（{g.label}）" if g.under_suit else g.label
            yield CellSpec(t.cell_name(g.key, c.key), "table4", COUNT, row_label, c.label, "", parts)

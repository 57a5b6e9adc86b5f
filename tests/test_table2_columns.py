"""A 表二 block is drawn from its declaration, however many columns it has: a fourth column needs
the declaration only (README, "Adding a column to 表二")."""

from __future__ import annotations

import dataclasses

import openpyxl

from govinfo_xlsx.forms import gov2021
from govinfo_xlsx.forms.model import Column, prior_name
from govinfo_xlsx.forms.standard_rules import fee_mention, standard_rules
from govinfo_xlsx.template.layout import Layout
from govinfo_xlsx.template.writer import write_template


def wider_form():
    """gov-2021 with a fourth column in 第二十条第（一）项, declared as a clerk's office would."""
    first, *rest = gov2021.TABLE2.blocks
    issued, repealed, in_force = first.columns
    block = dataclasses.replace(first, columns=(issued, repealed, Column("amended", "本年修改件数"), in_force))
    table2 = dataclasses.replace(gov2021.TABLE2, blocks=(block, *rest))
    return standard_rules(dataclasses.replace(gov2021._BASE, table2=table2), extra=(fee_mention(),)), block


def test_a_fourth_column_is_drawn_whole():
    form, block = wider_form()
    sl = Layout.of(form).sheets["table2"]
    assert all(a.col <= a.last_col for a in sl.cells.values()) and all(lab.area.col <= lab.area.last_col for lab in sl.labels)
    row = block.rows[0]
    cols = [sl.cells[block.cell_name(row, c)] for c in block.columns]
    assert [(a.col, a.last_col) for a in cols] == [(1, 1), (2, 2), (3, 3), (4, 4)]  # B..E, one each
    title = next(lab for lab in sl.labels if lab.style == "title")
    assert title.area.last_col == 4 and all(lab.area.last_col == 4 for lab in sl.labels if lab.style == "caption")
    assert {c: sl.widths[c] for c in range(1, 5)} == {1: 20, 2: 20, 3: 20, 4: 20}
    narrow = next(b for b in form.table2.blocks if len(b.columns) == 1)  # a one-column block spans B..E
    assert sl.cells[narrow.cell_name(narrow.rows[0], narrow.columns[0])].last_col == 4
    rule = next(r for r in form.rules if r.id == "t2-inputs-count")
    assert block.cell_name(row, "amended") in rule.inputs  # the rules are derived from it too


def test_last_years_columns_stand_right_of_a_fourth_column():
    form, block = wider_form()
    names = frozenset(prior_name(block.cell_name(r, c)) for r in block.rows for c in block.columns)
    sl = Layout.of(form, names).sheets["table2"]
    assert min(sl.cells[n].col for n in names) == 5  # F onwards: nothing drawn over E


def test_the_template_of_a_four_column_block_holds_its_cells(tmp_path):
    form, block = wider_form()
    wb = openpyxl.load_workbook(write_template(form, 2026, tmp_path / "四列.xlsx"))
    name = block.cell_name(block.rows[0], "amended")
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    assert ref.replace("$", "") == "D5" and wb[sheet]["D4"].value == "本年修改件数"
    assert wb[sheet]["E4"].value == "现行有效件数" and not wb[sheet]["D5"].protection.locked

"""A1 addresses in one place (reading/cellref.py), checked against XlsxWriter's utility."""

from __future__ import annotations

from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name, xl_rowcol_to_cell

from govinfo_xlsx.reading.cellref import a1, column_letters, column_number, row_col


def test_addresses_agree_with_xlsxwriter():
    for col in (*range(0, 60), 701, 702, 703, 16383):
        assert column_letters(col + 1) == xl_col_to_name(col)
        assert column_number(xl_col_to_name(col)) == column_number(xl_col_to_name(col).encode()) == col + 1
        for row in (0, 9, 1048575):
            assert a1(row, col) == xl_rowcol_to_cell(row, col, True, True)
            assert a1(row, col, absolute=False) == xl_rowcol_to_cell(row, col)
            assert row_col(xl_rowcol_to_cell(row, col)) == xl_cell_to_rowcol(xl_rowcol_to_cell(row, col)) == (row, col)

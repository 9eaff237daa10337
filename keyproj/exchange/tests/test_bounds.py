"""A workbook is measured before any grid is built: a far-away cell cannot make the server allocate the world."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from keyproj.core.scoping import CONSOLE
from keyproj.core.workbooks.bounds import Limits, SheetTooLarge, column_number, measure
from keyproj.exchange.importer import import_workbook
from keyproj.exchange.tests.books import RETURN_HEADER, write_workbook


def sparse_workbook(path: Path, far_cell: str, *, declare: str | None = None) -> Path:
    """A tiny workbook whose first sheet has a header and one cell far away (as a hostile upload would)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(RETURN_HEADER)
    sheet[far_cell] = "x"
    book.save(path)
    if declare is not None:
        _rewrite_dimension(path, declare)
    return path


def _rewrite_dimension(path: Path, ref: str) -> None:
    """Replace the sheet's declared dimension (Excel writes its own; an attacker may write anything)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index('<dimension ref="') + len('<dimension ref="')
                end = text.index('"', start)
                data = (text[:start] + ref + text[end:]).encode()
            new.writestr(item, data)
    path.write_bytes(buffer.getvalue())


def _measure(path: Path, limits: Limits):
    with zipfile.ZipFile(path) as package:
        return measure(package, limits)


def test_columns_are_numbered_as_excel_numbers_them():
    assert [column_number(c) for c in ("A", "Z", "AA", "AZ", "XFD")] == [1, 26, 27, 52, 16384]


def test_an_ordinary_sheet_is_measured_from_a1(tmp_path):
    path = write_workbook(tmp_path / "ok.xlsx", RETURN_HEADER, [["XM-1", 2019, 7, 10, "", "是", "否", ""]] * 3)
    extent = _measure(path, Limits(rows=10, columns=10, cells=100))
    assert (extent.rows, extent.columns) == (4, len(RETURN_HEADER))


def test_a_cell_at_the_last_address_of_a_sheet_is_refused_before_any_grid_is_built(tmp_path, siming_project):
    path = sparse_workbook(tmp_path / "far.xlsx", "XFD1048576")
    result = import_workbook("returns", path, user=CONSOLE, dry_run=True)
    assert not result.ok
    assert any("超过上限" in str(error) and "100,000" in str(error) for error in result.errors)


def test_a_cell_far_to_the_right_is_refused_naming_the_column_limit(tmp_path):
    path = sparse_workbook(tmp_path / "wide.xlsx", "AZ2")
    with pytest.raises(SheetTooLarge, match=r"列数.*上限为50"):
        _measure(path, Limits(rows=100, columns=50, cells=1000))


def test_a_declared_dimension_beyond_the_limits_is_refused_without_reading_the_cells(tmp_path):
    path = sparse_workbook(tmp_path / "declared.xlsx", "B2", declare="A1:B5000000")
    with pytest.raises(SheetTooLarge, match="声明的行数"):
        _measure(path, Limits(rows=1000, columns=50, cells=1000))


def test_a_sheet_with_more_rows_than_the_limit_is_refused_naming_the_limit(tmp_path):
    rows = [["XM-1", 2019, 7, 10, "", "是", "否", ""]] * 6
    path = write_workbook(tmp_path / "long.xlsx", RETURN_HEADER, rows)
    with pytest.raises(SheetTooLarge, match=r"行数.*上限为5"):
        _measure(path, Limits(rows=5, columns=50, cells=1000))
    assert _measure(path, Limits(rows=6, columns=50, cells=1000)).rows == 7


def test_a_sheet_with_more_filled_cells_than_the_limit_is_refused(tmp_path):
    path = write_workbook(tmp_path / "cells.xlsx", RETURN_HEADER, [["XM-1", 2019, 7, 10, "", "是", "否", ""]] * 3)
    with pytest.raises(SheetTooLarge, match="单元格数"):
        _measure(path, Limits(rows=100, columns=50, cells=10))


def test_the_limits_come_from_settings(tmp_path, settings, siming_project):
    settings.KEYPROJ_IMPORT_MAX_ROWS = 2
    rows = [["XM-1", 2019, 7, 10, "", "是", "否", ""]] * 3
    path = write_workbook(tmp_path / "three.xlsx", RETURN_HEADER, rows)
    result = import_workbook("returns", path, user=CONSOLE, dry_run=True)
    assert any("上限为2" in str(error) for error in result.errors)


def test_the_attendance_import_is_bounded_the_same_way(tmp_path, db):
    from keyproj.agents.attendance_import import import_attendance
    from keyproj.core.errors import Refused

    path = sparse_workbook(tmp_path / "attendance.xlsx", "XFD1048576")
    with pytest.raises(Refused, match="超过上限"):
        import_attendance(path.read_bytes(), user=CONSOLE, dry_run=True)

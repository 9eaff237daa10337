"""The one way keyproj writes a cell into a workbook it hands out: user text stays text.

A problem title or a return's text beginning with `=` became a live formula in the ledger and
the prefilled workbooks (openpyxl turns every string that starts with `=` into a formula), and
text starting with `+`, `-` or `@` is read as a formula by Excel as soon as someone edits the
cell. Every workbook keyproj writes therefore goes through this module:

* every string is cleaned of what XML cannot hold (keyproj.core.text.for_document), so old data
  with a vertical tab cannot stop a download or a close;
* a string beginning with `=`, `+`, `-`, `@`, a tab or a CR is stored as a string cell
  (data_type "s") with the cell's quotePrefix set.

Why quotePrefix rather than a leading apostrophe or space: it is Excel's own mark for "typed
with a leading apostrophe". The cell shows exactly the text the user wrote (no visible extra
character, nothing added to the value a reader of the file gets back), sorts and filters as
text, and stays text when someone opens the cell and presses Enter, where a plain string cell
would be parsed again into a formula. Numbers, dates and Decimals are written as they are.

Writing a workbook elsewhere with `Workbook()`, `WriteOnlyCell()`, `sheet.append` or
`sheet.cell(value=…)` is not allowed (a test in core/tests/test_xlsx_exports.py reads the
source); use :func:`new_workbook`, :func:`put`, :func:`append` and :func:`cell`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from keyproj.core.text import for_document

# What Excel (and LibreOffice) may take as the start of a formula when the cell is edited or a
# copy is pasted: = and @ always, + and - before anything, and a tab or CR that hides one of them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def new_workbook(*, write_only: bool = False) -> Workbook:
    """An empty workbook; write its cells with put/append/cell."""
    return Workbook(write_only=write_only)


def safe_value(value: Any) -> Any:
    """The value as it may be stored: strings cleaned, everything else unchanged."""
    if isinstance(value, str):
        return for_document(value)
    return value


def _as_text(target: Cell, value: Any) -> None:
    """Keep a formula-like string a string: stored as text and marked as typed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        target.data_type = "s"
        target.quotePrefix = True


def cell(sheet: Any, value: Any = None) -> Cell:
    """A cell for a write-only sheet (styles can be set on it before it is appended)."""
    value = safe_value(value)
    target = WriteOnlyCell(sheet, value=value)
    _as_text(target, value)
    return target


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write one cell of an ordinary sheet."""
    value = safe_value(value)
    target = sheet.cell(row=row, column=column)
    target.value = value
    _as_text(target, value)
    return target


def append(sheet: Any, values: Iterable[Any]) -> None:
    """Add a row at the bottom of a sheet, ordinary or write-only (cells made by :func:`cell` are kept)."""
    if not isinstance(sheet, Worksheet):  # write-only: rows stream out, cells are made before they go
        sheet.append([v if isinstance(v, Cell) else cell(sheet, v) for v in values])
        return
    row = [safe_value(v) for v in values]
    sheet.append(row)
    for column, value in enumerate(row, start=1):
        if isinstance(value, str) and value.startswith(FORMULA_START):
            _as_text(sheet.cell(row=sheet.max_row, column=column), value)


def heading_row(sheet: Any, headings: Iterable[tuple[Any, int]], *, freeze: str = "A2", wrap: bool = False) -> None:
    """The first row of a table sheet: bold headings, each column's width, the heading row frozen.

    headings: (heading, column width in characters) pairs. wrap: centre the headings and let long
    ones wrap (tall headers of narrow columns).
    """
    bold = Font(bold=True)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    row = []
    for index, (title, width) in enumerate(headings, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        target = cell(sheet, str(title))
        target.font = bold
        if wrap:
            target.alignment = centred
        row.append(target)
    sheet.freeze_panes = freeze
    append(sheet, row)


def to_bytes(book: Workbook) -> bytes:
    """The workbook as the bytes of an .xlsx file (what a download or a stored file holds)."""
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

"""Measure a workbook's first sheet before anything builds its grid.

A spreadsheet library builds a sheet as a dense grid from A1 to the last cell, so a 5 KB
file whose one cell sits at XFD1048576 asks for about seventeen billion cells. Before any
grid is built, the first sheet's XML is streamed once, holding one element at a time: its
declared dimension and every cell's address are checked against the limits, and the first
cell beyond them stops the reading. What is then built is at most rows × columns cells.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO
from xml.etree.ElementTree import ParseError, iterparse

from django.conf import settings

_CELL_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


class SheetTooLarge(ValueError):
    """The sheet is larger than the import limits; the message names the limit."""


@dataclass(frozen=True)
class Limits:
    """How large an imported sheet may be: data rows below the header, columns, and filled cells."""

    rows: int
    columns: int
    cells: int

    @classmethod
    def configured(cls) -> Limits:
        return cls(
            rows=settings.KEYPROJ_IMPORT_MAX_ROWS,
            columns=settings.KEYPROJ_IMPORT_MAX_COLUMNS,
            cells=settings.KEYPROJ_IMPORT_MAX_CELLS,
        )


@dataclass(frozen=True)
class Extent:
    """The used range of a sheet, counted from A1: the last row and column holding a cell, and how many cells."""

    rows: int
    columns: int
    cells: int


def column_number(letters: str) -> int:
    """A → 1, Z → 26, AA → 27, XFD → 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _address(ref: str) -> tuple[int, int] | None:
    match = _CELL_REF.match(ref.strip().upper())
    if not match:
        return None
    return int(match.group(2)), column_number(match.group(1))


def first_sheet_path(package: zipfile.ZipFile) -> str | None:
    """The zip path of the workbook's first sheet (the one a reader takes as index 0)."""
    with package.open("xl/workbook.xml") as stream:
        first_id = next((el.get(_REL) for _, el in iterparse(stream) if el.tag == f"{_MAIN}sheet"), None)
    if first_id is None:
        return None
    try:
        rels = package.open("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    with rels:
        for _, el in iterparse(rels):
            if el.tag == _PACKAGE_REL and el.get("Id") == first_id:
                target = (el.get("Target") or "").lstrip("/")
                return target if target.startswith("xl/") else f"xl/{target}"
    return None


def _refuse(what: str, found: int, limit: int) -> SheetTooLarge:
    return SheetTooLarge(f"工作表{what}超过上限：至少{found:,}，导入上限为{limit:,}（请删去多余的行、列后再导入）")


def _events(stream: IO[bytes]) -> Iterator[tuple[str, str | None]]:
    """("dimension", ref), ("row", r) as a row opens and ("c", r) as a cell closes, releasing each cell once seen."""
    for event, element in iterparse(stream, events=("start", "end")):
        tag = element.tag
        if tag == f"{_MAIN}c":
            if event == "end":
                yield "c", element.get("r")
                element.clear()
        elif tag == f"{_MAIN}row":
            if event == "start":
                yield "row", element.get("r")
            else:
                element.clear()
        elif tag == f"{_MAIN}dimension" and event == "start":
            yield "dimension", element.get("ref")


def measure(package: zipfile.ZipFile, limits: Limits) -> Extent:
    """The first sheet's used range, refusing it at the first sign that it passes the limits.

    The header row counts as one row on top of `limits.rows`. Cells without an address (the
    format allows them) take the next column of the current row.
    """
    path = first_sheet_path(package)
    if path is None or path not in package.namelist():
        return Extent(0, 0, 0)
    max_rows, max_columns = limits.rows + 1, limits.columns
    last_row = last_column = cells = 0
    row = column = 0
    try:
        with package.open(path) as stream:
            for kind, ref in _events(stream):
                if kind == "dimension":
                    end = _address((ref or "").split(":")[-1]) if ref else None
                    if end and end[0] > max_rows:
                        raise _refuse("声明的行数", end[0] - 1, limits.rows)
                    if end and end[1] > max_columns:
                        raise _refuse("声明的列数", end[1], limits.columns)
                    continue
                if kind == "row":
                    row = int(ref) if ref and ref.isdigit() else row + 1
                    column = 0
                    continue
                where = _address(ref) if ref else None
                if where is None:
                    column += 1
                else:
                    row, column = where
                cells += 1
                last_row, last_column = max(last_row, row), max(last_column, column)
                if last_row > max_rows:
                    raise _refuse("的数据行数", last_row - 1, limits.rows)
                if last_column > max_columns:
                    raise _refuse("的列数", last_column, limits.columns)
                if cells > limits.cells:
                    raise _refuse("的单元格数", cells, limits.cells)
    except ParseError:
        raise SheetTooLarge("工作表内容已损坏，无法读取") from None
    return Extent(last_row, last_column, cells)

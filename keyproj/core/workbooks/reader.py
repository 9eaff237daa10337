"""Read an uploaded workbook safely: guard the file, then take the first sheet's rows.

A workbook is untrusted input. Before python-calamine parses anything the file must be
small enough, be a zip with the parts of an xlsx, and not unpack to more than the
configured limit (a zip bomb is a few kilobytes that unpack to gigabytes). Every refusal
is a Chinese sentence, never a traceback.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError, iterparse

from django.conf import settings
from python_calamine import CalamineWorkbook

from keyproj.core.workbooks.bounds import Limits, SheetTooLarge, first_sheet_path, measure
from keyproj.core.workbooks.cells import UNCALCULATED
from keyproj.core.workbooks.formats import Format, header_key

Source = str | os.PathLike[str] | IO[bytes] | Any  # a path, or a binary file (an upload)

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls files, and encrypted .xlsx files
XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


class WorkbookError(Exception):
    """A file that cannot be read as a workbook at all (too big, not xlsx, corrupt)."""


@dataclass
class CellProblem:
    """A header problem found while reading (row 1)."""

    column: str
    message: str


@dataclass
class Sheet:
    """The first sheet: which column index holds which key, and the data rows.

    rows: (Excel row number, cells) for every row after the header that has any content.
    """

    positions: dict[str, int]
    rows: list[tuple[int, list[Any]]]
    problems: list[CellProblem] = field(default_factory=list)

    def value(self, cells: list[Any], key: str) -> Any:
        """The cell of `key` in a row ('' when the column is absent or the row is short)."""
        index = self.positions.get(key)
        if index is None or index >= len(cells):
            return ""
        return cells[index]

    def has(self, key: str) -> bool:
        return key in self.positions


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}MB"
    if size >= 1024:
        return f"{size / 1024:.1f}KB"
    return f"{size}字节"


def _read_bytes(source: Source) -> bytes:
    """The file's bytes, refusing anything over the upload limit without reading it all."""
    limit: int = settings.KEYPROJ_UPLOAD_MAX_BYTES
    if isinstance(source, bytes | bytearray):
        if len(source) > limit:
            raise WorkbookError(f"文件大小{human_size(len(source))}，超过上限{human_size(limit)}")
        return bytes(source)
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise WorkbookError(f"找不到文件“{path}”")
        try:
            size = path.stat().st_size
            if size > limit:
                raise WorkbookError(f"文件大小{human_size(size)}，超过上限{human_size(limit)}")
            return path.read_bytes()
        except OSError as error:
            raise WorkbookError(f"无法读取文件“{path}”：{error.strerror or error}") from None
    declared = getattr(source, "size", None)  # Django's UploadedFile knows its size
    if isinstance(declared, int) and declared > limit:
        raise WorkbookError(f"文件大小{human_size(declared)}，超过上限{human_size(limit)}")
    if hasattr(source, "seek"):
        source.seek(0)
    data = source.read(limit + 1)
    if len(data) > limit:
        raise WorkbookError(f"文件大小超过上限{human_size(limit)}")
    return bytes(data)


def _check_package(data: bytes, limits: Limits | None = None) -> None:
    """Refuse what is not an xlsx package, what would unpack to too much, or a first sheet beyond the limits."""
    if not data:
        raise WorkbookError("文件是空的")
    if data.startswith(OLE_MAGIC):
        raise WorkbookError("这是旧版Excel（.xls）或加密的文件，请在Excel中另存为不加密的.xlsx后再导入")
    if not data.startswith(ZIP_MAGIC):
        raise WorkbookError("文件不是xlsx格式的Excel工作簿")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            entries = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise WorkbookError("文件已损坏，无法作为xlsx工作簿读取") from None
    names = {entry.filename for entry in entries}
    if not all(part in names for part in XLSX_PARTS):
        raise WorkbookError("文件不是xlsx格式的Excel工作簿（压缩包中没有工作簿内容）")
    unpacked = sum(entry.file_size for entry in entries)
    limit: int = settings.KEYPROJ_UPLOAD_MAX_UNPACKED_BYTES
    if unpacked > limit:
        raise WorkbookError(f"文件解压后大小{human_size(unpacked)}，超过上限{human_size(limit)}，拒绝读取")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            measure(package, limits or Limits.configured())
    except SheetTooLarge as error:
        raise WorkbookError(str(error)) from None
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, OSError, ParseError):
        raise WorkbookError("文件已损坏，无法作为xlsx工作簿读取") from None


def guarded_bytes(source: Source, limits: Limits | None = None) -> bytes:
    """The bytes of a workbook that passed every guard: size, package, unpacked size, sheet extent.

    Every reader of an uploaded workbook starts here, so that none builds a grid it cannot afford.
    """
    data = _read_bytes(source)
    _check_package(data, limits)
    return data


def _first_sheet(data: bytes) -> list[list[Any]]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise WorkbookError("工作簿中没有工作表")
        # The whole grid from A1, so that list positions are Excel's row and column numbers.
        return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except WorkbookError:
        raise
    except Exception:  # calamine raises several types for broken XML, zip or formats
        raise WorkbookError("文件已损坏，无法作为xlsx工作簿读取") from None


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _header(cells: list[Any], fmt: Format) -> tuple[dict[str, int], list[CellProblem]]:
    by_base = {column.base: column for column in fmt.columns}
    positions: dict[str, int] = {}
    problems: list[CellProblem] = []
    for index, cell in enumerate(cells):
        if is_blank(cell):
            continue
        column = by_base.get(header_key(cell))
        if column is None:
            continue  # extra columns (notes, 备注) are the user's business
        if column.key in positions:
            first = column_letter(positions[column.key])
            problems.append(CellProblem(column.label, f"此列出现了两次（第{first}列和第{column_letter(index)}列）"))
            continue
        positions[column.key] = index
    for column in fmt.columns:
        if column.required and column.key not in positions:
            problems.append(CellProblem(column.label, "缺少此列"))
    return positions, problems


def _data_rows(grid: list[list[Any]]) -> Iterator[tuple[int, list[Any]]]:
    for index, cells in enumerate(grid[1:], start=2):
        if any(not is_blank(cell) for cell in cells):
            yield index, cells


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _uncalculated(data: bytes) -> list[tuple[int, int]]:
    """(row, column) from 1 of the first sheet's formula cells saved without a result.

    calamine reads such a cell as empty, which would be reported as "不能为空" although the user
    filled it. The sheet was measured before (bounds.measure), so this second stream is bounded;
    it holds one cell at a time.
    """
    found: list[tuple[int, int]] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            path = first_sheet_path(package)
            if path is None or path not in package.namelist():
                return found
            with package.open(path) as stream:
                for _event, element in iterparse(stream):
                    if element.tag != f"{_MAIN}c":
                        continue
                    formula = element.find(f"{_MAIN}f")
                    value = element.find(f"{_MAIN}v")
                    where = _cell_address(element.get("r") or "")
                    if formula is not None and (value is None or not (value.text or "").strip()) and where:
                        found.append(where)
                    element.clear()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, ParseError):
        return []
    return found


def _cell_address(ref: str) -> tuple[int, int] | None:
    letters = "".join(c for c in ref if c.isalpha()).upper()
    digits = "".join(c for c in ref if c.isdigit())
    if not letters or not digits:
        return None
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return int(digits), column


def read_sheet(source: Source, fmt: Format) -> Sheet:
    """Guard and read a workbook of this format. Raises WorkbookError for an unreadable file."""
    data = guarded_bytes(source)
    grid = _first_sheet(data)
    if not grid:
        grid = [[]]
    for row, column in _uncalculated(data):
        if row >= 2 and row <= len(grid) and column <= len(grid[row - 1]) and is_blank(grid[row - 1][column - 1]):
            grid[row - 1][column - 1] = UNCALCULATED
    positions, problems = _header(grid[0], fmt)
    return Sheet(positions=positions, rows=list(_data_rows(grid)), problems=problems)

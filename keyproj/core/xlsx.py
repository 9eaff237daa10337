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
source); use :func:`new_workbook`, :func:`put`, :func:`append` and :func:`cell`, or, for a
large plain table (millions of cells, no widths or styles beyond a bold header),
:func:`stream_workbook`, which writes the sheets' XML itself under the same two rules.
"""

from __future__ import annotations

import datetime
import io
import math
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
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


# Excel's own bounds: a sheet's rows and columns, a sheet name's length and the characters a
# sheet name cannot hold.
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
SHEET_NAME_LIMIT = 31
_SHEET_NAME_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
# A streamed workbook's bytes depend only on its content: every member carries this time.
_STAMP = (2000, 1, 1, 0, 0, 0)
# Rows gathered before their XML goes into the archive (bounds the memory a sheet takes).
_CHUNK_ROWS = 2000
# Texts this short are rendered once per sheet (at most this many kept at a time).
_SEEN_LENGTH = 64
_SEEN_COUNT = 50_000

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# cellXfs: 0 plain, 1 typed with a leading apostrophe (quotePrefix), 2 bold, 3 bold and quotePrefix.
_STYLES = (
    f'{_DECLARATION}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" quotePrefix="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_ROOT_RELS = (
    f'{_DECLARATION}<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
)
_CORE = (
    f"{_DECLARATION}<cp:coreProperties "
    'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>keyproj</dc:creator></cp:coreProperties>'
)


def sheet_title(name: str, taken: set[str]) -> str:
    """`name` as Excel accepts a sheet's name: no []:*?/\\, at most 31 characters, not an
    apostrophe at either end, and unlike every name in `taken` (compared as Excel compares them,
    ignoring case); the name is added to `taken`."""
    title = for_document(str(name)).translate(_SHEET_NAME_FORBIDDEN)[:SHEET_NAME_LIMIT].strip("'") or "Sheet"
    candidate, number = title, 1
    while candidate.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = title[: SHEET_NAME_LIMIT - len(suffix)] + suffix
    taken.add(candidate.casefold())
    return candidate


def _escape(text: str) -> str:
    """Text as XML character data; a CR is kept as a reference (a parser would turn it into LF)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def _attribute(text: str) -> str:
    """Text as the value of an XML attribute in double quotes."""
    return _escape(text).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")


def _letters(count: int) -> list[str]:
    """The first `count` column letters: A, B, … Z, AA, …"""
    letters = []
    for index in range(1, count + 1):
        name = ""
        while index:
            index, rest = divmod(index - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


_COLUMN_LETTERS = _letters(MAX_COLUMNS)


# Excel holds at most this many characters in a cell and calls a file with a longer one damaged.
CELL_TEXT_LIMIT = 32_767


def _text_body(text: str, bold: bool) -> str:
    """An inline string cell after its reference; a formula-like text gets quotePrefix, as put/cell do.

    Text longer than a cell holds is cut, with an ellipsis to say so, rather than spoil the file.
    """
    text = for_document(text)
    if len(text) > CELL_TEXT_LIMIT:
        text = text[: CELL_TEXT_LIMIT - 1] + "…"
    style = (2 if bold else 0) + (1 if text.startswith(FORMULA_START) else 0)
    space = ' xml:space="preserve"' if text and (text[0].isspace() or text[-1].isspace()) else ""
    styled = f' s="{style}"' if style else ""
    return f'"{styled} t="inlineStr"><is><t{space}>{_escape(text)}</t></is></c>'


def _body(value: Any, bold: bool = False) -> str:
    """A cell's XML after `<c r="A1`: its style, type and value."""
    if isinstance(value, str):
        return _text_body(value, bold)
    style = ' s="2"' if bold else ""
    if isinstance(value, bool):
        return f'"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f'"{style}><v>{value}</v></c>'
    if isinstance(value, float):
        if math.isfinite(value):
            return f'"{style}><v>{value!r}</v></c>'
        return _text_body(str(value), bold)  # a sheet has no NaN or infinity: kept as what it says
    if isinstance(value, Decimal):
        if value.is_finite():
            return f'"{style}><v>{value}</v></c>'
        return _text_body(str(value), bold)
    if isinstance(value, datetime.date | datetime.time):
        return _text_body(value.isoformat(), bold)
    raise TypeError(f"a {type(value).__name__} has no place in a workbook")


def _sheet_xml(name: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """A worksheet's XML in pieces of about _CHUNK_ROWS rows; a row or column past Excel's bounds is refused."""
    yield f'{_DECLARATION}<worksheet xmlns="{_MAIN}"><sheetData>'
    letters = _COLUMN_LETTERS
    parts: list[str] = []
    # A short text repeats (currencies, roles, ids of parents): its cell is rendered once.
    seen: dict[str, str] = {}
    number = 0
    if header:
        number = 1
        _check(name, number, header)
        parts.append('<row r="1">')
        parts.extend([f'<c r="{letters[i]}1{_body(v, True)}' for i, v in enumerate(header) if v is not None])
        parts.append("</row>")
    for row in rows:
        number += 1
        _check(name, number, row)
        suffix = str(number)
        parts.append(f'<row r="{suffix}">')
        for index, value in enumerate(row):
            if value is None:
                continue
            if type(value) is str and len(value) <= _SEEN_LENGTH:
                body = seen.get(value)
                if body is None:
                    if len(seen) >= _SEEN_COUNT:
                        seen.clear()
                    body = seen[value] = _text_body(value, False)
            else:
                body = _body(value)
            parts.append('<c r="' + letters[index] + suffix + body)
        parts.append("</row>")
        if number % _CHUNK_ROWS == 0:
            yield "".join(parts)
            parts.clear()
    parts.append("</sheetData></worksheet>")
    yield "".join(parts)


def _check(name: str, number: int, row: Sequence[Any]) -> None:
    """Refuse a row past Excel's last row or with more columns than a sheet has."""
    if number > MAX_ROWS:
        raise ValueError(f"sheet {name!r} has more than {MAX_ROWS} rows, the most a sheet can hold")
    if len(row) > MAX_COLUMNS:
        raise ValueError(f"sheet {name!r} row {number} has {len(row)} columns; a sheet holds at most {MAX_COLUMNS}")


def stream_workbook(sheets: Iterable[tuple[str, Sequence[Any], Iterable[Sequence[Any]]]]) -> bytes:
    """A workbook of plain tables as the bytes of an .xlsx file, written row by row.

    sheets: (name, header, rows) in the workbook's order. The header, if not empty, is row 1, in
    bold; then one row per item of `rows`, consumed as it is written. Each cell as put/cell writes
    it: text cleaned by for_document and, beginning with a FORMULA_START, stored as text with
    quotePrefix; int, float and Decimal as numbers; bool as a boolean; a date or time as its ISO
    text; None as no cell. Sheet names are made valid and unique (see sheet_title).

    Written directly as SpreadsheetML (inline strings, four cell styles), several times faster
    than openpyxl's per-cell objects; each sheet's XML goes into the archive in chunks, so memory
    does not grow with the sheet. The same sheets give the same bytes (fixed member times).
    Raises ValueError for a sheet of more than 1,048,576 rows or 16,384 columns, or no sheet.
    """
    buffer = io.BytesIO()
    titles: list[str] = []
    taken: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, header, rows in sheets:
            titles.append(sheet_title(name, taken))
            with archive.open(_member(f"xl/worksheets/sheet{len(titles)}.xml"), "w") as target:
                for chunk in _sheet_xml(titles[-1], header, rows):
                    target.write(chunk.encode("utf-8"))
        if not titles:
            raise ValueError("a workbook needs at least one sheet")
        numbers = range(1, len(titles) + 1)
        content_types = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for n in numbers
        )
        archive.writestr(
            _member("[Content_Types].xml"),
            f'{_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            f"{content_types}</Types>",
        )
        archive.writestr(_member("_rels/.rels"), _ROOT_RELS)
        archive.writestr(_member("docProps/core.xml"), _CORE)
        archive.writestr(
            _member("xl/workbook.xml"),
            f'{_DECLARATION}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            + "".join(
                f'<sheet name="{_attribute(t)}" sheetId="{n}" r:id="rId{n}"/>' for n, t in enumerate(titles, start=1)
            )
            + "</sheets></workbook>",
        )
        archive.writestr(
            _member("xl/_rels/workbook.xml.rels"),
            f'{_DECLARATION}<Relationships xmlns="{_PKG_REL}">'
            + "".join(
                f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>' for n in numbers
            )
            + f'<Relationship Id="rId{len(titles) + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        archive.writestr(_member("xl/styles.xml"), _STYLES)
    return buffer.getvalue()


def _member(name: str) -> zipfile.ZipInfo:
    """An archive member stamped with the fixed time (and fixed permissions), compressed."""
    member = zipfile.ZipInfo(name, date_time=_STAMP)
    member.compress_type = zipfile.ZIP_DEFLATED
    member.external_attr = 0o600 << 16
    return member

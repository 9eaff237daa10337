"""Tables of a notice as a workbook (openpyxl): one sheet per table.

Decision on numbers: the cells arrive as formatted text. A cell that is plainly a number
("1234.56", "-3", "1,234.56", "130.59%") is stored as a number with a number format that
shows exactly the given text, so the sheet reads the same as the notice and can still be
summed and sorted. Anything else (project codes, credit codes, ranks like "1-3", leading
zeros, "—") stays text. Numbers and number-like text are right-aligned.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from decimal import Decimal

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from keyproj.core import xlsx
from keyproj.notices.document import Table, clean_table
from keyproj.notices.packaging import normalise_zip

# A fixed stamp: a workbook of tables has no date of its own, and "now" would change the bytes.
FIXED_STAMP = datetime.datetime(2000, 1, 1)
MAX_SHEET_NAME = 31
INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
# Plain decimals without leading zeros (so codes like "007" stay text), optional thousands separators.
NUMBER = re.compile(r"^-?(0|[1-9]\d{0,2}(,\d{3})+|[1-9]\d*)(\.\d+)?%?$")
# Longer digit strings are identifiers (credit codes, phone numbers), not quantities.
MAX_NUMBER_DIGITS = 15
NUMBER_LIKE = re.compile(r"^[-+]?[\d,.]+%?$")

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
FONT_NAME = "宋体"


def sheet_names(tables: list[Table]) -> list[str]:
    """A valid, unique sheet name per table: the caption without forbidden characters, cut to 31."""
    names: list[str] = []
    taken: set[str] = set()
    for i, table in enumerate(tables, 1):
        base = INVALID_SHEET_CHARS.sub("_", table.title).strip().strip("'") or f"表{i}"
        name = base[:MAX_SHEET_NAME]
        n = 2
        while name.casefold() in taken:  # Excel compares sheet names case-insensitively
            suffix = f"({n})"
            name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
            n += 1
        taken.add(name.casefold())
        names.append(name)
    return names


def cell_value(text: str) -> tuple[str | int | Decimal, str | None]:
    """The value to store for a formatted cell and the number format that shows it as given."""
    s = text.strip()
    if not NUMBER.match(s) or sum(c.isdigit() for c in s) > MAX_NUMBER_DIGITS or s != text:
        return text, None
    percent = s.endswith("%")
    grouped = "," in s
    body = s.rstrip("%").replace(",", "")
    decimals = len(body.split(".")[1]) if "." in body else 0
    fmt = ("#,##0" if grouped else "0") + ("." + "0" * decimals if decimals else "") + ("%" if percent else "")
    number = Decimal(body)
    if percent:
        return number / 100, fmt
    if decimals == 0:
        return int(number), fmt
    return number, fmt


def render_xlsx(tables: list[Table]) -> bytes:
    """The workbook: per sheet the header in row 1 (bold, shaded, frozen), the rows below, widths set."""
    wb = xlsx.new_workbook()
    wb.remove(wb.active)
    tables = [clean_table(t) for t in tables]  # old data with a control character must not stop a close
    for table, name in zip(tables, sheet_names(tables), strict=True):
        _write_sheet(wb.create_sheet(name), table)
    if not tables:
        wb.create_sheet("表1")
    wb.properties.creator = "keyproj"
    wb.properties.created = FIXED_STAMP
    wb.properties.modified = FIXED_STAMP
    wb.properties.lastModifiedBy = "keyproj"
    out = io.BytesIO()
    # Not wb.save(): it stamps `modified` with the current second, so that two renderings
    # a second apart differed in bytes; the writer keeps the fixed stamp set above.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    return normalise_zip(out.getvalue(), FIXED_STAMP.date())


def _write_sheet(ws: Worksheet, table: Table) -> None:
    header_font = Font(name=FONT_NAME, bold=True, size=11)
    body_font = Font(name=FONT_NAME, size=11)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for col, text in enumerate(table.header, 1):
        cell = xlsx.put(ws, 1, col, text)
        cell.font, cell.fill, cell.border, cell.alignment = header_font, HEADER_FILL, BORDER, centre
    for r, row in enumerate(table.rows, 2):
        for col, text in enumerate(row, 1):
            value, fmt = cell_value(text)
            cell = xlsx.put(ws, r, col, value)
            cell.font, cell.border = body_font, BORDER
            if fmt:
                cell.number_format = fmt
            right = fmt is not None or bool(NUMBER_LIKE.match(text.strip()))
            cell.alignment = Alignment(horizontal="right" if right else "left", vertical="center", wrap_text=True)
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"  # the header repeats on every printed page
    for col, width in enumerate(_column_widths(table), 1):
        ws.column_dimensions[get_column_letter(col)].width = width


def _column_widths(table: Table) -> list[float]:
    """Excel widths in characters: from the relative widths when given, else from the longest text."""
    ncols = max([len(table.header), *(len(r) for r in table.rows)], default=0)

    def display(text: str) -> int:  # a Chinese character takes two columns
        return sum(2 if ord(c) > 0x2E80 else 1 for c in text)

    natural = [
        max([display(r[i]) for r in [table.header, *table.rows] if i < len(r)], default=4) + 2 for i in range(ncols)
    ]
    if table.widths and len(table.widths) == ncols and sum(table.widths) > 0:
        total = max(sum(natural), 12 * ncols)
        return [round(max(6.0, min(80.0, total * w / sum(table.widths))), 1) for w in table.widths]
    return [float(max(6, min(60, n))) for n in natural]

"""Write the empty workbooks users fill in: one header row that says what each column takes.

The header is bold and frozen; every header cell carries a comment with what the column
takes (the category and stage lists are read from the rule tables, so the template follows
what the office has configured); money columns are formatted #,##0.00 and code columns
as text, so that Excel neither rounds amounts nor turns a local code into a number.
"""

from __future__ import annotations

import os
from typing import Any

from django.db import DatabaseError
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from keyproj.core import xlsx
from keyproj.core.workbooks.formats import Column, Format, Kind
from keyproj.exchange.formats import FORMATS
from keyproj.projects import defaults
from keyproj.projects.models import Category, Stage

MONEY_FORMAT = "#,##0.00"
TEXT_FORMAT = "@"
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_DATA_ROWS = 2000  # how far down the drop-down lists reach


def _names(model_name: str, fallback: list[tuple[str, str, str]]) -> str:
    """The active names of a rule list, or the defaults when the database is not there yet."""
    items = {"category": Category.objects, "stage": Stage.objects}[model_name]
    try:
        names = list(items.filter(active=True).values_list("name", flat=True))
    except DatabaseError:
        names = []
    return " / ".join(names or [name for _, name, _ in fallback])


def hint(column: Column) -> str:
    """What a column takes, as its header comment says it."""
    text = column.hint
    if "{categories}" in text:
        text = text.replace("{categories}", _names("category", defaults.CATEGORIES))
    if "{stages}" in text:
        text = text.replace("{stages}", _names("stage", defaults.STAGES))
    return f"{column.label}: {text}"


def build_template(fmt: Format) -> Workbook:
    """The empty workbook of one format (header row only)."""
    workbook = xlsx.new_workbook()
    sheet = workbook.active
    sheet.title = fmt.title
    bold = Font(bold=True)
    for index, column in enumerate(fmt.columns, start=1):
        cell = xlsx.put(sheet, 1, index, column.label)
        cell.font = bold
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        comment = Comment(hint(column), "keyproj")
        comment.width, comment.height = 320, 110
        cell.comment = comment
        letter = get_column_letter(index)
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.display_width
        if column.kind == Kind.MONEY:
            dimension.number_format = MONEY_FORMAT
        elif column.kind in (Kind.CODE, Kind.YEAR_MONTH):
            # "2019-07" and "0123" stay as typed instead of becoming a date or a number.
            dimension.number_format = TEXT_FORMAT
        choices = _choices(column)
        if choices:
            validation = DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True)
            validation.error = f"请从列表中选择：{'、'.join(choices)}"
            validation.errorTitle = column.label
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{_DATA_ROWS}")
    sheet.freeze_panes = "A2"
    return workbook


def _choices(column: Column) -> list[str]:
    if column.kind == Kind.YES_NO:
        return ["是", "否"]
    if column.key == "level":
        return ["省重大", "市重点"]
    return []


def write_template(kind: str, path: str | os.PathLike[str] | Any) -> None:
    """Write the empty `projects`, `plans` or `returns` workbook to a path or binary file."""
    build_template(FORMATS[kind]).save(path)

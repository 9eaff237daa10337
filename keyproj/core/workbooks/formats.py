"""What a workbook looks like: its columns, what each takes, and how a header is recognised.

One description serves the reader (which header cell is which column), the validator
(required or not, how long a text may be) and the template writer (header, width, comment,
number format). Column labels are the names errors use: `第3行 总投资(万元): 不能为空`.
The concrete workbooks (projects, plans, returns) are described in keyproj.exchange.formats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


class Kind:
    """What a column holds; decides how a cell is read and how the template formats it."""

    TEXT = "text"
    CODE = "code"  # a project code: text even when Excel made it a number
    MONEY = "money"  # 万元, two places
    YEAR = "year"
    MONTH = "month"  # 1-12
    YEAR_MONTH = "year_month"  # YYYY-MM or a date cell
    YES_NO = "yes_no"  # 是/否
    CHOICE = "choice"  # one of a list (level, category, stage)
    DISTRICT = "district"  # a district's name or GB/T 2260 code
    ORG = "org"  # an organisation's name, created when unknown


@dataclass(frozen=True)
class Column:
    """One column of a workbook.

    label:      the header the template writes and errors name, e.g. 总投资(万元).
    key:        the name the importer knows the value by.
    hint:       what the column takes, for the header comment (may name {categories}/{stages}).
    max_length: the longest text the database field holds (None: no limit).
    """

    label: str
    key: str
    kind: str = Kind.TEXT
    required: bool = True
    hint: str = ""
    width: int = 0
    max_length: int | None = None

    @property
    def base(self) -> str:
        """The label without its unit or note: 总投资(万元) → 总投资."""
        return header_key(self.label)

    @property
    def display_width(self) -> int:
        # A CJK character takes about two columns of Excel's width unit.
        return self.width or max(10, 2 * len(self.label) + 4)


@dataclass(frozen=True)
class Format:
    """One workbook: its name on the command line, its sheet title and its columns in order."""

    name: str
    title: str
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


_FULL_WIDTH = str.maketrans({"（": "(", "）": ")", "\u3000": " "})
_TRAILING_NOTE = re.compile(r"\([^()]*\)$")
_SPACE = re.compile(r"\s+")


def header_key(text: object) -> str:
    """How a header cell is compared: without spaces, full-width brackets, or a trailing (note).

    `总投资(万元)`, `总投资（万元）`, `总投资 ` and `总投资` all read as 总投资; so does
    `项目级别(省重大/市重点)`.
    """
    value = _SPACE.sub("", str(text).translate(_FULL_WIDTH))
    return _TRAILING_NOTE.sub("", value)

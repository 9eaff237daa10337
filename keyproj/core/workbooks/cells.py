"""Read one cell into a Python value, or say in Chinese what is wrong with it.

python-calamine hands over str, float (every Excel number), bool, date and datetime;
an empty cell is ''. Each reader raises CellError with the text that follows
`第N行 列名: ` in the error list.

Two cells are not what they seem and are named for what they are, never "不能为空": a formula
saved without its result (a workbook written by a program and never opened in Excel: calamine
reads it as empty, the reader marks it UNCALCULATED), and a number that is not finite (inf, nan,
which only a hand-made file can hold). Digits are read as the user typed them, full-width
(２０１９) as well as ASCII, for a year and a month as for money.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal
from typing import Any

from keyproj.core import text as clean_text
from keyproj.core.money import MoneyError, parse_money
from keyproj.core.period import YEARS

_YEAR_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:\s*[-/.]\s*\d{1,2}\s*日?)?$")


class CellError(ValueError):
    """What is wrong with one cell."""


class Uncalculated:
    """A formula cell stored without its result: there is no value to read, and it is not empty either."""

    def __repr__(self) -> str:
        return "UNCALCULATED"

    def __str__(self) -> str:
        return ""


UNCALCULATED = Uncalculated()
UNCALCULATED_MESSAGE = "是公式但没有计算结果，请在Excel中重新计算并保存后再导入"


def _usable(value: Any) -> None:
    """Refuse the cells that hold no value to read, whatever the column's kind."""
    if isinstance(value, Uncalculated):
        raise CellError(UNCALCULATED_MESSAGE)
    if isinstance(value, float) and not math.isfinite(value):
        raise CellError(f"“{value}”不是有限的数字")


def _digits(raw: str) -> str:
    """Full-width digits and signs (２０１９, typed with a Chinese input method) as their ASCII forms."""
    return unicodedata.normalize("NFKC", raw)


def shown(value: Any) -> str:
    """A cell as the user typed it, for quoting in a message."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != dt.time() else value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value).strip()


def text(value: Any, *, max_length: int | None = None) -> str:
    """A text cell, cleaned and trimmed. A number typed into a text column reads as the user typed it.

    A column with a database limit (a name, a code) is one line; one without (建设内容, 形象进度,
    存在问题) is prose that keeps its line breaks and is capped at TEXT_LIMIT. Over-long text is
    refused, never cut.
    """
    _usable(value)
    limit = max_length if max_length is not None else clean_text.TEXT_LIMIT
    result = "" if value is None else shown(value)
    result = clean_text.clean(result, multiline=max_length is None).strip()
    if len(result) > limit:
        raise CellError(f"长度超过{limit}个字符（现为{len(result)}个）")
    return result


def whole_number(value: Any, *, unit: str = "") -> int:
    """An integer cell: 7, 7.0, '7', '7月', '2019年', '２０１９'."""
    _usable(value)
    if isinstance(value, bool):
        raise CellError(f"“{shown(value)}”不是整数")
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"“{shown(value)}”不是整数")
        return int(value)
    if isinstance(value, int):
        return value
    raw = _digits(str(value)).strip()
    if unit and raw.endswith(unit):
        raw = raw[: -len(unit)].strip()
    if not raw.isascii() or not raw.isdigit():
        raise CellError(f"“{shown(value)}”不是整数")
    return int(raw)


def year(value: Any) -> int:
    number = whole_number(value, unit="年")
    if number not in YEARS:
        raise CellError(f"{number}不是有效年度")
    return number


def month(value: Any) -> int:
    number = whole_number(value, unit="月")
    if not 1 <= number <= 12:
        raise CellError(f"月份应为1-12，而不是{number}")
    return number


def money(value: Any) -> Decimal:
    _usable(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel's 5.0 is the 5 the user typed; quote it so in messages
    try:
        return parse_money(value)
    except MoneyError as error:
        raise CellError(str(error)) from None


def year_month(value: Any) -> dt.date:
    """A month as YYYY-MM (also 2019/7, 2019年7月, full-width digits) or a date cell; stored as its first day."""
    _usable(value)
    if isinstance(value, dt.datetime | dt.date):
        return dt.date(value.year, value.month, 1)
    raw = "" if isinstance(value, float | bool) else _digits(str(value)).strip()
    match = _YEAR_MONTH.match(raw)
    if match:
        y, m = int(match.group(1)), int(match.group(2))
        if 1 <= m <= 12 and y in YEARS:
            return dt.date(y, m, 1)
    raise CellError(f"“{shown(value)}”不是有效年月，应为YYYY-MM，例如2019-07")


_YES = {"是": True, "否": False}


def yes_no(value: Any) -> bool:
    _usable(value)
    if isinstance(value, bool):
        return value
    raw = str(value).strip()
    if raw in _YES:
        return _YES[raw]
    raise CellError(f"应填“是”或“否”，而不是“{shown(value)}”")

"""Read one cell into a Python value, or say in Chinese what is wrong with it.

python-calamine hands over str, float (every Excel number), bool, date and datetime;
an empty cell is ''. Each reader raises CellError with the text that follows
`第N行 列名: ` in the error list.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from keyproj.core.money import MoneyError, parse_money
from keyproj.core.period import YEARS

_YEAR_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:\s*[-/.]\s*\d{1,2}\s*日?)?$")


class CellError(ValueError):
    """What is wrong with one cell."""


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
    """A text cell, trimmed. A number typed into a text column reads as the user typed it."""
    result = "" if value is None else shown(value)
    if max_length is not None and len(result) > max_length:
        raise CellError(f"长度超过{max_length}个字符（现为{len(result)}个）")
    return result


def whole_number(value: Any, *, unit: str = "") -> int:
    """An integer cell: 7, 7.0, '7', '7月', '2019年'."""
    if isinstance(value, bool):
        raise CellError(f"“{shown(value)}”不是整数")
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"“{shown(value)}”不是整数")
        return int(value)
    if isinstance(value, int):
        return value
    raw = str(value).strip()
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
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel's 5.0 is the 5 the user typed; quote it so in messages
    try:
        return parse_money(value)
    except MoneyError as error:
        raise CellError(str(error)) from None


def year_month(value: Any) -> dt.date:
    """A month as YYYY-MM (also 2019/7, 2019年7月) or a date cell; stored as its first day."""
    if isinstance(value, dt.datetime | dt.date):
        return dt.date(value.year, value.month, 1)
    raw = "" if isinstance(value, float | bool) else str(value).strip()
    match = _YEAR_MONTH.match(raw)
    if match:
        y, m = int(match.group(1)), int(match.group(2))
        if 1 <= m <= 12 and y in YEARS:
            return dt.date(y, m, 1)
    raise CellError(f"“{shown(value)}”不是有效年月，应为YYYY-MM，例如2019-07")


_YES = {"是": True, "否": False}


def yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raw = str(value).strip()
    if raw in _YES:
        return _YES[raw]
    raise CellError(f"应填“是”或“否”，而不是“{shown(value)}”")

"""Money and percentages: Decimal end to end, rounded half-up only for display.

Money is stored in 万元 with two places; headline figures are shown in 亿元.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext

CENT = Decimal("0.01")
WAN_PER_YI = Decimal(10000)
ZERO = Decimal("0.00")
# The largest single amount (万元) anyone may enter: a hundred times the largest project ever
# built, and small enough that twelve months of it still fit the 14-digit money columns.
MAX_AMOUNT = Decimal("10000000000")


class MoneyError(ValueError):
    """A money value that is not a non-negative number with at most two decimals."""


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def yi(wan: Decimal) -> Decimal:
    """万元 → 亿元, two places."""
    return round2(wan / WAN_PER_YI)


def percent(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """numerator / denominator × 100, two places; None when there is nothing to divide by."""
    if not denominator:
        return None
    return round2(Decimal(numerator) * 100 / Decimal(denominator))


def wan(value: object) -> str:
    """万元 for a table: two places, thousands separators; a dash when there is nothing."""
    return num2(value)


def _decimal(value: object) -> Decimal | None:
    """A number from a model, a view's string or a float; None (or an empty string) is nothing."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        value = repr(value)
    # A figure a view has already written (12,345.67, +0.65, −3.20) reads back as the number it was.
    text = str(value).strip().replace(",", "").replace("−", "-").lstrip("+")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def num2(value: object) -> str:
    """Any figure shown with two places and thousands separators (scores, 亿元, 亩): 1,234.50; a dash for nothing.

    Every number on a page goes through this (or a helper built on it), so that 19013.76 never stands
    beside 55,760.00, nor 108.2 beside 108.20.
    """
    number = _decimal(value)
    return "—" if number is None else f"{round2(number):,.2f}"


def yi_text(wan_value: object) -> str:
    """万元 → 亿元 for a page: 51885700.00 → 5,188.57 (the unit is written by the caller)."""
    number = _decimal(wan_value)
    return "—" if number is None else num2(yi(number))


def amount_parts(wan_value: object, *, signed: bool = False) -> tuple[str, str]:
    """The number and the unit that read best: 1亿元 or more in 亿元, less in 万元 ("—" and "" for nothing).

    signed: write + before a gain and a true minus before a shortfall (a hyphen is easy to miss).
    """
    number = _decimal(wan_value)
    if number is None:
        return "—", ""
    in_yi = abs(number) >= WAN_PER_YI
    text = num2(abs(yi(number) if in_yi else number))
    if number < 0 and text != "0.00":
        text = f"−{text}"
    elif signed and number > 0:
        text = f"+{text}"
    return text, gettext("亿元") if in_yi else gettext("万元")


def amount(wan_value: object, *, signed: bool = False) -> str:
    """An amount with its unit, in the unit that reads best: 51,885,700.00 万元 reads 5,188.57亿元.

    A total of 1亿元 or more is written in 亿元, a smaller one stays in 万元 (9,999.00万元).
    """
    text, unit = amount_parts(wan_value, signed=signed)
    return text if not unit else gettext("%(n)s%(unit)s") % {"n": text, "unit": unit}


def pct(value: object) -> str:
    """A percentage already in percent, two places and the sign: 108.2 → 108.20%; a dash for nothing."""
    number = _decimal(value)
    return "—" if number is None else f"{num2(number)}%"


def fmt2(value: Decimal | None) -> str | None:
    """A Decimal as a string with exactly two places (None stays None)."""
    return None if value is None else str(round2(Decimal(value)))


def parse_money(raw: object, *, allow_negative: bool = False) -> Decimal:
    """Read a money cell or field (万元): a number with at most two decimals.

    Raises MoneyError with a Chinese message that callers put after the row and column.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise MoneyError("不能为空")
    if isinstance(raw, bool):
        raise MoneyError(f"“{raw}”不是数字")
    if isinstance(raw, float):
        # Spreadsheet numbers arrive as binary floats; their shortest repr is what the user typed.
        raw = repr(raw)
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        raise MoneyError(f"“{raw}”不是数字") from None
    if not value.is_finite():
        raise MoneyError(f"“{raw}”不是数字")
    if value < 0 and not allow_negative:
        raise MoneyError(f"金额不能为负数（{value}）")
    # Checked before anything is rounded: a huge number has no room left for cents.
    if abs(value) >= MAX_AMOUNT:
        raise MoneyError(f"金额过大（{value}万元），单项金额应小于{MAX_AMOUNT:,.0f}万元")
    if value != value.quantize(CENT, rounding=ROUND_HALF_UP):
        raise MoneyError(f"金额最多保留两位小数（{value}）")
    return value.quantize(CENT)

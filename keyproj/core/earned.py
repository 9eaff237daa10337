"""Earned value's formulas as pure functions: Decimal in, Decimal (or None) out, never rounded.

They live below every app so that the figures (keyproj.metrics.earned_value) and the review's
flag (keyproj.returns.checks) compute the same thing. Rounding is for display only
(keyproj.core.money); the definitions and their limits are in docs/earned-value.md.
"""

from __future__ import annotations

from decimal import Decimal

HUNDRED = Decimal(100)


def earned(completion: Decimal | None, total_investment: Decimal | None) -> Decimal | None:
    """EV: the reported physical completion (%) as a share of the total investment (万元).

    None when either is missing: a project without a completion figure has earned nothing
    *known*, which is not the same as zero.
    """
    if completion is None or total_investment is None:
        return None
    return completion * total_investment / HUNDRED


def cumulative(opening: Decimal | None, to_date: Decimal | None) -> Decimal | None:
    """PV or AC: the opening balance (invested before the year) plus the year's cumulative figure.

    None without an opening balance: the year's figure alone would compare a whole project's
    earned value with one year's money and make every index look far too good.
    """
    if opening is None or to_date is None:
        return None
    return opening + to_date


def index(earned_value: Decimal | None, divisor: Decimal | None) -> Decimal | None:
    """SPI (divisor PV) or CPI (divisor AC): EV / divisor; None when an input is missing or the divisor is 0."""
    if earned_value is None or divisor is None or divisor == 0:
        return None
    return earned_value / divisor

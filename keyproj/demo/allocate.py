"""Split an exact total in proportion to weights, in whole units (largest-remainder rounding).

The demo's published totals are exact to the cent; rounding each share on its own would
drift from them. Here every share gets the whole units of its exact quota, and the units
left over go one each to the largest remainders, so the parts always add up to the total,
each is within one unit of its exact share, and none is ever negative.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from keyproj.core.money import CENT

Weight = int | Fraction


def largest_remainder(total: int, weights: Sequence[Weight]) -> list[int]:
    """`total` whole units split in proportion to `weights` (ties go to the earlier weight).

    A zero weight gets nothing. All weights zero is only allowed for a total of zero.
    """
    if total < 0:
        raise ValueError(f"cannot split a negative total ({total})")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    whole = sum((Fraction(w) for w in weights), Fraction(0))
    if whole == 0:
        if total:
            raise ValueError(f"cannot split {total} over weights that are all zero")
        return [0] * len(weights)
    quotas = [Fraction(total) * Fraction(w) / whole for w in weights]
    shares = [q.numerator // q.denominator for q in quotas]
    left = total - sum(shares)
    by_remainder = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - shares[i]), i))
    for i in by_remainder[:left]:
        shares[i] += 1
    return shares


def split_money(total: Decimal, weights: Sequence[Weight], unit: Decimal = CENT) -> list[Decimal]:
    """An amount of money split in proportion to `weights`, in multiples of `unit` (a cent by default)."""
    units = total / unit
    if units != units.to_integral_value():
        raise ValueError(f"{total} is not a whole number of {unit}")
    return [(unit * n).quantize(CENT) for n in largest_remainder(int(units), weights)]

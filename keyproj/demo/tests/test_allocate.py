from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keyproj.demo.allocate import largest_remainder, split_money


def test_it_gives_the_leftover_units_to_the_largest_remainders():
    # Exact shares 3.33…, 3.33…, 3.33… of 10: one unit left, to the first of the tied.
    assert largest_remainder(10, [1, 1, 1]) == [4, 3, 3]
    # 7 × 2/7 = 2, 7 × 5/7 = 5: nothing left over.
    assert largest_remainder(7, [2, 5]) == [2, 5]
    # 100 × (0.155, 0.845) = 15.5, 84.5: the tie goes to the earlier weight.
    assert largest_remainder(100, [155, 845]) == [16, 84]


def test_it_never_gives_anything_to_a_zero_weight():
    assert largest_remainder(5, [0, 3, 0, 3, 0]) == [0, 3, 0, 2, 0]


def test_it_refuses_what_cannot_be_split():
    with pytest.raises(ValueError):
        largest_remainder(-1, [1])
    with pytest.raises(ValueError):
        largest_remainder(3, [0, 0])
    with pytest.raises(ValueError):
        largest_remainder(3, [1, -1])
    assert largest_remainder(0, [0, 0]) == [0, 0]


def test_it_splits_money_in_cents_or_larger_units():
    assert split_money(Decimal("1.00"), [1, 1, 1]) == [Decimal("0.34"), Decimal("0.33"), Decimal("0.33")]
    assert split_money(Decimal("100.00"), [1, 2], Decimal("10")) == [Decimal("30.00"), Decimal("70.00")]
    with pytest.raises(ValueError):
        split_money(Decimal("105.00"), [1, 2], Decimal("10"))


@given(
    total=st.integers(min_value=0, max_value=10**9),
    weights=st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=40).filter(any),
)
def test_the_parts_add_up_and_each_is_within_one_unit_of_its_exact_share(total, weights):
    parts = largest_remainder(total, weights)

    assert sum(parts) == total
    whole = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Fraction(total * weight, whole)
        assert part >= 0
        assert abs(part - exact) < 1
        if weight == 0:
            assert part == 0

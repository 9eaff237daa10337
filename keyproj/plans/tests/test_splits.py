from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keyproj.plans.splits import PROFILES, propose_split

D = Decimal


def test_an_even_split_gives_twelve_equal_months():
    assert propose_split(D("1200.00")) == [D("100.00")] * 12


def test_the_cents_that_do_not_divide_go_to_the_months_that_lost_most():
    months = propose_split(D("100.00"))
    assert sum(months) == D("100.00")
    assert sorted(set(months)) == [D("8.33"), D("8.34")]


def test_the_back_loaded_curve_puts_most_in_the_last_quarter():
    months = propose_split(D("10000.00"), "back_loaded")
    assert sum(months) == D("10000.00")
    assert sum(months[9:]) > sum(months[:3])
    assert months[11] == max(months)


@given(
    annual=st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2), profile=st.sampled_from(list(PROFILES))
)
def test_every_proposal_adds_up_exactly_and_has_no_negative_month(annual, profile):
    months = propose_split(annual, profile)
    assert len(months) == 12
    assert sum(months) == annual
    assert all(m >= 0 and m == m.quantize(D("0.01")) for m in months)


def test_an_unknown_profile_is_refused():
    with pytest.raises(ValueError, match="unknown profile"):
        propose_split(D("1"), "front_loaded")

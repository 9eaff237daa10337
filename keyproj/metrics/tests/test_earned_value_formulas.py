"""The earned-value formulas with figures worked out by hand (pure: no database)."""

from __future__ import annotations

from decimal import Decimal as D

from keyproj.core.earned import cumulative, earned, index
from keyproj.core.period import Period
from keyproj.metrics.earned_section import ratio
from keyproj.metrics.earned_value import EarnedMonth, reported_through


def test_earned_value_is_the_completion_share_of_the_total():
    # 40% of 10,000 万元 is 4,000; 68.5% of 1,234.56 is 845.6736 (kept exact, not rounded).
    assert earned(D("40"), D("10000")) == D("4000")
    assert earned(D("68.5"), D("1234.56")) == D("845.6736")


def test_earned_value_is_unknown_without_a_completion_or_a_total():
    assert earned(None, D("10000")) is None
    assert earned(D("40"), None) is None


def test_planned_and_actual_values_start_from_the_opening_balance():
    # 2,000 invested before the year + 3,000 planned to date = 5,000.
    assert cumulative(D("2000"), D("3000")) == D("5000")
    assert cumulative(D("0"), D("3000")) == D("3000")
    assert cumulative(None, D("3000")) is None


def test_the_indices_are_earned_value_over_their_divisor():
    # EV 4,000 against PV 5,000 and AC 6,000: SPI 0.8, CPI 0.666…
    assert index(D("4000"), D("5000")) == D("0.8")
    cpi = index(D("4000"), D("6000"))
    assert cpi is not None and cpi.quantize(D("0.0001")) == D("0.6667")


def test_an_index_with_a_zero_divisor_or_a_missing_input_is_none():
    assert index(D("4000"), D("0")) is None
    assert index(None, D("5000")) is None
    assert index(D("4000"), None) is None


def test_a_month_gives_its_spi_and_cpi():
    month = EarnedMonth(month=7, pv=D("5000"), ev=D("4000"), ac=D("6000"), completion=D("40"))
    assert month.spi == D("0.8")
    assert ratio(month.cpi) == "0.67"
    assert ratio(None) == "—"


def test_a_month_ahead_of_plan_and_under_cost_has_indices_above_one():
    # 60% of 10,000 = 6,000 earned; PV 5,000, AC 4,800: SPI 1.2, CPI 1.25.
    month = EarnedMonth(month=7, pv=D("5000"), ev=earned(D("60"), D("10000")), ac=D("4800"), completion=D("60"))
    assert month.spi == D("1.2")
    assert month.cpi == D("1.25")


def test_the_months_reported_follow_the_page_period():

    assert reported_through(2019, Period(2019, 7)) == 7
    assert reported_through(2019, Period(2020, 1)) == 12
    assert reported_through(2019, Period(2018, 12)) == 0
    assert reported_through(2019, None) == 0

"""The year-end forecast: the recent pace applied to the remaining plan, hand-computed."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from keyproj.core.period import Period
from keyproj.core.scoping import CONSOLE
from keyproj.supervision.forecast import city_forecast, forecasts, likely_to_miss
from keyproj.testing import make_plan, make_project, make_returns

pytestmark = pytest.mark.django_db
JULY = Period(2019, 7)


def forecast_of(project, period=JULY) -> D:
    row = forecasts(CONSOLE, period).get(project=project)
    return D(str(row.forecast)).quantize(D("0.01"))


def test_the_pace_of_the_last_three_months_carries_the_rest_of_the_year():
    slow = make_project()
    make_plan(slow, ["100"] * 12)
    make_returns(slow, ["50"] * 7)
    # months 5–7: 150 of 300 planned → pace 0.5; 350 + 500 × 0.5
    assert forecast_of(slow) == D("600.00")

    rising = make_project()
    make_plan(rising, ["100"] * 12)
    make_returns(rising, ["100", "100", "100", "100", "150", "150", "150"])
    # months 5–7: 450 of 300 → pace 1.5; 850 + 500 × 1.5
    assert forecast_of(rising) == D("1600.00")


def test_early_in_the_year_the_pace_is_that_of_the_months_so_far():
    project = make_project()
    make_plan(project, ["100"] * 12)
    make_returns(project, ["80", "40"])
    # Jan–Feb: 120 of 200 → 0.6; 120 + 1000 × 0.6
    assert forecast_of(project, Period(2019, 2)) == D("720.00")


def test_nothing_planned_yet_assumes_the_plan_will_be_kept():
    project = make_project()
    make_plan(project, ["0"] * 7 + ["100"] * 5)
    make_returns(project, ["0"] * 7)
    assert forecast_of(project) == D("500.00")


def test_the_city_forecast_sums_the_projects_and_counts_those_likely_to_miss():
    slow, fine = make_project(), make_project()
    for project, amount in ((slow, "50"), (fine, "100")):
        make_plan(project, ["100"] * 12)
        make_returns(project, [amount] * 7)

    city = city_forecast(CONSOLE, JULY)

    assert city.annual_plan == D("2400.00")
    assert city.forecast == D("1800.00")  # 600 + 1200
    assert city.rate == D("75.00")
    assert city.short_count == 1
    assert [row.project for row in likely_to_miss(CONSOLE, JULY)] == [slow]


def test_a_user_forecasts_only_what_they_may_see(siming_officer, siming_project, haicang_project):
    for project in (siming_project, haicang_project):
        make_plan(project, ["100"] * 12)
        make_returns(project, ["50"] * 7)
    assert city_forecast(siming_officer, JULY).project_count == 1

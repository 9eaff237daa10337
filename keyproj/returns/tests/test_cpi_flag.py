"""The review flag for investment running ahead of the work: CPI with the return's own figures below the rule."""

from __future__ import annotations

from decimal import Decimal

import pytest

from keyproj.core.scoping import CONSOLE
from keyproj.returns.checks import codes, flags
from keyproj.returns.models import DataQualityRule, ProgressReturn
from keyproj.returns.services import ReturnData, save_returns
from keyproj.testing import AFTER_2019, make_plan, make_project

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    """Total 10,000 万元, 2,000 invested before 2019: 20% complete earns 2,000."""
    project = make_project(total_investment=D("10000.00"))
    make_plan(project, invested_before=D("2000"))
    return project


def report(project, investment, completion="20", month=1):
    item = ReturnData(
        project=project, year=2019, month=month, investment=D(investment), started=True, completion=completion
    )
    save_returns([item], user=CONSOLE, submit=True, today=AFTER_2019)
    return ProgressReturn.objects.get(project=project, year=2019, month=month)


def test_a_cpi_of_exactly_the_minimum_is_not_flagged(project):
    # EV 2,000 / AC (2,000 + 500) = 0.80.
    assert "cpi_low" not in codes(flags(report(project, "500")))


def test_a_cpi_a_cent_below_the_minimum_is_flagged_with_the_numbers(project):
    # EV 2,000 / AC 2,500.01 = 0.79999…: shown cut to 0.79, never rounded up to the minimum.
    found = [f for f in flags(report(project, "500.01")) if f.code == "cpi_low"]

    assert [f.message for f in found] == [
        "投资进度快于形象进度：按形象进度20%折算已完成投资2,000.00万元，实际累计完成2,500.01万元（CPI 0.79，低于0.80）"
    ]


def test_the_actual_counts_the_years_approved_months_before_this_one(project):
    save_returns(
        [ReturnData(project=project, year=2019, month=1, investment=D("400"), started=True, completion="20")],
        user=CONSOLE,
        approve=True,
        today=AFTER_2019,
    )
    # AC = 2,000 + 400 + 101 = 2,501 against EV 2,000 (CPI 0.7996…).
    assert "cpi_low" in codes(flags(report(project, "101", month=2)))
    assert "cpi_low" not in codes(flags(report(project, "100", month=3, completion="21")))


def test_the_threshold_is_the_rules(project):
    DataQualityRule.objects.update(min_cpi=D("0.50"))

    assert "cpi_low" not in codes(flags(report(project, "1000")))


def test_no_flag_without_a_percentage_or_an_opening_balance():
    project = make_project(total_investment=D("10000.00"))
    make_plan(project)  # no opening balance

    assert "cpi_low" not in codes(flags(report(project, "5000")))
    other = make_project(total_investment=D("10000.00"))
    make_plan(other, invested_before=D("0"))
    assert "cpi_low" not in codes(flags(report(other, "5000", completion=None)))

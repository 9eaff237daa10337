"""The home page's month: the latest closed month by default; a month still being reported is provisional."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from keyproj.core.period import Period
from keyproj.core.scoping import CONSOLE
from keyproj.dashboard.views.home import home_months
from keyproj.returns.services import ReturnData, save_returns
from keyproj.supervision.models import CardRule, CloseStatus, MonthClose, RankingRule
from keyproj.testing import AFTER_2019, make_plan, make_project, make_returns

HOME = "/"
JULY, AUGUST = Period(2019, 7), Period(2019, 8)


def closed(*months: int, year: int = 2019) -> None:
    """Record months as closed (what they published does not matter here)."""
    for month in months:
        day = Period(year, month).next().first_day.replace(day=10)
        MonthClose.objects.create(
            year=year,
            month=month,
            card_rule=CardRule.current(),
            ranking_rule=RankingRule.current(),
            closed_at=dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC),
            closed_on=day,
        )


def approve_august(project) -> None:
    save_returns(
        [ReturnData(project=project, year=2019, month=8, investment=Decimal("5000"), started=True)],
        user=CONSOLE,
        approve=True,
        today=AFTER_2019,
    )


@pytest.fixture
def city(siming, haicang):
    """Three projects reported and approved to July 2019, July closed, and one August return approved."""
    projects = [make_project(district=siming), make_project(district=siming), make_project(district=haicang)]
    for project in projects:
        make_plan(project)
        make_returns(project, ["100"] * 7)
    closed(*range(1, 8))
    approve_august(projects[0])
    return projects


def test_the_home_page_stays_on_the_latest_closed_month_after_a_later_return_is_approved(client, leader_user, city):
    client.force_login(leader_user)

    response = client.get(HOME)

    assert response.context["period"] == JULY
    assert "provisional" not in response.context
    page = response.content.decode()
    assert '<option value="2019-07" selected>2019年7月</option>' in page
    assert "1-7月，全市3个市重点项目" in page
    assert "暂定" not in page and "填报中：已审核" not in page


def test_a_month_still_being_reported_can_be_chosen_and_is_marked_provisional(client, leader_user, city):
    client.force_login(leader_user)

    response = client.get(HOME, {"period": "2019-08"})

    assert response.context["period"] == AUGUST
    page = response.content.decode()
    assert "填报中：已审核 1/3，数据未最终确认" in page
    assert '<span class="badge-provisional">暂定</span> 1-8月，全市3个市重点项目' in page
    # The picker offers it, and says it is still being reported.
    assert '<option value="2019-08" selected>2019年8月（填报中）</option>' in page


def test_the_provisional_count_covers_only_what_the_user_sees(client, siming_officer, city):
    client.force_login(siming_officer)

    response = client.get(HOME, {"period": "2019-08"})

    assert "填报中：已审核 1/2，数据未最终确认" in response.content.decode()


def test_without_any_closed_month_the_latest_reported_month_is_shown_as_provisional(client, admin_user, siming):
    project = make_project(district=siming)
    make_plan(project)
    make_returns(project, ["100"] * 7)
    client.force_login(admin_user)

    response = client.get(HOME)

    assert response.context["period"] == JULY
    assert "填报中：已审核 1/1，数据未最终确认" in response.content.decode()


def test_a_reopened_month_is_not_closed(admin_user, city):
    MonthClose.objects.filter(year=2019, month=7).update(status=CloseStatus.REOPENED)

    months = home_months(admin_user)

    assert months.default == Period(2019, 6)
    assert months.is_provisional(JULY) and not months.is_provisional(Period(2019, 6))
    assert months.newest == AUGUST


def test_the_month_choice_falls_back_to_the_latest_report_only_when_nothing_is_closed(admin_user, siming):
    project = make_project(district=siming)
    make_plan(project)
    make_returns(project, ["100"] * 5)
    assert home_months(admin_user).default == Period(2019, 5)

    closed(1, 2, 3)

    assert home_months(admin_user).default == Period(2019, 3)


def test_a_user_without_a_scope_sees_no_closed_months(outsider, city):
    months = home_months(outsider)

    assert months.closed == frozenset() and months.default is None

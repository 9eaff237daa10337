"""Each job on a business day it is given, and run twice for its period: nobody is told twice."""

from __future__ import annotations

import datetime as dt

import pytest

from keyproj.accounts.models import Notification, Role
from keyproj.jobs import jobs
from keyproj.jobs.jobs import Skipped
from keyproj.jobs.tests.helpers import DEADLINE, at, reporting, told
from keyproj.orgs.models import OrgKind
from keyproj.problems.models import Problem
from keyproj.supervision.models import Listing, ListingStatus
from keyproj.testing import make_project, make_user, org

pytestmark = pytest.mark.django_db


def run(job, day: dt.date):
    return job(day, at(day, 10))


# ---------------------------------------------------------------- remind_returns


def test_three_days_before_the_deadline_each_reporter_is_reminded_of_their_missing_projects(
    siming_project, owner_user, agent_user, unit_officer
):
    reporting(siming_project)
    counts = run(jobs.remind_returns, DEADLINE - dt.timedelta(days=3))
    assert counts == {"event": "d-3", "missing": 1, "users": 2, "messages": 2}
    for user in (owner_user, agent_user):
        [message] = told(user, "returns-remind")
        assert "2019年8月" in message.title and siming_project.code in message.body
    assert told(unit_officer) == []  # the unit reviews; it is chased after the deadline, not reminded


def test_a_reminder_run_twice_for_its_day_sends_nothing_twice(siming_project, owner_user):
    reporting(siming_project)
    day = DEADLINE - dt.timedelta(days=3)
    run(jobs.remind_returns, day)
    assert run(jobs.remind_returns, day)["messages"] == 0
    # The next day is still the 3-days-before reminder's window: not sent again either.
    assert run(jobs.remind_returns, day + dt.timedelta(days=1))["messages"] == 0
    assert len(told(owner_user, "returns-remind")) == 1


def test_the_day_before_the_deadline_is_a_second_reminder(siming_project, owner_user):
    reporting(siming_project)
    run(jobs.remind_returns, DEADLINE - dt.timedelta(days=3))
    assert run(jobs.remind_returns, DEADLINE - dt.timedelta(days=1))["event"] == "d-1"
    assert len(told(owner_user, "returns-remind")) == 2


def test_one_message_lists_all_of_a_reporters_missing_projects(siming_project, owner_user, owner_org, siming):
    second = reporting(make_project(owner=owner_org, district=siming))
    reporting(siming_project)
    run(jobs.remind_returns, DEADLINE - dt.timedelta(days=1))
    [message] = told(owner_user, "returns-remind")
    assert siming_project.code in message.body and second.code in message.body
    assert "2个项目" in message.title


def test_a_project_whose_return_is_in_is_not_reminded(siming_project, owner_user):
    reporting(siming_project, months=8)
    counts = run(jobs.remind_returns, DEADLINE - dt.timedelta(days=1))
    assert counts["missing"] == 0 and told(owner_user) == []


@pytest.mark.parametrize("before", [4, 10])
def test_no_reminder_away_from_the_reminder_days(siming_project, before):
    reporting(siming_project)
    with pytest.raises(Skipped, match="不是提醒日"):
        run(jobs.remind_returns, DEADLINE - dt.timedelta(days=before))


def test_no_reminder_after_the_deadline(siming_project):
    reporting(siming_project)
    with pytest.raises(Skipped):
        run(jobs.remind_returns, DEADLINE + dt.timedelta(days=1))


# ---------------------------------------------------------------- chase_returns


def test_the_day_after_the_deadline_the_district_and_the_unit_are_chased(
    siming_project, siming_officer, unit_officer, owner_user, haicang_officer
):
    reporting(siming_project)
    counts = run(jobs.chase_returns, DEADLINE + dt.timedelta(days=1))
    assert counts["missing"] == 1 and counts["organisations"] == 2
    for user in (siming_officer, unit_officer):
        [message] = told(user, "returns-chase")
        assert message.title.startswith("催报") and siming_project.code in message.body
        assert message.url.startswith("/returns/timeliness/?period=2019-08")
    assert told(haicang_officer) == [] and told(owner_user) == []


def test_chasing_twice_in_a_month_sends_nothing_twice(siming_project, siming_officer):
    reporting(siming_project)
    run(jobs.chase_returns, DEADLINE + dt.timedelta(days=1))
    assert run(jobs.chase_returns, DEADLINE + dt.timedelta(days=1))["messages"] == 0
    assert run(jobs.chase_returns, DEADLINE + dt.timedelta(days=9))["messages"] == 0
    assert len(told(siming_officer, "returns-chase")) == 1


def test_an_soe_owner_is_chased_too(siming, unit_org):
    soe = org(OrgKind.SOE, "厦门轨道建设发展集团有限公司")
    soe_user = make_user("soe", Role.OWNER, soe)
    reporting(make_project(owner=soe, district=siming, responsible_unit=unit_org))
    run(jobs.chase_returns, DEADLINE + dt.timedelta(days=1))
    [message] = told(soe_user, "returns-chase")
    assert "by=owner" in message.url


def test_an_soe_that_is_owner_of_one_project_and_responsible_unit_of_another_is_chased_for_both(siming, unit_org):
    soe = org(OrgKind.SOE, "厦门轨道建设发展集团有限公司")
    soe_user = make_user("soe", Role.OWNER, soe)
    owned = reporting(make_project(owner=soe, district=siming, responsible_unit=unit_org))
    overseen = reporting(make_project(district=siming, responsible_unit=soe))
    run(jobs.chase_returns, DEADLINE + dt.timedelta(days=1))
    messages = {m.url.rsplit("by=", 1)[1]: m.body for m in told(soe_user, "returns-chase")}
    assert set(messages) == {"owner", "responsible_unit"}
    assert owned.code in messages["owner"] and overseen.code not in messages["owner"]
    assert overseen.code in messages["responsible_unit"] and owned.code not in messages["responsible_unit"]
    assert run(jobs.chase_returns, DEADLINE + dt.timedelta(days=2))["messages"] == 0


def test_nobody_is_chased_before_the_deadline_has_passed(siming_project):
    reporting(siming_project)
    with pytest.raises(Skipped, match="未过"):
        run(jobs.chase_returns, DEADLINE)


# ---------------------------------------------------------------- ready_to_close


def test_after_the_deadline_the_office_hears_once_that_the_month_may_be_closed(siming_project, admin_user, staff_user):
    reporting(siming_project, months=8)
    counts = run(jobs.ready_to_close, DEADLINE + dt.timedelta(days=1))
    assert counts == {"missing": 0, "messages": 2}
    [message] = told(admin_user, "month-ready")
    assert message.title == "2019年8月可以关账" and message.url == "/supervision/2019-08/"
    assert run(jobs.ready_to_close, DEADLINE + dt.timedelta(days=2))["messages"] == 0


def test_the_month_is_not_announced_before_its_deadline(siming_project, admin_user):
    reporting(siming_project, months=8)
    with pytest.raises(Skipped, match="截止日过后才能关账"):
        run(jobs.ready_to_close, DEADLINE)
    assert told(admin_user) == []


# ---------------------------------------------------------------- escalate


def listing(project, due: dt.date) -> Listing:
    return Listing.objects.create(project=project, matter="征地拆迁未完成", due=due, status=ListingStatus.LISTED)


def test_a_listing_past_its_deadline_is_announced_to_its_unit_and_the_office_once(
    siming_project, unit_officer, admin_user, siming_officer
):
    day = dt.date(2019, 9, 3)
    overdue = listing(siming_project, day - dt.timedelta(days=1))
    counts = run(jobs.escalate, day)
    assert counts["listings_overdue"] == 1 and counts["messages"] == 2
    for user in (unit_officer, admin_user):
        [message] = told(user, "listing")
        assert "已逾期" in message.title and message.url == overdue.get_absolute_url()
    assert told(siming_officer) == []
    assert run(jobs.escalate, day)["messages"] == 0
    assert run(jobs.escalate, day + dt.timedelta(days=1))["messages"] == 0


def test_a_listing_due_within_three_days_is_announced_as_due_soon_then_as_overdue(siming_project, unit_officer):
    day = dt.date(2019, 9, 3)
    listing(siming_project, day + dt.timedelta(days=3))
    listing(siming_project, day + dt.timedelta(days=4))
    assert run(jobs.escalate, day)["listings_due_soon"] == 1  # the second is four days off
    assert [m.title for m in told(unit_officer)] == ["挂牌督办即将到期：征地拆迁未完成"]
    assert run(jobs.escalate, day + dt.timedelta(days=1))["listings_due_soon"] == 2
    assert run(jobs.escalate, day + dt.timedelta(days=5))["listings_overdue"] == 2
    run(jobs.escalate, day + dt.timedelta(days=6))
    titles = [m.title for m in told(unit_officer)]
    assert titles.count("挂牌督办即将到期：征地拆迁未完成") == 2
    assert titles.count("挂牌督办已逾期：征地拆迁未完成") == 2


def test_escalate_raises_overdue_problems_as_the_console(siming_project, owner_user):
    from keyproj.problems.models import ProblemCategory
    from keyproj.problems.services import ProblemData, raise_problem

    data = ProblemData(
        project=siming_project, category=ProblemCategory.objects.get(code="utilities"), title="管线迁改受阻"
    )
    problem = raise_problem(data, user=owner_user, today=dt.date(2019, 6, 1))
    counts = run(jobs.escalate, dt.date(2019, 9, 3))
    assert counts["escalated"] == 1
    assert Problem.objects.get(pk=problem.pk).level == problem.level + 1
    assert run(jobs.escalate, dt.date(2019, 9, 3))["escalated"] == 0


def test_no_message_is_sent_without_a_key(siming_project, owner_user):
    """Every message a job writes names its event: that is what keeps a second run silent."""
    reporting(siming_project)
    run(jobs.remind_returns, DEADLINE - dt.timedelta(days=3))
    run(jobs.chase_returns, DEADLINE + dt.timedelta(days=1))
    assert not Notification.objects.filter(key="").exists()

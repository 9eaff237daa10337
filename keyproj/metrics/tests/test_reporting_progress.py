"""How far a month's reporting has come: the count the home page shows beside a provisional month."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from keyproj.core.period import Period
from keyproj.core.scoping import CONSOLE
from keyproj.metrics.dashboard import reporting_progress
from keyproj.metrics.figures import parse_scope
from keyproj.plans.models import AnnualPlan, PlanStatus
from keyproj.plans.services import PlanData, save_plan
from keyproj.returns.models import ProgressReturn
from keyproj.returns.services import ReturnData, save_returns
from keyproj.testing import AFTER_2019, make_plan, make_project, make_returns

AUGUST = Period(2019, 8)


def _august(project, *, approve):
    save_returns(
        [ReturnData(project=project, year=2019, month=8, investment=Decimal("10"), started=True)],
        user=CONSOLE,
        approve=approve,
        submit=not approve,
        today=AFTER_2019,
    )


def test_it_counts_approved_returns_among_the_projects_with_an_approved_plan(admin_user, siming):
    projects = [make_project(district=siming) for _ in range(4)]
    for project in projects:
        make_plan(project)
        make_returns(project, ["100"] * 7)
    _august(projects[0], approve=True)
    _august(projects[1], approve=False)  # submitted, not yet approved: not in

    progress = reporting_progress(admin_user, AUGUST)

    assert (progress.approved, progress.expected) == (1, 4)


def test_a_project_without_an_approved_plan_owes_no_return_and_its_return_is_not_counted(admin_user, siming):
    planned, unplanned = make_project(district=siming), make_project(district=siming)
    make_plan(planned)
    make_plan(unplanned)
    AnnualPlan.objects.filter(project=unplanned).update(status=PlanStatus.DRAFT)
    _august(planned, approve=True)
    _august(unplanned, approve=True)

    progress = reporting_progress(admin_user, AUGUST)

    assert (progress.approved, progress.expected) == (1, 1)


def test_a_district_officer_counts_only_their_districts_projects(siming_officer, siming, haicang):
    ours, theirs = make_project(district=siming), make_project(district=haicang)
    for project in (ours, theirs):
        make_plan(project)
        _august(project, approve=True)

    progress = reporting_progress(siming_officer, AUGUST)

    assert (progress.approved, progress.expected) == (1, 1)


def test_the_count_is_one_query_however_many_projects(admin_user, siming):
    for _ in range(5):
        project = make_project(district=siming)
        make_plan(project)
        _august(project, approve=True)

    with CaptureQueriesContext(connection) as queries:
        progress = reporting_progress(admin_user, AUGUST)

    assert (progress.approved, progress.expected) == (5, 5)
    assert len(queries) == 2  # the user's memberships (scope), then the count


def test_a_stored_scope_counts_what_the_plans_count(admin_user, siming_officer, siming, haicang):
    planned = [make_project(district=district) for district in (siming, siming, haicang)]
    for project in planned:
        make_plan(project)
        make_returns(project, ["100"] * 7)
    _august(planned[0], approve=True)
    _august(planned[2], approve=True)
    _august(planned[1], approve=False)
    # A plan not yet approved owes no return, and none was entered for it.
    draft = make_project(district=siming)
    save_plan(
        PlanData(project=draft, year=2019, investment=Decimal("1200"), monthly=[Decimal("100")] * 12),
        user=CONSOLE,
        approve=False,
    )

    for user, expected in ((admin_user, (2, 3)), (siming_officer, (1, 2))):
        scope = parse_scope(None, user)
        assert scope.aggregate is not None
        stored = reporting_progress(user, AUGUST, scope)
        assert (stored.approved, stored.expected) == expected
        assert stored == reporting_progress(user, AUGUST)


def test_a_stored_scope_counts_in_two_queries_however_many_projects(admin_user, siming):
    scope = parse_scope(None, admin_user)
    counted = []
    for size in (2, 6):
        while ProgressReturn.objects.filter(year=2019, month=8).count() < size:
            project = make_project(district=siming)
            make_plan(project)
            _august(project, approve=True)

        with CaptureQueriesContext(connection) as queries:
            progress = reporting_progress(admin_user, AUGUST, scope)

        assert (progress.approved, progress.expected) == (size, size)
        counted.append(len(queries))
    assert counted == [2, 2]  # the month's total row, the month's returns

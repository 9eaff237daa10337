"""The dashboard's queries: the year's curve, the slowest projects, the milestones ahead."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keyproj.core.period import Period
from keyproj.core.scoping import CONSOLE
from keyproj.metrics.dashboard import furthest_behind, latest_reported, picker_periods, trend, upcoming
from keyproj.returns.services import ReturnData, save_returns
from keyproj.testing import AFTER_2019, make_plan, make_project, make_returns

JULY = Period(2019, 7)


def _report(project, month, *, started=False, completed=False, year=2019, investment="0"):
    save_returns(
        [
            ReturnData(
                project=project,
                year=year,
                month=month,
                investment=Decimal(investment),
                started=started,
                completed=completed,
            )
        ],
        user=CONSOLE,
        approve=True,
        today=AFTER_2019,
    )


@pytest.fixture
def two_districts(siming, haicang):
    """A Siming project ahead of plan and a Haicang project behind it, reported to July 2019."""
    ahead = make_project(district=siming, name="思明示范道路")
    behind = make_project(district=haicang, name="海沧示范学校")
    make_plan(ahead, ["100"] * 12)
    make_plan(behind, ["200"] * 12)
    make_returns(ahead, ["150"] * 7)
    make_returns(behind, ["50"] * 7)
    return ahead, behind


def test_the_curve_has_the_plan_for_every_month_and_the_actual_up_to_the_chosen_one(admin_user, two_districts):
    points = trend(admin_user, JULY)

    assert [p.month for p in points] == list(range(1, 13))
    assert points[0].plan_to_date == Decimal("300.00")
    assert points[11].plan_to_date == Decimal("3600.00")
    assert points[6].actual_to_date == Decimal("1400.00")  # 7 × 150 + 7 × 50
    assert all(p.actual_to_date is None for p in points[7:])


def test_the_curve_is_one_query(admin_user, two_districts):
    trend(admin_user, JULY)  # the user's scope is read once, then kept on the user

    with CaptureQueriesContext(connection) as queries:
        trend(admin_user, JULY)

    assert len(queries) == 1


def test_the_curve_covers_only_what_the_user_may_see(siming_officer, two_districts):
    points = trend(siming_officer, JULY)

    assert points[11].plan_to_date == Decimal("1200.00")
    assert points[6].actual_to_date == Decimal("1050.00")


def test_a_year_without_plans_gives_a_flat_curve(admin_user, two_districts):
    points = trend(admin_user, Period(2021, 3))

    assert all(p.plan_to_date == 0 for p in points)
    assert [p.actual_to_date for p in points[:3]] == [0, 0, 0]


def test_the_slowest_projects_come_first_and_projects_with_nothing_planned_are_left_out(admin_user, siming):
    slow = make_project(district=siming, name="慢项目")
    quick = make_project(district=siming, name="快项目")
    later = make_project(district=siming, name="下半年才有计划")
    make_plan(slow, ["100"] * 12)
    make_plan(quick, ["100"] * 12)
    make_plan(later, ["0"] * 7 + ["100"] * 5)
    make_returns(slow, ["10"] * 7)
    make_returns(quick, ["200"] * 7)

    rows = furthest_behind(admin_user, JULY)

    assert [row.project.name for row in rows] == ["慢项目", "快项目"]
    assert rows[0].project.district.name == "思明区"


def test_among_equally_slow_projects_the_larger_shortfall_comes_first(admin_user, siming):
    small = make_project(district=siming, name="小缺口")
    large = make_project(district=siming, name="大缺口")
    make_plan(small, ["10"] * 12)
    make_plan(large, ["1000"] * 12)

    assert [row.project.name for row in furthest_behind(admin_user, JULY)] == ["大缺口", "小缺口"]


def test_the_slowest_list_is_cut_at_its_limit_in_one_query(admin_user, siming):
    for n in range(4):
        project = make_project(district=siming)
        make_plan(project, ["100"] * 12)
        make_returns(project, [str(10 * n)] * 7)
    furthest_behind(admin_user, JULY)

    with CaptureQueriesContext(connection) as queries:
        rows = furthest_behind(admin_user, JULY, limit=3)
        names = [(row.project.name, row.project.district.name) for row in rows]

    assert len(names) == 3
    assert len(queries) == 1


def test_a_district_officer_sees_only_their_own_slow_projects(siming_officer, two_districts):
    rows = furthest_behind(siming_officer, JULY)

    assert [row.project.name for row in rows] == ["思明示范道路"]


def test_planned_starts_and_completions_of_the_next_three_months_are_listed(admin_user, siming):
    august = make_project(district=siming, name="八月开工")
    october = make_project(district=siming, name="十月竣工")
    november = make_project(district=siming, name="十一月开工")
    july = make_project(district=siming, name="七月开工")
    make_plan(august, start_month=8)
    make_plan(october, completion_month=10)
    make_plan(november, start_month=11)
    make_plan(july, start_month=7)

    found = upcoming(admin_user, JULY)

    assert found.months == [Period(2019, 8), Period(2019, 9), Period(2019, 10)]
    assert [(m.period, m.project.name) for m in found.starts] == [(Period(2019, 8), "八月开工")]
    assert [(m.period, m.project.name) for m in found.completions] == [(Period(2019, 10), "十月竣工")]
    assert (found.start_count, found.completion_count) == (1, 1)


def test_a_milestone_already_reported_is_not_upcoming(admin_user, siming):
    early = make_project(district=siming, name="提前开工")
    done = make_project(district=siming, name="提前竣工")
    make_plan(early, start_month=8)
    make_plan(done, completion_month=9)
    _report(early, 6, started=True)
    _report(done, 7, started=True, completed=True)

    found = upcoming(admin_user, JULY)

    assert found.starts == [] and found.completions == []


def test_a_report_after_the_chosen_month_does_not_hide_the_milestone(admin_user, siming):
    project = make_project(district=siming, name="八月开工")
    make_plan(project, start_month=8)
    _report(project, 8, started=True)

    assert [m.project.name for m in upcoming(admin_user, JULY).starts] == ["八月开工"]
    assert upcoming(admin_user, Period(2019, 8)).starts == []


def test_the_months_ahead_run_into_the_next_year(admin_user, siming):
    this_year = make_project(district=siming, name="十二月竣工")
    next_year = make_project(district=siming, name="明年二月开工")
    too_late = make_project(district=siming, name="明年三月开工")
    make_plan(this_year, completion_month=12)
    make_plan(next_year, year=2020, start_month=2)
    make_plan(too_late, year=2020, start_month=3)

    found = upcoming(admin_user, Period(2019, 11))

    assert found.months == [Period(2019, 12), Period(2020, 1), Period(2020, 2)]
    assert [m.project.name for m in found.completions] == ["十二月竣工"]
    assert [(m.period, m.project.name) for m in found.starts] == [(Period(2020, 2), "明年二月开工")]


def test_upcoming_lists_are_cut_at_their_limit_but_counted_whole(admin_user, siming):
    for _ in range(4):
        make_plan(make_project(district=siming), start_month=9)

    found = upcoming(admin_user, JULY, limit=2)

    assert len(found.starts) == 2
    assert found.start_count == 4


def test_a_district_officer_sees_only_their_own_milestones(siming_officer, siming, haicang):
    make_plan(make_project(district=siming, name="思明开工"), start_month=8)
    make_plan(make_project(district=haicang, name="海沧开工"), start_month=8)

    found = upcoming(siming_officer, JULY)

    assert [m.project.name for m in found.starts] == ["思明开工"]
    assert found.start_count == 1


def test_the_latest_month_is_the_newest_with_an_approved_return_the_user_can_see(siming_officer, siming, haicang):
    mine = make_project(district=siming)
    theirs = make_project(district=haicang)
    make_plan(mine)
    make_plan(theirs)
    make_returns(mine, ["1"] * 3)
    make_returns(theirs, ["1"] * 5)

    latest = latest_reported(siming_officer)

    assert latest == Period(2019, 3)
    assert picker_periods(siming_officer, latest) == [Period(2019, 3), Period(2019, 2), Period(2019, 1)]


def _plans(sql: str) -> str:
    """PostgreSQL's plan for `sql` with sorts and sequential scans priced out: an index that fits is then used."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def _index_and_partitions(name: str) -> list[str]:
    """An index and, on a partitioned table, the names PostgreSQL gave its copy on each partition."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = %s::regclass", [name])
        return [name, *(row[0] for row in cursor.fetchall())]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the query plans are PostgreSQL's")
def test_the_slowest_are_read_in_the_order_of_their_own_index(admin_user, two_districts):
    # A tie at one rate is ordered by shortfall: if the query's ORDER BY stops matching the
    # index, PostgreSQL sorts every tied row again (a Sort node) instead of reading ten.
    with CaptureQueriesContext(connection) as queries:
        furthest_behind(admin_user, JULY)

    plan = _plans(next(q["sql"] for q in queries if "metrics_projectmonth" in q["sql"]))

    assert any(name in plan for name in _index_and_partitions("rollup_furthest_behind"))
    assert "Sort" not in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the query plans are PostgreSQL's")
def test_the_milestones_ahead_are_found_by_the_plans_month_indexes(admin_user, siming):
    make_plan(make_project(district=siming), start_month=8, completion_month=9)
    with CaptureQueriesContext(connection) as queries:
        upcoming(admin_user, JULY)

    counts = _plans(next(q["sql"] for q in queries if "COUNT" in q["sql"] and "plans_annualplan" in q["sql"]))

    assert "plan_year_start_month" in counts or "plan_year_completion_month" in counts

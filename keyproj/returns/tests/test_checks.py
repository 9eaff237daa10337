"""Checks that flag a return for its reviewer: each flag, its boundary, and the cost of a batch."""

from __future__ import annotations

from decimal import Decimal

import pytest

from keyproj.core.scoping import CONSOLE
from keyproj.projects.models import Project
from keyproj.returns.checks import Flag, codes, flags, flags_for
from keyproj.returns.models import ProgressReturn, ReturnStatus
from keyproj.returns.services import ReturnData, save_returns
from keyproj.testing import AFTER_2019, make_plan, make_project, make_returns

D = Decimal


@pytest.fixture
def project(db) -> Project:
    """A big project: large months stay well under its total unless a test says otherwise."""
    return make_project(total_investment=D("1000000.00"))


def report(
    project: Project,
    month: int,
    investment: str = "0",
    *,
    year: int = 2019,
    status: str = ReturnStatus.SUBMITTED,
    started: bool = True,
    **extra: object,
) -> ProgressReturn:
    """One return through the service, in the given state."""
    data = ReturnData(project=project, year=year, month=month, investment=D(investment), started=started, **extra)
    save_returns(
        [data],
        user=CONSOLE,
        submit=status == ReturnStatus.SUBMITTED,
        approve=status == ReturnStatus.APPROVED,
        today=AFTER_2019,
    )
    return ProgressReturn.objects.get(project=project, year=year, month=month)


def only(ret: ProgressReturn, code: str) -> Flag:
    """The one flag with this code on a return (failing when there is none or more)."""
    found = [f for f in flags(ret) if f.code == code]
    assert len(found) == 1, flags(ret)
    return found[0]


# spike


def test_a_month_far_above_the_years_average_is_flagged_with_both_figures_and_the_multiple(project):
    make_returns(project, ["8000"] * 6)

    flag = only(report(project, 7, "52000"), "spike")

    assert flag.message == "本月完成投资52,000.00万元，是该项目此前月均（8,000.00万元）的6.5倍"


def test_exactly_three_times_the_average_is_not_a_spike_but_a_cent_more_is(project):
    make_returns(project, ["200", "200"])

    assert "spike" not in codes(flags(report(project, 3, "600")))
    # 3.00005×: the message says so without rounding it down to the threshold.
    assert "的3.01倍" in only(report(project, 3, "600.01"), "spike").message


def test_the_average_counts_every_earlier_reported_month_of_the_year_zeros_included(project):
    make_returns(project, ["0", "0", "300", "300"])

    flag = only(report(project, 5, "500"), "spike")

    assert "此前月均（150.00万元）的3.3倍" in flag.message


def test_a_spike_needs_two_earlier_months_with_investment(project):
    make_returns(project, ["0", "0", "0", "200"])

    assert "spike" not in codes(flags(report(project, 5, "5000")))


def test_a_small_project_is_not_flagged_for_a_jump_below_the_floor(project):
    make_returns(project, ["10", "10"])

    assert "spike" not in codes(flags(report(project, 3, "100")))
    assert "spike" in codes(flags(report(project, 3, "100.01")))


def test_the_average_is_of_the_same_year_only(project):
    make_returns(project, ["100"] * 12, year=2018)
    make_returns(project, ["1000", "1000"])

    assert "spike" not in codes(flags(report(project, 3, "2000")))


def test_another_months_draft_does_not_count_in_the_average(project):
    make_returns(project, ["100", "100"])
    report(project, 3, "9000", status=ReturnStatus.DRAFT)

    assert "spike" in codes(flags(report(project, 4, "400")))


# over_total


def test_cumulative_investment_of_all_years_above_the_total_is_flagged_with_the_excess(db):
    project = make_project(total_investment=D("10000.00"))
    make_returns(project, ["500"] * 12, year=2018)  # 6,000
    make_returns(project, ["1500", "1500"])  # 3,000

    flag = only(report(project, 3, "1000.01"), "over_total")

    assert flag.message == "截至本月累计完成投资10,000.01万元，超过项目总投资10,000.00万元（超出0.01万元）"


def test_cumulative_investment_exactly_equal_to_the_total_is_not_flagged(db):
    project = make_project(total_investment=D("10000.00"))
    make_returns(project, ["500"] * 12, year=2018)
    make_returns(project, ["1500", "1500"])

    assert "over_total" not in codes(flags(report(project, 3, "1000")))


def test_only_approved_earlier_returns_count_towards_the_cumulative_figure(db):
    project = make_project(total_investment=D("1000.00"))
    report(project, 1, "800", status=ReturnStatus.SUBMITTED)
    report(project, 2, "800", status=ReturnStatus.DRAFT)

    assert "over_total" not in codes(flags(report(project, 3, "900")))


def test_later_months_do_not_count_towards_an_earlier_returns_cumulative_figure(db):
    project = make_project(total_investment=D("1000.00"))
    make_returns(project, ["0", "0", "0", "0", "0", "0", "2000"])

    assert "over_total" not in codes(flags(ProgressReturn.objects.get(project=project, month=6)))
    assert "over_total" in codes(flags(ProgressReturn.objects.get(project=project, month=7)))


# stale_progress


def test_progress_text_unchanged_for_three_months_is_flagged(project):
    report(project, 5, "100", physical_progress="主体结构施工至5层")
    report(project, 6, "100", physical_progress="  主体结构施工至5层\n")

    flag = only(report(project, 7, "100", physical_progress="主体结构施工至5层 "), "stale_progress")

    assert flag.message == "形象进度自2019年5月起连续3个月未变化：“主体结构施工至5层”"


def test_progress_text_unchanged_for_two_months_is_not_flagged(project):
    report(project, 5, "100", physical_progress="桩基施工")
    report(project, 6, "100", physical_progress="主体结构施工至5层")

    assert "stale_progress" not in codes(flags(report(project, 7, "100", physical_progress="主体结构施工至5层")))


def test_unchanged_progress_is_followed_across_the_new_year(project):
    report(project, 11, "100", year=2018, physical_progress="装修施工")
    report(project, 12, "100", year=2018, physical_progress="装修施工")

    flag = only(report(project, 1, "100", physical_progress="装修施工"), "stale_progress")

    assert "自2018年11月起" in flag.message


def test_a_missing_month_in_between_breaks_the_run(project):
    report(project, 4, "100", physical_progress="装修施工")
    report(project, 6, "100", physical_progress="装修施工")

    assert "stale_progress" not in codes(flags(report(project, 7, "100", physical_progress="装修施工")))


def test_blank_progress_is_not_reported_as_unchanged(project):
    make_returns(project, ["100"] * 6)

    assert "stale_progress" not in codes(flags(report(project, 7, "100")))


# not_started


def test_investment_reported_before_any_return_says_started_is_flagged(project):
    report(project, 6, "0", started=False)

    flag = only(report(project, 7, "1234.5", started=False), "not_started")

    assert flag.message == "项目尚未填报开工，却填报本月完成投资1,234.50万元"


def test_an_earlier_return_that_said_started_clears_the_flag(project):
    report(project, 3, "100", started=True)

    assert "not_started" not in codes(flags(report(project, 7, "100", started=False)))


def test_no_investment_before_the_start_is_not_flagged(project):
    assert "not_started" not in codes(flags(report(project, 7, "0", started=False)))


def test_a_draft_of_another_month_saying_started_does_not_count(project):
    report(project, 6, "0", started=True, status=ReturnStatus.DRAFT)

    assert "not_started" in codes(flags(report(project, 7, "100", started=False)))


# completed_before_start


def test_completion_with_no_return_ever_saying_started_is_flagged(project):
    # The service refuses this combination; older imports and direct edits may still hold it.
    ret = ProgressReturn.objects.create(
        project=project, year=2019, month=7, investment=D("0"), completed=True, status=ReturnStatus.SUBMITTED
    )

    assert only(ret, "completed_before_start").message == "2019年7月填报已竣工，但此前及本月均未填报开工"


def test_completion_after_an_earlier_start_is_not_flagged(project):
    report(project, 3, "100", started=True)
    ret = ProgressReturn.objects.create(
        project=project, year=2019, month=7, investment=D("0"), completed=True, status=ReturnStatus.SUBMITTED
    )

    assert "completed_before_start" not in codes(flags(ret))


def test_completion_reported_with_the_start_in_the_same_month_is_not_flagged(project):
    ret = report(project, 7, "100", started=True, completed=True)

    assert flags(ret) == []


# the batch


def test_an_ordinary_return_has_no_flags(project):
    make_plan(project)
    make_returns(project, ["100"] * 6)

    assert flags(report(project, 7, "150", physical_progress="主体封顶")) == []


def test_a_batch_of_thirty_returns_costs_three_queries_and_keys_every_return_by_id(db, django_assert_max_num_queries):
    projects = [make_project(total_investment=D("5000.00")) for _ in range(30)]
    save_returns(
        [
            ReturnData(project=p, year=2019, month=m, investment=D("400"), started=True, physical_progress="施工中")
            for p in projects
            for m in range(1, 7)
        ],
        user=CONSOLE,
        approve=True,
        today=AFTER_2019,
    )
    # Every tenth project doubles its month, the rest jump to a spike.
    save_returns(
        [
            ReturnData(
                project=p,
                year=2019,
                month=7,
                investment=D("800") if n % 10 == 0 else D("4000"),
                started=True,
                physical_progress="施工中",
            )
            for n, p in enumerate(projects)
        ],
        user=CONSOLE,
        submit=True,
        today=AFTER_2019,
    )
    batch = list(ProgressReturn.objects.filter(month=7))

    # The thresholds in force, then the two queries of the checks themselves, and one for the flags
    # the photos app adds (a source registered with register_flag_source).
    with django_assert_max_num_queries(4):
        found = flags_for(batch)

    assert set(found) == {r.pk for r in batch}
    by_project = {r.project_id: codes(found[r.pk]) for r in batch}
    for n, p in enumerate(projects):
        if n % 10 == 0:
            assert by_project[p.pk] == ["stale_progress"]
        else:
            assert by_project[p.pk] == ["spike", "over_total", "stale_progress"]


def test_a_batch_of_several_months_of_one_project_compares_each_with_the_months_before_it(project):
    make_returns(project, ["100", "100", "1000", "100"])
    rets = list(ProgressReturn.objects.filter(project=project).order_by("month"))

    found = flags_for(rets)

    assert [codes(found[r.pk]) for r in rets] == [[], [], ["spike"], []]


def test_an_empty_batch_needs_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert flags_for([]) == {}


def test_a_completed_projects_unchanged_progress_is_not_flagged(db):
    project = make_project()
    items = [
        ReturnData(project=project, year=2019, month=m, investment=Decimal("1"), started=True, completed=True,
                   physical_progress="已建成投用，正在办理竣工结算")
        for m in (1, 2, 3)
    ]  # fmt: skip
    save_returns(items, user=CONSOLE, approve=True, today=AFTER_2019)

    assert "stale_progress" not in codes(flags(ProgressReturn.objects.get(month=3)))

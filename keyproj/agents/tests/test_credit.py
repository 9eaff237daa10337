"""Credit: the annual evaluation, blacklisting, attendance rates and final accounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from keyproj.agents.credit import (
    AttendanceData,
    CreditData,
    FinalAccountsData,
    accounts_figures,
    attendance_rates,
    evaluate_credit,
    record_credit,
    save_attendance,
    save_final_accounts,
)
from keyproj.agents.models import AgentRule, Attendance, CreditScore, Interview
from keyproj.agents.services import draw_pool, save_key_staff
from keyproj.agents.tests.helpers import admit, agent_project
from keyproj.core.errors import Refused
from keyproj.core.scoping import CONSOLE

pytestmark = pytest.mark.django_db


def bad(firm, points="10", blacklist=False, until=dt.date(2019, 12, 31)):
    return record_credit(
        CreditData(
            firm=firm,
            kind="bad",
            grade="grave" if blacklist else "minor",
            points=Decimal(points),
            valid_from=dt.date(2019, 3, 1),
            valid_until=until,
            description="违规",
            blacklist=blacklist,
        ),
        user=CONSOLE,
    )


def test_the_evaluation_weighs_ranks_and_calls_in_the_bottom_firms():
    firms = [admit(f"公司{n}") for n in range(5)]
    bad(firms[0], "30")  # behaviour 80 − 30 = 50
    bad(firms[1], "10")  # 70
    evaluation = evaluate_credit(2019, user=CONSOLE)
    scores = list(CreditScore.objects.filter(evaluation=evaluation).order_by("rank", "firm__name"))
    assert [s.rank for s in scores] == [1, 1, 1, 4, 5]
    worst = scores[-1]
    assert worst.firm == firms[0]
    assert worst.behaviour_score == Decimal("50.00")
    # 50 % inspection (neutral 80) + 25 % behaviour 50 + 15 % and 10 % neutral 80 = 72.50
    assert worst.total == Decimal("72.50")
    flagged = {s.firm_id for s in scores if s.flagged}
    assert len(flagged) == 3 and firms[0].pk in flagged and firms[1].pk in flagged
    assert Interview.objects.filter(evaluation=evaluation).count() == 3


def test_evaluating_again_replaces_the_scores_and_interviews():
    admit("甲公司")
    evaluate_credit(2019, user=CONSOLE)
    evaluate_credit(2019, user=CONSOLE)
    assert CreditScore.objects.count() == 1 and Interview.objects.count() == 1


def test_a_blacklisted_firm_drops_out_of_the_draw_pool():
    firm = admit("甲公司")
    project = agent_project(firm)
    assert draw_pool(dt.date(2019, 4, 1)) == [project.code]
    bad(firm, blacklist=True, until=dt.date(2019, 12, 31))
    assert draw_pool(dt.date(2019, 4, 1)) == []
    assert draw_pool(dt.date(2020, 1, 1)) == [project.code]


def test_only_bad_records_blacklist():
    firm = admit("甲公司")
    data = CreditData(
        firm=firm,
        kind="good",
        grade="minor",
        points=Decimal("-1"),
        valid_from=dt.date(2019, 3, 1),
        valid_until=dt.date(2019, 1, 1),
        description="",
        blacklist=True,
    )
    with pytest.raises(Refused) as caught:
        record_credit(data, user=CONSOLE)
    assert len(caught.value.problems) == 5


def test_monthly_attendance_rate_per_firm_and_project():
    firm = admit("甲公司")
    project = agent_project(firm)
    lead = save_key_staff(firm, name="张工", post="项目负责人", user=CONSOLE)
    tech = save_key_staff(firm, name="李工", post="技术负责人", user=CONSOLE)
    save_attendance(
        [
            AttendanceData(lead, project, 2019, 5, 22, 20),
            AttendanceData(tech, project, 2019, 5, 22, 11),
        ],
        user=CONSOLE,
    )
    (row,) = attendance_rates(Attendance.objects.all())
    assert (row["required"], row["present"], row["people"]) == (44, 31, 2)
    assert row["rate"] == Decimal("70.45")


def test_attendance_of_another_firms_project_is_refused():
    firm, other = admit("甲公司"), admit("乙公司")
    project = agent_project(other)
    lead = save_key_staff(firm, name="张工", post="项目负责人", user=CONSOLE)
    with pytest.raises(Refused, match="不由"):
        save_attendance([AttendanceData(lead, project, 2019, 5, 22, 23)], user=CONSOLE)
    assert not Attendance.objects.exists()


def test_final_accounts_overdue_flags_and_the_capped_savings_reward():
    firm = admit("甲公司")
    project = agent_project(firm)
    accounts = save_final_accounts(
        FinalAccountsData(
            project=project,
            completed_on=dt.date(2019, 3, 1),
            budget_estimate=Decimal("20000"),
            final_amount=Decimal("19000"),
            submission_due=dt.date(2019, 6, 1),
            submitted_on=dt.date(2019, 6, 5),
            approval_due=dt.date(2019, 9, 1),
            approved_on=dt.date(2019, 8, 1),
        ),
        user=CONSOLE,
    )
    figures = accounts_figures(accounts, AgentRule.current(), dt.date(2019, 12, 31))
    assert figures.submission_overdue and not figures.approval_overdue
    assert figures.savings == Decimal("1000.00")
    assert figures.reward == Decimal("50.00")  # 10 % of 1000 = 100, capped at 50


def test_final_accounts_with_dates_out_of_order_are_refused():
    firm = admit("甲公司")
    with pytest.raises(Refused) as caught:
        save_final_accounts(
            FinalAccountsData(
                project=agent_project(firm),
                completed_on=dt.date(2019, 3, 1),
                budget_estimate=Decimal("-1"),
                submission_due=dt.date(2019, 2, 1),
                approval_due=dt.date(2019, 1, 1),
                approved_on=dt.date(2019, 8, 1),
            ),
            user=CONSOLE,
        )
    assert len(caught.value.problems) == 5

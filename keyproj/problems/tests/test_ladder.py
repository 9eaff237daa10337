"""The escalation ladder: limits at their boundaries, idempotence, hand escalation and its refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from keyproj.accounts.models import Notification, Role
from keyproj.core.errors import Refused
from keyproj.core.models import AuditEntry
from keyproj.core.rules import publish_rule
from keyproj.core.scoping import CONSOLE
from keyproj.orgs.models import OrgKind
from keyproj.problems.models import Escalation, Problem, ProblemRule
from keyproj.problems.services import escalate, escalate_overdue
from keyproj.problems.tests.helpers import DAY, make_problem
from keyproj.testing import make_user, org

pytestmark = pytest.mark.django_db


def _limit(level: int) -> int:
    return ProblemRule.in_force(DAY).limits()[level]


def test_a_problem_at_exactly_its_limit_is_not_escalated(siming_project):
    problem = make_problem(siming_project)
    assert escalate_overdue(today=DAY + dt.timedelta(days=_limit(1)), user=CONSOLE) == []
    problem.refresh_from_db()
    assert problem.level == 1


def test_a_problem_one_day_past_its_limit_is_raised_to_the_next_level_with_the_reason(siming_project):
    problem = make_problem(siming_project)
    today = DAY + dt.timedelta(days=_limit(1) + 1)
    [step] = escalate_overdue(today=today, user=CONSOLE)
    problem.refresh_from_db()
    assert (problem.level, problem.level_since) == (2, today)
    assert (step.from_level, step.to_level, step.automatic, step.time_limit_days) == (1, 2, True, _limit(1))
    assert "超过时限10天" in step.reason and "2019年3月1日" in step.reason
    assert AuditEntry.objects.filter(action="problem.escalate.auto", object_id=str(problem.pk)).count() == 1


def test_escalate_overdue_is_idempotent_on_the_same_day(siming_project):
    make_problem(siming_project)
    today = DAY + dt.timedelta(days=30)
    assert len(escalate_overdue(today=today, user=CONSOLE)) == 1
    assert escalate_overdue(today=today, user=CONSOLE) == []
    assert Escalation.objects.count() == 1


def test_the_new_level_gets_its_own_full_limit(siming_project):
    problem = make_problem(siming_project)
    first = DAY + dt.timedelta(days=_limit(1) + 1)
    escalate_overdue(today=first, user=CONSOLE)
    assert escalate_overdue(today=first + dt.timedelta(days=_limit(2)), user=CONSOLE) == []
    escalate_overdue(today=first + dt.timedelta(days=_limit(2) + 1), user=CONSOLE)
    problem.refresh_from_db()
    assert problem.level == 3


def test_the_limits_are_rule_data(siming_project):
    publish_rule(ProblemRule, {"level1_days": 3}, user=CONSOLE, effective_from=DAY)
    make_problem(siming_project)
    assert len(escalate_overdue(today=DAY + dt.timedelta(days=4), user=CONSOLE)) == 1


def test_a_problem_at_the_top_level_stays_there(siming_project):
    problem = make_problem(siming_project, level=5)
    assert escalate_overdue(today=DAY + dt.timedelta(days=365), user=CONSOLE) == []
    problem.refresh_from_db()
    assert problem.level == 5


def test_resolved_problems_are_not_escalated(siming_project):
    from keyproj.problems.services import resolve

    problem = make_problem(siming_project)
    resolve(problem, user=CONSOLE, note="已交地", today=DAY + dt.timedelta(days=2))
    assert escalate_overdue(today=DAY + dt.timedelta(days=90), user=CONSOLE) == []


def test_escalating_by_hand_needs_a_reason_and_writes_nothing_without_one(siming_project, owner_user):
    problem = make_problem(siming_project)
    with pytest.raises(Refused) as refused:
        escalate(problem, user=owner_user, reason="  ", today=DAY)
    assert [p.field for p in refused.value.problems] == ["上报原因"]
    problem.refresh_from_db()
    assert problem.level == 1 and not Escalation.objects.exists()


def test_the_owner_escalates_to_the_responsible_unit_which_is_told(siming_project, owner_user, unit_officer):
    problem = make_problem(siming_project)
    step = escalate(problem, user=owner_user, reason="需责任单位协调", today=DAY + dt.timedelta(days=2))
    assert (step.from_level, step.to_level, step.by, step.automatic) == (1, 2, owner_user, False)
    problem.refresh_from_db()
    assert problem.level == 2 and problem.version == 2
    assert Notification.objects.filter(user=unit_officer, url=problem.get_absolute_url()).exists()


def test_escalating_past_the_top_level_is_refused(siming_project, staff_user):
    problem = make_problem(siming_project, level=5)
    with pytest.raises(Refused) as refused:
        escalate(problem, user=staff_user, reason="再上报", today=DAY)
    assert "最高层级" in str(refused.value)


def test_someone_who_does_not_hold_the_problem_cannot_escalate_it(siming_project, haicang_officer, owner_user):
    problem = make_problem(siming_project, level=2)
    with pytest.raises(PermissionDenied):
        escalate(problem, user=owner_user, reason="x", today=DAY)  # the owner no longer holds it
    with pytest.raises(PermissionDenied):
        escalate(problem, user=haicang_officer, reason="x", today=DAY)


def test_the_liaison_leader_and_the_leading_group_are_told_in_turn(siming_project, staff_user):
    leader = make_user("liaison", Role.LEADER)
    group_member = make_user("group", Role.LEADER, org(OrgKind.LEADING_GROUP, "领导小组"))
    siming_project.liaison_leader = leader
    siming_project.save()
    problem = make_problem(siming_project, level=3)
    escalate(problem, user=staff_user, reason="需市领导协调", today=DAY)
    assert Notification.objects.filter(user=leader).count() == 1
    assert not Notification.objects.filter(user=group_member).exists()
    escalate(Problem.objects.get(pk=problem.pk), user=leader, reason="提请领导小组", today=DAY + dt.timedelta(days=1))
    assert Notification.objects.filter(user=group_member).count() == 1


def test_a_stale_escalation_is_a_conflict(siming_project, staff_user):
    from keyproj.core.audit import ConflictError

    problem = make_problem(siming_project)
    stale = Problem.objects.get(pk=problem.pk)
    escalate(problem, user=staff_user, reason="a", today=DAY)
    with pytest.raises(ConflictError):
        escalate(stale, user=staff_user, reason="b", today=DAY, expected_version=stale.version)
    assert Problem.objects.get(pk=problem.pk).level == 2

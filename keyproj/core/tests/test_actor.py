"""An actor that fails closed: no user is never the console; the console is named; a user acts in scope."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from keyproj.accounts.permissions import is_console, is_office
from keyproj.core import audit
from keyproj.core.models import AuditEntry
from keyproj.core.scoping import CONSOLE, require_actor, scoped_object_or_404
from keyproj.core.viewsets import ScopedReadOnlyViewSet
from keyproj.plans.models import AnnualPlan
from keyproj.problems.models import Problem, SiteVisit
from keyproj.problems.services import ProblemData, VisitData, escalate_overdue, raise_problem, record_visit
from keyproj.problems.tests.helpers import DAY, category
from keyproj.projects.models import Project
from keyproj.testing import make_plan

pytestmark = pytest.mark.django_db


def test_no_user_is_not_the_office_and_the_console_is():
    assert not is_office(None)
    assert not is_office(AnonymousUser())
    assert not is_console(None)
    assert is_office(CONSOLE) and is_console(CONSOLE)


@pytest.mark.parametrize("who", [None, AnonymousUser()])
def test_a_service_given_no_user_refuses_and_writes_nothing(siming_project, who):
    with pytest.raises(PermissionDenied):
        raise_problem(ProblemData(project=siming_project, category=category(), title="征地未完成"), user=who, today=DAY)
    with pytest.raises(PermissionDenied):
        escalate_overdue(today=DAY, user=who)
    assert not Problem.objects.exists()
    assert not AuditEntry.objects.filter(action="problem.raise").exists()


def test_a_problems_scope_check_with_no_user_sees_nothing_rather_than_everything(siming_project):
    data = VisitData(visited_on=DAY, team="轻骑兵一组", projects=[siming_project])
    with pytest.raises(PermissionDenied):
        record_visit(data, user=None, today=DAY)
    assert not SiteVisit.objects.exists()


def test_the_audit_writer_refuses_a_change_with_no_one_behind_it(siming_project):
    with pytest.raises(PermissionDenied):
        audit.log(siming_project, "project.update", user=None)
    assert not AuditEntry.objects.exists()


def test_the_console_named_explicitly_acts_and_is_recorded_as_no_user(siming_project):
    plan = make_plan(siming_project)  # the builders act as CONSOLE
    assert AnnualPlan.objects.filter(pk=plan.pk).exists()
    problem = raise_problem(
        ProblemData(project=siming_project, category=category(), title="征地未完成"), user=CONSOLE, today=DAY
    )
    entry = AuditEntry.objects.get(action="problem.raise", object_id=str(problem.pk))
    assert entry.user is None and problem.raised_by is None
    assert escalate_overdue(today=DAY, user=CONSOLE) == []


def test_a_user_acts_only_within_their_scope(siming_officer, siming_project, haicang_project):
    with pytest.raises(PermissionDenied):
        raise_problem(
            ProblemData(project=haicang_project, category=category(), title="征地未完成"),
            user=siming_officer,
            today=DAY,
        )
    problem = raise_problem(
        ProblemData(project=siming_project, category=category(), title="征地未完成"), user=siming_officer, today=DAY
    )
    assert problem.raised_by == siming_officer
    assert AuditEntry.objects.get(action="problem.raise").user == siming_officer


def test_a_deactivated_user_cannot_act(siming_officer):
    siming_officer.is_active = False
    with pytest.raises(PermissionDenied):
        require_actor(siming_officer)
    assert require_actor(CONSOLE) is CONSOLE


def test_the_scoped_lookup_answers_404_out_of_scope_and_for_a_malformed_id(
    siming_officer, siming_project, haicang_project
):
    assert scoped_object_or_404(Project, siming_officer, pk=siming_project.pk) == siming_project
    with pytest.raises(Http404):
        scoped_object_or_404(Project, siming_officer, pk=haicang_project.pk)
    with pytest.raises(Http404):
        scoped_object_or_404(Project.objects.select_related("district"), siming_officer, pk="not-a-number")
    with pytest.raises(Http404):
        scoped_object_or_404(Project, None, pk=siming_project.pk)


def test_a_viewset_cannot_replace_the_scoped_queryset():
    with pytest.raises(TypeError, match="narrow"):

        class Careless(ScopedReadOnlyViewSet):
            queryset = Project.objects.all()

            def get_queryset(self):  # would skip visible_to
                return Project.objects.all()


def test_a_viewsets_rows_are_scoped_to_the_requests_user(client, siming_officer, siming_project, haicang_project):
    client.force_login(siming_officer)
    codes = [row["code"] for row in client.get("/api/v1/projects/").json()["results"]]
    assert codes == [siming_project.code]
    assert client.get(f"/api/v1/projects/{haicang_project.pk}/").status_code == 404

"""The demo cast walks the escalation ladder: a problem `owner` raises climbs to `unit`, then to the
office's tracker `staff`, then to the liaison leader `leader`; each holder is told in the app."""

from __future__ import annotations

import pytest
from django.urls import reverse

from keyproj.accounts.models import Notification, User
from keyproj.problems import permissions as perms
from keyproj.problems.models import Level, Problem, ProblemCategory
from keyproj.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo(demo_for_module):
    """The Xiamen demo, loaded once for this module."""


def cast(*names: str) -> list[User]:
    return [User.objects.get(username=name) for name in names]


def told(user: User, problem: Problem) -> bool:
    return Notification.objects.filter(user=user, url=problem.get_absolute_url(), read_at__isnull=True).exists()


def test_every_project_of_the_owner_is_tracked_by_staff_and_linked_to_leader():
    owner, staff, leader = cast("owner", "staff", "leader")
    owned = Project.objects.visible_to(owner)
    assert owned.exists()
    assert not owned.exclude(tracker=staff).exists()
    assert not owned.exclude(liaison_leader=leader).exists()


def test_a_problem_the_owner_raises_climbs_to_unit_staff_and_leader_and_each_is_told(client):
    owner, unit, staff, leader = cast("owner", "unit", "staff", "leader")
    project = Project.objects.visible_to(owner).order_by("code").first()
    client.force_login(owner)
    response = client.post(
        reverse("problems:create"),
        {
            "project": project.pk,
            "category": ProblemCategory.objects.get(code="land").pk,
            "title": "临时用地未按计划交付",
            "description": "影响桩基施工作业面",
            "source": "owner",
        },
    )
    assert response.status_code == 302
    problem = Problem.objects.get(project=project, title="临时用地未按计划交付")
    assert problem.level == Level.OWNER and told(owner, problem)

    # Each holder in turn sees it on their list, is told, and passes it up from the problem's page.
    for holder, level, reason in (
        (owner, Level.RESPONSIBLE_UNIT, "业主无法协调，请责任单位协调"),
        (unit, Level.KEY_OFFICE, "涉及多个部门，请市重点办协调"),
        (staff, Level.LIAISON_LEADER, "需市领导协调"),
    ):
        assert perms.holds(holder, problem) or perms.can_handle(holder, problem)
        client.force_login(holder)
        assert client.get(problem.get_absolute_url()).status_code == 200
        response = client.post(
            reverse("problems:action", args=[problem.pk, "escalate"]), {"reason": reason, "version": problem.version}
        )
        assert response.status_code == 302
        problem.refresh_from_db()
        assert problem.level == level

    problem.refresh_from_db()
    assert [s.to_level for s in problem.escalations.order_by("pk")] == [2, 3, 4]
    for holder, level in ((unit, Level.RESPONSIBLE_UNIT), (staff, Level.KEY_OFFICE), (leader, Level.LIAISON_LEADER)):
        assert holder in perms.holders(problem, level), level
        assert told(holder, problem), holder.username
    # At level 4 the leader holds it: it is theirs to take up, and the owner no longer holds it.
    assert perms.holds(leader, problem) and not perms.holds(owner, problem)
    client.force_login(leader)
    assert "临时用地未按计划交付" in client.get(reverse("problems:worklist")).content.decode()

"""The accounts services: who files a project's returns (whom a sent-back return is told to)."""

from __future__ import annotations

from keyproj.accounts.models import Role
from keyproj.accounts.services import reporters
from keyproj.testing import make_project, make_user


def test_a_projects_reporters_are_its_owners_and_its_agent_builders_reporters(
    owner_org, agent_org, unit_org, owner_user, unit_officer, admin_user
):
    agent = make_user("agent", Role.AGENT_BUILDER, agent_org)
    other_owner = make_user("other-owner", Role.OWNER, make_project().owner)
    project = make_project(owner=owner_org, agent_builder=agent_org, responsible_unit=unit_org)

    assert list(reporters(project)) == [owner_user, agent]
    assert other_owner not in reporters(project)


def test_a_project_without_an_agent_builder_has_only_its_owners_reporters(owner_org, agent_org, owner_user):
    make_user("agent", Role.AGENT_BUILDER, agent_org)
    project = make_project(owner=owner_org)

    assert list(reporters(project)) == [owner_user]


def test_an_inactive_user_is_not_a_reporter(owner_org, owner_user):
    owner_user.is_active = False
    owner_user.save()

    assert not reporters(make_project(owner=owner_org)).exists()

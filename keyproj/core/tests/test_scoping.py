"""Every role sees exactly its projects, through the one door."""

import pytest

from keyproj.core.scoping import CONSOLE
from keyproj.orgs.models import Organisation
from keyproj.plans.models import AnnualPlan
from keyproj.projects.models import Project
from keyproj.returns.models import ProgressReturn
from keyproj.testing import make_plan, make_project, make_returns


@pytest.fixture
def projects(siming_project, haicang_project):
    unbuilt = make_project(district=siming_project.district)  # no agent builder
    return {"siming": siming_project, "haicang": haicang_project, "unbuilt": unbuilt}


def visible(user):
    return set(Project.objects.visible_to(user).values_list("pk", flat=True))


@pytest.mark.parametrize("who", ["admin_user", "staff_user", "leader_user"])
def test_the_office_and_leaders_see_every_project(request, projects, who):
    assert visible(request.getfixturevalue(who)) == {p.pk for p in projects.values()}


def test_a_district_officer_sees_only_projects_in_their_district(siming_officer, projects):
    assert visible(siming_officer) == {projects["siming"].pk, projects["unbuilt"].pk}


def test_another_district_officer_sees_none_of_simings_projects(haicang_officer, projects):
    assert visible(haicang_officer) == {projects["haicang"].pk}


def test_a_unit_officer_sees_the_projects_their_unit_answers_for(unit_officer, projects):
    assert visible(unit_officer) == {projects["siming"].pk}


def test_an_owner_sees_the_projects_they_own(owner_user, projects):
    assert visible(owner_user) == {projects["siming"].pk}


def test_an_agent_builder_sees_the_projects_they_manage(agent_user, projects):
    assert visible(agent_user) == {projects["siming"].pk}


def test_an_inspector_sees_every_agent_built_project(inspector_user, projects):
    assert visible(inspector_user) == {projects["siming"].pk}


def test_an_outsider_sees_nothing(outsider, projects):
    assert visible(outsider) == set()
    assert not Organisation.objects.visible_to(outsider).exists()


def test_an_anonymous_or_missing_user_sees_nothing(projects):
    from django.contrib.auth.models import AnonymousUser

    assert visible(AnonymousUser()) == set()
    assert visible(None) == set()


def test_an_inactive_user_sees_nothing(admin_user, projects):
    admin_user.is_active = False
    assert visible(admin_user) == set()


def test_the_console_sees_everything(projects):
    assert visible(CONSOLE) == {p.pk for p in projects.values()}


def test_plans_and_returns_follow_their_projects_scope(siming_officer, projects):
    for project in projects.values():
        make_plan(project)
        make_returns(project, ["10"])
    assert set(AnnualPlan.objects.visible_to(siming_officer).values_list("project_id", flat=True)) == visible(
        siming_officer
    )
    assert set(ProgressReturn.objects.visible_to(siming_officer).values_list("project_id", flat=True)) == visible(
        siming_officer
    )


def test_a_district_officer_sees_the_organisations_on_their_projects_only(siming_officer, projects):
    names = set(Organisation.objects.visible_to(siming_officer).values_list("name", flat=True))
    assert "思明区" in names
    assert projects["siming"].owner.name in names
    assert "海沧区" not in names


def test_an_owner_role_in_a_department_sees_only_what_it_owns(unit_org, siming):
    from keyproj.accounts.models import Role
    from keyproj.testing import make_user

    owned = make_project(district=siming, owner=unit_org, responsible_unit=unit_org)
    make_project(district=siming, responsible_unit=unit_org)  # the department answers for it, does not own it
    clerk = make_user("clerk", Role.OWNER, unit_org)

    assert visible(clerk) == {owned.pk}


def test_a_district_officer_of_an_area_command_sees_the_area_projects(siming):
    from keyproj.accounts.models import Role
    from keyproj.testing import make_user, org

    area = org("area_command", "马銮湾新城指挥部")
    in_area = make_project(district=siming, area_command=area)
    make_project(district=siming)
    officer = make_user("area", Role.DISTRICT_OFFICER, area)

    assert visible(officer) == {in_area.pk}

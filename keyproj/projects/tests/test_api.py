from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keyproj.accounts import tokens
from keyproj.orgs.models import OrgKind
from keyproj.testing import make_project, org

LIST = "/api/v1/projects/"


@pytest.fixture
def projects(siming_project, haicang_project):
    """Siming's project (the cast's unit, owner and agent), Haicang's, and one agent-built in Haicang."""
    other_agent = org(OrgKind.AGENT_BUILDER, "厦门筼筜工程管理有限公司")
    agent_built = make_project(district=haicang_project.district, agent_builder=other_agent)
    return {"siming": siming_project, "haicang": haicang_project, "agent_built": agent_built}


def codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("admin_user", {"siming", "haicang", "agent_built"}),
        ("staff_user", {"siming", "haicang", "agent_built"}),
        ("leader_user", {"siming", "haicang", "agent_built"}),
        ("siming_officer", {"siming"}),
        ("haicang_officer", {"haicang", "agent_built"}),
        ("unit_officer", {"siming"}),
        ("owner_user", {"siming"}),
        ("agent_user", {"siming"}),
        ("inspector_user", {"siming", "agent_built"}),
        ("outsider", set()),
    ],
)
def test_each_role_sees_exactly_its_projects(client, request, projects, who, sees):
    client.force_login(request.getfixturevalue(who))

    assert codes(client.get(LIST)) == {projects[name].code for name in sees}


def test_a_project_in_scope_is_shown_with_its_organisations(client, siming_officer, siming_project):
    client.force_login(siming_officer)

    data = client.get(f"{LIST}{siming_project.pk}/").json()

    assert data["code"] == siming_project.code
    assert data["district"] == {"id": siming_project.district_id, "code": "350203", "name": "思明区"}
    assert data["category"] == {"code": "industry", "name": "产业项目"}
    assert data["total_investment"] == "10000.00"


@pytest.mark.parametrize("who", ["haicang_officer", "outsider"])
def test_a_project_out_of_scope_is_not_found(client, request, siming_project, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(f"{LIST}{siming_project.pk}/").status_code == 404


def test_anonymous_callers_are_refused(client, siming_project):
    assert client.get(LIST).status_code == 401
    assert client.get(f"{LIST}{siming_project.pk}/").status_code == 401


def test_a_token_signs_the_caller_in(client, siming_officer, projects):
    _token, key = tokens.issue(siming_officer)

    response = client.get(LIST, headers={"Authorization": f"Token {key}"})

    assert codes(response) == {projects["siming"].code}


def test_the_api_does_not_change_projects(client, admin_user, siming_project):
    client.force_login(admin_user)

    assert client.post(LIST, {"name": "x"}).status_code == 405
    assert client.delete(f"{LIST}{siming_project.pk}/").status_code == 405


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("district=350203", {"siming"}),
        ("category=industry", {"siming", "haicang", "agent_built"}),
        ("level=provincial_major", set()),
        ("stage=construction", set()),
        ("q=T-", {"siming", "haicang", "agent_built"}),
    ],
)
def test_projects_can_be_filtered(client, admin_user, projects, query, expected):
    client.force_login(admin_user)

    assert codes(client.get(f"{LIST}?{query}")) == {projects[name].code for name in expected}


def test_projects_can_be_filtered_by_organisation(client, admin_user, projects, unit_org, owner_org, agent_org):
    client.force_login(admin_user)
    siming = {projects["siming"].code}

    assert codes(client.get(f"{LIST}?responsible_unit={unit_org.pk}")) == siming
    assert codes(client.get(f"{LIST}?owner={owner_org.pk}")) == siming
    assert codes(client.get(f"{LIST}?agent_builder={agent_org.pk}")) == siming


def test_search_finds_a_project_by_name_or_code(client, admin_user, projects):
    client.force_login(admin_user)
    target = projects["haicang"]

    assert codes(client.get(LIST, {"q": target.name})) == {target.code}
    assert codes(client.get(LIST, {"q": target.code.lower()})) == {target.code}


def test_a_filter_naming_an_organisation_out_of_scope_is_refused_in_chinese(client, siming_officer, haicang):
    client.force_login(siming_officer)

    response = client.get(f"{LIST}?district=350205")

    assert response.status_code == 400
    # The documented refusal: every problem by field.
    [problem] = response.json()["problems"]
    assert problem["field"] == "district" and "有效" in problem["message"]


def test_listing_costs_the_same_queries_whatever_the_page_size(client, admin_user, projects, django_assert_num_queries):
    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as few:
        assert len(codes(client.get(LIST))) == 3
    for _ in range(20):
        make_project(
            district=projects["siming"].district,
            agent_builder=projects["siming"].agent_builder,
            area_command=org(OrgKind.AREA_COMMAND, "环东海域新城指挥部"),
        )

    with django_assert_num_queries(len(few)):
        assert len(codes(client.get(LIST))) == 23

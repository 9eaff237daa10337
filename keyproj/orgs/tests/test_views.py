from __future__ import annotations

import pytest
from django.urls import reverse

from keyproj.orgs.models import OrgKind
from keyproj.testing import make_plan, make_project, make_returns, org

LIST = "/orgs/"


@pytest.fixture
def city(siming, haicang, siming_project):
    """Siming's project ahead of plan and a Haicang project behind it, reported to July 2019."""
    behind = make_project(district=haicang, name="海沧示范学校")
    make_plan(siming_project, ["100"] * 12)
    make_plan(behind, ["200"] * 12)
    make_returns(siming_project, ["150"] * 7)
    make_returns(behind, ["50"] * 7)
    return {"ahead": siming_project, "behind": behind}


def page_of(organisation) -> str:
    return reverse("orgs:detail", args=[organisation.pk])


def test_anonymous_visitors_are_sent_to_the_login_page(client, siming):
    for url in (LIST, page_of(siming)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_office_sees_every_district_and_unit_with_project_counts(client, admin_user, city, unit_org):
    client.force_login(admin_user)

    response = client.get(LIST)

    page = response.content.decode()
    assert response.status_code == 200
    assert "思明区" in page and "海沧区" in page and unit_org.name in page
    districts = next(g for g in response.context["groups"] if g["kind"] == OrgKind.DISTRICT)
    assert {m["org"].name: m["count"] for m in districts["members"]} == {"思明区": 1, "海沧区": 1}


def test_a_district_officer_sees_only_organisations_of_their_projects(client, siming_officer, city):
    client.force_login(siming_officer)

    page = client.get(LIST).content.decode()

    assert "思明区" in page and "海沧区" not in page


def test_a_districts_page_shows_its_figures_and_projects_behind(client, admin_user, city, haicang):
    client.force_login(admin_user)

    response = client.get(page_of(haicang))

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["figures"].project_count == 1
    assert "1-7月，海沧区1个市重点项目计划投资0.14亿元" in page
    assert [row.project for row in response.context["behind"]] == [city["behind"]]
    assert "/projects/?district=350205&amp;period=2019-07" in page


def test_a_units_page_counts_the_projects_it_answers_for(client, admin_user, city, unit_org):
    client.force_login(admin_user)

    response = client.get(page_of(unit_org))

    assert response.status_code == 200
    assert response.context["figures"].project_count == 1
    assert response.context["behind"] == []
    assert f"/projects/?org={unit_org.pk}" in response.content.decode()


def test_an_soes_page_opens(client, admin_user, city):
    client.force_login(admin_user)
    soe = org(OrgKind.SOE, "厦门市政集团有限公司")
    make_project(district=city["ahead"].district, owner=soe)

    response = client.get(page_of(soe))

    assert response.status_code == 200
    assert response.context["project_count"] == 1


def test_an_organisation_out_of_scope_is_404(client, siming_officer, city, haicang):
    client.force_login(siming_officer)

    assert client.get(page_of(haicang)).status_code == 404
    assert client.get(reverse("orgs:detail", args=[999999])).status_code == 404


def test_a_malformed_month_gives_a_message_not_an_error(client, admin_user, city, siming):
    client.force_login(admin_user)

    response = client.get(page_of(siming), {"period": "2019-13"})

    assert response.status_code == 200
    assert "2019-13" in response.context["period_error"]
    assert str(response.context["period"]) == "2019-07"


def test_an_outsider_sees_no_organisations(client, outsider, city, siming):
    client.force_login(outsider)

    assert client.get(LIST).context["groups"] == []
    assert client.get(page_of(siming)).status_code == 404

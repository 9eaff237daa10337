from __future__ import annotations

URL = "/api/v1/organisations/"


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def test_a_district_officer_sees_their_district_and_the_organisations_on_its_projects(
    client, siming_officer, siming_project, haicang_project
):
    client.force_login(siming_officer)

    seen = names(client.get(URL))

    assert seen == {"思明区", "市交通局", "厦门路桥建设集团有限公司", "厦门鹭城项目管理有限公司"}


def test_the_office_sees_every_organisation_and_can_filter_by_kind(client, admin_user, siming_project, haicang):
    client.force_login(admin_user)

    assert {"思明区", "海沧区", "市重点办"} <= names(client.get(URL))
    assert names(client.get(URL, {"kind": "district"})) == {"思明区", "海沧区"}
    assert names(client.get(URL, {"q": "路桥"})) == {"厦门路桥建设集团有限公司"}


def test_an_outsider_sees_no_organisation(client, outsider, siming_project):
    client.force_login(outsider)

    assert names(client.get(URL)) == set()


def test_an_organisation_out_of_scope_is_not_found(client, siming_officer, haicang):
    client.force_login(siming_officer)

    assert client.get(f"{URL}{haicang.pk}/").status_code == 404


def test_anonymous_callers_are_refused(client, db):
    assert client.get(URL).status_code == 401

from __future__ import annotations

import pytest

from keyproj.core.period import Period
from keyproj.metrics.figures import breakdown, parse_scope, summary
from keyproj.testing import make_plan, make_project, make_returns

URL = "/api/v1/summary/"
JULY = Period(2019, 7)


@pytest.fixture
def figures(siming, haicang):
    a = make_project(district=siming)
    b = make_project(district=haicang)
    make_plan(a, ["100"] * 12)
    make_plan(b, ["50"] * 6 + ["150"] * 6)
    make_returns(a, ["120"] * 7)
    make_returns(b, ["10"] * 7)


def test_the_summary_is_exactly_the_figures_object(client, admin_user, figures):
    client.force_login(admin_user)

    response = client.get(URL, {"period": "2019-07"})

    assert response.status_code == 200
    assert response.json() == summary(admin_user, JULY).as_json()
    assert response.json()["actual_to_date"] == "910.00"


def test_the_summary_of_a_district_officer_covers_their_district(client, siming_officer, figures):
    client.force_login(siming_officer)

    data = client.get(URL, {"period": "2019-07"}).json()

    assert data == summary(siming_officer, JULY).as_json()
    assert data["project_count"] == 1
    assert data["plan_to_date"] == "700.00"


def test_a_scope_narrows_the_summary(client, admin_user, figures):
    client.force_login(admin_user)

    data = client.get(URL, {"period": "2019-07", "scope": "district:350205"}).json()

    assert data == summary(admin_user, JULY, parse_scope("district:350205", admin_user)).as_json()
    assert data["scope"] == "district:350205"
    assert data["project_count"] == 1


def test_a_breakdown_adds_its_rows(client, admin_user, figures):
    client.force_login(admin_user)

    data = client.get(URL, {"period": "2019-07", "breakdown": "district"}).json()

    rows = breakdown(admin_user, JULY, "district")
    assert [row["name"] for row in data["rows"]] == ["思明区", "海沧区"]
    assert data["rows"][0] == {"key": "350203", "name": "思明区", **rows[0].figures.as_json()}
    assert {k: v for k, v in data.items() if k != "rows"} == summary(admin_user, JULY).as_json()


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({}, "缺少参数period"),
        ({"period": "2019-13"}, "月份应为1-12"),
        ({"period": "July"}, "格式不对"),
        ({"period": "2019-07", "scope": "district:999999"}, "没有代码或名称"),
        ({"period": "2019-07", "scope": "nonsense"}, "格式不对"),
        ({"period": "2019-07", "breakdown": "owner"}, "breakdown"),
    ],
)
def test_bad_parameters_get_a_400_with_a_chinese_reason(client, admin_user, params, says):
    client.force_login(admin_user)

    response = client.get(URL, params)

    assert response.status_code == 400
    assert says in response.json()["detail"]


def test_a_district_officer_cannot_ask_for_another_district(client, siming_officer, figures):
    client.force_login(siming_officer)

    response = client.get(URL, {"period": "2019-07", "scope": "district:350205"})

    assert response.status_code == 400


def test_anonymous_callers_get_no_figures(client, figures):
    assert client.get(URL, {"period": "2019-07"}).status_code == 401

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from keyproj.projects.views import register as register_views
from keyproj.testing import make_plan, make_project, make_returns

LIST = "/projects/"
EXPORT = "/projects/export.xlsx"


@pytest.fixture
def city(siming, haicang, siming_project):
    """Siming's project ahead of plan, a Haicang project behind it, a Siming project with no plan."""
    behind = make_project(district=haicang, name="海沧示范学校", total_investment=Decimal("5000.00"))
    idle = make_project(district=siming, name="思明未计划项目")
    make_plan(siming_project, ["100"] * 12)
    make_plan(behind, ["200"] * 12)
    make_returns(siming_project, ["150"] * 7)
    make_returns(behind, ["50"] * 7)
    return {"ahead": siming_project, "behind": behind, "idle": idle}


def codes(response) -> list[str]:
    return [row.project.code for row in response.context["rows"]]


def test_anonymous_visitors_are_sent_to_the_login_page(client, city):
    for url in (LIST, EXPORT, city["ahead"].get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_office_sees_every_project_with_the_months_figures(client, admin_user, city):
    client.force_login(admin_user)

    response = client.get(LIST)

    assert response.status_code == 200
    assert set(codes(response)) == {p.code for p in city.values()}
    page = response.content.decode()
    # The ahead project: plan 700, actual 1050, +350, 150.00%, annual 1050/1200 = 87.50%.
    assert "1,050.00" in page and "+350.00" in page and "150.00" in page and "87.50" in page
    assert str(response.context["period"]) == "2019-07"


def test_a_district_officer_sees_only_their_districts_projects(client, siming_officer, city):
    client.force_login(siming_officer)

    response = client.get(LIST)

    assert set(codes(response)) == {city["ahead"].code, city["idle"].code}
    assert "海沧示范学校" not in response.content.decode()


def test_a_user_without_a_role_sees_no_projects(client, outsider, city):
    client.force_login(outsider)

    response = client.get(LIST)

    assert response.status_code == 200
    assert codes(response) == []
    assert response.context["totals"]["count"] == 0


def test_filters_narrow_the_list(client, admin_user, city, unit_org):
    client.force_login(admin_user)

    assert codes(client.get(LIST, {"district": "350205"})) == [city["behind"].code]
    assert codes(client.get(LIST, {"behind": "yes"})) == [city["behind"].code]
    assert codes(client.get(LIST, {"behind": "no"})) == [city["ahead"].code]
    assert codes(client.get(LIST, {"responsible_unit": unit_org.pk})) == [city["ahead"].code]
    assert codes(client.get(LIST, {"q": "海沧示范"})) == [city["behind"].code]
    assert codes(client.get(LIST, {"batch": "start"})) == []


def test_behind_follows_the_chosen_month(client, admin_user, city):
    client.force_login(admin_user)
    # In January 2019 the Haicang project (plan 200, actual 50) was already behind; nothing was ahead of it.

    assert codes(client.get(LIST, {"behind": "yes", "period": "2019-01"})) == [city["behind"].code]


def test_sorting_by_a_rate_puts_the_highest_first_and_projects_without_a_plan_last(client, admin_user, city):
    client.force_login(admin_user)

    down = codes(client.get(LIST, {"sort": "-schedule_rate"}))
    up = codes(client.get(LIST, {"sort": "schedule_rate"}))

    assert down == [city["ahead"].code, city["behind"].code, city["idle"].code]
    assert up == [city["behind"].code, city["ahead"].code, city["idle"].code]


@pytest.mark.parametrize(
    "query",
    [
        {"sort": "password"},
        {"after": "9999"},
        {"before": "abc"},
        {"district": "999999"},
        {"period": "2019-13"},
        {"period": "junk"},
        {"behind": "maybe"},
        {"owner": "-1"},
        {"batch": "nope", "sort": "-nope", "after": "-3"},
    ],
)
def test_bad_input_gives_a_message_never_a_server_error(client, admin_user, city, query):
    client.force_login(admin_user)

    response = client.get(LIST, query)

    assert response.status_code == 200
    assert len(codes(response)) == 3  # the bad condition is dropped, the list stays whole
    assert response.context["register"].problems


def test_an_unknown_district_is_named_in_the_message(client, admin_user, city):
    client.force_login(admin_user)

    response = client.get(LIST, {"district": "999999"})

    assert "999999" in response.context["register"].problems[0]
    assert "已忽略" in response.content.decode()


def test_an_htmx_request_gets_only_the_results_block(client, admin_user, city):
    client.force_login(admin_user)

    response = client.get(LIST, {"sort": "-over", "district": ""}, HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page and 'id="filters"' not in page
    assert "<table" in page
    assert response["HX-Push-Url"] == "/projects/?sort=-over"
    assert "HX-Request" in response["Vary"]


def test_totals_are_the_sums_of_the_whole_filtered_set(client, admin_user, city, monkeypatch):
    monkeypatch.setattr(register_views, "PAGE_SIZE", 1)
    client.force_login(admin_user)

    totals = client.get(LIST).context["totals"]

    assert totals["count"] == 3
    assert totals["total_investment"] == "25,000.00"  # 10,000 + 5,000 + 10,000
    assert totals["plan_to_date"] == "2,100.00"  # 700 + 1,400
    assert totals["actual_to_date"] == "1,400.00"  # 1,050 + 350
    assert totals["over"] == "−700.00"
    assert totals["schedule_rate"] == "66.67"


def test_the_export_holds_exactly_the_filtered_rows(client, admin_user, city):
    client.force_login(admin_user)

    response = client.get(EXPORT, {"district": "350203", "sort": "-schedule_rate"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == [city["ahead"].code, city["idle"].code]
    assert rows[0][14] == 1050 and rows[0][13] == 700
    assert sheet.cell(row=3, column=15).number_format == "#,##0.00"


def test_the_export_is_scoped(client, siming_officer, city):
    client.force_login(siming_officer)

    sheet = load_workbook(io.BytesIO(client.get(EXPORT).content)).active

    assert {r[0] for r in sheet.iter_rows(min_row=3, values_only=True)} == {city["ahead"].code, city["idle"].code}


def test_the_list_costs_the_same_queries_whatever_the_page_size(client, admin_user, siming, monkeypatch):
    client.force_login(admin_user)
    for _ in range(40):
        project = make_project(district=siming)
        make_plan(project)
    make_returns(project, ["100"])

    monkeypatch.setattr(register_views, "PAGE_SIZE", 5)
    with CaptureQueriesContext(connection) as few:
        assert len(codes(client.get(LIST))) == 5
    monkeypatch.setattr(register_views, "PAGE_SIZE", 40)
    with CaptureQueriesContext(connection) as many:
        assert len(codes(client.get(LIST))) == 40

    assert len(many) == len(few)


def test_the_list_query_count_is_pinned(client, admin_user, city, django_assert_num_queries):
    client.force_login(admin_user)
    client.get(LIST)  # warm the content-type cache

    # session, user, memberships, latest month, the page's keys, totals, the page's rows,
    # 8 filter lists (the three organisation lists first ask whether they are over the limit), picker years;
    # on PostgreSQL the planner's estimate of the list's size too.
    with django_assert_num_queries(20 + (connection.vendor == "postgresql")):
        client.get(LIST)


def test_the_project_page_shows_facts_months_returns_and_history(client, admin_user, city):
    client.force_login(admin_user)
    project = city["ahead"]

    response = client.get(project.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert project.name in page and project.code in page
    assert reverse("orgs:detail", args=[project.district_id]) in page
    assert len(response.context["months"]) == 12
    assert response.context["months"][6]["actual_to_date"] == "1,050.00"
    assert response.context["months"][7]["actual_to_date"] == "—"  # August is not reported yet
    assert 'id="project-chart-data"' in page and "echarts.min.js" in page
    assert response.context["met"]["started"] == 1
    assert len(response.context["returns"]) == 7
    assert response.context["audit"]  # the plan and returns were written through services
    for later in ("问题协调", "红黄牌", "督查考评"):
        assert later in page


def test_a_district_officer_gets_404_for_another_districts_project(client, siming_officer, city):
    client.force_login(siming_officer)

    assert client.get(city["behind"].get_absolute_url()).status_code == 404
    assert client.get(city["ahead"].get_absolute_url()).status_code == 200


def test_the_project_page_survives_a_malformed_month(client, admin_user, city):
    client.force_login(admin_user)

    response = client.get(city["ahead"].get_absolute_url(), {"period": "2019-13"})

    assert response.status_code == 200
    assert "2019-13" in response.context["period_error"]

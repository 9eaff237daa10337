"""一张图 over the demo: the map API and page are scoped, the figures come from the rollups and closes,
and the number of queries does not grow with the projects."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db.models import Sum

from keyproj.accounts.models import User
from keyproj.dashboard.views.home import home_months
from keyproj.metrics.figures import breakdown
from keyproj.metrics.models import ProjectMonth
from keyproj.projects.models import Project
from keyproj.supervision.models import Card, RankingEntry, RankingList
from keyproj.testing import make_user

pytestmark = pytest.mark.django_db

API = "/api/v1/map/"
PAGE = "/map/"
SIMING = "350203"


@pytest.fixture(scope="module")
def demo(demo_for_module):
    """The whole demo, loaded once for this module and taken out afterwards."""


def signed_in(client, username: str) -> User:
    user = User.objects.get(username=username)
    client.force_login(user)
    return user


def located() -> Project:
    return Project.objects.filter(lng__isnull=False, lat__isnull=False)


def test_the_admin_gets_every_demo_project_with_a_point(client, demo):
    signed_in(client, "admin")

    data = client.get(API).json()

    codes = {point["code"] for point in data["points"]}
    assert codes == set(located().values_list("code", flat=True))
    assert len(codes) > 300
    assert {d["code"] for d in data["districts"]} == {"350203", "350205", "350206", "350211", "350212", "350213"}


def test_a_district_officer_gets_only_the_districts_own_projects(client, demo):
    signed_in(client, "siming")

    data = client.get(API).json()

    assert data["points"], "the 思明区 officer should see 思明区's points"
    assert {point["district"] for point in data["points"]} == {SIMING}
    assert len(data["points"]) == located().filter(district__code=SIMING).count()
    assert [d["code"] for d in data["districts"]] == [SIMING]


def test_an_outsider_gets_no_points_and_no_districts(client, demo):
    client.force_login(make_user("map-outsider"))

    data = client.get(API).json()

    assert data["points"] == []
    assert data["districts"] == []
    assert data["total"]["project_count"] == 0


def test_an_anonymous_caller_is_refused(client, demo):
    assert client.get(API).status_code in (401, 403)


def test_the_map_opens_on_the_dashboards_month(client, demo):
    user = signed_in(client, "admin")

    data = client.get(API).json()

    assert data["period"] == str(home_months(user).default)


def test_the_districts_rates_are_the_published_breakdowns(client, demo):
    user = signed_in(client, "admin")
    period = home_months(user).default

    data = client.get(API, {"period": str(period)}).json()

    published = {row.key: row.figures.schedule_rate for row in breakdown(user, period, "district")}
    assert {d["code"]: Decimal(d["schedule_rate"]) for d in data["districts"]} == published


def test_a_closed_month_gives_each_district_its_ranking_score_and_rank(client, demo):
    user = signed_in(client, "admin")
    period = home_months(user).latest_closed
    assert period is not None

    data = client.get(API, {"period": str(period)}).json()

    assert data["closed"] is True
    entries = RankingEntry.objects.filter(
        close__year=period.year, close__month=period.month, list=RankingList.DISTRICTS
    ).values_list("organisation__code", "score", "rank")
    assert {d["code"]: (Decimal(d["score"]), d["rank"]) for d in data["districts"]} == {
        code: (score, rank) for code, score, rank in entries
    }


def test_the_points_carry_the_cards_of_the_months_close(client, demo):
    user = signed_in(client, "admin")
    period = home_months(user).latest_closed
    assert period is not None

    data = client.get(API, {"period": str(period)}).json()

    cards = dict(
        Card.objects.filter(close__year=period.year, close__month=period.month, project__lng__isnull=False).values_list(
            "project__code", "colour"
        )
    )
    assert cards, "the demo's close should have given cards"
    assert {p["code"]: p["card"] for p in data["points"] if p["card"]} == cards
    assert {p["card"] for p in data["points"]} <= {"red", "yellow", None}


def test_a_month_still_being_reported_has_no_scores_and_no_cards(client, demo):
    signed_in(client, "admin")

    data = client.get(API, {"period": "2019-08"}).json()

    assert data["closed"] is False
    assert all(d["score"] is None and d["rank"] is None for d in data["districts"])
    assert all(p["card"] is None for p in data["points"])


def test_the_total_is_the_sum_of_the_points_annual_plans(client, demo):
    user = signed_in(client, "admin")
    period = home_months(user).default

    data = client.get(API, {"period": str(period)}).json()

    expected = ProjectMonth.objects.filter(year=period.year, month=period.month, project__lng__isnull=False).aggregate(
        total=Sum("annual_plan")
    )["total"]
    assert Decimal(data["total"]["annual_plan"]) == expected.quantize(Decimal("0.01"))
    assert data["total"]["project_count"] == sum(1 for p in data["points"] if p["annual_plan"] is not None)


def test_the_map_reads_a_fixed_number_of_queries(client, demo, django_assert_max_num_queries):
    signed_in(client, "admin")
    client.get(API)  # the session and the user's memberships are read once per request anyway

    with django_assert_max_num_queries(14):
        response = client.get(API, {"period": "2019-07"})

    assert response.status_code == 200


def test_a_malformed_month_is_refused_in_chinese(client, demo):
    signed_in(client, "admin")

    response = client.get(API, {"period": "2019-13"})

    assert response.status_code == 400
    assert "月" in response.json()["detail"]


def test_the_map_page_answers_a_signed_in_user_with_the_months_data(client, demo):
    signed_in(client, "siming")

    response = client.get(PAGE)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="city-map"' in page
    assert "<script>" not in page  # the CSP forbids inline scripts: the data is a json_script block
    data = response.context["map"]["data"]
    assert {p["district"] for p in data["points"]} == {SIMING}


def test_the_map_page_sends_an_anonymous_visitor_to_sign_in(client, demo):
    response = client.get(PAGE)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_map_page_tells_an_outsider_they_have_no_projects(client, demo):
    client.force_login(make_user("map-outsider-page"))

    page = client.get(PAGE).content.decode()

    assert "您还没有被分配任何项目" in page
    assert "map-data" not in page


def test_the_boundary_file_is_served_as_geojson(client, demo):
    signed_in(client, "siming")

    response = client.get("/map/boundary.geojson")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    geo = json.loads(b"".join(response.streaming_content))
    assert {f["id"] for f in geo["features"]} == {"350203", "350205", "350206", "350211", "350212", "350213"}


def test_the_home_page_has_the_map_panel_and_the_nav_links_to_the_map(client, demo):
    signed_in(client, "leader")

    page = client.get("/").content.decode()

    assert 'id="home-map"' in page
    assert 'href="/map/"' in page


def test_the_project_page_offers_the_picker_to_the_office_only(client, demo):
    project = located().filter(district__code=SIMING).first()
    signed_in(client, "admin")
    office_page = client.get(f"/projects/{project.pk}/").content.decode()
    signed_in(client, "siming")
    district_page = client.get(f"/projects/{project.pk}/").content.decode()

    assert 'id="location-form"' in office_page
    assert 'id="location-form"' not in district_page
    assert 'id="location-map"' in district_page


def test_the_map_api_is_in_the_schema(client, demo):
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)

    assert "/api/v1/map/" in schema["paths"]

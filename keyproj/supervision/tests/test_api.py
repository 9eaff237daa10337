"""The API: closes, cards, ranking, listings, rules and forecast; scoped and refused like the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from keyproj.supervision.models import Listing, MonthClose
from keyproj.supervision.tests.helpers import JULY, close, earlier_months_closed, project_with

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def programme(siming, haicang):
    return {"siming": project_with("50", district=siming), "haicang": project_with("70", district=haicang)}


def test_the_office_closes_a_month_and_closing_again_answers_200(admin_user, programme):
    earlier_months_closed(JULY)
    first = api(admin_user).post("/api/v1/supervision/closes/", {"period": "2019-07"}, format="json")
    assert first.status_code == 201
    assert first.json()["sentence"].startswith("1-7月，全市2个市重点项目")
    assert first.json()["missing_returns"] == []
    again = api(admin_user).post("/api/v1/supervision/closes/", {"period": "2019-07"}, format="json")
    assert again.status_code == 200
    assert MonthClose.objects.filter(month=7).count() == 1
    assert again.json()["number"] is None  # closing takes no 文号


def test_closing_before_the_deadline_is_a_400_naming_the_period(admin_user, programme):
    response = api(admin_user).post("/api/v1/supervision/closes/", {"period": "2099-01"}, format="json")
    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "period"


def test_a_district_may_not_close_or_reopen(siming_officer, programme):
    assert (
        api(siming_officer).post("/api/v1/supervision/closes/", {"period": "2019-07"}, format="json").status_code == 403
    )
    close()
    response = api(siming_officer).post("/api/v1/supervision/closes/2019-07/reopen/", {"reason": "x"}, format="json")
    assert response.status_code == 403


def test_reopening_without_a_reason_is_refused(admin_user, programme):
    close()
    response = api(admin_user).post("/api/v1/supervision/closes/2019-07/reopen/", {"reason": ""}, format="json")
    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "reason"


def test_cards_are_scoped_and_shaped_like_the_command(siming_officer, admin_user, programme):
    close()
    cards = api(siming_officer).get("/api/v1/supervision/closes/2019-07/cards/").json()
    assert [c["project"] for c in cards] == [programme["siming"].code]
    assert {"project", "colour", "rules", "schedule_rate", "path_to_green"} <= set(cards[0])
    assert len(api(admin_user).get("/api/v1/supervision/closes/2019-07/cards/?colour=yellow").json()) == 1


def test_an_outsider_gets_404_for_everything(outsider, programme):
    close()
    client = api(outsider)
    for address in (
        "/api/v1/supervision/closes/2019-07/cards/",
        "/api/v1/supervision/closes/2019-07/ranking/districts/",
        "/api/v1/supervision/rules/",
    ):
        assert client.get(address).status_code == 404, address
    assert client.get("/api/v1/supervision/closes/").json() == []


def test_an_open_month_is_previewed_for_the_office_only(admin_user, siming_officer, programme):
    assert api(siming_officer).get("/api/v1/supervision/closes/2019-07/cards/").status_code == 404
    assert len(api(admin_user).get("/api/v1/supervision/closes/2019-07/cards/").json()) == 2


def test_ranking_rows_for_a_district_are_its_own(siming_officer, leader_user, programme):
    close()
    own = api(siming_officer).get("/api/v1/supervision/closes/2019-07/ranking/districts/").json()
    assert [r["name"] for r in own] == ["思明区"]
    assert len(api(leader_user).get("/api/v1/supervision/closes/2019-07/ranking/districts/").json()) == 2
    assert api(leader_user).get("/api/v1/supervision/closes/2019-07/ranking/towns/").status_code == 404


def test_listings_through_the_api(admin_user, siming_officer, haicang_officer, programme):
    created = api(admin_user).post(
        "/api/v1/supervision/listings/",
        {
            "project": programme["siming"].code,
            "matter": "交地滞后",
            "responsible": "思明区",
            "target": "交地",
            "due": "2019-09-30",
        },
        format="json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert api(haicang_officer).get(f"/api/v1/supervision/listings/{pk}/").status_code == 404
    assert api(siming_officer).get(f"/api/v1/supervision/listings/{pk}/").status_code == 200
    assert api(siming_officer).post(f"/api/v1/supervision/listings/{pk}/progress/", {"note": "x"}).status_code == 403
    refused = api(admin_user).post(f"/api/v1/supervision/listings/{pk}/close/", {"note": ""}, format="json")
    assert refused.status_code == 400 and refused.json()["problems"][0]["field"] == "evidence"
    stale = api(admin_user).post(
        f"/api/v1/supervision/listings/{pk}/close/", {"note": "完成", "version": 9}, format="json"
    )
    assert stale.status_code == 409
    done = api(admin_user).post(f"/api/v1/supervision/listings/{pk}/close/", {"note": "交地确认书"}, format="json")
    assert done.json()["status"] == "closed"
    assert Listing.objects.get().evidence == "交地确认书"


def test_missing_fields_of_a_listing_are_all_named(admin_user, programme):
    response = api(admin_user).post(
        "/api/v1/supervision/listings/",
        {"project": programme["siming"].code, "matter": "", "responsible": "", "target": ""},
        format="json",
    )
    assert response.status_code == 400
    assert {p["field"] for p in response.json()["problems"]} == {"matter", "responsible", "target", "due"}


def test_rule_edits_through_the_api(admin_user, siming_officer):
    refused = api(admin_user).post("/api/v1/supervision/rules/", {"card": {"yellow_below": "50"}}, format="json")
    assert refused.status_code == 400
    assert refused.json()["problems"][0]["field"] == "yellow_below"
    weights = api(admin_user).post("/api/v1/supervision/rules/", {"ranking": {"weight_start": "20"}}, format="json")
    assert weights.status_code == 400 and "四项权重之和应为100，现为105" in weights.json()["detail"]
    ok = api(admin_user).post(
        "/api/v1/supervision/rules/", {"ranking": {"weight_start": "20", "weight_completion": "10"}}, format="json"
    )
    assert ok.json()["ranking"]["version"] == 2
    assert api(siming_officer).post("/api/v1/supervision/rules/", {"card": {}}, format="json").status_code == 403


def test_the_forecast_is_scoped(siming_officer, programme):
    data = api(siming_officer).get("/api/v1/supervision/forecast/?period=2019-07").json()
    assert [row["project"] for row in data["likely_to_miss"]] == [programme["siming"].code]
    assert data["annual_plan"] == "1200.00"


def test_a_district_does_not_get_the_citys_sentence_with_the_closes(siming_officer, admin_user, programme):
    earlier_months_closed(JULY)
    api(admin_user).post("/api/v1/supervision/closes/", {"period": "2019-07"}, format="json")
    listed = api(siming_officer).get("/api/v1/supervision/closes/").json()
    assert {row["sentence"] for row in listed} == {""}
    assert api(siming_officer).get("/api/v1/supervision/closes/2019-07/").json()["sentence"] == ""
    assert api(admin_user).get("/api/v1/supervision/closes/2019-07/").json()["sentence"].startswith("1-7月")


def test_a_short_month_closes_over_the_api_only_with_a_reason_and_issues_separately(admin_user, siming, settings):
    settings.KEYPROJ_TODAY = dt.date(2019, 8, 20)
    project_with("50", district=siming)
    project_with("50", months=6, district=siming)
    earlier_months_closed(JULY)
    client = api(admin_user)

    refused = client.post("/api/v1/supervision/closes/", {"period": "2019-07"}, format="json")
    assert refused.status_code == 400 and "低于关账要求的95%" in refused.json()["detail"]
    done = client.post(
        "/api/v1/supervision/closes/", {"period": "2019-07", "override_reason": "一个项目停工"}, format="json"
    )
    assert done.status_code == 201
    assert done.json()["override_reason"] == "一个项目停工" and done.json()["number"] is None
    assert (done.json()["approved_returns"], done.json()["due_returns"]) == (1, 2)

    issued = client.post("/api/v1/supervision/closes/2019-07/issue/", format="json")
    assert issued.status_code == 200 and issued.json()["number"] == "厦重点办〔2019〕1号"


def test_a_district_may_not_issue(siming_officer, programme):
    close()
    assert api(siming_officer).post("/api/v1/supervision/closes/2019-07/issue/", format="json").status_code == 403

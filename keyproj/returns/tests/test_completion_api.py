"""The completion percentage through the API: answered, taken, refused with the field named."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from keyproj.returns.models import ProgressReturn

RETURNS = "/api/v1/returns/"
pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(project, **overrides):
    values = {
        "project": project.code,
        "year": 2019,
        "month": 7,
        "investment": "250.50",
        "physical_progress": "主体施工",
        "started": True,
        "completed": False,
    }
    values.update(overrides)
    return values


def test_a_return_posted_with_a_percentage_answers_it(owner_user, siming_project):
    response = api(owner_user).post(RETURNS, body(siming_project, completion=68.5), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["completion"] == "68.50"
    assert response.json()["completion_drop_reason"] == ""


def test_a_return_without_a_percentage_answers_null(owner_user, siming_project):
    response = api(owner_user).post(RETURNS, body(siming_project), format="json")

    assert response.status_code == 201
    assert response.json()["completion"] is None


@pytest.mark.parametrize(("given", "message"), [("101", "不能超过100"), ("abc", "不是数字")])
def test_a_bad_percentage_is_refused_naming_the_field_and_nothing_is_written(
    owner_user, siming_project, given, message
):
    response = api(owner_user).post(RETURNS, body(siming_project, completion=given), format="json")

    assert response.status_code == 400
    problems = {p["field"]: p["message"] for p in response.json()["problems"]}
    assert message in problems["completion"]
    assert not ProgressReturn.objects.exists()


def test_a_falling_percentage_needs_a_reason(owner_user, siming_project):
    client = api(owner_user)
    created = client.post(RETURNS, body(siming_project, month=6, completion="68"), format="json").json()
    client.post(f"{RETURNS}{created['id']}/submit/", {}, format="json")

    refused = client.post(RETURNS, body(siming_project, completion="60"), format="json")
    accepted = client.post(
        RETURNS, body(siming_project, completion="60", completion_drop_reason="设计变更"), format="json"
    )

    assert refused.status_code == 400
    assert "（68%→60%）" in refused.json()["problems"][0]["message"]
    assert accepted.status_code == 201
    assert ProgressReturn.objects.get(month=7).completion == Decimal("60.00")


def test_a_correction_changes_the_percentage_alone(owner_user, siming_project):
    client = api(owner_user)
    created = client.post(RETURNS, body(siming_project, completion="30"), format="json").json()

    response = client.patch(
        f"{RETURNS}{created['id']}/", {"version": created["version"], "completion": "35"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["completion"] == "35.00"
    assert response.json()["investment"] == "250.50"

"""The annual plan's opening balance (截至上年末累计完成投资): API, page form and amendments carry it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from keyproj.core.scoping import CONSOLE
from keyproj.plans.models import AnnualPlan
from keyproj.plans.services import decide_plan_amendment, plan_data, request_plan_amendment
from keyproj.testing import make_plan

D = Decimal
PLANS = "/api/v1/plans/"
pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(project, **overrides):
    values = {"project": project.code, "year": 2019, "investment": "1200", "monthly": ["100"] * 12}
    values.update(overrides)
    return values


def test_a_plan_posted_with_an_opening_balance_keeps_and_answers_it(owner_user, siming_project):
    response = api(owner_user).post(PLANS, body(siming_project, invested_before="3500.5"), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["invested_before"] == "3500.50"
    assert AnnualPlan.objects.get().invested_before == D("3500.50")


def test_a_negative_opening_balance_is_refused_naming_the_field(owner_user, siming_project):
    response = api(owner_user).post(PLANS, body(siming_project, invested_before="-1"), format="json")

    assert response.status_code == 400
    assert "invested_before" in {p["field"] for p in response.json()["problems"]}
    assert not AnnualPlan.objects.exists()


def test_an_approved_amendment_carries_the_opening_balance(admin_user, siming_project):
    plan = make_plan(siming_project)
    data = plan_data(plan)
    data.invested_before = D("800")

    amendment = request_plan_amendment(plan, data, user=CONSOLE, reason="补填期初数")
    decide_plan_amendment(amendment, user=admin_user, approve=True)

    assert AnnualPlan.objects.get().invested_before == D("800.00")


def test_the_plan_page_form_takes_the_opening_balance(client, admin_user, siming_project):
    client.force_login(admin_user)
    url = reverse("plans:edit", args=[siming_project.pk, 2019])
    posted = {"investment": "1200", **{f"m{m}": "100" for m in range(1, 13)}, "invested_before": "2000"}

    response = client.post(url, posted)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert AnnualPlan.objects.get().invested_before == D("2000.00")
    assert 'name="invested_before" value="2000.00"' in client.get(url).content.decode()

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from keyproj.accounts.models import Role
from keyproj.agents.models import Grade, Qualification, Specialty
from keyproj.core.models import AuditEntry
from keyproj.testing import make_plan, make_returns, make_user


@pytest.fixture
def superuser(db):
    return make_user("root", is_staff=True, is_superuser=True)


@pytest.fixture
def filled(siming_project, agent_org, siming_officer):
    """One of everything, so that every changelist has a row to draw."""
    make_plan(siming_project)
    make_returns(siming_project, ["100", "120"])
    Qualification.objects.create(firm=agent_org, specialty=Specialty.objects.get(code="building"), grade=Grade.A)


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_registered_models_changelist_and_search_load_for_a_superuser(client, superuser, filled):
    client.force_login(superuser)
    assert len(admin.site._registry) >= 15

    for model, model_admin in admin.site._registry.items():
        url = _url(model, "changelist")
        assert client.get(url).status_code == 200, url
        if model_admin.search_fields:
            assert client.get(url, {"q": "测试"}).status_code == 200, url


def test_every_models_page_opens_for_a_superuser(client, superuser, filled):
    client.force_login(superuser)

    for model in admin.site._registry:
        obj = model._default_manager.first()
        if obj is not None:
            url = _url(model, "change", obj.pk)
            assert client.get(url).status_code == 200, url


def test_the_admin_speaks_chinese(client, superuser):
    client.force_login(superuser)

    page = client.get(reverse("admin:index")).content.decode()

    assert "重点项目督办平台 · 管理后台" in page
    assert "项目库" in page and "审计记录" in page


def test_the_audit_log_cannot_be_added_to_changed_or_deleted(client, superuser, filled):
    client.force_login(superuser)
    entry = AuditEntry.objects.first()
    before = AuditEntry.objects.count()

    assert client.get(_url(AuditEntry, "add")).status_code == 403
    assert client.post(_url(AuditEntry, "change", entry.pk), {"action": "forged"}).status_code == 403
    assert client.post(_url(AuditEntry, "delete", entry.pk), {"post": "yes"}).status_code == 403
    AuditEntry.objects.get(pk=entry.pk, action=entry.action)
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("model_path", ["plans.AnnualPlan", "plans.MonthlyPlan", "returns.ProgressReturn"])
def test_plans_and_returns_are_read_only_in_the_admin(client, superuser, model_path):
    from django.apps import apps

    client.force_login(superuser)

    assert client.get(_url(apps.get_model(model_path), "add")).status_code == 403


def test_a_user_who_is_not_staff_is_sent_to_the_admin_login(client, db):
    client.force_login(make_user("office", Role.OFFICE_ADMIN))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_admin_is_closed_to_staff_flagged_users_outside_the_office(client, siming_officer):
    siming_officer.is_staff = True
    siming_officer.save()
    client.force_login(siming_officer)

    response = client.get("/admin/projects/project/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_admin_opens_for_the_office(client, admin_user):
    admin_user.is_staff = True
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)

    assert client.get("/admin/").status_code == 200

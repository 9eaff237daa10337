from __future__ import annotations

import pytest
from django.urls import reverse

from keyproj.core import audit
from keyproj.testing import make_user


@pytest.fixture
def root(db):
    return make_user("root", is_staff=True, is_superuser=True)


def _form(project, **changes) -> dict[str, str]:
    data = {
        "name": project.name,
        "level": project.level,
        "category": str(project.category_id),
        "stage": "",
        "pipeline_batch": "",
        "district": str(project.district_id),
        "area_command": "",
        "responsible_unit": str(project.responsible_unit_id),
        "owner": str(project.owner_id),
        "agent_builder": str(project.agent_builder_id or ""),
        "total_investment": str(project.total_investment),
        "planned_start": "",
        "planned_completion": "",
        "location": "",
        "description": "",
        "seen_version": str(project.version),
    }
    data.update(changes)
    return data


def test_a_project_edited_in_the_admin_is_saved_through_the_service(client, root, siming_project):
    client.force_login(root)
    url = reverse("admin:projects_project_change", args=[siming_project.pk])

    response = client.post(url, _form(siming_project, name="厦门第二东通道", total_investment="250000.00"))

    assert response.status_code == 302, response.content.decode()
    siming_project.refresh_from_db()
    assert siming_project.name == "厦门第二东通道"
    assert siming_project.version == 2
    entry = audit.history(siming_project).first()
    assert (entry.action, entry.user) == ("project.update", root)
    assert entry.after["total_investment"] == "250000.00"


def test_the_services_checks_apply_in_the_admin(client, root, siming_project, unit_org):
    client.force_login(root)
    url = reverse("admin:projects_project_change", args=[siming_project.pk])

    response = client.post(
        url,
        _form(
            siming_project,
            district=str(unit_org.pk),
            planned_start="2019-06-01",
            planned_completion="2019-01-01",
        ),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "不是区" in page and "早于计划开工" in page
    siming_project.refresh_from_db()
    assert siming_project.version == 1


def test_projects_cannot_be_deleted_in_the_admin(client, root, siming_project):
    client.force_login(root)

    response = client.post(reverse("admin:projects_project_delete", args=[siming_project.pk]), {"post": "yes"})

    assert response.status_code == 403


def test_an_edit_opened_before_someone_elses_save_does_not_overwrite_it(client, root, siming_project):
    client.force_login(root)
    url = reverse("admin:projects_project_change", args=[siming_project.pk])
    opened = _form(siming_project, name="我的修改")
    client.post(url, _form(siming_project, name="他人的修改"))  # saved first, from another page

    response = client.post(url, opened)

    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    siming_project.refresh_from_db()
    assert siming_project.name == "他人的修改"

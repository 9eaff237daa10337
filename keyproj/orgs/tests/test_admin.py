from __future__ import annotations

from django.urls import reverse

from keyproj.core import audit
from keyproj.testing import make_user


def test_editing_an_organisation_in_the_admin_is_audited_and_versioned(client, db, owner_org):
    root = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(root)
    url = reverse("admin:orgs_organisation_change", args=[owner_org.pk])

    response = client.post(
        url,
        {
            "kind": "owner",
            "name": owner_org.name,
            "short_name": "路桥集团",
            "code": "",
            "parent": "",
            "contact": "",
            "phone": "",
            "order": "0",
            "active": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()
    owner_org.refresh_from_db()
    assert owner_org.short_name == "路桥集团"
    assert owner_org.version == 2
    entry = audit.history(owner_org).first()
    assert entry.action == "organisation.update"
    assert entry.user == root
    assert entry.before["short_name"] == "" and entry.after["short_name"] == "路桥集团"


def test_adding_a_district_without_a_division_code_is_refused(client, db):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))

    response = client.post(
        reverse("admin:orgs_organisation_add"),
        {"kind": "district", "name": "鼓浪屿区", "code": "", "order": "0", "active": "on"},
    )

    assert response.status_code == 200
    assert "行政区划代码" in response.content.decode()

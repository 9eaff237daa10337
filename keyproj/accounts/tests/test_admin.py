from __future__ import annotations

from django.urls import reverse

from keyproj.accounts.models import Membership, Role
from keyproj.core import audit
from keyproj.core.models import AuditEntry
from keyproj.testing import make_user


def _user_form(user, **extra) -> dict[str, str]:
    data = {
        "username": user.username,
        "full_name": "陈联络员",
        "phone": "",
        "email": "",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2019-01-01",
        "date_joined_1": "08:00:00",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    data.update(extra)
    return data


def test_a_role_given_in_the_admin_is_audited(client, db, siming):
    root = make_user("root", is_staff=True, is_superuser=True)
    user = make_user("chen")
    client.force_login(root)

    response = client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        _user_form(
            user,
            **{
                "memberships-TOTAL_FORMS": "1",
                "memberships-0-organisation": str(siming.pk),
                "memberships-0-role": Role.DISTRICT_OFFICER,
                "memberships-0-user": str(user.pk),
            },
        ),
    )

    assert response.status_code == 302, response.content.decode()
    membership = Membership.objects.get(user=user)
    assert membership.organisation == siming
    assert audit.history(membership).get().action == "membership.create"
    entry = audit.history(user).get()
    assert entry.action == "user.update" and entry.after["full_name"] == "陈联络员"
    assert "password" not in entry.after and "password" not in entry.before


def test_a_role_in_the_wrong_kind_of_organisation_is_refused(client, db, owner_org):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    user = make_user("chen")

    response = client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        _user_form(
            user,
            **{
                "memberships-TOTAL_FORMS": "1",
                "memberships-0-organisation": str(owner_org.pk),
                "memberships-0-role": Role.DISTRICT_OFFICER,
                "memberships-0-user": str(user.pk),
            },
        ),
    )

    assert response.status_code == 200
    assert not Membership.objects.filter(user=user).exists()
    assert not AuditEntry.objects.exists()

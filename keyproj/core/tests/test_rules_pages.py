"""The rules pages: every registered rule, its history side by side, and a new version for the office.

Written against the registry (keyproj.core.rules.KINDS); the rule they publish is the month close's
completeness rule, one percentage with bounds, registered by supervision.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from keyproj.core import clock
from keyproj.core.models import AuditEntry
from keyproj.core.rules import kind_of, kinds, publish_rule
from keyproj.core.scoping import CONSOLE
from keyproj.supervision.models import CompletenessRule

pytestmark = pytest.mark.django_db

SLUG = "completeness"
FIELD = "min_approved_share"


def rule_url(slug: str = SLUG) -> str:
    return reverse("rule", args=[slug])


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        FIELD: "90",
        "effective_from": clock.today().isoformat(),
        "note": "按新要求调整",
    }
    data.update(overrides)
    return data


def test_the_rules_page_lists_every_registered_rule_with_its_version_in_force(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("rules"))
    assert response.status_code == 200
    page = response.content.decode()
    assert kinds(), "apps register their rules as they start"
    for kind in kinds():
        assert kind.label in page
        assert rule_url(kind.slug) in page
        assert f"第{kind.model.current().version}版" in page


def test_the_rules_page_names_who_published_the_version_in_force(client, staff_user, admin_user):
    publish_rule(CompletenessRule, {FIELD: Decimal("91")}, user=admin_user, note="提高要求")
    client.force_login(staff_user)
    page = client.get(reverse("rules")).content.decode()
    assert "admin" in page
    assert "提高要求" in page


def test_a_rule_page_shows_every_version_and_marks_what_changed(client, staff_user):
    publish_rule(CompletenessRule, {FIELD: Decimal("88")}, user=CONSOLE, note="第一次调整")
    publish_rule(CompletenessRule, {FIELD: Decimal("88")}, user=CONSOLE, note="只改说明")
    client.force_login(staff_user)
    response = client.get(rule_url())
    assert response.status_code == 200
    versions = list(CompletenessRule.objects.order_by("-version"))
    settings = response.context["settings"]
    [row] = settings
    assert len(row.cells) == len(versions)
    # Newest first: the last publish changed nothing, the one before it changed the share.
    assert [cell.changed for cell in row.cells[:2]] == [False, True]
    assert row.cells[1].text == "88.00"
    assert 'class="changed"' in response.content.decode()


def test_the_office_sees_the_form_prefilled_with_the_version_in_force(client, staff_user):
    publish_rule(CompletenessRule, {FIELD: Decimal("87")}, user=CONSOLE)
    client.force_login(staff_user)
    form = client.get(rule_url()).context["form"]
    assert form is not None
    assert form.initial[FIELD] == Decimal("87")
    assert form.initial["effective_from"] == clock.today()
    assert {"effective_from", "note", FIELD} <= set(form.fields)


def test_the_office_publishes_a_new_version_and_the_old_one_is_unchanged(client, staff_user):
    old = CompletenessRule.current()
    old_share, old_note = old.min_approved_share, old.note
    client.force_login(staff_user)

    response = client.post(rule_url(), form_data())

    assert response.status_code == 302
    new = CompletenessRule.objects.order_by("-version").first()
    assert new.version == old.version + 1
    assert new.min_approved_share == Decimal("90")
    assert new.note == "按新要求调整"
    assert new.created_by == staff_user
    assert new.effective_from == clock.today()
    again = CompletenessRule.objects.get(pk=old.pk)
    assert (again.min_approved_share, again.note) == (old_share, old_note)
    entry = AuditEntry.objects.filter(action="rule.publish").latest("id")
    assert entry.user == staff_user
    assert Decimal(entry.after["min_approved_share"]) == Decimal("90")


def test_a_refusal_shows_every_reason_on_its_field_and_writes_nothing(client, staff_user):
    client.force_login(staff_user)
    versions, entries = CompletenessRule.objects.count(), AuditEntry.objects.count()
    yesterday = clock.today() - dt.timedelta(days=1)

    response = client.post(rule_url(), form_data(**{FIELD: "150", "effective_from": yesterday.isoformat()}))

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["effective_from"] == [f"不能早于今天（{clock.today().isoformat()}）"]
    assert form.errors[FIELD]
    assert CompletenessRule.objects.count() == versions
    assert AuditEntry.objects.count() == entries


def test_a_form_error_is_shown_before_the_service_is_asked(client, staff_user):
    client.force_login(staff_user)
    versions = CompletenessRule.objects.count()
    response = client.post(rule_url(), form_data(**{FIELD: "很多", "effective_from": "2336-01-01"}))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {FIELD, "effective_from"}
    assert CompletenessRule.objects.count() == versions


def test_a_city_leader_reads_the_rules_without_a_form(client, leader_user):
    client.force_login(leader_user)
    assert client.get(reverse("rules")).status_code == 200
    response = client.get(rule_url())
    assert response.status_code == 200
    assert response.context["form"] is None
    assert "发布新版本" not in response.content.decode()


def test_a_city_leader_may_not_publish(client, leader_user):
    client.force_login(leader_user)
    versions = CompletenessRule.objects.count()
    assert client.post(rule_url(), form_data()).status_code == 403
    assert CompletenessRule.objects.count() == versions


@pytest.mark.parametrize("who", ["siming_officer", "owner_user", "unit_officer", "inspector_user", "outsider"])
def test_the_rules_do_not_exist_for_anyone_outside_the_office_and_the_leaders(client, request, who):
    client.force_login(request.getfixturevalue(who))
    versions = CompletenessRule.objects.count()
    assert client.get(reverse("rules")).status_code == 404
    assert client.get(rule_url()).status_code == 404
    assert client.post(rule_url(), form_data()).status_code in (403, 404)
    assert CompletenessRule.objects.count() == versions


def test_signing_in_comes_first(client):
    assert client.get(reverse("rules")).status_code == 302
    assert client.get(rule_url()).status_code == 302


def test_an_unknown_rule_is_not_found(client, staff_user):
    client.force_login(staff_user)
    assert client.get(rule_url("no-such-rule")).status_code == 404


def test_the_header_links_to_the_rules_for_the_office_and_leaders_only(client, staff_user, leader_user, owner_user):
    for user, shown in ((staff_user, True), (leader_user, True), (owner_user, False)):
        client.force_login(user)
        page = client.get(reverse("home")).content.decode()
        assert (f'href="{reverse("rules")}"' in page) is shown, user


def test_every_registered_rule_has_a_page(client, staff_user):
    client.force_login(staff_user)
    for kind in kinds():
        assert client.get(rule_url(kind.slug)).status_code == 200, kind.slug
    assert kind_of(SLUG).model is CompletenessRule

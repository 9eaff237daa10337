"""The rules over the API: the registered rules, a rule's versions, and publishing through the one service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from keyproj.core import clock
from keyproj.core.models import AuditEntry
from keyproj.core.rules import kinds, publish_rule
from keyproj.core.scoping import CONSOLE
from keyproj.supervision.models import CompletenessRule

pytestmark = pytest.mark.django_db

LIST = "/api/v1/rules/"
DETAIL = "/api/v1/rules/completeness/"
FIELD = "min_approved_share"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_office_reads_every_registered_rule(staff_user):
    response = api(staff_user).get(LIST)
    assert response.status_code == 200
    by_slug = {row["slug"]: row for row in response.json()}
    assert set(by_slug) == {kind.slug for kind in kinds()}
    row = by_slug["completeness"]
    assert row["version"] == CompletenessRule.current().version
    assert row["may_publish"] is True


def test_a_rule_answers_every_version_newest_first(staff_user):
    publish_rule(CompletenessRule, {FIELD: Decimal("85")}, user=CONSOLE, note="调整")
    body = api(staff_user).get(DETAIL).json()
    assert body["slug"] == "completeness"
    assert [s["field"] for s in body["settings"]] == [FIELD]
    versions = [v["version"] for v in body["versions"]]
    assert versions == sorted(versions, reverse=True)
    assert body["versions"][0]["settings"][FIELD] == "85.00"
    assert body["versions"][0]["note"] == "调整"
    assert body["in_force"] == CompletenessRule.current().version


def test_the_office_publishes_a_new_version_with_its_audit_entry(staff_user):
    old = CompletenessRule.current()
    response = api(staff_user).post(DETAIL, {FIELD: "92.5", "note": "提高要求"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["version"] == old.version + 1
    assert body["settings"][FIELD] == "92.50"
    assert body["effective_from"] == clock.today().isoformat()
    assert body["created_by"] == staff_user.username
    new = CompletenessRule.objects.get(version=body["version"])
    assert new.min_approved_share == Decimal("92.5")
    assert CompletenessRule.objects.get(pk=old.pk).min_approved_share == old.min_approved_share
    entry = AuditEntry.objects.filter(action="rule.publish").latest("id")
    assert (entry.user, entry.object_id) == (staff_user, str(new.pk))


def test_what_is_not_given_stays_as_in_the_version_in_force(staff_user):
    publish_rule(CompletenessRule, {FIELD: Decimal("77")}, user=CONSOLE)
    response = api(staff_user).post(DETAIL, {"note": "只写说明"}, format="json")
    assert response.status_code == 201
    assert response.json()["settings"][FIELD] == "77.00"


def test_a_refusal_names_every_problem_by_its_api_field_and_writes_nothing(staff_user):
    versions, entries = CompletenessRule.objects.count(), AuditEntry.objects.count()
    yesterday = (clock.today() - dt.timedelta(days=1)).isoformat()
    response = api(staff_user).post(DETAIL, {FIELD: "150", "effective_from": yesterday}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "problems"}
    fields = {p["field"] for p in body["problems"]}
    assert fields >= {FIELD, "effective_from"}
    assert CompletenessRule.objects.count() == versions
    assert AuditEntry.objects.count() == entries


def test_an_unknown_setting_or_a_bad_value_is_refused_with_400(staff_user):
    versions = CompletenessRule.objects.count()
    response = api(staff_user).post(DETAIL, {"colour": "red", FIELD: "很多"}, format="json")
    assert response.status_code == 400
    assert {p["field"] for p in response.json()["problems"]} == {"colour", FIELD}
    assert CompletenessRule.objects.count() == versions


def test_a_city_leader_reads_but_may_not_publish(leader_user):
    client = api(leader_user)
    assert client.get(LIST).status_code == 200
    assert client.get(DETAIL).json()["may_publish"] is False
    versions = CompletenessRule.objects.count()
    response = client.post(DETAIL, {FIELD: "90"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"]
    assert CompletenessRule.objects.count() == versions


@pytest.mark.parametrize("who", ["siming_officer", "owner_user", "inspector_user", "outsider"])
def test_anyone_else_finds_no_rules_and_may_not_publish(request, who):
    client = api(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 404
    assert client.get(DETAIL).status_code == 404
    versions = CompletenessRule.objects.count()
    assert client.post(DETAIL, {FIELD: "90"}, format="json").status_code == 403
    assert CompletenessRule.objects.count() == versions


def test_an_anonymous_caller_is_asked_to_sign_in(db):
    assert APIClient().get(LIST).status_code in (401, 403)


def test_an_unknown_rule_is_404(staff_user):
    assert api(staff_user).get("/api/v1/rules/nothing/").status_code == 404
    assert api(staff_user).post("/api/v1/rules/nothing/", {}, format="json").status_code == 404


def test_a_fault_is_told_once_on_its_field_in_the_rules_words(db):
    from keyproj.core.errors import Refused
    from keyproj.core.rules import publish_rule
    from keyproj.core.scoping import CONSOLE
    from keyproj.supervision.models import CardRule

    with pytest.raises(Refused) as refused:
        publish_rule(CardRule, {"yellow_below": Decimal("50"), "red_below": Decimal("60")}, user=CONSOLE)

    assert [(r.field, r.message) for r in refused.value.problems] == [
        (str(CardRule._meta.get_field("yellow_below").verbose_name), "黄牌阈值（50%）不能低于红牌阈值（60%）")
    ]


def test_the_audit_entry_of_a_published_rule_records_the_stored_values(db):
    from keyproj.core.audit import history
    from keyproj.core.rules import publish_rule
    from keyproj.core.scoping import CONSOLE
    from keyproj.supervision.models import CompletenessRule

    rule = publish_rule(CompletenessRule, {"min_approved_share": "90"}, user=CONSOLE, note="汛期")

    assert history(rule).get().after["min_approved_share"] == "90.00"

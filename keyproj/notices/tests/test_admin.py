from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from keyproj.core.errors import Refused
from keyproj.core.models import AuditEntry
from keyproj.core.rules import RuleEditedInPlace, publish_rule
from keyproj.core.scoping import CONSOLE
from keyproj.notices.models import NoticeKind, NumberingRule
from keyproj.notices.services import next_number
from keyproj.testing import make_user


@pytest.fixture
def root(db):
    return make_user("root", is_staff=True, is_superuser=True)


def test_the_migration_keeps_every_kinds_pattern_as_version_one(db):
    rule = NumberingRule.current()
    assert rule.version == 1
    assert rule.format(NoticeKind.MONTHLY, 2019, 3) == "厦重点办〔2019〕3号"
    assert rule.format(NoticeKind.INSPECTION, 2019, 1) == "厦建代〔2019〕1号"
    assert rule.format(NoticeKind.MINUTES, 2019, 1) == "厦重点办纪〔2019〕1号"
    assert rule.public_kinds() == [NoticeKind.MONTHLY, NoticeKind.INSPECTION]


def test_the_office_publishes_a_new_numbering_rule_and_it_is_audited(admin_user):
    rule = publish_rule(
        NumberingRule, {"minutes_pattern": "厦重点办会〔{year}〕{n}号", "minutes_public": True}, user=admin_user
    )
    assert rule.version == 2 and NumberingRule.current() == rule
    assert rule.monthly_pattern == "厦重点办〔{year}〕{n}号"  # what was not given stays as it was
    assert next_number(NoticeKind.MINUTES, 2019) == "厦重点办会〔2019〕1号"
    assert AuditEntry.objects.filter(action="rule.publish", object_id=str(rule.pk)).exists()


def test_a_pattern_without_both_placeholders_is_refused(admin_user):
    for bad in ("厦重点办〔2019〕{n}号", "厦重点办〔{year}〕号", "厦重点办〔{year}〕{n}号{x}"):
        with pytest.raises(Refused):
            publish_rule(NumberingRule, {"monthly_pattern": bad}, user=admin_user)
    assert NumberingRule.objects.count() == 1


def test_only_the_office_publishes_numbering_rules(siming_officer):
    with pytest.raises(PermissionDenied):
        publish_rule(NumberingRule, {"other_public": True}, user=siming_officer)


def test_a_published_version_is_never_edited(db):
    rule = NumberingRule.current()
    rule.monthly_pattern = "改〔{year}〕{n}号"
    with pytest.raises(RuleEditedInPlace):
        rule.save()
    assert publish_rule(NumberingRule, {}, user=CONSOLE).version == 2


def test_the_numbering_rules_are_read_only_in_the_admin(client, root):
    client.force_login(root)
    rule = NumberingRule.current()
    assert client.get(reverse("admin:notices_numberingrule_changelist")).status_code == 200
    assert client.get(reverse("admin:notices_numberingrule_add")).status_code == 403
    response = client.post(reverse("admin:notices_numberingrule_change", args=[rule.pk]), {"monthly_pattern": "x"})
    assert response.status_code in (403, 200)
    assert NumberingRule.current().monthly_pattern == "厦重点办〔{year}〕{n}号"


def test_issued_notices_cannot_be_added_or_changed_in_the_admin(client, root, monthly):
    client.force_login(root)
    assert client.get(reverse("admin:notices_notice_add")).status_code == 403
    assert client.post(reverse("admin:notices_notice_delete", args=[monthly.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:notices_notice_changelist")).status_code == 200

from __future__ import annotations

import pytest
from django.urls import reverse

from keyproj.core import audit
from keyproj.notices.models import NoticeKind, NumberingRule
from keyproj.testing import make_user


@pytest.fixture
def root(db):
    return make_user("root", is_staff=True, is_superuser=True)


def change(client, rule: NumberingRule, **values):
    data = {"pattern": rule.pattern, "public": "on" if rule.public else "", **values}
    return client.post(reverse("admin:notices_numberingrule_change", args=[rule.pk]), data)


def test_the_office_edits_a_numbering_rule_in_the_admin_and_the_change_is_audited(client, root):
    client.force_login(root)
    rule = NumberingRule.objects.get(kind=NoticeKind.MINUTES)
    response = change(client, rule, pattern="厦重点办会〔{year}〕{n}号", public="on")
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.pattern == "厦重点办会〔{year}〕{n}号" and rule.public
    assert audit.history(rule).filter(action="numberingrule.update").exists()


def test_a_pattern_without_both_placeholders_is_refused(client, root):
    client.force_login(root)
    rule = NumberingRule.objects.get(kind=NoticeKind.MONTHLY)
    for bad in ("厦重点办〔2019〕{n}号", "厦重点办〔{year}〕号", "厦重点办〔{year}〕{n}号{x}"):
        response = change(client, rule, pattern=bad)
        assert response.status_code == 200, bad
        assert response.context["adminform"].form.errors["pattern"], bad
    rule.refresh_from_db()
    assert rule.pattern == "厦重点办〔{year}〕{n}号"


def test_issued_notices_cannot_be_added_or_changed_in_the_admin(client, root, monthly):
    client.force_login(root)
    assert client.get(reverse("admin:notices_notice_add")).status_code == 403
    assert client.post(reverse("admin:notices_notice_delete", args=[monthly.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:notices_notice_changelist")).status_code == 200

"""每日汇总: a user in digest mode gets one e-mail a day with every message of it, and never twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from keyproj.accounts.models import Role
from keyproj.accounts.services import notify
from keyproj.outbox.delivery import deliver_due, send_digests
from keyproj.outbox.models import Delivery, Mode, Preference, Status
from keyproj.outbox.services import save_preference
from keyproj.testing import make_user

pytestmark = pytest.mark.django_db

T0 = timezone.now() + dt.timedelta(hours=1)
DAY = dt.date(2019, 9, 3)


@pytest.fixture
def owner(owner_org):
    user = make_user("owner", Role.OWNER, owner_org, email="owner@example.cn")
    Preference.objects.create(user=user, mode=Mode.DIGEST)
    return user


def test_two_messages_in_digest_mode_make_one_email_with_both(smtp, owner):
    notify([owner], "填报被退回：环岛路改造 2019年8月", body="退回意见：投资额有误", url="/returns/?period=2019-08")
    notify([owner], "新问题待办：管线迁改滞后", url="/problems/5/")
    assert set(Delivery.objects.values_list("status", flat=True)) == {Status.HELD}
    assert deliver_due(now=T0)["sent"] == 0
    assert smtp.messages == []

    counts = send_digests(DAY, now=T0)
    assert (counts["digests"], counts["bundled"], counts["sent"]) == (1, 2, 1)
    [mail] = smtp.messages
    assert mail["Subject"].strip() == "[重点项目督办平台] 每日汇总 2019-09-03：2条消息"
    text = mail.get_content()
    assert "1. 填报被退回：环岛路改造 2019年8月" in text and "退回意见：投资额有误" in text
    assert "2. 新问题待办：管线迁改滞后" in text
    assert "https://dbpt.example.gov.cn/returns/?period=2019-08" in text
    assert "https://dbpt.example.gov.cn/problems/5/" in text
    assert set(Delivery.objects.filter(digest__isnull=False).values_list("status", flat=True)) == {Status.BUNDLED}


def test_running_the_digest_and_the_worker_twice_sends_nothing_twice(smtp, owner):
    notify([owner], "消息一")
    send_digests(DAY, now=T0)
    notify([owner], "消息二")  # after the day's digest: it waits for the next one
    assert send_digests(DAY, now=T0)["digests"] == 0
    assert deliver_due(now=T0 + dt.timedelta(minutes=5))["sent"] == 0
    assert len(smtp.messages) == 1
    send_digests(DAY + dt.timedelta(days=1), now=T0 + dt.timedelta(days=1))
    assert len(smtp.messages) == 2
    assert "消息二" in smtp.messages[1].get_content() and "消息一" not in smtp.messages[1].get_content()


def test_a_digest_that_fails_is_retried_by_the_worker(smtp, owner):
    notify([owner], "消息一")
    smtp.refuse = True
    assert send_digests(DAY, now=T0)["retrying"] == 1
    smtp.refuse = False
    assert deliver_due(now=T0 + dt.timedelta(minutes=1))["sent"] == 1
    assert "消息一" in smtp.messages[0].get_content()


def test_leaving_digest_mode_sends_what_was_held_at_the_next_round(smtp, owner):
    notify([owner], "消息一")
    save_preference(owner, email_enabled=True, mode=Mode.IMMEDIATE, actor=owner)
    assert deliver_due(now=T0)["sent"] == 1
    assert smtp.messages[0]["Subject"].strip() == "[重点项目督办平台] 消息一"

"""E-mail through a real SMTP server: what is sent, once; refusals and outages retried, backing off,
then given up on and shown; nothing lost while the server is down."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from keyproj.accounts.models import Role
from keyproj.accounts.services import notify
from keyproj.outbox.delivery import backoff, deliver_due
from keyproj.outbox.models import Channel, Delivery, Mode, Preference, Status
from keyproj.testing import make_user

pytestmark = pytest.mark.django_db

# After the messages are written (their deliveries are due from then on), as the worker would run.
T0 = timezone.now() + dt.timedelta(hours=1)


@pytest.fixture
def owner(owner_org):
    return make_user("owner", Role.OWNER, owner_org, email="owner@example.cn", full_name="王业主")


def announce(users, **extra):
    values = {
        "body": "退回意见：投资额与合同不符",
        "url": "/returns/?period=2019-08#sent-back-7",
        "kind": "return.send_back",
    }
    values.update(extra)
    return notify(users, "填报被退回：环岛路改造 2019年8月", **values)


def test_a_message_is_sent_as_an_email_with_the_site_name_body_and_absolute_link(smtp, owner):
    announce([owner])
    assert Delivery.objects.get().status == Status.PENDING
    assert smtp.messages == []  # nothing is sent inside the change itself

    assert deliver_due(now=T0)["sent"] == 1

    [mail] = smtp.messages
    # (Python's parser keeps the space of the folded header line the encoder starts with.)
    assert mail["Subject"].strip() == "[重点项目督办平台] 填报被退回：环岛路改造 2019年8月"
    assert mail["To"] == "owner@example.cn"
    text = mail.get_content()
    assert "退回意见：投资额与合同不符" in text
    assert "https://dbpt.example.gov.cn/returns/?period=2019-08#sent-back-7" in text
    row = Delivery.objects.get()
    assert (row.status, row.attempts, row.sent_at, row.channel) == (Status.SENT, 1, T0, Channel.EMAIL)


def test_running_the_worker_again_sends_nothing_twice(smtp, owner):
    announce([owner], key="return.send_back:7:v3")
    deliver_due(now=T0)
    announce([owner], key="return.send_back:7:v3")  # the same event announced again
    assert deliver_due(now=T0 + dt.timedelta(minutes=5)) == {"sent": 0, "retrying": 0, "failed": 0}
    assert len(smtp.messages) == 1


def test_nobody_without_an_address_or_with_email_off_is_written_to(smtp, owner, owner_org):
    nobody = make_user("no-mail", Role.OWNER, owner_org)
    Preference.objects.create(user=owner, email_enabled=False)
    announce([owner, nobody])
    assert not Delivery.objects.filter(channel=Channel.EMAIL).exists()


def test_a_refusing_server_is_retried_with_back_off_then_given_up_and_shown(smtp, owner, admin_user, client):
    smtp.refuse = True
    announce([owner])
    now = T0
    for attempt in (1, 2, 3):
        assert deliver_due(now=now)["retrying"] == 1
        row = Delivery.objects.get()
        assert row.status == Status.RETRYING and row.attempts == attempt
        assert "550" in row.last_error and "mailbox unavailable" in row.last_error
        assert row.next_attempt_at == now + backoff(attempt)
        # Before its time it is left alone.
        assert deliver_due(now=row.next_attempt_at - dt.timedelta(seconds=1))["retrying"] == 0
        now = row.next_attempt_at
    assert [backoff(n) for n in (1, 2, 3, 7, 20)] == [dt.timedelta(minutes=m) for m in (1, 2, 4, 60, 60)]

    # A server down over a weekend: still tried, once an hour, for KEYPROJ_OUTBOX_GIVE_UP_HOURS (72).
    created = Delivery.objects.get().created_at
    for hours in (2, 24, 71):
        now = created + dt.timedelta(hours=hours)
        assert deliver_due(now=now)["retrying"] == 1, hours
        row = Delivery.objects.get()
        assert row.next_attempt_at == now + backoff(row.attempts)
    now = created + dt.timedelta(hours=72)
    assert deliver_due(now=now)["failed"] == 1
    row = Delivery.objects.get()
    assert row.attempts == 7
    assert row.status == Status.FAILED and row.next_attempt_at is None
    assert deliver_due(now=now + dt.timedelta(days=1))["sent"] == 0

    client.force_login(admin_user)
    page = client.get("/outbox/?status=failed").content.decode()
    assert "已放弃" in page and "mailbox unavailable" in page and "重新发送" in page

    # Mended: the office sends it again from the page, and it goes.
    smtp.refuse = False
    assert client.post(f"/outbox/{row.pk}/retry/", {"status": "failed"}).status_code == 302
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 0)
    assert deliver_due(now=now + dt.timedelta(days=1, minutes=1))["sent"] == 1
    assert len(smtp.messages) == 1


def test_nothing_is_lost_while_the_mail_server_is_down(smtp, owner):
    smtp.stop()
    announce([owner])
    assert deliver_due(now=T0)["retrying"] == 1
    assert "无法发送邮件" in Delivery.objects.get().last_error
    smtp.start()
    assert deliver_due(now=T0 + dt.timedelta(minutes=1))["sent"] == 1
    assert len(smtp.messages) == 1


def test_a_delivery_to_someone_who_turned_email_off_meanwhile_is_given_up_at_once(smtp, owner):
    announce([owner])
    Preference.objects.create(user=owner, email_enabled=False, mode=Mode.IMMEDIATE)
    assert deliver_due(now=T0)["failed"] == 1
    assert Delivery.objects.get().last_error == "接收人已关闭邮件通知"
    assert smtp.messages == []


def test_a_retried_delivery_that_is_not_given_up_is_refused(admin_user, owner, smtp):
    from keyproj.core.errors import Refused
    from keyproj.outbox.services import retry_delivery

    announce([owner])
    with pytest.raises(Refused, match="只有已放弃的消息可以重新发送"):
        retry_delivery(Delivery.objects.get(), user=admin_user)

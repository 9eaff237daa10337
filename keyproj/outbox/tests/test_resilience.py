"""Nothing lost while a channel is down: retried for days, given-up ones sent again all at once; digests
that keep coming while the business day stands still; webhook keys kept out of logs and pages; and a
/healthz part that tells a load balancer no more than it needs."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.utils import timezone

from keyproj.accounts.models import Role
from keyproj.accounts.services import notify
from keyproj.core import clock
from keyproj.core.models import AuditEntry
from keyproj.outbox.delivery import deliver_due, send_digests
from keyproj.outbox.models import Channel, Delivery, Mode, Preference, Robot, RobotKind, Status
from keyproj.testing import make_user

pytestmark = pytest.mark.django_db

T0 = timezone.now() + dt.timedelta(hours=1)
KEY = "k3y-7f1e9a-secret-0042"
URL = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}"


@pytest.fixture
def robot(unit_org):
    return Robot.objects.create(organisation=unit_org, name="交通局群", kind=RobotKind.WECOM, url=URL)


def given_up(robot, owner, n=2):
    rows = [
        Delivery.objects.create(event=f"e{i}", channel=Channel.WECOM, robot=robot, title=f"群{i}", status=Status.FAILED)
        for i in range(n)
    ]
    rows.append(
        Delivery.objects.create(event="m", channel=Channel.EMAIL, user=owner, title="邮件", status=Status.FAILED)
    )
    return rows


@pytest.fixture
def owner(owner_org):
    return make_user("mail-owner", Role.OWNER, owner_org, email="owner@example.cn")


def test_the_office_sends_every_given_up_delivery_of_a_channel_again(client, admin_user, robot, owner):
    rows = given_up(robot, owner)
    client.force_login(admin_user)
    page = client.get("/outbox/?status=failed&channel=wecom").content.decode()
    assert "重新发送该渠道全部已放弃的消息" in page and "72小时后仍失败则放弃" in page
    answer = client.post("/outbox/retry-failed/", {"channel": "wecom", "status": "failed"})
    assert answer.status_code == 302 and answer["Location"] == "/outbox/?status=failed&channel=wecom"
    statuses = {row.pk: row.status for row in Delivery.objects.all()}
    assert [statuses[r.pk] for r in rows] == [Status.PENDING, Status.PENDING, Status.FAILED]
    entries = AuditEntry.objects.filter(action="delivery.retry_all")
    assert entries.count() == 2 and all(e.user_id == admin_user.pk for e in entries)
    # Then the rest, whatever the channel; a third time there is nothing left.
    client.post("/outbox/retry-failed/", {})
    assert not Delivery.objects.filter(status=Status.FAILED).exists()
    assert "没有已放弃的消息" in client.post("/outbox/retry-failed/", {}, follow=True).content.decode()


def test_a_channel_that_is_not_offered_is_refused_and_nothing_changes(client, admin_user, robot, owner):
    given_up(robot, owner)
    client.force_login(admin_user)
    page = client.post("/outbox/retry-failed/", {"channel": "fax"}, follow=True).content.decode()
    assert "应为邮件、企业微信或钉钉" in page
    assert Delivery.objects.filter(status=Status.FAILED).count() == 3


@pytest.mark.parametrize("who", ["owner_user", "siming_officer", "leader_user"])
def test_nobody_but_the_office_sends_them_again(client, request, who, robot, owner):
    given_up(robot, owner)
    client.force_login(request.getfixturevalue(who))
    assert client.post("/outbox/retry-failed/", {}).status_code == 404
    assert Delivery.objects.filter(status=Status.FAILED).count() == 3


def test_a_resent_delivery_gets_the_whole_time_for_retrying_again(admin_user, robot, monkeypatch):
    from keyproj.outbox.channels import SendError
    from keyproj.outbox.services import retry_all_failed

    def down(*args):
        raise SendError("HTTP 502")

    monkeypatch.setattr("keyproj.outbox.channels.wecom.send", down)
    row = Delivery.objects.create(event="e", channel=Channel.WECOM, robot=robot, title="群", status=Status.FAILED)
    Delivery.objects.filter(pk=row.pk).update(created_at=timezone.now() - dt.timedelta(days=10))
    assert retry_all_failed(user=admin_user) == 1
    assert deliver_due(now=T0)["retrying"] == 1  # ten days old, but just sent again


def test_a_digest_comes_every_real_day_while_the_business_day_stands_still(settings, smtp, owner, monkeypatch):
    """KEYPROJ_TODAY fixed (a demo or a drill): the digest job, as the scheduler runs it, still sends each
    real day what was held since the day before."""
    from keyproj.jobs.jobs import outbox_digest

    settings.KEYPROJ_TODAY = dt.date(2019, 9, 3)
    Preference.objects.create(user=owner, mode=Mode.DIGEST)
    notify([owner], "消息一")
    assert outbox_digest(clock.today(), clock.now())["digests"] == 1
    notify([owner], "消息二")
    assert outbox_digest(clock.today(), clock.now())["digests"] == 0  # once a real day
    tomorrow = timezone.now() + dt.timedelta(days=1)
    monkeypatch.setattr(clock, "real_now", lambda: tomorrow)
    assert outbox_digest(clock.today(), clock.now())["digests"] == 1
    assert [m.get_content().count("消息二") for m in smtp.messages] == [0, 1]
    assert "每日汇总 2019-09-03：1条消息" in smtp.messages[1]["Subject"]


def test_a_digest_bundles_only_what_was_held_before_its_run(smtp, owner):
    Preference.objects.create(user=owner, mode=Mode.DIGEST)
    notify([owner], "消息一")
    earlier = timezone.now() - dt.timedelta(hours=1)
    assert send_digests(now=earlier)["digests"] == 0  # written after that moment: not yet
    assert send_digests(now=T0)["bundled"] == 1


def test_a_webhook_key_never_reaches_the_log_the_stored_error_or_the_page(
    client, admin_user, robot, unit_org, monkeypatch, caplog
):
    from keyproj.outbox.channels import SendError

    failures = iter([RuntimeError(f"boom while posting to {URL}"), SendError(f"无法连接：{URL}&debug=1")])

    def broken(target, message):
        raise next(failures)

    monkeypatch.setattr("keyproj.outbox.channels.wecom.send", broken)
    make_user("unit1", Role.UNIT_OFFICER, unit_org)
    notify([unit_org.memberships.first().user], "消息", organisations=[unit_org])
    with caplog.at_level(logging.DEBUG, logger="keyproj.outbox"):
        assert deliver_due(now=T0)["retrying"] == 1
    [record] = [r for r in caplog.records if r.name == "keyproj.outbox.delivery"]
    logged = record.getMessage()
    assert f"delivery {Delivery.objects.get().pk} (wecom)" in logged and "RuntimeError" in logged
    assert KEY not in logged and record.exc_info is None
    assert "qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k3y-…" in logged

    assert deliver_due(now=T0 + dt.timedelta(minutes=5))["retrying"] == 1
    row = Delivery.objects.get()
    assert KEY not in row.last_error and "无法连接" in row.last_error
    # A row written before errors were masked is masked where it is shown.
    Delivery.objects.filter(pk=row.pk).update(last_error=f"无法连接：{URL}", status=Status.FAILED)
    client.force_login(admin_user)
    page = client.get("/outbox/").content.decode()
    assert "无法连接" in page and KEY not in page


def test_healthz_tells_anyone_only_whether_deliveries_are_overdue_and_how_many(client, robot):
    Delivery.objects.create(event="e", channel=Channel.WECOM, robot=robot, title="群", status=Status.SENT)
    part = client.get("/healthz").json()["checks"]["outbox"]
    assert part["ok"] is True and part["overdue"] == 0
    assert "by_status" not in part and "sent" not in str(part)
    Delivery.objects.create(
        event="late",
        channel=Channel.WECOM,
        robot=robot,
        title="群",
        status=Status.PENDING,
        next_attempt_at=timezone.now() - dt.timedelta(hours=1),
    )
    part = client.get("/healthz").json()["checks"]["outbox"]
    assert part["ok"] is False and part["overdue"] == 1

"""The outbox's two jobs: delivery every minute and the day's digest, run through the schedule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from keyproj.accounts.models import Role
from keyproj.accounts.services import notify
from keyproj.jobs.models import Job, JobRun, RunStatus
from keyproj.jobs.runner import queue_run
from keyproj.outbox.models import Mode, Preference
from keyproj.testing import make_user

pytestmark = pytest.mark.django_db

SYNC = {"name": "keyproj-tests", "orm": "default", "sync": True}


@pytest.fixture
def mailbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.Q_CLUSTER = SYNC
    return mail.outbox


def run(code: str, period: str, attempt: int = 1) -> JobRun:
    found = queue_run(Job.objects.get(code=code), period, attempt)
    assert found is not None
    return found


def test_the_delivery_job_sends_a_waiting_message_once(mailbox, owner_org):
    owner = make_user("owner", Role.OWNER, owner_org, email="owner@example.cn")
    notify([owner], "填报被退回：环岛路改造 2019年8月", key="returns-sent-back:1")
    first = run("deliver_outbox", "2019-09-03T09:30")
    assert first.status == RunStatus.SUCCEEDED and first.counts["sent"] == 1
    assert [m.to for m in mailbox] == [["owner@example.cn"]]
    again = run("deliver_outbox", "2019-09-03T09:31")
    assert again.counts["sent"] == 0 and len(mailbox) == 1


def test_the_digest_job_bundles_the_days_messages_into_one_email(mailbox, owner_org, settings):
    settings.KEYPROJ_TODAY = dt.date(2019, 9, 3)
    owner = make_user("owner", Role.OWNER, owner_org, email="owner@example.cn")
    Preference.objects.create(user=owner, mode=Mode.DIGEST)
    notify([owner], "消息一")
    notify([owner], "消息二")
    digest = run("outbox_digest", "2019-09-03")
    assert digest.status == RunStatus.SUCCEEDED and digest.counts["digests"] == 1
    [email] = mailbox
    assert "消息一" in email.body and "消息二" in email.body
    assert run("outbox_digest", "2019-09-03", attempt=2).counts["digests"] == 0
    assert len(mailbox) == 1


def test_a_delivery_run_that_fails_midway_keeps_what_it_sent_recorded_as_sent(mailbox, owner_org, monkeypatch):
    from keyproj.outbox import delivery
    from keyproj.outbox.models import Delivery, Status

    first = make_user("first", Role.OWNER, owner_org, email="first@example.cn")
    second = make_user("second", Role.OWNER, owner_org, email="second@example.cn")
    notify([first], "消息一", key="one")
    notify([second], "消息二", key="two")
    real, calls = delivery.deliver_one, []

    def one_then_break(pk, now):
        calls.append(pk)
        if len(calls) > 1:
            raise RuntimeError("工作进程在发送中退出")
        return real(pk, now)

    monkeypatch.setattr(delivery, "deliver_one", one_then_break)
    broken = run("deliver_outbox", "2019-09-03T09:30")
    assert broken.status == RunStatus.FAILED and "工作进程在发送中退出" in broken.error
    assert [m.to for m in mailbox] == [["first@example.cn"]]
    # Not rolled back with the run: the next run does not send it again.
    assert Delivery.objects.get(pk=calls[0]).status == Status.SENT
    monkeypatch.setattr(delivery, "deliver_one", real)
    assert run("deliver_outbox", "2019-09-03T09:31").counts["sent"] == 1
    assert [m.to for m in mailbox] == [["first@example.cn"], ["second@example.cn"]]


def test_only_the_outbox_jobs_and_the_open_data_files_run_outside_one_transaction():
    from keyproj.jobs.jobs import KINDS

    outside = {code for code, kind in KINDS.items() if not kind.transactional}
    assert outside == {"deliver_outbox", "outbox_digest", "opendata"}

"""The schedule's tick at the edges of a job's time, its retries with back-off, and a run's outcome."""

from __future__ import annotations

import datetime as dt

import pytest

from keyproj.accounts.models import Notification
from keyproj.jobs import jobs, scheduler
from keyproj.jobs.models import Job, JobRun, RunStatus
from keyproj.jobs.runner import queue_run, run_job
from keyproj.jobs.services import update_schedule
from keyproj.jobs.tests.helpers import DEADLINE, at, reporting

pytestmark = pytest.mark.django_db

DAY = dt.date(2019, 9, 3)
SYNC = {"name": "keyproj-tests", "orm": "default", "sync": True}


@pytest.fixture
def only_escalate(db):
    """The daily escalation alone: the other jobs off, so a tick's answer is about one job."""
    Job.objects.exclude(code="escalate").update(enabled=False)
    return Job.objects.get(code="escalate")


def codes(runs) -> list[tuple[str, str, int]]:
    return [(run.job.code, run.period, run.attempt) for run in runs]


def test_a_daily_job_is_not_queued_a_minute_before_its_time(only_escalate):
    assert scheduler.tick(at(DAY, 6, 59)) == []


def test_a_daily_job_is_queued_at_its_time_for_the_business_day_and_only_once(only_escalate):
    assert codes(scheduler.tick(at(DAY, 7, 0))) == [("escalate", "2019-09-03", 1)]
    assert scheduler.tick(at(DAY, 7, 0)) == []
    assert scheduler.tick(at(DAY, 15, 0)) == []
    assert JobRun.objects.get().status == RunStatus.QUEUED


def test_the_next_business_day_is_a_new_period(only_escalate):
    scheduler.tick(at(DAY, 7, 0))
    assert codes(scheduler.tick(at(DAY + dt.timedelta(days=1), 7, 1))) == [("escalate", "2019-09-04", 1)]


def test_a_disabled_job_is_not_queued(only_escalate, admin_user):
    update_schedule(only_escalate, user=admin_user, at=dt.time(7), every_minutes=None, enabled=False)
    assert scheduler.tick(at(DAY, 8, 0)) == []


def test_editing_the_schedule_changes_when_the_tick_queues(only_escalate, admin_user):
    update_schedule(only_escalate, user=admin_user, at=dt.time(8, 30), every_minutes=None, enabled=True)
    assert scheduler.tick(at(DAY, 8, 29)) == []
    assert len(scheduler.tick(at(DAY, 8, 30))) == 1


def test_an_interval_job_runs_once_per_interval_and_never_beside_a_pending_run(db, admin_user):
    Job.objects.exclude(code="deliver_outbox").update(enabled=False)
    job = Job.objects.get(code="deliver_outbox")
    update_schedule(job, user=admin_user, at=None, every_minutes=15, enabled=True)
    assert codes(scheduler.tick(at(DAY, 9, 41))) == [("deliver_outbox", "2019-09-03T09:30", 1)]
    # Still queued: the next interval waits for it.
    assert scheduler.tick(at(DAY, 9, 46)) == []
    JobRun.objects.update(status=RunStatus.SUCCEEDED, ended_at=at(DAY, 9, 42))
    assert scheduler.tick(at(DAY, 9, 44)) == []
    assert codes(scheduler.tick(at(DAY, 9, 45))) == [("deliver_outbox", "2019-09-03T09:45", 1)]


def broken(day, now):
    raise RuntimeError("数据库连接中断")


def test_a_job_that_raises_leaves_a_failed_run_with_its_error(only_escalate, monkeypatch):
    monkeypatch.setitem(jobs.KINDS, "escalate", jobs.JobKind("escalate", "x", broken))
    [run] = scheduler.tick(at(DAY, 7, 0))
    assert run_job("escalate", run.period, run.pk)["status"] == "failed"
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "RuntimeError: 数据库连接中断" in run.error
    assert run.started_at and run.ended_at and run.request_id.startswith("job-")


def test_a_failed_run_is_retried_after_its_back_off_up_to_three_attempts(only_escalate, monkeypatch):
    monkeypatch.setitem(jobs.KINDS, "escalate", jobs.JobKind("escalate", "x", broken))
    moment = at(DAY, 7, 0)
    for attempt, wait in ((1, None), (2, 5), (3, 10)):
        if wait is not None:
            assert scheduler.tick(moment + dt.timedelta(minutes=wait - 1)) == [], "retried before its back-off"
            moment += dt.timedelta(minutes=wait)
        [run] = scheduler.tick(moment)
        assert run.attempt == attempt
        run_job("escalate", run.period, run.pk)
        JobRun.objects.filter(pk=run.pk).update(ended_at=moment)  # the failure's moment, on the test's clock
    assert scheduler.tick(moment + dt.timedelta(hours=3)) == []
    assert JobRun.objects.filter(status=RunStatus.FAILED).count() == 3


def test_a_retry_that_succeeds_settles_the_period(only_escalate, monkeypatch):
    monkeypatch.setitem(jobs.KINDS, "escalate", jobs.JobKind("escalate", "x", broken))
    [run] = scheduler.tick(at(DAY, 7, 0))
    run_job("escalate", run.period, run.pk)
    JobRun.objects.filter(pk=run.pk).update(ended_at=at(DAY, 7, 0))
    monkeypatch.undo()
    [retry] = scheduler.tick(at(DAY, 7, 5))
    run_job("escalate", retry.period, retry.pk)
    assert JobRun.objects.get(pk=retry.pk).status == RunStatus.SUCCEEDED
    assert scheduler.tick(at(DAY, 9, 0)) == []


def test_the_same_attempt_cannot_be_queued_twice(only_escalate):
    assert queue_run(only_escalate, "2019-09-03", 1) is not None
    assert queue_run(only_escalate, "2019-09-03", 1) is None
    assert JobRun.objects.count() == 1


def test_a_run_is_carried_out_once_even_if_the_queue_hands_it_out_twice(only_escalate):
    [run] = scheduler.tick(at(DAY, 7, 0))
    assert run_job("escalate", run.period, run.pk)["status"] == "succeeded"
    assert run_job("escalate", run.period, run.pk) == {}


def test_with_the_queue_in_sync_mode_the_tick_runs_the_job_at_once(only_escalate, settings):
    settings.Q_CLUSTER = SYNC
    [run] = scheduler.tick(at(DAY, 7, 0))
    assert run.status == RunStatus.SUCCEEDED
    assert run.counts["escalated"] == 0


def test_running_a_job_twice_for_its_period_sends_nothing_twice(db, siming_project, owner_user, settings, admin_user):
    from keyproj.jobs.services import run_now

    settings.Q_CLUSTER = SYNC
    settings.KEYPROJ_TODAY = DEADLINE - dt.timedelta(days=3)
    reporting(siming_project)
    job = Job.objects.get(code="remind_returns")
    first = run_now(job, user=admin_user)
    second = run_now(job, user=admin_user)
    assert (first.period, first.attempt, second.attempt) == ("2019-09-02", 1, 2)
    assert first.status == second.status == RunStatus.SUCCEEDED
    assert (first.counts["messages"], second.counts["messages"]) == (1, 0)
    assert Notification.objects.filter(user=owner_user).count() == 1


def test_a_business_job_on_an_interval_works_on_the_business_day_not_the_real_one(
    only_escalate, admin_user, settings, monkeypatch
):
    # An interval's period is real time; on an installation fixed to 2019-09-03 an hourly escalation run
    # in (real) December 2026 must still judge deadlines as of 2019-09-03.
    settings.KEYPROJ_TODAY = DAY
    update_schedule(only_escalate, user=admin_user, at=None, every_minutes=60, enabled=True)
    given: list[dt.date] = []
    monkeypatch.setitem(jobs.KINDS, "escalate", jobs.JobKind("escalate", "x", lambda day, now: given.append(day) or {}))
    [run] = scheduler.tick(at(DAY, 9, 0), real=at(dt.date(2026, 12, 6), 9, 0))
    assert run.period == "2026-12-06T09:00"
    assert run_job("escalate", run.period, run.pk)["status"] == "succeeded"
    assert given == [DAY]


def test_a_run_whose_worker_died_is_given_up_and_retried(only_escalate):
    [run] = scheduler.tick(at(DAY, 7, 0))
    JobRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=at(DAY, 7, 0))
    assert scheduler.tick(at(DAY, 7, 10)) == []
    scheduler.tick(at(DAY, 8, 0))
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "工作进程" in run.error


def test_a_tick_says_the_scheduler_is_alive(only_escalate):
    from keyproj.jobs.health import scheduler as scheduler_health

    assert not scheduler_health().ok
    scheduler.tick(at(DAY, 6, 0))
    assert scheduler_health().ok

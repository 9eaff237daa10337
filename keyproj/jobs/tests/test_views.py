"""The schedule's pages and API: the office's alone; the schedule edited with its version; runs and failures shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from keyproj.core.models import AuditEntry
from keyproj.jobs.models import Heartbeat, Job, JobRun, RunStatus
from keyproj.jobs.runner import queue_run

pytestmark = pytest.mark.django_db

PAGES = ["/jobs/", "/jobs/runs/"]
APIS = ["/api/v1/jobs/", "/api/v1/jobs/runs/"]


def failed_run() -> JobRun:
    job = Job.objects.get(code="chase_returns")
    run = queue_run(job, "2019-09-06", 1)
    assert run is not None
    JobRun.objects.filter(pk=run.pk).update(
        status=RunStatus.FAILED, error="Traceback …\nRuntimeError: 邮件服务器拒绝连接", ended_at=run.queued_at
    )
    return run


@pytest.mark.parametrize("url", PAGES + APIS)
def test_an_outsider_and_a_district_officer_find_nothing(client, outsider, siming_officer, url):
    for user in (outsider, siming_officer):
        client.force_login(user)
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/jobs/escalate/", "/jobs/escalate/run/"])
def test_an_outsider_cannot_change_or_run_a_job(client, outsider, url):
    client.force_login(outsider)
    assert client.post(url, {}).status_code == 404
    assert not JobRun.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="job.").exists()


def test_the_office_sees_every_job_with_its_schedule(client, staff_user):
    client.force_login(staff_user)
    page = client.get("/jobs/").content.decode()
    for label, shown in (
        ("问题超时上报与督办到期提醒", "每日 07:00"),
        ("消息投递", "每1分钟"),
        ("每日消息汇总", "每日 18:00"),
    ):
        assert label in page and shown in page
    assert "立即运行" in page
    assert 'href="/jobs/"' in page  # the menu offers it


def test_the_menu_does_not_offer_the_schedule_to_others(client, siming_officer):
    client.force_login(siming_officer)
    assert 'href="/jobs/"' not in client.get("/").content.decode()


def edit(client, job: Job, **values):
    data = {
        f"{job.code}-mode": "daily",
        f"{job.code}-at": "08:15",
        f"{job.code}-every_minutes": "",
        f"{job.code}-enabled": "on",
        f"{job.code}-version": job.version,
    }
    data.update({f"{job.code}-{k}": v for k, v in values.items()})
    return client.post(reverse("jobs:edit", args=[job.code]), data)


def test_the_office_moves_a_job_to_another_time_and_it_is_audited(client, admin_user):
    client.force_login(admin_user)
    job = Job.objects.get(code="escalate")
    assert edit(client, job).status_code == 302
    job.refresh_from_db()
    assert (job.at, job.version) == (dt.time(8, 15), 2)
    entry = AuditEntry.objects.get(action="job.schedule")
    assert entry.before["at"] == "07:00" and entry.after["at"] == "08:15"


def test_an_edit_of_a_job_changed_meanwhile_is_refused(client, admin_user):
    client.force_login(admin_user)
    job = Job.objects.get(code="escalate")
    stale = Job.objects.get(pk=job.pk)
    assert edit(client, job, at="08:00").status_code == 302
    response = edit(client, stale, at="06:00")
    assert response.status_code == 400
    assert "已被他人修改" in response.content.decode()
    assert Job.objects.get(pk=job.pk).at == dt.time(8, 0)


def test_an_interval_without_its_minutes_is_refused_with_a_reason(client, admin_user):
    client.force_login(admin_user)
    job = Job.objects.get(code="deliver_outbox")
    response = edit(client, job, mode="interval", every_minutes="")
    assert response.status_code == 400
    assert "请填写每日运行时间，或运行间隔(分钟)" in response.content.decode()
    assert Job.objects.get(pk=job.pk).every_minutes == 1


def test_an_interval_beyond_a_day_is_refused(client, admin_user):
    client.force_login(admin_user)
    job = Job.objects.get(code="deliver_outbox")
    assert edit(client, job, mode="interval", every_minutes="1441").status_code == 400
    assert Job.objects.get(pk=job.pk).version == 1


def test_run_now_queues_a_run_once_while_it_is_pending(client, admin_user):
    client.force_login(admin_user)
    assert client.post("/jobs/escalate/run/").status_code == 302
    run = JobRun.objects.get()
    assert (run.status, run.requested_by, run.attempt) == (RunStatus.QUEUED, admin_user, 1)
    assert AuditEntry.objects.filter(action="job.run").count() == 1
    response = client.post("/jobs/escalate/run/", follow=True)
    assert "已在排队或运行中" in response.content.decode()
    assert JobRun.objects.count() == 1


def test_a_failed_run_shows_its_error_on_the_pages_and_the_api(client, admin_user):
    failed_run()
    client.force_login(admin_user)
    assert "RuntimeError: 邮件服务器拒绝连接" in client.get("/jobs/").content.decode()
    page = client.get("/jobs/runs/?status=failed").content.decode()
    assert "RuntimeError: 邮件服务器拒绝连接" in page and "2019-09-06" in page
    assert "2019-09-06" not in client.get("/jobs/runs/?status=succeeded").content.decode()
    [row] = client.get("/api/v1/jobs/runs/?job=chase_returns").json()["results"]
    assert row["status"] == "failed" and "邮件服务器拒绝连接" in row["error"]
    jobs = {j["code"]: j for j in client.get("/api/v1/jobs/").json()}
    assert jobs["chase_returns"]["last_run"]["status"] == "failed"
    assert jobs["escalate"]["at"] == "07:00" and jobs["escalate"]["last_run"] is None


def test_a_bad_filter_is_a_400_not_an_error(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/jobs/runs/?status=nonsense").status_code == 400
    assert client.get("/api/v1/jobs/runs/?status=nonsense").status_code == 400


def test_health_reports_the_worker_by_its_heartbeat_and_nothing_of_the_runs(client, admin_user):
    from keyproj.core import clock
    from keyproj.jobs import health

    failed_run()
    assert not health.worker().ok and health.worker().detail == {"age_seconds": None}
    Heartbeat.objects.create(name="worker", seen_at=clock.real_now() - dt.timedelta(seconds=20))
    part = health.worker()
    assert part.ok and not part.critical
    assert part.detail.keys() == {"age_seconds"} and 20 <= part.detail["age_seconds"] < 80
    Heartbeat.objects.filter(name="worker").update(seen_at=clock.real_now() - dt.timedelta(minutes=3))
    assert not health.worker().ok
    # /healthz is public: the failed run's job, period and status are not in it.
    body = client.get("/healthz").content.decode()
    assert "chase_returns" not in body and "2019-09-06" not in body and "failed" not in body


def test_the_admin_has_none_of_django_qs_models(client, admin_user):
    from django.contrib import admin
    from django_q.models import Failure, OrmQ, Schedule, Success

    assert not any(admin.site.is_registered(model) for model in (Schedule, OrmQ, Success, Failure))
    admin_user.is_staff = admin_user.is_superuser = True  # the admin's every permission
    admin_user.save()
    client.force_login(admin_user)
    index = client.get("/admin/")
    assert index.status_code == 200 and "/admin/django_q/" not in index.content.decode()
    for model in ("schedule", "ormq", "success", "failure"):
        assert client.get(f"/admin/django_q/{model}/").status_code == 404
        assert client.get(f"/admin/django_q/{model}/add/").status_code == 404


def test_django_qs_own_scheduler_is_off(settings):
    from django_q.conf import Conf

    # The cluster reads Conf.SCHEDULER (from Q_CLUSTER["scheduler"]) before each pass of its scheduler.
    assert settings.Q_CLUSTER["scheduler"] is False and Conf.SCHEDULER is False

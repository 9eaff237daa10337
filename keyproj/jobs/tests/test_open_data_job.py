"""The open-data job: it builds the stored downloads of every published month once, and only for a public site."""

from __future__ import annotations

import itertools

import pytest
from django.core.cache import cache

from keyproj.core.period import Period
from keyproj.jobs.models import Job, JobRun, RunStatus
from keyproj.jobs.runner import queue_run
from keyproj.opendata import files
from keyproj.opendata.published import published_close, published_closes

pytestmark = pytest.mark.django_db

SYNC = {"name": "keyproj-tests", "orm": "default", "sync": True}
# Each test its own public address, so its versions are ones no earlier test has built.
_ADDRESSES = itertools.count(1)


@pytest.fixture
def public(demo_for_module, settings):
    settings.Q_CLUSTER = SYNC
    settings.KEYPROJ_PUBLIC = True
    settings.KEYPROJ_PUBLIC_URL = f"https://zdxm{next(_ADDRESSES)}.example.gov.cn"


@pytest.fixture
def july(demo_for_module):
    return published_close(Period(2019, 7))


def run(attempt: int = 1) -> JobRun:
    found = queue_run(Job.objects.get(code="opendata"), "2019-09-03T09:30", attempt)
    assert found is not None
    return found


def test_the_job_is_seeded_to_run_every_quarter_of_an_hour(db):
    job = Job.objects.get(code="opendata")
    assert (job.at, job.every_minutes, job.enabled) == (None, 15, True)


def test_the_job_builds_every_published_month_and_a_second_run_builds_nothing(public, july):
    months = published_closes().count()
    assert not files.is_built(july)

    first = run()

    assert first.status == RunStatus.SUCCEEDED, first.error
    assert first.counts == {"months": months, "built": months, "present": 0, "busy": 0, "not_public": 0}
    assert files.is_built(july)
    again = run(attempt=2)
    assert again.counts == {"months": months, "built": 0, "present": months, "busy": 0, "not_public": 0}


def test_without_the_public_site_the_job_is_skipped(demo_for_module, settings, july):
    settings.Q_CLUSTER = SYNC
    settings.KEYPROJ_PUBLIC = False
    settings.KEYPROJ_PUBLIC_URL = "https://off.example.gov.cn"

    skipped = run()

    assert skipped.status == RunStatus.SKIPPED
    assert "KEYPROJ_PUBLIC" in skipped.counts["note"]
    assert not files.is_built(july)


def test_a_month_another_process_is_building_is_counted_busy_not_failed(public, july):
    lock = f"opendata:build:{files.version(july)}"
    cache.add(lock, 1, 60)
    try:
        busy = run()
    finally:
        cache.delete(lock)

    assert busy.status == RunStatus.SUCCEEDED, busy.error
    assert busy.counts["busy"] == 1
    assert busy.counts["built"] == published_closes().count() - 1
    assert not files.is_built(july)
    assert run(attempt=2).counts["built"] == 1
    assert files.is_built(july)

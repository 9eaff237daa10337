"""Reads of the jobs and their runs: the office's alone (the schedule is the whole programme's machinery)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from keyproj.accounts.permissions import is_office

if TYPE_CHECKING:
    from keyproj.jobs.models import Job, JobRun  # noqa: F401 (named in the quoted base class)


class JobQuerySet(models.QuerySet["Job"]):
    def visible_to(self, user: Any) -> JobQuerySet:
        """Every job for the office (and the console); none for anyone else."""
        return self.all() if is_office(user) else self.none()


class JobRunQuerySet(models.QuerySet["JobRun"]):
    def visible_to(self, user: Any) -> JobRunQuerySet:
        """Every run for the office (and the console); none for anyone else."""
        return self.all() if is_office(user) else self.none()

    def for_period(self, job: Job, period: str) -> JobRunQuerySet:
        return self.filter(job=job, period=period)

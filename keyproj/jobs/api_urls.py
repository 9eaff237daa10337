"""The schedule's /api/v1/ routes: /api/v1/jobs/ and /api/v1/jobs/runs/."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from keyproj.jobs.api import JobRunViewSet, JobViewSet

router = SimpleRouter()
# The runs first: "jobs/runs/" is theirs, not a job's.
router.register("jobs/runs", JobRunViewSet, basename="job-run")
router.register("jobs", JobViewSet, basename="job")

urlpatterns = [*router.urls]

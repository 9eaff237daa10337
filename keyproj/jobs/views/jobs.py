"""定时任务: the office's page of the schedule (each job, when it runs, how it last went, 立即运行) and the run history.

The office's alone, as the audit log is: for anyone else the pages do not exist (404). Changing a
schedule and running a job go through keyproj.jobs.services, as the API and the commands do.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from keyproj.accounts.permissions import is_office
from keyproj.core import clock
from keyproj.core.audit import ConflictError
from keyproj.core.errors import Refused, add_to_form, tell
from keyproj.core.scoping import scoped_object_or_404
from keyproj.jobs import scheduler, services
from keyproj.jobs.filtersets import JobRunFilterSet
from keyproj.jobs.forms import ScheduleForm
from keyproj.jobs.models import Job, JobRun

RUNS_PER_PAGE = 50


def _office(request: HttpRequest) -> None:
    if not is_office(request.user):
        raise Http404


def job_rows(forms: dict[str, ScheduleForm] | None = None) -> list[dict[str, Any]]:
    """Each job with its form, its latest run and when it is next due."""
    business, real = clock.now(), clock.real_now()
    rows = []
    for job in Job.objects.order_by("pk"):
        last = JobRun.objects.filter(job=job).select_related("requested_by").order_by("-queued_at", "-pk").first()
        rows.append(
            {
                "job": job,
                "last": last,
                "next": scheduler.next_due(job, business, real),
                "form": (forms or {}).get(job.code) or ScheduleForm.for_job(job),
            }
        )
    return rows


@require_safe
@login_required
def index(request: HttpRequest) -> HttpResponse:
    _office(request)
    return render(request, "jobs/index.html", {"nav": "jobs", "rows": job_rows()})


@require_POST
@login_required
def edit(request: HttpRequest, code: str) -> HttpResponse:
    """Save one job's schedule; a refusal shows the page again with every reason at its field."""
    _office(request)
    job = scoped_object_or_404(Job, request.user, code=code)
    form = ScheduleForm.for_job(job, request.POST)
    if form.is_valid():
        try:
            services.update_schedule(
                job, user=request.user, expected_version=form.cleaned_data["version"], **form.schedule()
            )
        except ConflictError as exc:
            form.add_error(None, str(exc))
        except Refused as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, gettext("已保存“%(job)s”的运行计划") % {"job": job.label})
            return redirect("jobs:index")
    context = {"nav": "jobs", "rows": job_rows({job.code: form}), "editing": job.code}
    return render(request, "jobs/index.html", context, status=400)


@require_POST
@login_required
def run(request: HttpRequest, code: str) -> HttpResponse:
    """立即运行: queue a run for the job's current period."""
    _office(request)
    job = scoped_object_or_404(Job, request.user, code=code)
    try:
        queued = services.run_now(job, user=request.user)
    except Refused as exc:
        tell(request, exc)
    else:
        messages.success(
            request, gettext("已放入队列：%(job)s（期间%(period)s）") % {"job": job.label, "period": queued.period}
        )
    return redirect("jobs:index")


@require_safe
@login_required
def runs(request: HttpRequest) -> HttpResponse:
    """The runs, newest first, filtered by job, status and period."""
    _office(request)
    rows = JobRun.objects.visible_to(request.user).select_related("job", "requested_by").order_by("-queued_at", "-pk")
    filters = JobRunFilterSet(request.GET, queryset=rows)
    listed = filters.qs if filters.is_valid() else rows.none()
    page = Paginator(listed, RUNS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"nav": "jobs", "filters": filters, "page": page, "query": query.urlencode()}
    return render(request, "jobs/runs.html", context, status=200 if filters.is_valid() else 400)

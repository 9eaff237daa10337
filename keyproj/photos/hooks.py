"""What photos plugs into the apps below it (called from PhotosConfig.ready()).

- the review's flags: a return's photos' flags join the flags of keyproj.returns.checks;
- the return's page and the site visit's page: a block of their photos with the upload form
  (keyproj.core.panels);
- the project page: a timeline of the project's photos by month (keyproj.projects.extensions).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from keyproj.core import panels
from keyproj.core.period import Period
from keyproj.photos import services
from keyproj.photos.models import Photo
from keyproj.problems.models import SiteVisit
from keyproj.projects import extensions
from keyproj.projects.models import Project
from keyproj.returns import checks
from keyproj.returns.models import ProgressReturn

# How many photos a page asks the server to take in one upload (the phone's camera roll).
MAX_FILES = 20


def return_flags(batch: list[ProgressReturn]) -> dict[int, list[checks.Flag]]:
    """The flags of a batch of returns' photos, by return id: one per photo flag, the photo named."""
    found: dict[int, list[checks.Flag]] = defaultdict(list)
    rows = (
        Photo.objects.filter(progress_return_id__in=[r.pk for r in batch])
        .exclude(flags=[])
        .order_by("uploaded_at", "id")
        .values_list("progress_return_id", "name", "flags")
    )
    for return_id, name, flags in rows:
        for flag in flags or []:
            message = gettext("照片“%(name)s”：%(message)s") % {"name": name, "message": flag.get("message", "")}
            found[return_id].append(checks.Flag(flag.get("code", "photo"), message))  # type: ignore[arg-type]
    return dict(found)


def _block(request: HttpRequest, target: ProgressReturn | SiteVisit, rows: Any, upload_url: str) -> str:
    user = request.user
    photos = list(rows.select_related("project", "uploaded_by", "progress_return__project"))
    choices: list[Project] = []
    if isinstance(target, SiteVisit):
        choices = list(target.projects.filter(pk__in=Project.objects.visible_to(user).values("pk")).order_by("code"))
    context = {
        "target": target,
        "photos": [(p, services.can_delete(user, p)) for p in photos],
        "may_add": services.can_add(user, target),
        "upload_url": upload_url,
        "project_choices": choices if len(choices) > 1 else [],
        "max_mb": services.max_bytes() / 1048576,
        "max_files": MAX_FILES,
        "next": request.get_full_path(),
    }
    return render_to_string("photos/_block.html", context, request=request)


def return_panel(request: HttpRequest, ret: ProgressReturn) -> str:
    rows = Photo.objects.visible_to(request.user).filter(progress_return=ret)
    return _block(request, ret, rows, reverse("photos:return_upload", args=[ret.pk]))


def visit_panel(request: HttpRequest, visit: SiteVisit) -> str:
    rows = Photo.objects.visible_to(request.user).filter(site_visit=visit)
    return _block(request, visit, rows, reverse("photos:visit_upload", args=[visit.pk]))


def timeline_context(request: HttpRequest, project: Project, period: Any) -> dict[str, Any]:
    """The project's photos by month taken (the upload's month for one without an EXIF time), newest first."""
    photos = list(
        Photo.objects.visible_to(request.user)
        .filter(project=project)
        .select_related("progress_return", "site_visit")
        .order_by("-taken_at", "-uploaded_at", "-id")
    )
    months: dict[Period, list[Photo]] = defaultdict(list)
    for photo in photos:
        moment = photo.taken_at or photo.uploaded_at
        local = timezone.localtime(moment)
        months[Period(local.year, local.month)].append(photo)
    timeline = [{"period": p, "photos": months[p]} for p in sorted(months, reverse=True)]
    return {"photo_timeline": timeline, "photo_count": len(photos)}


TIMELINE_SECTION = extensions.Section(
    key="photos", order=45, template="photos/_project_timeline.html", context=timeline_context
)


def register() -> None:
    checks.register_flag_source(return_flags)
    panels.register_panel("returns.ProgressReturn", panels.Panel("photos", 50, return_panel))
    panels.register_panel("problems.SiteVisit", panels.Panel("photos", 50, visit_panel))
    extensions.register_section(TIMELINE_SECTION)

"""The photo pages: uploading to a return or a site visit, the files themselves, deleting.

The blocks that list photos live on the return's and the visit's own pages (keyproj.photos.hooks);
these views take the uploads and serve the files, each through the scoping door: a return, visit
or photo the user may not see is 404.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from keyproj.core.errors import Refused, refusal_texts
from keyproj.core.scoping import scoped_object_or_404
from keyproj.photos import exif, services
from keyproj.photos.hooks import MAX_FILES
from keyproj.photos.models import CONTENT_TYPES, Photo
from keyproj.problems.models import SiteVisit
from keyproj.projects.models import Project
from keyproj.returns.models import ProgressReturn


def request_too_large(request: HttpRequest) -> str:
    """A refusal when the request as a whole is larger than the photos it may carry, before it is read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    # The rule's size per photo, for the most photos one upload takes, and room for the form's fields.
    if length > services.max_bytes() * MAX_FILES + 1024 * 1024:
        return gettext("上传内容过大：每次最多%(n)s张照片，每张不超过%(mb).1fMB") % {
            "n": MAX_FILES,
            "mb": services.max_bytes() / 1048576,
        }
    return ""


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _upload(request: HttpRequest, target: ProgressReturn | SiteVisit, default: str) -> HttpResponse:
    """Take the photos of one upload; the request's size is judged before its body is read."""
    if not services.can_add(request.user, target):
        raise PermissionDenied
    too_large = request_too_large(request)
    if too_large:
        # Answered without reading the body (nor its CSRF token: nothing is changed by this answer).
        messages.error(request, too_large)
        return redirect(default)
    return _take(request, target, default)


@csrf_protect
def _take(request: HttpRequest, target: ProgressReturn | SiteVisit, default: str) -> HttpResponse:
    back = _back(request, default)
    files = request.FILES.getlist("photos")
    if not files:
        messages.error(request, gettext("请选择要上传的照片"))
        return redirect(back)
    if len(files) > MAX_FILES:
        messages.error(request, gettext("每次最多上传%(n)s张照片") % {"n": MAX_FILES})
        return redirect(back)
    project = None
    if isinstance(target, SiteVisit) and request.POST.get("project"):
        project = Project.objects.visible_to(request.user).filter(pk=_int(request.POST["project"])).first()
        if project is None:
            messages.error(request, gettext("请选择照片所拍的项目"))
            return redirect(back)
    added: list[Photo] = []
    errors: list[str] = []
    # Each photo is its own change: one refused (a PDF among the pictures) leaves the others stored.
    for upload in files:
        try:
            added.append(services.add_photo(target, upload, user=request.user, project=project))
        except Refused as refused:
            errors += refusal_texts(refused)
    if added:
        flagged = sum(1 for p in added if p.flags)
        text = gettext("已上传%(n)s张照片") % {"n": len(added)}
        if flagged:
            text += gettext("，其中%(k)s张有提示，见照片下方") % {"k": flagged}
        messages.success(request, text)
    for error in errors:
        messages.error(request, error)
    return redirect(back)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# csrf_exempt here and csrf_protect on _take: the CSRF check reads the whole body (the photos) to find
# its token, and an oversized upload is to be refused before a byte of it is read (Django's own pattern
# for a view that must act before the body is parsed). Every upload that is read is CSRF-checked.
@csrf_exempt
@login_required
@require_POST
def return_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Photos for a return, from the return's page (a phone's camera or its album)."""
    ret = scoped_object_or_404(ProgressReturn.objects.select_related("project"), request.user, pk=pk)
    return _upload(request, ret, reverse("returns:detail", args=[ret.pk]))


@csrf_exempt
@login_required
@require_POST
def visit_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Photos for a site visit, each naming the project it shows."""
    visit = get_object_or_404(SiteVisit.objects.visible_to(request.user), pk=pk)
    return _upload(request, visit, visit.get_absolute_url())


def _photo(request: HttpRequest, pk: int) -> Photo:
    return get_object_or_404(Photo.objects.visible_to(request.user).select_related("progress_return"), pk=pk)


def _serve(photo: Photo, field: Any, content_type: str, expected: str) -> FileResponse:
    handle = field.open("rb")
    # Re-check the bytes on the way out: a file changed in storage is not served under a trusted type.
    head = handle.read(64)
    handle.seek(0)
    if exif.kind_of(head) != expected:
        handle.close()
        raise Http404
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def photo_file(request: HttpRequest, pk: int) -> FileResponse:
    """The photo as uploaded (with its EXIF), to those who may see its project only."""
    photo = _photo(request, pk)
    response = _serve(photo, photo.file, CONTENT_TYPES[photo.kind], photo.kind)
    if photo.kind == "heic":
        # Few browsers show HEIC: it is offered as a download under its own name.
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quoted(photo.name)}"
    return response


def _quoted(name: str) -> str:
    return quote(name, safe="")


@login_required
@require_safe
def photo_thumbnail(request: HttpRequest, pk: int) -> FileResponse:
    """The small JPEG the pages show (no EXIF)."""
    photo = _photo(request, pk)
    return _serve(photo, photo.thumbnail, "image/jpeg", "jpg")


@login_required
@require_POST
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = _photo(request, pk)
    if photo.site_visit_id:
        default = reverse("problems:visit", args=[photo.site_visit_id])
    else:
        default = reverse("returns:detail", args=[photo.progress_return_id])
    if not services.can_delete(request.user, photo):
        raise PermissionDenied
    services.delete_photo(photo, user=request.user)
    messages.success(request, gettext("照片已删除"))
    return redirect(_back(request, default))

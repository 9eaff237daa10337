"""The in-app notifications: the list, the header's bell with the unread count, marking them read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from keyproj.accounts.models import Notification
from keyproj.accounts.services import mark_read
from keyproj.problems.views.common import PAGE_SIZE, posted_ids


@login_required
@require_safe
def notifications(request: HttpRequest) -> HttpResponse:
    rows = Notification.objects.filter(user=request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "problems/notifications.html", {"nav": "problems", "page": page})


@login_required
@require_safe
def bell(request: HttpRequest) -> HttpResponse:
    """The header's link to the notifications, with the unread count (one COUNT query)."""
    unread = Notification.objects.filter(user_id=request.user.pk, read_at__isnull=True).count()
    url = reverse("problems:notifications")
    if not unread:
        return HttpResponse(format_html('<a class="link" href="{}">{}</a>', url, gettext("通知")))
    return HttpResponse(
        format_html(
            '<a class="link" href="{}" aria-label="{}">{}({})</a>',
            url,
            gettext("通知（%(n)s条未读）") % {"n": unread},
            gettext("通知"),
            unread if unread < 100 else "99+",
        )
    )


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    ids = posted_ids(request.POST.getlist("id")) or None
    mark_read(request.user, ids)
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("problems:notifications")

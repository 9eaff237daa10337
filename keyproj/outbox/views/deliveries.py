"""外发消息: the office's view of every delivery, its status and last error, and sending a given-up one again."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from keyproj.core.errors import Refused, tell
from keyproj.core.scoping import scoped, scoped_object_or_404
from keyproj.outbox import delivery as sending
from keyproj.outbox import services
from keyproj.outbox.filtersets import DeliveryFilterSet
from keyproj.outbox.models import Channel, Delivery, Status
from keyproj.outbox.views.common import office_only

PAGE_SIZE = 50


def _summary(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """How many deliveries stand in each status, in the statuses' order (those with none left out)."""
    return [(value, str(label), counts[value]) for value, label in Status.choices if counts.get(value)]


@login_required
def deliveries(request: HttpRequest) -> HttpResponse:
    office_only(request)
    rows = scoped(Delivery.objects.select_related("user", "robot__organisation"), request.user)
    filterset = DeliveryFilterSet(request.GET or None, queryset=rows)
    problems: list[str] = []
    if filterset.is_bound and not filterset.is_valid():
        for name, errors in filterset.errors.items():
            label = str(filterset.filters[name].label) if name in filterset.filters else name
            problems += [f"{label}：{error}" for error in errors]
        filterset = DeliveryFilterSet(
            {k: v for k, v in request.GET.items() if k not in filterset.errors}, queryset=rows
        )
    page = Paginator(filterset.qs.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    values = {"status": request.GET.get("status", ""), "channel": request.GET.get("channel", "")}
    context = {
        "nav": "",
        "page": page,
        "values": values,
        "statuses": Status.choices,
        "channels": Channel.choices,
        "problems": problems,
        "summary": _summary(sending.status_counts()),
        "query": urlencode({k: v for k, v in values.items() if v and k not in filterset.errors}),
        "give_up_hours": int(sending.give_up_after().total_seconds() // 3600),
        "failed": sending.status_counts().get(Status.FAILED.value, 0),
    }
    return render(request, "outbox/deliveries.html", context)


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    office_only(request)
    row = scoped_object_or_404(Delivery, request.user, pk=pk)
    try:
        services.retry_delivery(row, user=request.user)
    except Refused as refused:
        tell(request, refused)
    else:
        messages.success(request, gettext("已安排重新发送：%(title)s") % {"title": row.title})
    return _back(request)


def _back(request: HttpRequest) -> HttpResponse:
    # Back to the list as it was filtered (only its own parameters: nothing else is passed through).
    back = urlencode({k: request.POST[k][:20] for k in ("status", "channel", "page") if request.POST.get(k)})
    return redirect(f"{reverse('outbox:deliveries')}?{back}" if back else reverse("outbox:deliveries"))


@login_required
@require_POST
def retry_all(request: HttpRequest) -> HttpResponse:
    """Send every given-up delivery again (of one channel, when the list is filtered by one)."""
    office_only(request)
    try:
        n = services.retry_all_failed(user=request.user, channel=request.POST.get("channel", "")[:20])
    except Refused as refused:
        tell(request, refused)
    else:
        if n:
            messages.success(request, gettext("已安排重新发送%(n)s条已放弃的消息") % {"n": f"{n:,}"})
        else:
            messages.info(request, gettext("没有已放弃的消息"))
    return _back(request)

"""挂牌督办: the listings, one listing and what the office does with it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from keyproj.accounts.permissions import is_office
from keyproj.core import clock
from keyproj.core.audit import ConflictError
from keyproj.core.errors import Refused, tell
from keyproj.core.scoping import scoped_object_or_404
from keyproj.projects.models import Project
from keyproj.projects.querysets import UnknownProject
from keyproj.supervision import services
from keyproj.supervision.filtersets import ListingFilterSet
from keyproj.supervision.forms import ListingForm, NoteForm, ReferralForm
from keyproj.supervision.models import Listing, ListingStatus
from keyproj.supervision.views.common import scoped_or_404


@login_required
def listings_page(request: HttpRequest) -> HttpResponse:
    """挂牌督办: the listings the user may see; the office lists a project here."""
    scoped_or_404(request)
    form = ListingForm(request.POST or None)
    if request.method == "POST":
        if not is_office(request.user):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                project = Project.objects.by_code(request.user, data["project"])
                listing = services.create_listing(
                    project,
                    services.ListingData(data["matter"], data["responsible"], data["target"], data["due"]),
                    user=request.user,
                )
                messages.success(request, gettext("已挂牌督办"))
                return redirect(listing.get_absolute_url())
            except UnknownProject as exc:
                messages.error(request, str(exc))
            except Refused as exc:
                tell(request, exc)
    listings = Listing.objects.visible_to(request.user).select_related("project", "problem")
    filterset = ListingFilterSet(request.GET, queryset=listings)
    # A status that is not one shows every listing, as no status does.
    status = request.GET.get("status", "") if filterset.is_valid() else ""
    listings = filterset.qs if filterset.is_valid() else listings
    today = clock.today()
    rows = list(listings.order_by("status", "due", "pk")[:200])
    for item in rows:
        item.overdue = item.is_overdue(today)
    context = {
        "nav": "supervision",
        "listings": rows,
        "status": status,
        "statuses": ListingStatus.choices,
        "office": is_office(request.user),
        "form": form,
    }
    return render(request, "supervision/listings.html", context)


@login_required
def listing_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One listing: its history and, for the office, accept/decline, progress, 销号 and referral."""
    listing = scoped_object_or_404(
        Listing.objects.select_related("project", "problem", "proposed_by"), request.user, pk=pk
    )
    if request.method == "POST":
        if not is_office(request.user):
            raise PermissionDenied
        _listing_action(request, listing)
        return redirect(listing.get_absolute_url())
    initial = {
        "matter": listing.matter,
        "responsible": listing.responsible,
        "target": listing.target,
        "due": listing.due,
    }
    context = {
        "nav": "supervision",
        "listing": listing,
        "overdue": listing.is_overdue(clock.today()),
        "progress": listing.progress.select_related("created_by"),
        "office": is_office(request.user),
        "accept_form": ListingForm(initial=initial),
        "note_form": NoteForm(),
        "referral_form": ReferralForm(),
    }
    return render(request, "supervision/listing.html", context)


def _listing_action(request: HttpRequest, listing: Listing) -> None:
    action = request.POST.get("action")
    version = request.POST.get("version")
    expected = int(version) if version and version.isdigit() else None
    note = NoteForm(request.POST)
    note.is_valid()
    text = note.cleaned_data.get("note", "")
    try:
        if action == "accept":
            form = ListingForm(request.POST)
            if not form.is_valid():
                raise Refused([gettext("办结期限应为日期")])
            data = form.cleaned_data
            services.accept_proposal(
                listing,
                services.ListingData(data["matter"], data["responsible"], data["target"], data["due"]),
                user=request.user,
                expected_version=expected,
            )
        elif action == "decline":
            services.decline_proposal(listing, user=request.user, reason=text, expected_version=expected)
        elif action == "progress":
            services.record_progress(listing, user=request.user, note=text)
        elif action == "close":
            services.close_listing(listing, user=request.user, evidence=text, expected_version=expected)
        elif action == "refer":
            referral = ReferralForm(request.POST)
            services.refer_listing(
                listing,
                user=request.user,
                to=request.POST.get("to", "") if referral.is_valid() else "",
                expected_version=expected,
            )
        else:
            raise Refused([gettext("未知的操作")])
        messages.success(request, gettext("已保存"))
    except Refused as exc:
        tell(request, exc)
    except ConflictError as exc:
        messages.error(request, str(exc))

"""通知设置: a signed-in user's own channels beyond the app."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from keyproj.accounts.models import Membership
from keyproj.core.errors import Refused, add_to_form
from keyproj.outbox import services
from keyproj.outbox.forms import PreferenceForm
from keyproj.outbox.models import Robot


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    preference = services.preference_for(request.user)
    form = PreferenceForm(
        request.POST or None, initial={"email_enabled": preference.email_enabled, "mode": preference.mode}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_preference(
                request.user,
                email_enabled=form.cleaned_data["email_enabled"],
                mode=form.cleaned_data["mode"],
                actor=request.user,
            )
        except Refused as refused:
            add_to_form(form, refused)
        else:
            messages.success(request, gettext("通知设置已保存。"))
            return redirect("outbox:preferences")
    # The groups that hear the user's messages: named, never with their addresses.
    organisation_ids = Membership.objects.filter(user_id=request.user.pk).values("organisation_id")
    robots = Robot.objects.filter(organisation_id__in=organisation_ids, enabled=True).select_related("organisation")
    context = {"form": form, "preference": preference, "robots": robots, "email": request.user.email}
    return render(request, "outbox/preferences.html", context, status=400 if form.errors else 200)

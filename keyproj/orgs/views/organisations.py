"""Organisation pages: the districts, units, SOEs and area commands a user may see.

An organisation the user may not see does not exist for them (404). What an organisation's
page says about its projects (how many, their figures, the slowest) comes from the apps
above orgs, through keyproj.orgs.extensions (metrics registers the figures).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from keyproj.core.scoping import scoped_object_or_404
from keyproj.orgs import extensions
from keyproj.orgs.models import Organisation, OrgKind

# The kinds of organisation listed, in this order: those the office publishes figures for.
LISTED_KINDS = (OrgKind.DISTRICT, OrgKind.AREA_COMMAND, OrgKind.RESPONSIBLE_UNIT, OrgKind.SOE)


@require_safe
@login_required
def org_list(request: HttpRequest) -> HttpResponse:
    """单位: the districts, area commands, responsible units and SOEs the user may see, with project counts."""
    user = request.user
    orgs = list(Organisation.objects.visible_to(user).filter(kind__in=LISTED_KINDS).order_by("order", "code", "name"))
    counts = extensions.project_counts(user, orgs)
    groups = []
    for kind in LISTED_KINDS:
        members = [{"org": o, "count": counts.get(o.pk, 0)} for o in orgs if o.kind == kind]
        if members:
            groups.append({"kind": kind, "label": OrgKind(kind).label, "members": members})
    return render(request, "orgs/list.html", {"nav": "orgs", "groups": groups})


@require_safe
@login_required
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One organisation: the blocks the apps above register (metrics: the month's figures, the slowest projects)."""
    org = scoped_object_or_404(Organisation, request.user, pk=pk)
    blocks = [
        {
            "key": section.key,
            "template": section.template,
            "head_template": section.head_template,
            "context": section.context(request, org),
        }
        for section in extensions.sections()
    ]
    context: dict[str, Any] = {"nav": "orgs", "org": org, "blocks": blocks}
    return render(request, "orgs/detail.html", context)

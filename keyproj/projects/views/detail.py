"""The project page: its facts, the month's figures, the blocks other apps register, its history.

projects imports none of the apps whose data the page shows: metrics (the months), plans (the
milestones) and returns (the monthly returns) each register a block in
keyproj.projects.extensions, and the page renders them in order. The coordination panels of
problems, supervision and agents load themselves by htmx from their own addresses.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from keyproj.core.audit import history
from keyproj.core.models import AuditEntry
from keyproj.core.params import page_period
from keyproj.projects import extensions
from keyproj.projects.models import Project
from keyproj.projects.services import can_set_location
from keyproj.projects.tables import Row

AUDIT_LIMIT = 50

# The register's own block: the panels problems, supervision and agents serve (loaded by htmx),
# beside the plan's milestones.
extensions.register_section(
    extensions.Section(
        key="coordination", order=30, template="projects/_coordination.html", context=lambda *args: {}, wide=False
    )
)


def _audit(project: Project, objects: list[Any]) -> list[AuditEntry]:
    """The project's audit trail joined with that of the registered blocks' objects, newest first."""
    entries: QuerySet[AuditEntry] = history(project)
    by_model: dict[type, list[str]] = defaultdict(list)
    for obj in objects:
        by_model[type(obj)].append(str(obj.pk))
    for model, ids in by_model.items():
        ct = ContentType.objects.get_for_model(model)
        entries = entries | AuditEntry.objects.filter(content_type=ct, object_id__in=ids).select_related("user")
    return list(entries.order_by("-at", "-id")[:AUDIT_LIMIT])


def _blocks(request: HttpRequest, project: Project, period: Any) -> tuple[list[list[dict[str, Any]]], list[Any]]:
    """The registered blocks, rendered in order, side by side where two narrow ones follow each other,
    and the objects whose history joins the project's."""
    rows: list[list[dict[str, Any]]] = []
    audited: list[Any] = []
    for section in extensions.sections():
        block = {
            "key": section.key,
            "template": section.template,
            "wide": section.wide,
            "context": section.context(request, project, period),
        }
        if section.audited is not None:
            audited.extend(section.audited(project))
        if not section.wide and rows and not rows[-1][0]["wide"] and len(rows[-1]) < 2:
            rows[-1].append(block)
        else:
            rows.append([block])
    return rows, audited


@require_safe
@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One project: its facts, the year's plan against returns, milestones and history."""
    user = request.user
    project = get_object_or_404(
        Project.objects.visible_to(user).select_related(
            "district",
            "area_command",
            "responsible_unit",
            "owner",
            "agent_builder",
            "category",
            "stage",
            "pipeline_batch",
            "tracker",
            "liaison_leader",
        ),
        pk=pk,
    )
    figures = extensions.figures()
    period, period_error = page_period(request, figures.default_period(user))
    month_figures = None
    if period is not None:
        month_figures = figures.with_month(Project.objects.filter(pk=project.pk), period).first()
    blocks, audited = _blocks(request, project, period)
    context = {
        "nav": "projects",
        "project": project,
        "period": period,
        "period_error": period_error,
        "row": Row.of(month_figures) if month_figures is not None else None,
        "blocks": blocks,
        "audit": _audit(project, audited),
        "register_url": reverse("projects:list"),
        "can_locate": can_set_location(user, project),
    }
    return render(request, "projects/detail.html", context)

"""The project page's block of the year's plan: its milestone months against what returns report.

Registered into keyproj.projects.extensions by PlansConfig.ready; `page_year` is the year the
project page is about, which the blocks of the apps above (metrics' months, returns') share.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Min, Q
from django.http import HttpRequest

from keyproj.core.period import Period
from keyproj.plans.models import AnnualPlan
from keyproj.projects import extensions
from keyproj.projects.models import Project


def page_year(project: Project, period: Period | None) -> int | None:
    """The year a project page shows: the chosen month's, else the project's latest planned year."""
    if period is not None:
        return period.year
    return AnnualPlan.objects.filter(project=project).order_by("-year").values_list("year", flat=True).first()


def milestones_context(request: HttpRequest, project: Project, period: Period | None) -> dict[str, Any]:
    year = page_year(project, period)
    plan = AnnualPlan.objects.filter(project=project, year=year).first() if year else None
    # The first approved return of the year saying started (completed); returns sit above plans,
    # so they are reached through the project's `returns` relation rather than imported.
    met = (
        project.returns.approved()
        .filter(year=year)
        .aggregate(started=Min("month", filter=Q(started=True)), completed=Min("month", filter=Q(completed=True)))
    )
    return {"year": year, "plan": plan, "met": met}


def audited(project: Project) -> list[AnnualPlan]:
    """The project's annual plans, whose audit entries join the project's history."""
    return list(AnnualPlan.objects.filter(project=project))


MILESTONES_SECTION = extensions.Section(
    key="milestones",
    order=20,
    template="plans/_project_milestones.html",
    context=milestones_context,
    audited=audited,
    wide=False,
)


# Importing this module (as the app's ready() does) registers the block.
def register() -> None:
    """Put the block on the project page (called from the app's ready())."""
    extensions.register_section(MILESTONES_SECTION)

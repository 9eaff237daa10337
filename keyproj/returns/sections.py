"""The project page's block of monthly returns, newest first (registered by ReturnsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from keyproj.core.period import Period
from keyproj.plans.sections import page_year
from keyproj.projects import extensions
from keyproj.projects.models import Project
from keyproj.returns.models import ProgressReturn


def returns_context(request: HttpRequest, project: Project, period: Period | None) -> dict[str, Any]:
    returns = list(
        ProgressReturn.objects.filter(project=project)
        .select_related("submitted_by", "approved_by")
        .order_by("-year", "-month")
    )
    return {"year": page_year(project, period), "returns": returns}


def audited(project: Project) -> list[ProgressReturn]:
    """The project's returns, whose audit entries join the project's history."""
    return list(ProgressReturn.objects.filter(project=project).only("pk"))


RETURNS_SECTION = extensions.Section(
    key="returns", order=40, template="returns/_project_returns.html", context=returns_context, audited=audited
)


# Importing this module (as the app's ready() does) registers the block.
def register() -> None:
    """Put the block on the project page (called from the app's ready())."""
    extensions.register_section(RETURNS_SECTION)

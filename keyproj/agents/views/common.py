"""What the 代建 pages share: the scope check, a firm's short name, a form's service call, grade counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest

from keyproj.agents.models import InspectionGrade
from keyproj.core.errors import Refused, add_to_form
from keyproj.core.scoping import scope_for


def require_scope(user: Any) -> None:
    """Users with no role see nothing of 代建管理."""
    if scope_for(user).is_empty:
        raise Http404


def short_name(firm: Any) -> str:
    """A firm's name for a chart axis: its short name, or its name without the city and the company form."""
    return firm.short_name or firm.name.removeprefix("厦门").removesuffix("有限公司").removesuffix("有限责任公司")


def saved(request: HttpRequest, form: Any, save: Callable[[], Any], done: str, then: Callable[[Any], Any]) -> Any:
    """Run a form's service call: a refusal goes onto the form (None: show the page again);
    success is said and answered with `then(result)`, a redirect."""
    try:
        result = save()
    except Refused as refused:
        add_to_form(form, refused)
        return None
    messages.success(request, done)
    return then(result)


def grade_counts(inspections: Any) -> dict[str, int]:
    """How many inspections fell in each grade band, counted in the database."""
    counts = inspections.aggregate(**{g: Count("pk", filter=Q(grade=g)) for g in InspectionGrade.values})
    return {str(InspectionGrade(g).label): counts[g] for g in InspectionGrade.values}

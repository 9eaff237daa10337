"""What the returns pages share: the month asked for, the review scope, htmx detection."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext

from keyproj.accounts.models import Role
from keyproj.accounts.permissions import is_office
from keyproj.core.period import Period, PeriodError
from keyproj.returns.entry import reportable_projects
from keyproj.returns.models import ProgressReturn


def chosen_period(value: str, default: Period) -> tuple[Period, str]:
    """The month a form posts (YYYY-MM), or the default; a malformed one is said and replaced by the default.

    A page's ?period goes through keyproj.core.params.page_period; this reads a posted field.
    """
    value = (value or "").strip()
    if not value:
        return default, ""
    try:
        return Period.parse(value), ""
    except PeriodError as exc:
        message = gettext("月份“%(value)s”无效：%(reason)s。已改为显示%(label)s。")
        return default, message % {"value": value[:20], "reason": str(exc).rstrip("。"), "label": default.label}


def reviewable_returns(user: Any) -> QuerySet[ProgressReturn]:
    """The returns the user reviews: the office all it sees, a responsible unit's officers their unit's projects."""
    returns = ProgressReturn.objects.visible_to(user)
    if is_office(user):
        return returns
    units = [org for role, org in user.memberships.values_list("role", "organisation_id") if role == Role.UNIT_OFFICER]
    return returns.filter(Q(project__responsible_unit_id__in=units))


def is_reviewer(user: Any) -> bool:
    return is_office(user) or user.memberships.filter(role=Role.UNIT_OFFICER).exists()


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def tabs(user: Any, current: str) -> list[dict[str, Any]]:
    """The returns area's own links, those the user may use, the current one marked."""
    office = is_office(user)
    items = []
    if office or reportable_projects(user).exists():
        items += [
            ("entry", gettext("本月填报"), "returns:index"),
            ("upload", gettext("Excel上传"), "exchange:returns_upload"),
        ]
    if is_reviewer(user):
        items.append(("review", gettext("审核"), "returns:review"))
    items.append(("timeliness", gettext("按时报送"), "returns:timeliness"))
    if office:
        items += [
            ("amendments", gettext("更正申请"), "returns:amendments"),
            ("locks", gettext("锁定月份"), "returns:locks"),
        ]
    return [{"key": k, "label": label, "url": reverse(name), "current": k == current} for k, label, name in items]

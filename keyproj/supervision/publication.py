"""What a close publishes about each project, frozen beside the snapshot as PublishedProject rows.

The public page and the OC4IDS export (keyproj.opendata) read a closed month only from these
rows and its snapshot, so that what they show is what the office published that month, however
the register has changed since. A row holds a project's register fields that are public by
nature (name, level, category, stage, the organisations that answer for it, total
investment, planned dates, 建设内容, 建设地点), the year's monthly plan, the month's approved
return and the figures the close judged it on. It holds no person: not the tracker, not the
liaison leader, not an organisation's contact or phone, and not the return's 存在问题 or the
reviewer's comments. The free text it does hold (形象进度, 建设内容, 建设地点) is written by
owners, who sometimes put a site contact's telephone number in it: numbers that look like a
mainland mobile or landline number are masked when the row is written.

Five grouped queries, whatever the number of projects. One row per project rather than a list
in the snapshot: a month of 10,000 projects publishes ~10 MB, which every reader of the
snapshot would otherwise parse, and the public page of one project reads only its own rows.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from django.db.models import F, Min, Q

from keyproj.core.money import fmt2
from keyproj.core.period import Period
from keyproj.metrics.models import ProjectMonth
from keyproj.plans.models import MonthlyPlan, PlanStatus
from keyproj.projects.models import Project, ProjectLevel
from keyproj.returns.models import ProgressReturn, ReturnStatus
from keyproj.supervision.models import MonthClose, PublishedProject

# A mainland mobile number (11 digits from 13–19) or a landline with its area code (0 + 2–3
# digits, 7–8 digits, the area code perhaps in brackets), not inside a longer run of digits (a
# project code, an amount).
_PHONE = re.compile(r"(?<![\d-])(?:1[3-9]\d(?:[ -]?\d{4}){2}|0\d{2,3}-?\d{7,8}|[(（]0\d{2,3}[)）] ?\d{7,8})(?![\d-])")
PHONE_MASK = "（电话已隐去）"

# Bumped when the block's shape changes; readers refuse a format they do not know.
PUBLIC_FORMAT = 1

_ORGS = ("district", "responsible_unit", "owner", "agent_builder")
# The figures a close judged a project on, copied from the snapshot's row into its published row.
_FIGURES = ("annual_plan", "plan_to_date", "actual_to_date")


def public_text(text: str) -> str:
    """Free text as it may be published: telephone numbers masked."""
    return _PHONE.sub(PHONE_MASK, text or "")


def _month(value: Any) -> str | None:
    return f"{value:%Y-%m}" if value else None


def _org(row: dict[str, Any], prefix: str) -> dict[str, str] | None:
    if row[f"{prefix}__name"] is None:
        return None
    return {"name": row[f"{prefix}__name"], "code": row[f"{prefix}__code"] or ""}


def _first_months(period: Period, flag: str) -> dict[int, str]:
    """Per project, the first month (YYYY-MM) an approved return up to `period` reported the milestone."""
    up_to = Q(year__lt=period.year) | Q(year=period.year, month__lte=period.month)
    rows = (
        ProgressReturn.objects.filter(up_to, status=ReturnStatus.APPROVED, **{flag: True})
        .values("project_id")
        .annotate(first=Min(F("year") * 100 + F("month")))
        .order_by()
    )
    return {row["project_id"]: f"{row['first'] // 100:04d}-{row['first'] % 100:02d}" for row in rows}


def public_projects(period: Period, figure_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What a close of `period` publishes about every project its figures cover (the snapshot's `projects`)."""
    figures = {row["id"]: row for row in figure_rows}
    in_month = ProjectMonth.objects.filter(year=period.year, month=period.month).values("project_id")
    projects = (
        Project.objects.filter(pk__in=in_month)
        .values(
            "pk",
            "code",
            "name",
            "level",
            "category__code",
            "category__name",
            "stage__code",
            "stage__name",
            *(f"{org}__{field}" for org in _ORGS for field in ("name", "code")),
            "total_investment",
            "planned_start",
            "planned_completion",
            "description",
            "location",
            "lng",
            "lat",
        )
        .order_by("code")
    )
    lines: dict[int, list[str]] = defaultdict(lambda: ["0.00"] * 12)
    plan_months: dict[int, tuple[int | None, int | None]] = {}
    for pid, month, amount, start, completion in MonthlyPlan.objects.filter(
        plan__year=period.year, plan__status=PlanStatus.APPROVED, plan__project_id__in=in_month
    ).values_list("plan__project_id", "month", "investment", "plan__start_month", "plan__completion_month"):
        lines[pid][month - 1] = str(fmt2(amount))
        plan_months[pid] = (start, completion)
    returns = {
        row["project_id"]: row
        for row in ProgressReturn.objects.filter(
            year=period.year, month=period.month, status=ReturnStatus.APPROVED, project_id__in=in_month
        ).values("project_id", "investment", "physical_progress", "started", "completed")
    }
    started, completed = _first_months(period, "started"), _first_months(period, "completed")
    levels = dict(ProjectLevel.choices)
    published = []
    for row in projects:
        pid = row["pk"]
        ret = returns.get(pid)
        start_month, completion_month = plan_months.get(pid, (None, None))
        published.append(
            {
                "id": pid,
                "code": row["code"],
                "name": row["name"],
                "level": {"code": row["level"], "name": str(levels.get(row["level"], row["level"]))},
                "category": {"code": row["category__code"], "name": row["category__name"]},
                "stage": {"code": row["stage__code"], "name": row["stage__name"]} if row["stage__code"] else None,
                **{org: _org(row, org) for org in _ORGS},
                "total_investment": fmt2(row["total_investment"]),
                "planned_start": _month(row["planned_start"]),
                "planned_completion": _month(row["planned_completion"]),
                "description": public_text(row["description"]),
                "location": public_text(row["location"]),
                # The point in WGS-84 (as GeoJSON and OC4IDS want it), six places as strings; None when unset.
                "lng": None if row["lng"] is None else str(row["lng"]),
                "lat": None if row["lat"] is None else str(row["lat"]),
                "plan": {
                    "monthly": lines[pid] if pid in plan_months else None,
                    "start_month": start_month,
                    "completion_month": completion_month,
                },
                "return": (
                    {
                        "investment": fmt2(ret["investment"]),
                        "physical_progress": public_text(ret["physical_progress"]),
                        "started": ret["started"],
                        "completed": ret["completed"],
                    }
                    if ret
                    else None
                ),
                "started_in": started.get(pid),
                "completed_in": completed.get(pid),
                "figures": {key: figures[pid][key] for key in _FIGURES} if pid in figures else {},
            }
        )
    return published


def marker(published: list[dict[str, Any]]) -> dict[str, int]:
    """What the snapshot says of the rows: their format and how many, checked by every reader."""
    return {"format": PUBLIC_FORMAT, "projects": len(published)}


def write(close: MonthClose, published: list[dict[str, Any]]) -> None:
    """Store a close's published rows (inside the close's transaction; a re-close deletes the old ones first)."""
    PublishedProject.objects.bulk_create(
        (
            PublishedProject(close=close, project_id=entry["id"], code=entry["code"], name=entry["name"], data=entry)
            for entry in published
        ),
        batch_size=1000,
    )

"""Reading the plan page's form into PlanData, every problem tied to its field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from keyproj.core.money import MoneyError, parse_money
from keyproj.plans.services import PlanData
from keyproj.projects.models import Project

MONTH_FIELDS = [f"m{month}" for month in range(1, 13)]

# The services name fields by the plans workbook's column labels; the form by these names.
FIELD_NAMES = {
    "年度计划投资(万元)": "investment",
    "计划开工月份": "start_month",
    "计划竣工月份": "completion_month",
    "截至上年末累计完成投资(万元)": "invested_before",
    "调整原因": "reason",
    **{f"{month}月": f"m{month}" for month in range(1, 13)},
}


def values_of(data: PlanData | None) -> dict[str, Any]:
    """What the form's inputs show for a plan (empty for a new one)."""
    if data is None:
        return {"investment": "", **{m: "" for m in MONTH_FIELDS}, "start_month": "", "completion_month": ""}
    return {
        "investment": str(data.investment),
        **{f"m{month}": str(amount) for month, amount in enumerate(data.monthly, start=1)},
        "start_month": data.start_month or "",
        "completion_month": data.completion_month or "",
        "land_acquisition": "" if data.land_acquisition is None else str(data.land_acquisition),
        "land_handover": "" if data.land_handover is None else str(data.land_handover),
        "invested_before": "" if data.invested_before is None else str(data.invested_before),
    }


def _month(raw: str, errors: dict[str, str], name: str) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 12:
        errors[name] = gettext("月份应为1-12，而不是“%(value)s”") % {"value": raw[:10]}
        return None
    return int(raw)


def _optional_money(raw: str, errors: dict[str, str], name: str) -> Decimal | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return parse_money(raw)
    except MoneyError as error:
        errors[name] = str(error)
        return None


def read_plan(project: Project, year: int, data: Any) -> tuple[PlanData | None, dict[str, str], dict[str, Any]]:
    """The posted plan, the problems by field name, and the values to show again."""
    errors: dict[str, str] = {}
    values = {key: (data.get(key) or "").strip() for key in ["investment", *MONTH_FIELDS]}
    for key in ("start_month", "completion_month", "land_acquisition", "land_handover", "invested_before", "reason"):
        values[key] = (data.get(key) or "").strip()
    amounts: dict[str, Decimal] = {}
    for key in ["investment", *MONTH_FIELDS]:
        raw = values[key]
        if not raw and key != "investment":
            amounts[key] = Decimal(0)  # a month left empty plans nothing
            continue
        try:
            amounts[key] = parse_money(raw)
        except MoneyError as error:
            errors[key] = str(error)
    start = _month(values["start_month"], errors, "start_month")
    completion = _month(values["completion_month"], errors, "completion_month")
    acquisition = _optional_money(values["land_acquisition"], errors, "land_acquisition")
    handover = _optional_money(values["land_handover"], errors, "land_handover")
    invested_before = _optional_money(values["invested_before"], errors, "invested_before")
    if errors:
        return None, errors, values
    plan = PlanData(
        project=project,
        year=year,
        investment=amounts["investment"],
        monthly=[amounts[m] for m in MONTH_FIELDS],
        start_month=start,
        completion_month=completion,
        land_acquisition=acquisition,
        land_handover=handover,
        invested_before=invested_before,
    )
    return plan, errors, values

"""The project page's earned-value block: the year's S-curve of PV, EV and AC, and the latest SPI and CPI."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext, pgettext

from keyproj.core.money import fmt2, wan
from keyproj.core.period import Period
from keyproj.metrics.earned_value import EarnedMonth, earned_value, reported_through
from keyproj.plans.sections import page_year
from keyproj.projects import extensions as project_extensions
from keyproj.projects.models import Project


def ratio(value: Decimal | None) -> str:
    """An index for display: two places, half-up; a dash when there is none."""
    return "—" if value is None else str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _chart(year: int, months: list[EarnedMonth]) -> dict[str, Any]:
    return {
        "months": [Period(year, m.month).short_label for m in months],
        "series": {
            "pv": [fmt2(m.pv) for m in months],
            "ev": [fmt2(m.ev) for m in months],
            "ac": [fmt2(m.ac) for m in months],
        },
        "labels": {
            "pv": gettext("计划值PV"),
            "ev": gettext("挣值EV"),
            "ac": gettext("实际值AC"),
            "unit": gettext("万元"),
            "axis": pgettext("chart axis unit", "万元"),
        },
    }


def earned_context(request: HttpRequest, project: Project, period: Period | None) -> dict[str, Any]:
    """The block's context: the chart's data, the latest reported month's figures, what is missing."""
    year = page_year(project, period)
    if not year:
        return {"ev_year": None, "ev_has_months": False}
    reported_to = reported_through(year, period)
    months = earned_value(project, year, reported_to)
    latest = next((m for m in reversed(months) if m.month <= reported_to), None)
    return {
        "ev_year": year,
        "ev_has_months": bool(months),
        # Without an opening balance PV and AC are unknown: the block says what to fill in.
        "ev_no_opening": bool(months) and all(m.pv is None for m in months),
        "ev_chart": _chart(year, months),
        "ev_latest": None if latest is None else _latest(year, latest),
    }


def _latest(year: int, month: EarnedMonth) -> dict[str, Any]:
    """The latest reported month's figures for display."""
    return {
        "label": Period(year, month.month).label,
        "pv": wan(month.pv) if month.pv is not None else "—",
        "ev": wan(month.ev) if month.ev is not None else "—",
        "ac": wan(month.ac) if month.ac is not None else "—",
        "completion": "—" if month.completion is None else f"{month.completion.normalize():f}",
        "spi": ratio(month.spi),
        "cpi": ratio(month.cpi),
        "spi_low": month.spi is not None and month.spi < 1,
        "cpi_low": month.cpi is not None and month.cpi < 1,
    }


EARNED_VALUE_SECTION = project_extensions.Section(
    key="earned_value", order=12, template="metrics/_project_earned_value.html", context=earned_context
)

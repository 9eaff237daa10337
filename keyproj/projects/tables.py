"""How a project's figures of a month are shown in a table row: money and rates from exact Decimals."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from keyproj.core.money import fmt2, percent, wan
from keyproj.projects.models import Project


def signed(value: Decimal | None) -> str:
    """超 (+) or 差 (−) with a true minus sign: a hyphen is easy to miss in a column of numbers."""
    if value is None:
        return "—"
    text = wan(abs(value))
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else text)


@dataclass
class Row:
    """One project as the register shows it: the month's money and rates from exact Decimals.

    `of` takes a project carrying the month's figures (plan_to_date, actual_to_date, annual_plan),
    as the registered figures provider annotates them.
    """

    project: Project
    has_plan: bool
    total_investment: str
    plan_to_date: str
    actual_to_date: str
    over: str
    behind: bool
    schedule_rate: str
    annual_rate: str

    @classmethod
    def of(cls, p: Any) -> Row:
        plan, actual, annual = p.plan_to_date, p.actual_to_date, p.annual_plan
        has_plan = plan is not None
        over = actual - plan if has_plan else None
        return cls(
            project=p,
            has_plan=has_plan,
            total_investment=wan(p.total_investment),
            plan_to_date=wan(plan),
            actual_to_date=wan(actual),
            over=signed(over),
            behind=over is not None and over < 0,
            schedule_rate=(fmt2(percent(actual, plan)) if has_plan else None) or "—",
            annual_rate=(fmt2(percent(actual, annual)) if has_plan else None) or "—",
        )

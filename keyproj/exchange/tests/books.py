"""Rows and workbooks for the exchange tests, built with openpyxl the way a user's Excel file arrives."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl

from keyproj.exchange.formats import PLANS, PROJECTS, RETURNS

PROJECT_HEADER = [c.label for c in PROJECTS.columns]
PLAN_HEADER = [c.label for c in PLANS.columns]
RETURN_HEADER = [c.label for c in RETURNS.columns]


def write_workbook(path: Path, header: Sequence[Any], rows: Sequence[Sequence[Any]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def project_row(code: str = "XM-001", **overrides: Any) -> list[Any]:
    """A row of the projects workbook, right unless told otherwise (keys are column keys)."""
    values = {
        "code": code,
        "name": f"测试项目{code}",
        "level": "市重点",
        "category": "产业项目",
        "district": "思明区",
        "responsible_unit": "市交通局",
        "owner": "厦门路桥建设集团有限公司",
        "agent_builder": "",
        "total_investment": 12000.5,
        "planned_start": "2019-03",
        "planned_completion": "2021-12",
        "stage": "在建",
        "description": "道路及配套工程",
        "lng": "",
        "lat": "",
        "crs": "",
    }
    values.update(overrides)
    return [values[c.key] for c in PROJECTS.columns]


def plan_row(code: str, year: Any = 2019, monthly: Sequence[Any] = (100,) * 12, **overrides: Any) -> list[Any]:
    total = sum(amount for amount in monthly if amount != "")
    values = {
        "code": code,
        "year": year,
        "investment": total,
        "start_month": "",
        "completion_month": "",
        "invested_before": "",
    }
    values.update({f"m{m}": amount for m, amount in enumerate(monthly, start=1)})
    values.update(overrides)
    return [values[c.key] for c in PLANS.columns]


def return_row(code: str, month: Any = 7, **overrides: Any) -> list[Any]:
    values = {
        "code": code,
        "year": 2019,
        "month": month,
        "investment": 150,
        "physical_progress": "主体结构施工",
        "started": "是",
        "completed": "否",
        "problems": "",
        "completion": "",
        "completion_drop_reason": "",
    }
    values.update(overrides)
    return [values[c.key] for c in RETURNS.columns]

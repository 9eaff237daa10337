"""任务清单 and 责任清单: what each unit or district must deliver this year, and who answers for it.

Both come from the approved plans, one workbook with two sheets, for one responsible unit,
one district, or everything the user may see. The office sends them out at the start of
the year; supervision and the monthly ranking measure against them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from keyproj.core import xlsx
from keyproj.orgs.models import Organisation
from keyproj.plans.models import AnnualPlan, MonthlyPlan, PlanStatus

MONEY = "#,##0.00"
TASK_HEADER = [
    "项目代码", "项目名称", "所属区", "责任单位", "业主单位", "年度计划投资(万元)",
    *[f"{m}月" for m in range(1, 13)], "计划开工月份", "计划竣工月份", "计划征收(亩)", "计划交地(亩)",
]  # fmt: skip
DUTY_HEADER = [
    "项目代码",
    "项目名称",
    "所属区",
    "责任单位",
    "业主单位",
    "代建单位",
    "分管(挂钩)市领导",
    "跟踪人",
    "节点目标",
]


def approved_plans(user: Any, year: int, organisation: Organisation | None = None) -> QuerySet[AnnualPlan]:
    """The year's approved plans the user may see, of one unit or district when given."""
    plans = AnnualPlan.objects.visible_to(user).filter(year=year, status=PlanStatus.APPROVED)
    if organisation is not None:
        plans = plans.filter(Q(project__district=organisation) | Q(project__responsible_unit=organisation))
    return plans.select_related(
        "project__district",
        "project__responsible_unit",
        "project__owner",
        "project__agent_builder",
        "project__liaison_leader",
        "project__tracker",
    ).order_by("project__district__order", "project__code")


def build(user: Any, year: int, organisation: Organisation | None = None) -> tuple[Workbook, int]:
    """The two-sheet workbook, and how many projects it lists."""
    plans = list(approved_plans(user, year, organisation))
    months: dict[int, dict[int, Decimal]] = {}
    for plan_id, month, amount in MonthlyPlan.objects.filter(plan__in=plans).values_list(
        "plan_id", "month", "investment"
    ):
        months.setdefault(plan_id, {})[month] = amount

    workbook = xlsx.new_workbook()
    tasks = workbook.active
    tasks.title = "任务清单"
    duties = workbook.create_sheet("责任清单")
    _header(tasks, TASK_HEADER)
    _header(duties, DUTY_HEADER)
    for plan in plans:
        project = plan.project
        where = [project.code, project.name, project.district.name, project.responsible_unit.name, project.owner.name]
        xlsx.append(
            tasks,
            [
                *where,
                plan.investment,
                *[months.get(plan.pk, {}).get(m, Decimal(0)) for m in range(1, 13)],
                plan.start_month,
                plan.completion_month,
                plan.land_acquisition,
                plan.land_handover,
            ],
        )
        xlsx.append(
            duties,
            [
                *where,
                project.agent_builder.name if project.agent_builder else "",
                str(project.liaison_leader) if project.liaison_leader else "",
                str(project.tracker) if project.tracker else "",
                _milestones(plan),
            ],
        )
    for row in tasks.iter_rows(min_row=2, min_col=6, max_col=18):  # the annual figure and twelve months
        for cell in row:
            cell.number_format = MONEY
    return workbook, len(plans)


def _milestones(plan: AnnualPlan) -> str:
    parts = []
    if plan.start_month:
        parts.append(f"{plan.year}年{plan.start_month}月开工")
    if plan.completion_month:
        parts.append(f"{plan.year}年{plan.completion_month}月竣工")
    return "；".join(parts)


def _header(sheet: Any, header: list[str]) -> None:
    xlsx.append(sheet, header)
    for index, label in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        wide = 30 if label == "项目名称" else 24 if label in ("项目代码", "业主单位", "代建单位", "节点目标") else 12
        sheet.column_dimensions[get_column_letter(index)].width = wide
    sheet.freeze_panes = "C2"

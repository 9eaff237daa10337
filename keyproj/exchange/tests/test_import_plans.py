from __future__ import annotations

from decimal import Decimal

import pytest

from keyproj.core.models import AuditEntry
from keyproj.core.scoping import CONSOLE
from keyproj.exchange.importer import import_workbook
from keyproj.exchange.tests.books import PLAN_HEADER, plan_row
from keyproj.metrics.models import ProjectMonth
from keyproj.plans.models import AnnualPlan, MonthlyPlan, PlanStatus
from keyproj.testing import make_plan, make_project

pytestmark = pytest.mark.django_db


def test_it_creates_plans_with_twelve_monthly_lines_and_the_rollup_follows(xlsx, siming_project):
    monthly = [50, 50, 80, 80, 100, 100, 100, 100, 120, 120, 50.5, 49.5]
    book = xlsx(PLAN_HEADER, [plan_row(siming_project.code, monthly=monthly, start_month=3, completion_month="12月")])

    result = import_workbook("plans", book, user=CONSOLE, approve=True)

    assert result.lines == []
    assert str(result.count) == "新增1条，更新0条，未变0条"
    plan = AnnualPlan.objects.get(project=siming_project, year=2019)
    assert (plan.investment, plan.status, plan.start_month, plan.completion_month) == (
        Decimal("1000.00"),
        PlanStatus.APPROVED,
        3,
        12,
    )
    assert list(plan.lines.order_by("month").values_list("investment", flat=True))[-2:] == [
        Decimal("50.50"),
        Decimal("49.50"),
    ]
    july = ProjectMonth.objects.get(project=siming_project, year=2019, month=7)
    assert july.plan_to_date == Decimal("560.00")  # 50+50+80+80+100+100+100


def test_a_blank_month_counts_as_nothing_planned(xlsx, siming_project):
    row = plan_row(siming_project.code, monthly=[600] + [""] * 10 + [600])

    result = import_workbook("plans", xlsx(PLAN_HEADER, [row]), user=CONSOLE)

    assert result.lines == []
    assert MonthlyPlan.objects.filter(plan__project=siming_project, investment=0).count() == 10


def test_reimporting_the_same_plans_changes_nothing(xlsx, siming_project, haicang_project):
    book = xlsx(PLAN_HEADER, [plan_row(siming_project.code), plan_row(haicang_project.code)])
    import_workbook("plans", book, user=CONSOLE, approve=True)
    audited = AuditEntry.objects.count()

    again = import_workbook("plans", book, user=CONSOLE, approve=True)

    assert str(again.count) == "新增0条，更新0条，未变2条"
    assert AuditEntry.objects.count() == audited


def test_an_update_keeps_the_land_figures_the_workbook_does_not_carry(xlsx, siming_project):
    make_plan(siming_project, land_acquisition=Decimal("12.5"))

    result = import_workbook(
        "plans",
        xlsx(PLAN_HEADER, [plan_row(siming_project.code, monthly=[200] * 12)]),
        user=CONSOLE,
        approve=True,
    )

    assert str(result.count) == "新增0条，更新1条，未变0条"
    plan = AnnualPlan.objects.get(project=siming_project)
    assert (plan.investment, plan.land_acquisition) == (Decimal("2400.00"), Decimal("12.50"))


def test_every_plan_error_is_listed_and_nothing_is_written(xlsx, siming_project):
    code = siming_project.code
    rows = [
        plan_row(code),  # row 2: right
        plan_row(code),  # row 3: same project and year
        plan_row("XM-404"),  # row 4: no such project
        plan_row("2019-350203"),  # row 5: not a code at all
        plan_row(code, year=2020, investment=1000),  # row 6: months add up to 1200
        plan_row(code, year="明年"),  # row 7
        plan_row(code, year=2021, m3=-100, m4=300),  # row 8
        plan_row(code, year=2022, start_month=13, completion_month=0),  # row 9
        plan_row(code, year=2023, start_month=9, completion_month=3),  # row 10
        plan_row(code, year=1999),  # row 11
    ]

    result = import_workbook("plans", xlsx(PLAN_HEADER, rows), user=CONSOLE)

    assert result.lines == [
        "第3行 项目代码: 与第2行重复（同一项目、同一年度）",
        "第4行 项目代码: 没有项目代码为“XM-404”的项目",
        "第5行 项目代码: “2019-350203”不符合全国投资项目代码格式YYYY-RRRRRR-DD-TT-NNNNNN",
        "第6行 年度计划投资(万元): 1-12月计划合计1200.00万元，与年度计划1000.00万元不符",
        "第7行 年度: “明年”不是整数",
        "第8行 3月: 金额不能为负数（-100）",
        "第9行 计划开工月份: 月份应为1-12，而不是13",
        "第9行 计划竣工月份: 月份应为1-12，而不是0",
        "第10行 计划竣工月份: 早于计划开工月份",
        "第11行 年度: 1999不是有效年度",
    ]
    assert not AnnualPlan.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="plan.").exists()


def test_an_owner_plans_their_own_projects_and_cannot_see_others(xlsx, owner_user, siming_project, haicang_project):
    result = import_workbook(
        "plans",
        xlsx(PLAN_HEADER, [plan_row(siming_project.code), plan_row(haicang_project.code)]),
        user=owner_user,
    )

    # The Haicang project is not the owner's: it reads as unknown, its existence not revealed.
    assert result.lines == [f"第3行 项目代码: 没有项目代码为“{haicang_project.code}”的项目"]
    assert not AnnualPlan.objects.exists()


def test_a_plan_imported_by_an_owner_is_a_draft(xlsx, owner_user, siming_project):
    result = import_workbook("plans", xlsx(PLAN_HEADER, [plan_row(siming_project.code)]), user=owner_user)

    assert result.ok
    assert AnnualPlan.objects.get().status == PlanStatus.DRAFT


def test_only_the_office_may_import_approved_plans(xlsx, owner_user, siming_project):
    result = import_workbook("plans", xlsx(PLAN_HEADER, [plan_row(siming_project.code)]), user=owner_user, approve=True)

    assert result.lines == ["只有重点办可以直接导入已批准的计划"]
    assert not AnnualPlan.objects.exists()


def test_a_district_officer_sees_the_project_but_may_not_plan_it(xlsx, siming_officer, siming_project):
    result = import_workbook("plans", xlsx(PLAN_HEADER, [plan_row(siming_project.code)]), user=siming_officer)

    assert result.lines == [f"第2行 项目代码: 无权编制项目“{siming_project}”的计划"]


def test_a_plans_dry_run_writes_nothing(xlsx):
    project = make_project()

    result = import_workbook("plans", xlsx(PLAN_HEADER, [plan_row(project.code)]), user=CONSOLE, dry_run=True)

    assert str(result.count) == "新增1条，更新0条，未变0条"
    assert not AnnualPlan.objects.exists()
    assert not ProjectMonth.objects.exists()

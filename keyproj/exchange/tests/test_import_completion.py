"""Earned-value columns: 形象进度百分比(%) and 进度回落原因; the plans opening balance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from keyproj.core.scoping import CONSOLE
from keyproj.exchange.importer import import_workbook
from keyproj.exchange.tests.books import PLAN_HEADER, RETURN_HEADER, plan_row, return_row
from keyproj.plans.models import AnnualPlan
from keyproj.returns.models import ProgressReturn

pytestmark = pytest.mark.django_db

MID_AUGUST = dt.date(2019, 8, 15)
D = Decimal


def test_returns_take_a_percentage_and_a_reason_for_a_fall(xlsx, owner_user, siming_project):
    rows = [
        return_row(siming_project.code, 5, completion=68),
        return_row(siming_project.code, 6, completion="60%", completion_drop_reason="设计变更"),
        return_row(siming_project.code, 7),
    ]

    result = import_workbook("returns", xlsx(RETURN_HEADER, rows), user=owner_user, today=MID_AUGUST)

    assert result.lines == []
    stored = dict(ProgressReturn.objects.values_list("month", "completion"))
    assert stored == {5: D("68.00"), 6: D("60.00"), 7: None}
    assert ProgressReturn.objects.get(month=6).completion_drop_reason == "设计变更"


def test_bad_percentages_are_errors_by_row_and_nothing_is_written(xlsx, owner_user, siming_project):
    rows = [
        return_row(siming_project.code, 3, completion=101),
        return_row(siming_project.code, 4, completion="过半"),
        return_row(siming_project.code, 5, completion=68),
        return_row(siming_project.code, 6, completion=60),
    ]

    result = import_workbook("returns", xlsx(RETURN_HEADER, rows), user=owner_user, today=MID_AUGUST)

    assert result.lines == [
        "第2行 形象进度百分比(%): 不能超过100，而不是101",
        "第3行 形象进度百分比(%): “过半”不是数字",
        "第5行 进度回落原因: 形象进度百分比低于上月（68%→60%），请说明原因",
    ]
    assert not ProgressReturn.objects.exists()


def test_a_workbook_without_the_percentage_columns_keeps_the_stored_percentage(xlsx, owner_user, siming_project):
    import_workbook(
        "returns",
        xlsx(RETURN_HEADER, [return_row(siming_project.code, 7, completion=40)]),
        user=owner_user,
        today=MID_AUGUST,
    )
    header = RETURN_HEADER[:-2]
    row = return_row(siming_project.code, 7, investment=160)[:-2]

    result = import_workbook("returns", xlsx(header, [row]), user=owner_user, today=MID_AUGUST)

    assert result.lines == []
    ret = ProgressReturn.objects.get()
    assert (ret.investment, ret.completion) == (D("160.00"), D("40.00"))


def test_plans_take_the_investment_before_the_year(xlsx, siming_project):
    rows = [plan_row(siming_project.code, invested_before="3500.5")]

    result = import_workbook("plans", xlsx(PLAN_HEADER, rows), user=CONSOLE)

    assert result.lines == []
    assert AnnualPlan.objects.get().invested_before == D("3500.50")


def test_a_negative_opening_balance_is_an_error_by_row(xlsx, siming_project):
    rows = [plan_row(siming_project.code, invested_before=-1)]

    result = import_workbook("plans", xlsx(PLAN_HEADER, rows), user=CONSOLE)

    assert result.lines == ["第2行 截至上年末累计完成投资(万元): 金额不能为负数（-1）"]
    assert not AnnualPlan.objects.exists()

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from keyproj.core.models import AuditEntry
from keyproj.core.scoping import CONSOLE
from keyproj.exchange.importer import import_workbook
from keyproj.exchange.tests.books import RETURN_HEADER, return_row
from keyproj.metrics.models import ProjectMonth
from keyproj.returns.models import ProgressReturn, ReturnStatus
from keyproj.testing import AFTER_2019, make_plan

pytestmark = pytest.mark.django_db

MID_AUGUST = dt.date(2019, 8, 15)  # July has ended, August has not


def test_the_office_imports_approved_returns_that_count_at_once(xlsx, admin_user, siming_project):
    make_plan(siming_project)
    book = xlsx(RETURN_HEADER, [return_row(siming_project.code, 6), return_row(siming_project.code, 7)])

    result = import_workbook("returns", book, user=admin_user, approve=True, today=MID_AUGUST)

    assert result.lines == []
    assert str(result.count) == "新增2条，更新0条，未变0条"
    returns = ProgressReturn.objects.filter(project=siming_project).order_by("month")
    assert [(r.month, r.status, r.approved_by) for r in returns] == [
        (6, ReturnStatus.APPROVED, admin_user),
        (7, ReturnStatus.APPROVED, admin_user),
    ]
    assert ProjectMonth.objects.get(project=siming_project, month=7).actual_to_date == Decimal("300.00")


def test_returns_imported_without_approve_are_submitted_and_do_not_count_yet(xlsx, owner_user, siming_project):
    make_plan(siming_project)
    book = xlsx(RETURN_HEADER, [return_row(siming_project.code, problems="征地拆迁滞后")])

    result = import_workbook("returns", book, user=owner_user, today=MID_AUGUST)

    assert str(result.count) == "新增1条，更新0条，未变0条"
    ret = ProgressReturn.objects.get()
    assert (ret.status, ret.submitted_by, ret.investment) == (
        ReturnStatus.SUBMITTED,
        owner_user,
        Decimal("150.00"),
    )
    assert (ret.started, ret.completed, ret.problems) == (True, False, "征地拆迁滞后")
    assert ProjectMonth.objects.get(project=siming_project, month=7).actual_to_date == Decimal("0.00")


def test_reimporting_the_same_returns_changes_nothing(xlsx, owner_user, siming_project):
    book = xlsx(RETURN_HEADER, [return_row(siming_project.code, m) for m in (1, 2, 3)])
    import_workbook("returns", book, user=owner_user, today=MID_AUGUST)
    audited = AuditEntry.objects.count()

    again = import_workbook("returns", book, user=owner_user, today=MID_AUGUST)

    assert str(again.count) == "新增0条，更新0条，未变3条"
    assert AuditEntry.objects.count() == audited


def test_every_return_error_is_listed_and_nothing_is_written(xlsx, owner_user, siming_project):
    code = siming_project.code
    rows = [
        return_row(code, 1),  # row 2: right
        return_row(code, 13),  # row 3
        return_row(code, 8),  # row 4: August has not ended on 15 August
        return_row(code, 2, investment=-1),  # row 5
        return_row(code, 3, investment="约100"),  # row 6
        return_row(code, 4, started="已开工", completed="x"),  # row 7
        return_row(code, 5, started="否", completed="是"),  # row 8: completed but never started
        return_row(code, 1),  # row 9: January again
        return_row("XM-404", 1),  # row 10
        return_row(code, 6, physical_progress=""),  # row 11
        return_row(code, "七月"),  # row 12
        return_row(code, 7, investment=10.005),  # row 13
    ]

    result = import_workbook("returns", xlsx(RETURN_HEADER, rows), user=owner_user, today=MID_AUGUST)

    assert result.lines == [
        "第3行 月份: 月份应为1-12，而不是13",
        "第4行 月份: 2019年8月尚未结束，不能填报",
        "第5行 本月完成投资(万元): 金额不能为负数（-1）",
        "第6行 本月完成投资(万元): “约100”不是数字",
        "第7行 是否开工: 应填“是”或“否”，而不是“已开工”",
        "第7行 是否竣工: 应填“是”或“否”，而不是“x”",
        "第8行 是否竣工: 项目未开工，不能填报竣工",
        "第9行 项目代码: 与第2行重复（同一项目、同一年度、同一月份）",
        "第10行 项目代码: 没有项目代码为“XM-404”的项目",
        "第11行 形象进度: 不能为空",
        "第12行 月份: “七月”不是整数",
        "第13行 本月完成投资(万元): 金额最多保留两位小数（10.005）",
    ]
    assert not ProgressReturn.objects.exists()
    assert not AuditEntry.objects.exists()


def test_an_owner_reporting_a_project_not_theirs_gets_the_unknown_code_error(xlsx, owner_user, haicang_project):
    result = import_workbook("returns", xlsx(RETURN_HEADER, [return_row(haicang_project.code)]), user=owner_user)

    assert result.lines == [f"第2行 项目代码: 没有项目代码为“{haicang_project.code}”的项目"]
    assert not ProgressReturn.objects.exists()


def test_a_district_officer_sees_the_project_but_may_not_report_it(xlsx, siming_officer, siming_project):
    result = import_workbook("returns", xlsx(RETURN_HEADER, [return_row(siming_project.code)]), user=siming_officer)

    assert result.lines == [f"第2行 项目代码: 无权填报项目“{siming_project}”"]


def test_only_the_office_may_import_approved_returns(xlsx, owner_user, siming_project):
    book = xlsx(RETURN_HEADER, [return_row(siming_project.code)])

    result = import_workbook("returns", book, user=owner_user, approve=True, today=MID_AUGUST)

    assert result.lines == ["只有重点办可以直接导入已审核的填报"]
    assert not ProgressReturn.objects.exists()


def test_an_approved_return_cannot_be_changed_by_an_import(xlsx, siming_project):
    code = siming_project.code
    make_plan(siming_project)
    first = xlsx(RETURN_HEADER, [return_row(code, 6), return_row(code, 7)])
    import_workbook("returns", first, user=CONSOLE, approve=True, today=AFTER_2019)
    audited = AuditEntry.objects.count()
    second = xlsx(RETURN_HEADER, [return_row(code, 6), return_row(code, 7, investment=999)])

    result = import_workbook("returns", second, user=CONSOLE, today=AFTER_2019)

    assert result.lines == ["第3行: 2019年7月的填报已审核，不能修改，请走更正程序"]
    assert ProgressReturn.objects.get(month=7).investment == Decimal("150.00")
    assert AuditEntry.objects.count() == audited


def test_a_file_without_the_problems_column_keeps_the_problems_already_reported(xlsx, owner_user, siming_project):
    code = siming_project.code
    import_workbook(
        "returns",
        xlsx(RETURN_HEADER, [return_row(code, problems="管线迁改")]),
        user=owner_user,
        today=MID_AUGUST,
    )

    result = import_workbook(
        "returns",
        # 存在问题 and the optional columns after it (形象进度百分比, 进度回落原因) left out.
        xlsx(RETURN_HEADER[:-3], [return_row(code, investment=200)[:-3]]),
        user=owner_user,
        today=MID_AUGUST,
    )

    assert str(result.count) == "新增0条，更新1条，未变0条"
    assert (ProgressReturn.objects.get().investment, ProgressReturn.objects.get().problems) == (
        Decimal("200.00"),
        "管线迁改",
    )


def test_a_returns_dry_run_writes_nothing(xlsx, siming_project):
    make_plan(siming_project)

    result = import_workbook(
        "returns",
        xlsx(RETURN_HEADER, [return_row(siming_project.code)]),
        user=CONSOLE,
        approve=True,
        dry_run=True,
    )

    assert str(result.count) == "新增1条，更新0条，未变0条"
    assert not ProgressReturn.objects.exists()
    assert ProjectMonth.objects.get(project=siming_project, month=7).actual_to_date == Decimal("0.00")

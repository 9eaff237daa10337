from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from keyproj.plans.services import PlanData, save_plan
from keyproj.testing import make_plan, make_project


@pytest.fixture
def plans(siming, haicang, unit_org, owner_org, owner_user, staff_user):
    ours = make_project(district=siming, responsible_unit=unit_org, name="思明项目", tracker=staff_user)
    make_plan(ours, ["100"] * 12, start_month=3, completion_month=11)
    theirs = make_project(district=haicang, name="海沧项目")
    make_plan(theirs)
    draft = make_project(district=siming, name="草稿项目", owner=owner_org)
    save_plan(PlanData(draft, 2019, Decimal("12"), [Decimal("1")] * 12), user=owner_user)  # not approved
    return ours


def read(path):
    book = openpyxl.load_workbook(path)
    return [list(r) for r in book["任务清单"].iter_rows(values_only=True)], [
        list(r) for r in book["责任清单"].iter_rows(values_only=True)
    ]


def test_the_lists_hold_a_districts_approved_plans_with_months_and_duties(plans, tmp_path, staff_user):
    out = tmp_path / "siming.xlsx"
    call_command("tasklist", str(out), "--year", "2019", "--district", "350203")

    tasks, duties = read(out)
    assert [row[1] for row in tasks[1:]] == ["思明项目"]
    assert tasks[1][5] == 1200 and tasks[1][6:18] == [100] * 12
    assert tasks[1][18:20] == [3, 11]
    assert duties[1][7] == str(staff_user)
    assert duties[1][8] == "2019年3月开工；2019年11月竣工"


def test_a_user_gets_only_what_they_may_see(plans, tmp_path, haicang_officer):
    out = tmp_path / "mine.xlsx"
    call_command("tasklist", str(out), "--year", "2019", "--user", "haicang")
    tasks, _ = read(out)
    assert [row[1] for row in tasks[1:]] == ["海沧项目"]


def test_another_districts_list_is_refused_as_unknown(plans, tmp_path, haicang_officer):
    with pytest.raises(CommandError, match="没有代码或名称"):
        call_command(
            "tasklist", str(tmp_path / "x.xlsx"), "--year", "2019", "--district", "350203", "--user", "haicang"
        )


@pytest.mark.parametrize(
    ("args", "message"), [(["--year", "1999"], "不在有效范围"), (["--year", "2019", "--unit", "999"], "没有编号")]
)
def test_bad_arguments_get_a_clear_answer(db, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("tasklist", str(tmp_path / "x.xlsx"), *args)

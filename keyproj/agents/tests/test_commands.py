"""`keyproj firms` and `keyproj inspections …` at the command line."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from keyproj.agents.models import EntryKind, Inspection, InspectionRound
from keyproj.agents.services import record_entry, score_inspection
from keyproj.agents.tests.helpers import admit, agent_project, sheet
from keyproj.core.scoping import CONSOLE
from keyproj.notices.document import to_text

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def pool(db):
    firm, other = admit("甲公司"), admit("乙公司", {"building": "B", "water": "B"})
    return [agent_project(firm if n % 3 else other) for n in range(10)]


def test_firms_lists_the_directory_with_classes():
    admit("甲公司", {"building": "A"})
    admit("乙公司", {"building": "B", "water": "B"})
    removed = admit("清出公司")
    record_entry(removed, EntryKind.REMOVAL, on=dt.date(2019, 5, 1), reason="清出", user=CONSOLE)
    data = json.loads(run("firms", "--json", "--as-of", "2019-06-01"))
    assert [(f["name"], f["grade"]) for f in data["firms"]] == [("乙公司", "B"), ("甲公司", "A")]
    assert [c["name"] for c in data["firms"][0]["classes"]] == ["房屋建筑", "水利水务"]
    earlier = json.loads(run("firms", "--json", "--as-of", "2019-04-30"))
    assert "清出公司" in {f["name"] for f in earlier["firms"]}
    assert "共2家单位（甲类1家，乙类1家）" in run("firms", "--as-of", "2019-06-01")


def test_firms_refuses_an_unknown_credit_code():
    with pytest.raises(CommandError, match="没有统一社会信用代码"):
        run("firms", "--code", "91350200MA99999999")


def test_the_draw_reruns_the_same_and_changes_with_the_seed(pool):
    args = ("inspections", "draw", "--quarter", "2019Q3", "--random", "4", "--seed", "S1", "--json", "--dry-run")
    first, again = json.loads(run(*args)), json.loads(run(*args))
    assert first["drawn"] == again["drawn"] and first["recorded"] is False
    other = json.loads(run(*args[:-3], "S2", "--json", "--dry-run"))
    assert other["drawn"] != first["drawn"]
    assert not InspectionRound.objects.exists()
    recorded = json.loads(run(*args[:-1]))
    assert recorded["drawn"] == first["drawn"] and recorded["recorded"] is True
    shown = json.loads(run("inspections", "show", "--quarter", "2019Q3", "--json"))
    assert shown["verified"] is True and shown["pool"] == recorded["pool"]


def test_bad_draw_input_exits_with_a_message_and_writes_nothing(pool):
    with pytest.raises(CommandError) as caught:
        run("inspections", "draw", "--quarter", "2019Q3", "--random", "99", "--seed", "S", "--pick", "NOPE")
    assert "NOPE" in str(caught.value) and "只有" in str(caught.value)
    with pytest.raises(CommandError, match="不是有效的季度"):
        run("inspections", "draw", "--quarter", "2019-3", "--random", "1", "--seed", "S")
    assert not InspectionRound.objects.exists()


def test_the_quarterly_notice_is_written_as_docx_and_pdf(pool, tmp_path):
    run("inspections", "draw", "--quarter", "2019Q1", "--random", "3", "--seed", "S", "--pick", pool[1].code)
    for lost, inspection in zip([0, 15, 45, 5], Inspection.objects.order_by("project__code"), strict=True):
        score_inspection(inspection, sheet(lost), inspected_on=dt.date(2019, 3, 20), user=CONSOLE)
    out = run("inspections", "notice", "--quarter", "2019Q1", "--out", str(tmp_path))
    assert out.count("\n") == 2
    assert (tmp_path / "2019Q1-代建考评通报.docx").read_bytes()[:2] == b"PK"
    assert (tmp_path / "2019Q1-代建考评通报.pdf").read_bytes()[:4] == b"%PDF"
    from keyproj.agents.notice import quarterly_notice

    text = to_text(quarterly_notice(InspectionRound.objects.get()))
    assert "2019年第一季度重点项目督查暨代建考评情况通报" in text
    assert "优秀2个、良好1个、合格0个、不合格1个" in text
    assert "通报批评" in text and "约谈" in text


def _book(rows: list[list]) -> bytes:
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["统一社会信用代码", "姓名", "岗位", "项目代码", "年度", "月份", "应出勤天数", "实际出勤天数"])
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_attendance_is_imported_whole_or_not_at_all(tmp_path):
    from keyproj.agents.models import Attendance
    from keyproj.agents.services import save_key_staff

    firm = admit("甲公司")
    project = agent_project(firm)
    save_key_staff(firm, name="张工", post="项目负责人", user=CONSOLE)
    good = [firm.code, "张工", "项目负责人", project.code, 2019, 5, 22, 20]
    path = tmp_path / "a.xlsx"
    path.write_bytes(_book([good, ["91350200MA99999999", "李工", "项目负责人", project.code, 2019, 5, 22, 30]]))
    with pytest.raises(CommandError) as caught:
        run("inspections", "attendance", str(path))
    assert "第3行 统一社会信用代码: 没有统一社会信用代码为“91350200MA99999999”的代建单位" in str(caught.value)
    assert not Attendance.objects.exists()
    path.write_bytes(_book([good]))
    assert "检查通过" in run("inspections", "attendance", str(path), "--dry-run")
    assert not Attendance.objects.exists()
    assert "已导入考勤1条" in run("inspections", "attendance", str(path))
    assert Attendance.objects.get().present_days == 20

"""The 代建 pages: each role sees what it should, a firm never another firm's file, outsiders nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from keyproj.accounts.models import Role
from keyproj.agents.models import CreditRecord, DirectoryEntry, Inspection, InspectionRound
from keyproj.agents.services import draw_round, score_inspection
from keyproj.agents.tests.helpers import admit, agent_project, sheet
from keyproj.core.scoping import CONSOLE
from keyproj.testing import make_user

pytestmark = pytest.mark.django_db
DAY = dt.date(2019, 8, 20)


@pytest.fixture
def world(db):
    """Two firms, each with a project; both projects inspected and scored (one fails)."""
    mine, theirs = admit("我的公司"), admit("别家公司")
    mine_project, their_project = agent_project(mine), agent_project(theirs)
    draw_round(2019, 3, seed="s", count=0, picks=[mine_project.code, their_project.code], user=CONSOLE)
    score_inspection(Inspection.objects.get(project=mine_project), sheet(5), inspected_on=DAY, user=CONSOLE)
    score_inspection(Inspection.objects.get(project=their_project), sheet(50), inspected_on=DAY, user=CONSOLE)
    me = make_user("firm-user", Role.AGENT_BUILDER, mine)
    return {"mine": mine, "theirs": theirs, "me": me, "their_project": their_project, "mine_project": mine_project}


def get(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(f"agents:{name}", args=args), params)


def test_the_office_sees_every_page(client, staff_user, world):
    for name, args in [
        ("index", ()),
        ("firms", ()),
        ("firm", (world["theirs"].pk,)),
        ("credit", ()),
        ("attendance", ()),
        ("accounts", ()),
        ("rounds", ()),
        ("round", (2019, 3)),
        ("inspection", (Inspection.objects.get(project=world["their_project"]).pk,)),
        ("project_panel", (world["their_project"].pk,)),
    ]:
        assert get(client, staff_user, name, *args).status_code == 200, name


def test_a_firm_sees_its_own_file_and_never_another_firms(client, world):
    me = world["me"]
    assert get(client, me, "index").status_code == 302  # to its own file
    own = get(client, me, "firm", world["mine"].pk)
    assert own.status_code == 200 and "我的公司" in own.content.decode()
    assert get(client, me, "firm", world["theirs"].pk).status_code == 404
    theirs = Inspection.objects.get(firm=world["theirs"])
    assert get(client, me, "inspection", theirs.pk).status_code == 404
    page = get(client, me, "round", 2019, 3).content.decode()
    assert world["mine_project"].name in page and world["their_project"].name not in page
    credit = get(client, me, "credit").content.decode()
    assert "别家公司" not in credit
    firms = get(client, me, "firms").content.decode()
    assert "别家公司" not in firms


def test_outsiders_see_nothing(client, outsider, world):
    for name, args in [
        ("index", ()),
        ("firms", ()),
        ("firm", (world["mine"].pk,)),
        ("credit", ()),
        ("rounds", ()),
        ("round", (2019, 3)),
        ("inspection", (Inspection.objects.first().pk,)),
        ("project_panel", (world["mine_project"].pk,)),
    ]:
        assert get(client, outsider, name, *args).status_code == 404, name


def test_a_district_officer_sees_the_inspection_on_its_project_page_and_the_firm_but_not_its_file(
    client, siming_officer, world
):
    panel = get(client, siming_officer, "project_panel", world["mine_project"].pk)
    assert panel.status_code == 200 and "2019年第三季度" in panel.content.decode()
    page = get(client, siming_officer, "firm", world["mine"].pk)
    text = page.content.decode()
    assert page.status_code == 200 and world["mine_project"].name in text
    assert "<h2>关键人员</h2>" not in text and "<h2>信用记录</h2>" not in text and not page.context["records"]


# --- 代建 for districts, units and owners -----------------------------------------------------------


@pytest.fixture
def split(db, siming, haicang, unit_org, owner_org):
    """Firm 鹭江 builds a 思明 project of 市交通局 and 路桥集团 (scored 80); firm 海湾 builds a 海沧 project (fails)."""
    ours, others = admit("厦门鹭江代建有限公司"), admit("厦门海湾代建有限公司")
    our_project = agent_project(ours, district=siming, responsible_unit=unit_org, owner=owner_org, name="思明安置房")
    their_project = agent_project(others, district=haicang, name="海沧学校")
    draw_round(2019, 3, seed="s", count=0, picks=[our_project.code, their_project.code], user=CONSOLE)
    score_inspection(Inspection.objects.get(project=our_project), sheet(20), inspected_on=DAY, user=CONSOLE)
    score_inspection(Inspection.objects.get(project=their_project), sheet(50), inspected_on=DAY, user=CONSOLE)
    return {"ours": ours, "others": others, "our_project": our_project, "their_project": their_project}


@pytest.mark.parametrize("who", ["siming_officer", "unit_officer", "owner_user"])
def test_districts_units_and_owners_see_the_firms_building_their_projects_and_the_results(client, request, who, split):
    user = request.getfixturevalue(who)
    page = get(client, user, "index")
    text = page.content.decode()
    assert page.status_code == 200
    assert [f["row"].name for f in page.context["firms"]] == ["厦门鹭江代建有限公司"]
    assert "思明安置房" in text and "80.00" in text
    assert "厦门海湾代建有限公司" not in text and "海沧学校" not in text
    # The directory lists the same firm; its page shows its work on their projects.
    assert [r.name for r in get(client, user, "firms").context["rows"]] == ["厦门鹭江代建有限公司"]
    firm = get(client, user, "firm", split["ours"].pk)
    assert firm.status_code == 200 and "思明安置房" in firm.content.decode()
    ours = Inspection.objects.get(project=split["our_project"])
    assert get(client, user, "inspection", ours.pk).status_code == 200
    # Another district's firm, project and result do not exist for them.
    assert get(client, user, "firm", split["others"].pk).status_code == 404
    theirs = Inspection.objects.get(project=split["their_project"])
    assert get(client, user, "inspection", theirs.pk).status_code == 404


def test_a_district_officer_never_reads_a_firms_credit_file(client, siming_officer, split):
    from keyproj.agents.credit import CreditData, record_credit

    on = dt.date(2019, 5, 1)
    record_credit(
        CreditData(split["ours"], "bad", "minor", Decimal("2"), on, on.replace(year=2020), "扬尘治理不到位"),
        user=CONSOLE,
    )
    for name, args in [("index", ()), ("firm", (split["ours"].pk,)), ("credit", ())]:
        text = get(client, siming_officer, name, *args).content.decode()
        assert "扬尘治理不到位" not in text, name
    tabs = get(client, siming_officer, "index").content.decode()
    assert reverse("agents:credit") not in tabs and reverse("agents:attendance") not in tabs


def test_someone_whose_scope_has_no_agent_built_project_sees_no_firm_and_no_result(client, split):
    from keyproj.orgs.models import OrgKind
    from keyproj.testing import org

    nobody = make_user("no-projects", Role.OWNER, org(OrgKind.OWNER, "没有项目的业主"))
    page = get(client, nobody, "index")
    text = page.content.decode()
    assert page.status_code == 200 and page.context["firms"] == []
    assert "没有代建项目" in text
    for firm in ("厦门鹭江代建有限公司", "厦门海湾代建有限公司"):
        assert firm not in text
    assert get(client, nobody, "firms").context["rows"] == []
    for firm in (split["ours"], split["others"]):
        assert get(client, nobody, "firm", firm.pk).status_code == 404
    for inspection in Inspection.objects.all():
        assert get(client, nobody, "inspection", inspection.pk).status_code == 404
    quarter = get(client, nobody, "round", 2019, 3).content.decode()
    assert "思明安置房" not in quarter and "海沧学校" not in quarter


def test_the_overview_of_a_district_costs_a_fixed_number_of_queries(
    client, siming_officer, split, django_assert_max_num_queries
):
    client.force_login(siming_officer)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("agents:index")).status_code == 200


def test_an_inspector_scores_but_a_firm_may_not(client, inspector_user, world):
    inspection = Inspection.objects.get(firm=world["mine"])
    url = reverse("agents:inspection", args=[inspection.pk])
    form = {"inspected_on": "2019-08-21", "inspectors": "周", "findings": "", "version": inspection.version}
    for line in sheet(12):
        form[f"points_{line.item}"] = str(line.points)
        form[f"note_{line.item}"] = line.note
    client.force_login(world["me"])
    assert client.post(url, form).status_code == 403
    client.force_login(inspector_user)
    assert client.post(url, form).status_code == 302
    inspection.refresh_from_db()
    assert str(inspection.total) == "88.00" and inspection.grade == "good"


def test_a_score_above_the_maximum_is_shown_and_not_saved(client, inspector_user, world):
    inspection = Inspection.objects.get(firm=world["mine"])
    form = {"inspected_on": "2019-08-21", "version": inspection.version}
    for line in sheet():
        form[f"points_{line.item}"] = str(line.points + 1)
    client.force_login(inspector_user)
    response = client.post(reverse("agents:inspection", args=[inspection.pk]), form)
    assert response.status_code == 200 and "超过该项满分" in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.total == 95


def test_only_the_office_draws_records_entries_and_credit(client, inspector_user, staff_user, world):
    client.force_login(inspector_user)
    draw = {"quarter": "2019Q4", "seed": "x", "count": "1", "picks": "", "action": "record"}
    assert client.post(reverse("agents:rounds"), draw).status_code == 403
    entry = {"entry-kind": "suspension", "entry-on": "2019-09-01", "entry-reason": "整改"}
    assert client.post(reverse("agents:firm", args=[world["mine"].pk]), entry).status_code == 403
    client.force_login(staff_user)
    assert client.post(reverse("agents:firm", args=[world["mine"].pk]), entry).status_code == 302
    assert DirectoryEntry.objects.filter(kind="suspension").count() == 1
    preview = client.post(reverse("agents:rounds"), {**draw, "action": "preview"})
    assert preview.status_code == 200 and not InspectionRound.objects.filter(quarter=4).exists()
    records = CreditRecord.objects.count()
    bad = {
        "credit-kind": "good",
        "credit-grade": "grave",
        "credit-points": "1",
        "credit-valid_from": "2019-01-01",
        "credit-valid_until": "2019-12-31",
        "credit-description": "x",
    }
    response = client.post(reverse("agents:firm", args=[world["mine"].pk]), bad)
    assert response.status_code == 200 and "不是良好行为的等级" in response.content.decode()
    assert CreditRecord.objects.count() == records


def test_the_notice_downloads_for_the_office_only(client, staff_user, world):
    client.force_login(staff_user)
    response = client.get(reverse("agents:round_notice", args=[2019, 3, "docx"]))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    client.force_login(world["me"])
    assert client.get(reverse("agents:round_notice", args=[2019, 3, "pdf"])).status_code == 403


def test_the_office_closes_a_quarter_and_issues_its_notice_once(client, staff_user, world):
    from keyproj.notices.models import Notice

    client.force_login(staff_user)
    assert client.post(reverse("agents:round_close", args=[2019, 3])).status_code == 302
    assert InspectionRound.objects.get().status == "closed"
    client.post(reverse("agents:round_issue", args=[2019, 3]))
    client.post(reverse("agents:round_issue", args=[2019, 3]))
    notice = Notice.objects.get()
    assert notice.kind == "inspection" and "第三季度重点项目督查暨代建考评情况通报" in notice.title
    assert "已印发" in client.get(reverse("agents:round", args=[2019, 3])).content.decode()


def test_the_inspected_firms_are_told_once_that_the_quarters_notice_is_out(client, staff_user, world):
    from keyproj.accounts.models import Notification

    outsider = make_user("firm-outside", Role.AGENT_BUILDER, admit("未抽中公司"))
    client.force_login(staff_user)
    client.post(reverse("agents:round_close", args=[2019, 3]))
    client.post(reverse("agents:round_issue", args=[2019, 3]))
    client.post(reverse("agents:round_issue", args=[2019, 3]))
    told = Notification.objects.filter(kind="notice.issue")
    assert [n.user for n in told] == [world["me"]]
    assert "第三季度重点项目督查暨代建考评情况通报" in told.get().title
    assert not Notification.objects.filter(user=outsider).exists()


def test_the_office_admits_a_firm_and_refuses_a_bad_credit_code(client, staff_user, db):
    client.force_login(staff_user)
    form = {
        "name": "新公司",
        "credit_code": "BAD",
        "grade_building": "A",
        "grade_water": "Z",
        "admitted_on": "2019-01-01",
        "reason": "审核准入",
    }
    response = client.post(reverse("agents:firms"), form)
    assert response.status_code == 200 and "Z" not in response.context["admit_form"].cleaned_data.get("grades", {})
    assert response.context["admit_form"].errors["grade_water"]
    assert not DirectoryEntry.objects.exists()
    response = client.post(reverse("agents:firms"), {**form, "grade_water": ""})
    assert "不是有效的统一社会信用代码" in response.content.decode()
    none = {**form, "credit_code": "91350200MA12345678", "grade_building": "", "grade_water": ""}
    assert "请至少为一个专业选择甲类或乙类" in client.post(reverse("agents:firms"), none).content.decode()
    assert not DirectoryEntry.objects.exists()
    response = client.post(
        reverse("agents:firms"), {**form, "credit_code": "91350200MA12345678", "grade_building": "B", "grade_water": ""}
    )
    assert response.status_code == 302
    assert DirectoryEntry.objects.get().kind == "admission"


def test_the_admission_form_picks_each_specialtys_class_instead_of_typing_codes(client, staff_user, db):
    client.force_login(staff_user)
    text = client.get(reverse("agents:firms")).content.decode()
    assert 'name="grade_building"' in text and "building:A" not in text and "---------" not in text


def test_the_office_records_an_interview_held(client, staff_user, world):
    from keyproj.agents.models import Interview

    interview = Interview.objects.get()
    client.force_login(world["me"])  # another firm's 约谈 does not exist for it
    assert client.post(reverse("agents:interview_held", args=[interview.pk])).status_code == 404
    client.force_login(staff_user)
    client.post(reverse("agents:interview_held", args=[interview.pk]), {"held_on": "2019-09-02"})
    interview.refresh_from_db()
    assert str(interview.held_on) == "2019-09-02"


def test_a_firm_may_not_close_or_issue_a_quarter_in_any_state(client, world):
    client.force_login(world["me"])
    assert client.post(reverse("agents:round_issue", args=[2019, 3])).status_code == 403  # not yet closed
    assert client.post(reverse("agents:round_close", args=[2019, 3])).status_code == 403
    assert client.get(reverse("agents:round_issue", args=[2019, 3])).status_code == 405
    assert InspectionRound.objects.get().status != "closed"


def test_a_firm_sees_only_its_own_codes_of_the_draw_but_the_whole_pools_fingerprint(client, staff_user, world):
    from keyproj.agents.rules import fingerprint

    theirs, mine = world["their_project"].code, world["mine_project"].code
    full = InspectionRound.objects.get()
    office = get(client, staff_user, "round", 2019, 3).content.decode()
    assert theirs in office
    for response in (get(client, world["me"], "round", 2019, 3), get(client, world["me"], "rounds")):
        assert theirs not in response.content.decode()
    record = json.loads(get(client, world["me"], "round_draw", 2019, 3).content)
    assert (record["pool"], record["pool_size"], record["pool_sha256"]) == ([mine], 2, fingerprint(full.pool))
    assert record["pool_complete"] is False and record["verified"] is True
    (row,) = client.get("/api/v1/agents/rounds/").json()["results"]
    assert (row["pool"], row["picks"], row["pool_fingerprint"]) == ([mine], [mine], fingerprint(full.pool))
    client.force_login(staff_user)
    (row,) = client.get("/api/v1/agents/rounds/").json()["results"]
    assert sorted(row["picks"]) == sorted([mine, theirs])


# --- words a user knows: pickers, no command lines, no hashes --------------------------------------


def test_the_quarter_of_a_draw_is_picked_from_a_list_and_anything_else_is_refused(client, staff_user, settings, db):
    settings.KEYPROJ_TODAY = dt.date(2019, 9, 3)
    client.force_login(staff_user)
    page = client.get(reverse("agents:rounds"))
    text = page.content.decode()
    assert '<select name="quarter"' in text and '<option value="2019Q3" selected>2019年第三季度</option>' in text
    assert "2019Q3" not in text.replace('value="2019Q3"', "")
    typed = {"quarter": "2019-3", "seed": "20190916", "count": "1", "picks": "", "action": "record"}
    response = client.post(reverse("agents:rounds"), typed)
    assert response.status_code == 200 and "请从列表中选择季度" in response.content.decode()
    assert not InspectionRound.objects.exists()


def test_the_quarter_page_offers_the_draw_record_and_a_plain_note_instead_of_a_command_or_hash(
    client, staff_user, world
):
    from keyproj.agents.rules import fingerprint

    found = InspectionRound.objects.get()
    text = get(client, staff_user, "round", 2019, 3).content.decode()
    assert "keyproj inspections" not in text and fingerprint(found.pool) not in text and "指纹" not in text
    assert "如何验证" in text and "下载抽取记录" in text and "结果一致" in text
    download = get(client, staff_user, "round_draw", 2019, 3)
    assert download["Content-Type"].startswith("application/json")
    assert "attachment" in download["Content-Disposition"]
    record = json.loads(download.content)
    assert (record["seed"], record["pool"], record["picks"]) == ("s", found.pool, found.picks)
    assert record["verified"] is True and record["quarter_name"] == "2019年第三季度"


def test_the_draw_record_is_not_found_for_someone_without_a_role(client, outsider, world):
    assert get(client, outsider, "round_draw", 2019, 3).status_code == 404


def test_the_quarterly_notice_names_no_command_and_no_hash(world):
    from keyproj.agents.notice import quarterly_notice
    from keyproj.notices.document import to_text

    text = to_text(quarterly_notice(InspectionRound.objects.get()))
    assert "keyproj" not in text and "指纹" not in text and "抽取记录可在平台" in text


def _attendance_workbook(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["统一社会信用代码", "姓名", "岗位", "项目代码", "年度", "月份", "应出勤天数", "实际出勤天数"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_firm_imports_an_attendance_workbook_from_the_page_all_or_nothing(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from keyproj.agents.models import Attendance
    from keyproj.agents.services import save_key_staff

    firm, project = world["mine"], world["mine_project"]
    save_key_staff(firm, name="张工", post="项目负责人", user=CONSOLE)
    good = [firm.code, "张工", "项目负责人", project.code, 2019, 7, 22, 21]
    bad = [firm.code, "张工", "项目负责人", "NO-SUCH", 2019, 8, 22, 21]
    client.force_login(world["me"])
    url = reverse("agents:attendance")
    upload = SimpleUploadedFile("考勤.xlsx", _attendance_workbook([good, bad]))
    response = client.post(url, {"action": "upload", "file": upload})
    text = response.content.decode()
    assert response.status_code == 200 and "第3行 项目代码" in text and "未导入任何一条" in text
    assert not Attendance.objects.exists()
    not_a_workbook = SimpleUploadedFile("考勤.xlsx", b"hello")
    assert "不是xlsx格式" in client.post(url, {"action": "upload", "file": not_a_workbook}).content.decode()
    upload = SimpleUploadedFile("考勤.xlsx", _attendance_workbook([good]))
    assert client.post(url, {"action": "upload", "file": upload}).status_code == 302
    assert Attendance.objects.get().present_days == 21


def test_attendance_is_entered_with_the_month_and_project_picked_from_lists(client, world, settings):
    from keyproj.agents.models import Attendance
    from keyproj.agents.services import save_key_staff

    settings.KEYPROJ_TODAY = dt.date(2019, 9, 3)
    person = save_key_staff(world["mine"], name="张工", post="项目负责人", user=CONSOLE)
    client.force_login(world["me"])
    text = client.get(reverse("agents:attendance")).content.decode()
    assert '<option value="8" selected>8月</option>' in text and "keyproj inspections" not in text
    assert world["their_project"].name not in text  # another firm's project is not offered
    form = {"staff": person.pk, "project": world["mine_project"].pk, "year": 2019, "month": 8}
    response = client.post(reverse("agents:attendance"), {**form, "required_days": 22, "present_days": 23})
    assert response.status_code == 200 and not Attendance.objects.exists()
    other = {**form, "project": world["their_project"].pk, "required_days": 22, "present_days": 20}
    assert client.post(reverse("agents:attendance"), other).status_code == 200
    assert not Attendance.objects.exists()
    assert (
        client.post(reverse("agents:attendance"), {**form, "required_days": 22, "present_days": 20}).status_code == 302
    )
    assert Attendance.objects.get().month == 8


def test_the_rounds_old_addresses_lead_to_the_same_pages(client, admin_user):
    client.force_login(admin_user)

    assert client.get("/agents/inspections/").headers["Location"] == "/agents/rounds/"
    assert client.get("/agents/inspections/2019/q1/").headers["Location"] == "/agents/rounds/2019/q1/"
    assert client.get("/agents/inspection/999999/").status_code == 404  # looked up in scope first
    assert client.get("/agents/inspections/2019/q1/").status_code == 301

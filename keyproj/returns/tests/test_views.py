"""The returns pages: entry, workbook upload, review, locks, timeliness, corrections; scope on every page and POST."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from keyproj.accounts.models import Role
from keyproj.core.audit import history
from keyproj.core.scoping import CONSOLE
from keyproj.returns.models import MonthLock, ProgressReturn, ReturnAmendment, ReturnStatus
from keyproj.returns.services import ReturnData, save_returns
from keyproj.testing import AFTER_2019, make_plan, make_project, make_returns, make_user

D = Decimal
PERIOD = "2019-08"


@pytest.fixture
def planned(siming_project):
    make_plan(siming_project)
    return siming_project


def row_data(project, *, version="", **values):
    p = f"r{project.pk}"
    data = {
        "row": [str(project.pk)],
        f"{p}-version": str(version),
        f"{p}-investment": values.get("investment", "120.50"),
        f"{p}-physical_progress": values.get("physical_progress", "主体施工"),
        f"{p}-problems": values.get("problems", ""),
    }
    if values.get("started", True):
        data[f"{p}-started"] = "on"
    if values.get("completed"):
        data[f"{p}-completed"] = "on"
    if values.get("submit"):
        data[f"{p}-submit"] = "on"
    return data


def post_rows(client, *rows, action="save", period=PERIOD):
    data = {"period": period, "action": action, "page": "1", "row": []}
    for row in rows:
        for key, value in row.items():
            if key == "row":
                data["row"] += value
            else:
                data[key] = value
    return client.post("/returns/save/", data)


def draft(project, user, month=8, **values):
    items = [
        ReturnData(
            project=project,
            year=2019,
            month=month,
            investment=D(values.get("investment", "100")),
            started=True,
            physical_progress=values.get("physical_progress", "施工中"),
        )
    ]
    save_returns(items, user=user, submit=values.get("submit", False), today=AFTER_2019)
    return ProgressReturn.objects.get(project=project, year=2019, month=month)


# ---------------------------------------------------------------- the entry page


def test_the_owner_sees_their_projects_with_last_months_progress_prefilled(
    client, owner_user, planned, haicang_project
):
    make_returns(planned, ["100"] * 7)
    ProgressReturn.objects.filter(project=planned, month=7).update(physical_progress="七月的进度")
    client.force_login(owner_user)

    response = client.get("/returns/")

    assert response.status_code == 200
    text = response.content.decode()
    assert planned.name in text
    assert haicang_project.name not in text
    assert "七月的进度" in text
    assert "2019年8月" in text  # the month after the newest return is the one open


def test_the_owner_saves_a_draft_and_then_submits_it(client, owner_user, planned):
    client.force_login(owner_user)

    response = post_rows(client, row_data(planned, investment="120.50"))
    assert response.status_code == 302
    ret = ProgressReturn.objects.get(project=planned, year=2019, month=8)
    assert ret.status == ReturnStatus.DRAFT
    assert ret.investment == D("120.50")

    response = post_rows(
        client, row_data(planned, version=ret.version, investment="121", submit=True), action="submit_selected"
    )
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED
    assert ret.investment == D("121.00")
    assert ret.submitted_by == owner_user


def test_an_untouched_new_row_is_not_saved(client, owner_user, planned):
    client.force_login(owner_user)

    response = post_rows(client, row_data(planned, investment=""))

    assert response.status_code == 302
    assert not ProgressReturn.objects.exists()


def test_one_bad_row_writes_nothing_and_each_error_is_shown_on_its_row(client, owner_user, planned, owner_org):
    second = make_project(owner=owner_org)
    client.force_login(owner_user)

    response = post_rows(
        client,
        row_data(planned, investment="150"),
        row_data(second, investment="-5", started=False, completed=True),
        action="submit_all",
    )

    assert response.status_code == 400
    text = response.content.decode()
    assert "金额不能为负数" in text
    assert "未保存任何数据" in text
    assert f'id="r{second.pk}-investment-error"' in text
    assert not ProgressReturn.objects.exists()


def test_non_numeric_money_and_completion_before_start_are_explained_in_chinese(client, owner_user, planned):
    client.force_login(owner_user)

    response = post_rows(client, row_data(planned, investment="12万", started=False, completed=True))

    assert response.status_code == 400
    text = response.content.decode()
    assert "不是数字" in text
    assert not ProgressReturn.objects.exists()

    response = post_rows(client, row_data(planned, investment="12", started=False, completed=True))
    assert response.status_code == 400
    assert "项目未开工，不能填报竣工" in response.content.decode()
    assert not ProgressReturn.objects.exists()


def test_a_month_not_yet_over_cannot_be_reported(client, owner_user, planned):
    client.force_login(owner_user)

    response = post_rows(client, row_data(planned), period="2099-01")

    assert response.status_code == 400
    assert "尚未结束" in response.content.decode()
    assert not ProgressReturn.objects.exists()


def test_a_stale_row_gets_a_conflict_message_and_nothing_is_overwritten(client, owner_user, planned):
    ret = draft(planned, owner_user, investment="100")
    stale = ret.version
    # Someone else saves the same return meanwhile.
    save_returns(
        [ReturnData(project=planned, year=2019, month=8, investment=D("200"), started=True, expected_version=stale)],
        user=owner_user,
        today=AFTER_2019,
    )
    client.force_login(owner_user)

    response = post_rows(client, row_data(planned, version=stale, investment="300"))

    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    ret.refresh_from_db()
    assert ret.investment == D("200.00")


def test_a_submitted_return_is_shown_but_not_editable(client, owner_user, planned):
    ret = draft(planned, owner_user, submit=True)
    client.force_login(owner_user)

    text = client.get(f"/returns/?period={PERIOD}").content.decode()

    assert "已提交" in text
    assert f'name="r{planned.pk}-investment"' not in text
    # Posting it anyway changes nothing: only editable rows are read.
    post_rows(client, row_data(planned, version=ret.version, investment="999"))
    ret.refresh_from_db()
    assert ret.investment == D("100.00")
    assert ret.status == ReturnStatus.SUBMITTED


def test_a_sent_back_return_shows_the_reviewers_comment(client, owner_user, unit_officer, planned):
    from keyproj.returns.services import send_back_return

    ret = draft(planned, owner_user, submit=True)
    send_back_return(ret, user=unit_officer, comment="投资额与进度不符")
    client.force_login(owner_user)

    text = client.get(f"/returns/?period={PERIOD}").content.decode()

    assert "已退回" in text
    assert "投资额与进度不符" in text


def test_a_locked_month_is_read_only(client, owner_user, admin_user, planned):
    from keyproj.returns.services import lock_month

    lock_month(2019, 8, user=admin_user, reason="已通报")
    client.force_login(owner_user)

    assert "已由重点办锁定" in client.get(f"/returns/?period={PERIOD}").content.decode()
    response = post_rows(client, row_data(planned))
    assert response.status_code == 302
    assert not ProgressReturn.objects.exists()


def test_a_malformed_period_is_said_not_a_server_error(client, owner_user, planned):
    client.force_login(owner_user)

    response = client.get("/returns/?period=2019-13")

    assert response.status_code == 400
    assert "无效" in response.content.decode()


# ---------------------------------------------------------------- scope


def test_an_outsider_is_refused_every_returns_page(client, outsider, planned):
    ret = draft(planned, CONSOLE, submit=True)
    client.force_login(outsider)
    for url in (
        "/returns/",
        "/returns/upload/",
        "/returns/prefilled.xlsx",
        "/returns/template.xlsx",
        "/returns/review/",
        "/returns/locks/",
        "/returns/timeliness/",
        "/returns/timeliness/reminders.xlsx",
        "/returns/amendments/",
        f"/returns/{ret.pk}/",
    ):
        assert client.get(url).status_code in (403, 404), url
    assert post_rows(client, row_data(planned)).status_code == 404
    assert client.post(f"/returns/{ret.pk}/decide/", {"action": "approve"}).status_code == 404
    assert client.post("/returns/review/approve/", {"ids": [ret.pk]}).status_code == 403
    assert client.post("/returns/locks/", {"action": "lock", "period": PERIOD, "reason": "x"}).status_code == 403
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED
    assert not MonthLock.objects.exists()


def test_another_districts_officer_cannot_open_or_review_the_return(client, haicang_officer, planned):
    ret = draft(planned, CONSOLE, submit=True)
    client.force_login(haicang_officer)

    assert client.get(f"/returns/{ret.pk}/").status_code == 404
    assert client.post(f"/returns/{ret.pk}/decide/", {"action": "approve"}).status_code == 404
    assert post_rows(client, row_data(planned)).status_code == 404
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED


def test_a_district_officer_who_sees_a_project_may_not_report_it(client, siming_officer, planned):
    client.force_login(siming_officer)

    assert post_rows(client, row_data(planned)).status_code == 403
    assert not ProgressReturn.objects.exists()


# ---------------------------------------------------------------- review


def test_the_unit_approves_a_submitted_return_and_it_counts(client, owner_user, unit_officer, planned):
    ret = draft(planned, owner_user, submit=True, investment="250")
    client.force_login(unit_officer)

    page = client.get("/returns/review/")
    assert page.status_code == 200
    assert planned.name in page.content.decode()

    response = client.post(f"/returns/{ret.pk}/decide/", {"action": "approve", "version": ret.version})
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.APPROVED
    assert ret.approved_by == unit_officer


def test_the_review_row_is_swapped_in_place_with_htmx(client, owner_user, unit_officer, planned):
    ret = draft(planned, owner_user, submit=True)
    client.force_login(unit_officer)

    response = client.post(
        f"/returns/{ret.pk}/decide/", {"action": "approve", "version": ret.version}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert text.strip().startswith("<tr")
    assert "已审核通过" in text


def test_sending_back_needs_a_comment(client, owner_user, unit_officer, planned):
    ret = draft(planned, owner_user, submit=True)
    client.force_login(unit_officer)

    response = client.post(f"/returns/{ret.pk}/decide/", {"action": "send_back", "comment": ""}, follow=True)
    assert "退回时须写明原因" in response.content.decode()
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED

    client.post(f"/returns/{ret.pk}/decide/", {"action": "send_back", "comment": "请补充形象进度"})
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SENT_BACK
    assert ret.review_comment == "请补充形象进度"


def test_approving_ones_own_return_is_refused(client, admin_user, planned):
    ret = draft(planned, admin_user, submit=True)
    client.force_login(admin_user)

    response = client.post(f"/returns/{ret.pk}/decide/", {"action": "approve"}, follow=True)

    assert "不能审核自己提交的填报" in response.content.decode()
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED


def test_an_owner_cannot_approve(client, owner_user, planned):
    ret = draft(planned, CONSOLE, submit=True)
    client.force_login(owner_user)

    assert client.post(f"/returns/{ret.pk}/decide/", {"action": "approve"}).status_code == 403
    assert client.get("/returns/review/").status_code == 403


def test_a_stale_review_is_refused(client, owner_user, unit_officer, planned):
    ret = draft(planned, owner_user, submit=True)
    client.force_login(unit_officer)

    response = client.post(f"/returns/{ret.pk}/decide/", {"action": "approve", "version": ret.version - 1}, follow=True)

    assert "已被他人修改" in response.content.decode()
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED


def test_the_reviewer_sees_the_flags_with_their_reasons(client, owner_user, unit_officer, planned):
    planned.total_investment = D("500")
    planned.save()
    ret = draft(planned, owner_user, submit=True, investment="600")
    client.force_login(unit_officer)

    text = client.get("/returns/review/").content.decode()

    assert "超过项目总投资" in text
    # A flagged return cannot be ticked for the bulk approval.
    assert f'name="ids" value="{ret.pk}"' not in text


def test_bulk_approval_takes_unflagged_returns_only_and_all_or_none(
    client, owner_user, unit_officer, planned, owner_org, unit_org
):
    other = make_project(owner=owner_org, responsible_unit=unit_org, total_investment=D("500"))
    make_plan(other)
    clean = draft(planned, owner_user, submit=True, investment="100")
    flagged = draft(other, owner_user, submit=True, investment="600")
    client.force_login(unit_officer)

    response = client.post("/returns/review/approve/", {"ids": [clean.pk, flagged.pk]}, follow=True)
    assert "须逐条审核" in response.content.decode()
    assert set(ProgressReturn.objects.values_list("status", flat=True)) == {ReturnStatus.SUBMITTED}

    client.post("/returns/review/approve/", {"ids": [clean.pk]})
    clean.refresh_from_db()
    assert clean.status == ReturnStatus.APPROVED


# ---------------------------------------------------------------- the workbook


def workbook(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["项目代码", "年度", "月份", "本月完成投资(万元)", "形象进度", "是否开工", "是否竣工", "存在问题"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "returns.xlsx"
    return buffer


def test_an_upload_writes_the_rows_and_says_how_many(client, owner_user, planned):
    client.force_login(owner_user)

    response = client.post(
        "/returns/upload/", {"file": workbook([[planned.code, 2019, 8, 88.5, "施工", "是", "否", ""]])}
    )

    assert response.status_code == 200
    assert "新建1条" in response.content.decode()
    ret = ProgressReturn.objects.get(project=planned, month=8)
    assert ret.investment == D("88.50")
    assert ret.status == ReturnStatus.SUBMITTED


def test_an_upload_lists_every_bad_row_and_column_and_writes_nothing(client, owner_user, planned, haicang_project):
    client.force_login(owner_user)
    rows = [
        [planned.code, 2019, 8, 88.5, "施工", "是", "否", ""],
        [planned.code, 2019, 9, -1, "施工", "是", "否", ""],
        [haicang_project.code, 2019, 8, 10, "施工", "是", "否", ""],
    ]

    response = client.post("/returns/upload/", {"file": workbook(rows)})

    assert response.status_code == 400
    text = response.content.decode()
    assert "第3行" in text and "本月完成投资(万元)" in text
    assert "第4行" in text and f"没有项目代码为“{haicang_project.code}”的项目" in text
    assert not ProgressReturn.objects.exists()


def test_the_prefilled_workbook_lists_the_users_projects(client, owner_user, planned, haicang_project):
    make_returns(planned, ["100"] * 7)
    client.force_login(owner_user)

    response = client.get(f"/returns/prefilled.xlsx?period={PERIOD}")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == [planned.code]


# ---------------------------------------------------------------- locks, timeliness


def test_the_office_locks_and_unlocks_a_month_with_reasons(client, admin_user):
    client.force_login(admin_user)

    response = client.post("/returns/locks/", {"action": "lock", "period": PERIOD, "reason": ""})
    assert response.status_code == 400
    assert "锁定须写明原因" in response.content.decode()
    assert not MonthLock.objects.exists()

    client.post("/returns/locks/", {"action": "lock", "period": PERIOD, "reason": "月度通报已发布"})
    lock = MonthLock.objects.get()
    assert (lock.year, lock.month) == (2019, 8)
    assert "月度通报已发布" in client.get("/returns/locks/").content.decode()

    response = client.post("/returns/locks/", {"action": "unlock", "period": PERIOD, "reason": ""})
    assert response.status_code == 400
    assert MonthLock.objects.exists()
    client.post("/returns/locks/", {"action": "unlock", "period": PERIOD, "reason": "更正数据"})
    assert not MonthLock.objects.exists()


def test_only_the_office_locks_months(client, unit_officer, owner_user):
    for user in (unit_officer, owner_user):
        client.force_login(user)
        assert client.get("/returns/locks/").status_code == 403
        assert client.post("/returns/locks/", {"action": "lock", "period": PERIOD, "reason": "x"}).status_code == 403
    assert not MonthLock.objects.exists()


def test_timeliness_counts_missing_returns_and_exports_the_reminder_list(client, admin_user, planned, owner_org):
    late = make_project(owner=owner_org)
    make_plan(late)
    draft(planned, CONSOLE, month=8, submit=True)
    client.force_login(admin_user)

    page = client.get(f"/returns/timeliness/?period={PERIOD}")
    assert page.status_code == 200
    text = page.content.decode()
    assert late.name in text  # missing: in the 催报 list
    assert owner_org.name in text

    export = client.get(f"/returns/timeliness/reminders.xlsx?period={PERIOD}")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [late.code]


# ---------------------------------------------------------------- corrections and history


def test_an_approved_return_is_corrected_through_a_request_the_office_approves(client, owner_user, admin_user, planned):
    (ret,) = make_returns(planned, ["100"])
    client.force_login(owner_user)

    response = client.post(
        f"/returns/{ret.pk}/",
        {"investment": "130", "physical_progress": "主体施工", "started": "on", "reason": ""},
    )
    assert response.status_code == 400
    assert "须写明原因" in response.content.decode()
    assert not ReturnAmendment.objects.exists()

    client.post(
        f"/returns/{ret.pk}/",
        {"investment": "130", "physical_progress": "主体施工", "started": "on", "reason": "漏报一笔进度款"},
    )
    amendment = ReturnAmendment.objects.get()
    ret.refresh_from_db()
    assert ret.investment == D("100.00")  # unchanged until the office decides

    assert client.get("/returns/amendments/").status_code == 403
    client.force_login(admin_user)
    assert "漏报一笔进度款" in client.get("/returns/amendments/").content.decode()
    client.post(f"/returns/amendments/{amendment.pk}/decide/", {"action": "approve", "version": amendment.version})
    ret.refresh_from_db()
    assert ret.investment == D("130.00")

    page = client.get(f"/returns/{ret.pk}/").content.decode()
    assert "按申请更正修改" in page or "按更正申请修改" in page
    assert "130.00" in page
    assert len(history(ret)) >= 2


def test_rejecting_a_correction_needs_a_note(client, owner_user, admin_user, planned):
    (ret,) = make_returns(planned, ["100"])
    client.force_login(owner_user)
    client.post(f"/returns/{ret.pk}/", {"investment": "130", "started": "on", "reason": "漏报"})
    amendment = ReturnAmendment.objects.get()
    client.force_login(admin_user)

    response = client.post(f"/returns/amendments/{amendment.pk}/decide/", {"action": "reject", "note": ""}, follow=True)

    assert "驳回时须写明原因" in response.content.decode()
    amendment.refresh_from_db()
    assert amendment.status == "requested"


def test_an_agent_builder_may_report_its_projects(client, agent_user, planned):
    client.force_login(agent_user)

    assert planned.name in client.get(f"/returns/?period={PERIOD}").content.decode()
    assert post_rows(client, row_data(planned)).status_code == 302
    assert ProgressReturn.objects.filter(project=planned).exists()


def test_an_owner_of_another_firm_sees_none_of_this_projects_rows(client, planned):
    from keyproj.orgs.models import OrgKind
    from keyproj.testing import org

    other = make_user("other-owner", Role.OWNER, org(OrgKind.OWNER, "别家业主"))
    client.force_login(other)

    assert planned.name not in client.get(f"/returns/?period={PERIOD}").content.decode()
    assert post_rows(client, row_data(planned)).status_code == 404


# ---------------------------------------------------------------- query counts


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_entry_and_review_pages_cost_the_same_queries_for_one_project_or_many(
    client, owner_user, unit_officer, owner_org, unit_org, planned
):
    draft(planned, owner_user, month=7, submit=True)
    client.force_login(owner_user)
    entry_one = _queries(client, f"/returns/?period={PERIOD}")
    client.force_login(unit_officer)
    review_one = _queries(client, "/returns/review/")

    for _ in range(4):
        project = make_project(owner=owner_org, responsible_unit=unit_org)
        make_plan(project)
        draft(project, owner_user, month=7, submit=True)
    client.force_login(owner_user)
    assert _queries(client, f"/returns/?period={PERIOD}") == entry_one
    client.force_login(unit_officer)
    assert _queries(client, "/returns/review/") == review_one


def test_the_open_month_stays_until_every_planned_project_has_its_return(client, owner_user, owner_org, planned):
    from keyproj.core.period import Period
    from keyproj.returns.entry import open_period

    other = make_project(owner=owner_org)
    make_plan(other)
    make_returns(planned, ["100"] * 7)
    make_returns(other, ["100"] * 7)
    assert open_period(owner_user, AFTER_2019) == Period(2019, 8)

    draft(planned, owner_user, month=8)
    assert open_period(owner_user, AFTER_2019) == Period(2019, 8)  # the other project's August is missing

    draft(other, owner_user, month=8)
    assert open_period(owner_user, AFTER_2019) == Period(2019, 9)
    # Never a month not yet over.
    assert open_period(owner_user, Period(2019, 9).first_day) == Period(2019, 8)

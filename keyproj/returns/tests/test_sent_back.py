"""Sent back means seen: the reporters are told, the entry page lists sent-back returns first, and a
correction lands in the sent-back return's own month."""

from __future__ import annotations

from decimal import Decimal

import pytest

from keyproj.accounts.models import Notification, Role
from keyproj.core.errors import Refused
from keyproj.returns.models import ProgressReturn, ReturnStatus
from keyproj.returns.services import ReturnData, save_returns, send_back_return
from keyproj.testing import AFTER_2019, make_plan, make_project, make_user

D = Decimal


@pytest.fixture
def project(owner_org, unit_org, agent_org, siming):
    project = make_project(
        owner=owner_org, responsible_unit=unit_org, agent_builder=agent_org, district=siming, name="思明示范道路"
    )
    make_plan(project)
    return project


@pytest.fixture
def agent_user(agent_org):
    return make_user("agent", Role.AGENT_BUILDER, agent_org)


def submitted(project, user, month, investment="100"):
    save_returns(
        [
            ReturnData(
                project=project,
                year=2019,
                month=month,
                investment=D(investment),
                started=True,
                physical_progress="主体施工",
            )
        ],
        user=user,
        submit=True,
        today=AFTER_2019,
    )
    return ProgressReturn.objects.get(project=project, year=2019, month=month)


def sent_back(project, owner_user, unit_officer, month=7, comment="投资额与形象进度不符，请核实"):
    ret = submitted(project, owner_user, month)
    return send_back_return(ret, user=unit_officer, comment=comment)


# ---------------------------------------------------------------- the notification


def test_sending_a_return_back_tells_its_owner_and_agent_builder_with_the_comment_and_a_link(
    project, owner_user, agent_user, unit_officer, admin_user
):
    ret = sent_back(project, owner_user, unit_officer)

    told = Notification.objects.filter(user__in=[owner_user, agent_user]).order_by("user_id")
    assert [n.user for n in told] == [owner_user, agent_user]
    for note in told:
        assert note.title == "填报被退回：思明示范道路 2019年7月"
        assert "投资额与形象进度不符，请核实" in note.body
        assert note.url == f"/returns/?period=2019-07#sent-back-{ret.pk}"
        assert note.read_at is None
    # The reviewer and the office are not told of their own decision.
    assert not Notification.objects.filter(user__in=[unit_officer, admin_user]).exists()


def test_a_refused_send_back_tells_nobody(project, owner_user, unit_officer):
    ret = submitted(project, owner_user, 7)

    with pytest.raises(Refused):
        send_back_return(ret, user=unit_officer, comment="   ")

    assert not Notification.objects.exists()
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED


def test_the_link_in_the_notification_opens_the_returns_page_with_the_comment(
    client, project, owner_user, unit_officer
):
    sent_back(project, owner_user, unit_officer)
    client.force_login(owner_user)

    url = Notification.objects.get(user=owner_user).url
    response = client.get(url)

    assert response.status_code == 200
    assert "投资额与形象进度不符，请核实" in response.content.decode()


# ---------------------------------------------------------------- the entry page


def test_sent_back_returns_of_any_month_come_first_with_the_comment(client, project, owner_user, unit_officer):
    june = sent_back(project, owner_user, unit_officer, month=6, comment="六月的形象进度写得太简单")
    client.force_login(owner_user)

    response = client.get("/returns/?period=2019-08")

    text = response.content.decode()
    assert response.context["period"].month == 8
    assert [row.ret.pk for row in response.context["sent_back"]] == [june.pk]
    top = text.index(f'id="sent-back-{june.pk}"')
    assert top < text.index('class="entry-form"')  # before the month's own table
    assert "六月的形象进度写得太简单" in text
    assert "2019年6月" in text[top:]
    assert f'action="/returns/{june.pk}/resubmit/"' in text


def test_the_months_table_shows_a_sent_back_return_read_only_and_points_to_the_list(
    client, project, owner_user, unit_officer
):
    ret = sent_back(project, owner_user, unit_officer, month=7)
    client.force_login(owner_user)

    response = client.get("/returns/?period=2019-07")

    row = next(r for r in response.context["rows"] if r.project == project)
    assert not row.editable
    assert f'href="#sent-back-{ret.pk}"' in response.content.decode()


def test_resubmitting_corrects_the_sent_back_month_not_the_month_on_show(client, project, owner_user, unit_officer):
    june = sent_back(project, owner_user, unit_officer, month=6)
    client.force_login(owner_user)
    p = f"r{project.pk}"

    response = client.post(
        f"/returns/{june.pk}/resubmit/",
        {
            "shown": "2019-08",
            "row": [str(project.pk)],
            f"{p}-version": str(june.version),
            f"{p}-investment": "150.50",
            f"{p}-physical_progress": "主体结构封顶",
            f"{p}-started": "on",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/returns/?period=2019-06#row-{project.pk}"
    june.refresh_from_db()
    assert (june.status, june.investment, june.physical_progress) == (
        ReturnStatus.SUBMITTED,
        D("150.50"),
        "主体结构封顶",
    )
    assert june.submitted_by == owner_user
    assert not ProgressReturn.objects.filter(project=project, month=8).exists()
    # Resubmitted, it leaves the list of sent-back returns.
    assert client.get("/returns/?period=2019-08").context["sent_back"] == []


def test_a_bad_correction_writes_nothing_and_is_shown_again_on_its_row(client, project, owner_user, unit_officer):
    ret = sent_back(project, owner_user, unit_officer)
    client.force_login(owner_user)
    p = f"r{project.pk}"

    response = client.post(
        f"/returns/{ret.pk}/resubmit/",
        {
            "shown": "2019-08",
            "row": [str(project.pk)],
            f"{p}-version": str(ret.version),
            f"{p}-investment": "一百",
            f"{p}-physical_progress": "改过的进度",
        },
    )

    assert response.status_code == 400
    text = response.content.decode()
    assert "“一百”不是数字" in text
    assert "改过的进度" in text  # what was typed is kept
    assert response.context["period"].month == 8  # the page shown before
    before = ret.version
    ret.refresh_from_db()
    assert (ret.status, ret.investment, ret.version) == (ReturnStatus.SENT_BACK, D("100.00"), before)


def test_a_return_no_longer_sent_back_is_not_resubmitted(client, project, owner_user, unit_officer):
    ret = submitted(project, owner_user, 7)
    client.force_login(owner_user)
    p = f"r{project.pk}"

    response = client.post(
        f"/returns/{ret.pk}/resubmit/",
        {"row": [str(project.pk)], f"{p}-version": str(ret.version), f"{p}-investment": "999"},
        follow=True,
    )

    assert "不在退回状态" in response.content.decode()
    ret.refresh_from_db()
    assert ret.investment == D("100.00")


def test_someone_outside_the_project_cannot_resubmit_its_return(client, project, owner_user, unit_officer, haicang):
    ret = sent_back(project, owner_user, unit_officer)
    stranger = make_user("stranger", Role.DISTRICT_OFFICER, haicang)
    p = f"r{project.pk}"
    data = {"row": [str(project.pk)], f"{p}-version": str(ret.version), f"{p}-investment": "1"}

    client.force_login(stranger)
    assert client.post(f"/returns/{ret.pk}/resubmit/", data).status_code == 404
    # The reviewer sees the return but does not report it.
    client.force_login(unit_officer)
    assert client.post(f"/returns/{ret.pk}/resubmit/", data).status_code == 403
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SENT_BACK


def test_resubmitting_answers_only_to_post(client, project, owner_user, unit_officer):
    ret = sent_back(project, owner_user, unit_officer)
    client.force_login(owner_user)

    assert client.get(f"/returns/{ret.pk}/resubmit/").status_code == 405


def test_rows_ticked_for_submission_stay_ticked_after_a_validation_error(client, owner_user, project, owner_org):
    second = make_project(owner=owner_org)
    make_plan(second)
    client.force_login(owner_user)
    data = {"period": "2019-08", "action": "submit_selected", "page": "1", "row": [str(project.pk), str(second.pk)]}
    for target, investment in ((project, "120"), (second, "-5")):
        p = f"r{target.pk}"
        data.update({f"{p}-version": "", f"{p}-investment": investment, f"{p}-started": "on", f"{p}-submit": "on"})

    response = client.post("/returns/save/", data)

    assert response.status_code == 400
    text = response.content.decode()
    for target in (project, second):
        assert f'name="r{target.pk}-submit" class="submit-pick" checked' in text
    assert not ProgressReturn.objects.exists()

"""The pages: who sees what of a close, and who may close, reopen, list and edit rules."""

from __future__ import annotations

import pytest
from django.urls import reverse

from keyproj.core.scoping import CONSOLE
from keyproj.notices.models import sha256
from keyproj.supervision.models import Listing, MonthClose
from keyproj.supervision.services import ListingData, create_listing
from keyproj.supervision.tests.helpers import JULY, close, project_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(siming, haicang, siming_project, haicang_project):
    from keyproj.testing import make_plan, make_returns

    for project, amount in ((siming_project, "50"), (haicang_project, "150")):
        make_plan(project, ["100"] * 12)
        make_returns(project, [amount] * 7)
    return close().close


def url(name, *args):
    return reverse(f"supervision:{name}", args=args)


def test_the_office_sees_the_close_with_its_sentence_and_notices(client, admin_user, closed):
    client.force_login(admin_user)
    page = client.get(url("close", "2019-07")).content.decode()
    assert closed.snapshot["city"]["sentence"] in page
    assert url("notice", "2019-07", "pdf") in page
    assert client.get(url("index")).status_code == 200


def test_an_outsider_sees_nothing_of_supervision(client, outsider, closed):
    client.force_login(outsider)
    for address in (url("index"), url("close", "2019-07"), url("cards", "2019-07"), url("listings"), url("rules")):
        assert client.get(address).status_code == 404, address
    assert client.get(url("ranking", "2019-07", "districts")).status_code == 404


def test_a_district_sees_only_its_own_cards_and_ranking_row(
    client, siming_officer, closed, siming_project, haicang_project
):
    client.force_login(siming_officer)
    cards = client.get(url("cards", "2019-07")).content.decode()
    assert siming_project.name in cards
    assert haicang_project.name not in cards
    ranking = client.get(url("ranking", "2019-07", "districts")).content.decode()
    assert "思明区" in ranking and "海沧区" not in ranking
    month = client.get(url("close", "2019-07")).content.decode()
    assert closed.snapshot["city"]["sentence"] not in month  # the city's figures are the city-wide users'
    assert haicang_project.name not in month


def test_a_district_may_not_close_reopen_or_download_the_notice(client, siming_officer, closed):
    client.force_login(siming_officer)
    assert client.post(url("close", "2019-07"), {"action": "reopen", "reason": "x"}).status_code == 403
    assert client.post(url("close", "2019-08"), {"action": "close", "confirm": "2019年8月"}).status_code == 403
    assert client.post(url("close", "2019-07"), {"action": "issue", "confirm": "on"}).status_code == 403
    assert client.get(url("notice", "2019-07", "docx")).status_code == 403
    assert MonthClose.objects.get(month=7).is_closed
    assert not MonthClose.objects.filter(month=8).exists()


def test_a_month_not_closed_is_previewed_for_the_office_only(client, admin_user, siming_officer, closed):
    client.force_login(siming_officer)
    assert client.get(url("close", "2019-08")).status_code == 404
    client.force_login(admin_user)
    page = client.get(url("close", "2019-08")).content.decode()
    assert "预览" in page
    assert not MonthClose.objects.filter(month=8).exists()


def test_the_office_closes_and_reopens_from_the_page(client, admin_user, closed):
    client.force_login(admin_user)
    client.post(url("close", "2019-07"), {"action": "reopen", "reason": ""})
    assert MonthClose.objects.get(month=7).is_closed  # no reason: refused
    client.post(url("close", "2019-07"), {"action": "reopen", "reason": "数据更正"})
    assert not MonthClose.objects.get(month=7).is_closed
    client.post(url("close", "2019-07"), {"action": "close", "confirm": "2019年7月"})
    assert MonthClose.objects.get(month=7).is_closed


def test_the_notice_downloads_for_the_office(client, admin_user, closed):
    client.force_login(admin_user)
    response = client.get(url("notice", "2019-07", "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_another_districts_listing_is_not_found(client, siming_officer, haicang_project, siming_project):
    project_with("100")
    listing = create_listing(
        haicang_project, ListingData("征地拆迁滞后", "海沧区政府", "9月底前交地", JULY.last_day), user=CONSOLE
    )
    own = create_listing(siming_project, ListingData("管线迁改", "思明区政府", "8月完成", JULY.last_day), user=CONSOLE)
    client.force_login(siming_officer)
    assert client.get(url("listing", listing.pk)).status_code == 404
    assert client.get(url("listing", own.pk)).status_code == 200
    assert client.post(url("listing", own.pk), {"action": "progress", "note": "已开工"}).status_code == 403
    assert "管线迁改" in client.get(url("listings")).content.decode()


def test_the_office_lists_records_progress_and_closes_a_listing(client, admin_user, siming_project):
    client.force_login(admin_user)
    response = client.post(
        url("listings"),
        {
            "project": siming_project.code,
            "matter": "征地拆迁滞后",
            "responsible": "思明区政府",
            "target": "交地",
            "due": "2019-09-30",
        },
    )
    listing = Listing.objects.get()
    assert response.status_code == 302 and listing.status == "listed"
    client.post(url("listing", listing.pk), {"action": "progress", "note": "已完成80%"})
    client.post(url("listing", listing.pk), {"action": "close", "note": "", "version": listing.version})
    listing.refresh_from_db()
    assert listing.status == "listed"  # no evidence: refused
    client.post(url("listing", listing.pk), {"action": "close", "note": "交地确认书", "version": listing.version})
    listing.refresh_from_db()
    assert listing.status == "closed" and listing.evidence == "交地确认书"
    assert listing.progress.get().note == "已完成80%"


def test_rule_edits_from_the_page_are_refused_when_they_make_no_sense(client, admin_user, siming_officer):
    client.force_login(admin_user)
    page = client.post(
        url("rules"),
        {
            "rule": "ranking",
            "weight_investment": "50",
            "weight_start": "15",
            "weight_completion": "15",
            "weight_timeliness": "10",
            "investment_cap": "1.2",
            "list_size": "3",
        },
        follow=True,
    ).content.decode()
    assert "四项权重之和应为100，现为90" in page
    client.force_login(siming_officer)
    assert client.post(url("rules"), {"rule": "card"}).status_code == 403


def test_the_forecast_panel_lists_the_projects_likely_to_miss(client, siming_officer, siming_project, haicang_project):
    from keyproj.testing import make_plan, make_returns

    make_plan(siming_project, ["100"] * 12)
    make_returns(siming_project, ["50"] * 7)
    make_plan(haicang_project, ["100"] * 12)
    make_returns(haicang_project, ["10"] * 7)
    client.force_login(siming_officer)
    page = client.get(url("forecast_panel") + "?period=2019-07").content.decode()
    assert siming_project.name in page
    assert haicang_project.name not in page  # another district's project


def test_the_project_panel_is_scoped(client, siming_officer, haicang_project, closed):
    client.force_login(siming_officer)
    assert client.get(url("project_panel", haicang_project.pk)).status_code == 404


def test_a_district_counts_only_its_own_cards_on_the_index_and_the_month(
    client, siming_officer, admin_user, siming, haicang
):
    project_with("10", district=siming)
    project_with("10", district=haicang)
    close()
    client.force_login(admin_user)
    assert client.get(url("index")).context["closes"][0].counts["red"] == 2
    client.force_login(siming_officer)
    assert client.get(url("index")).context["closes"][0].counts == {"red": 1, "yellow": 0, "lifted": 0}
    assert client.get(url("close", "2019-07")).context["counts"]["red"] == 1


def test_once_issued_the_notice_is_a_publication_every_district_may_read(
    client, admin_user, siming_officer, outsider, closed
):
    from keyproj.supervision.services import issue_close_notice

    notice = issue_close_notice(closed, user=CONSOLE)
    client.force_login(siming_officer)
    response = client.get(url("notice", "2019-07", "pdf"), follow=True)
    # Sent on to the one address serving the stored file by its hash: the very bytes issued.
    assert response.redirect_chain == [(f"/notices/{notice.pk}/{notice.pdf_sha256[:16]}.pdf", 302)]
    assert response["Content-Type"] == "application/pdf"
    assert sha256(response.content) == notice.pdf_sha256
    client.force_login(admin_user)
    page = client.get(url("close", "2019-07")).content.decode()
    assert f"/notices/{notice.pk}/{notice.docx_sha256[:16]}.docx" in page  # the close page links the stored files
    client.force_login(outsider)
    assert client.get(url("notice", "2019-07", "pdf")).status_code == 404


def test_the_office_downloads_the_preview_of_a_month_not_yet_closed_and_no_one_else_does(
    client, admin_user, siming_officer, outsider, closed
):
    client.force_login(admin_user)
    pdf = client.get(url("notice", "2019-08", "pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "%E9%A2%84%E8%A7%88%E7%A8%BF" in pdf["Content-Disposition"]  # 预览稿 in the file name
    assert client.get(url("notice", "2019-08", "xlsx")).status_code == 200
    assert not MonthClose.objects.filter(month=8).exists()
    for user in (siming_officer, outsider):
        client.force_login(user)
        assert client.get(url("notice", "2019-08", "docx")).status_code == 404


def test_an_outsider_cannot_close_or_issue(client, outsider, closed):
    client.force_login(outsider)
    assert client.post(url("close", "2019-08"), {"action": "close", "confirm": "2019年8月"}).status_code == 404
    assert client.post(url("close", "2019-07"), {"action": "issue", "confirm": "on"}).status_code == 404
    assert not MonthClose.objects.filter(month=8).exists()


def test_the_close_page_names_the_rule_versions_in_words(client, admin_user, closed):
    client.force_login(admin_user)
    page = client.get(url("close", "2019-07")).content.decode()
    assert "红黄牌规则第1版、红黑榜规则第1版、关账完整性规则第1版" in page
    assert "v1" not in page and "close:2019" not in page
    index = client.get(url("index")).content.decode()
    assert "红黄牌规则第1版、红黑榜规则第1版" in index and "v1 / v1" not in index


def test_the_office_writes_a_new_completeness_rule_on_the_rules_page(client, admin_user):
    from keyproj.supervision.models import CompletenessRule

    client.force_login(admin_user)
    refused = client.post(url("rules"), {"rule": "completeness", "min_approved_share": "120"}, follow=True)
    assert "应在0到100之间" in refused.content.decode()
    client.post(url("rules"), {"rule": "completeness", "min_approved_share": "90", "note": "汛期"})
    assert CompletenessRule.objects.order_by("-version").first().min_approved_share == 90
    assert "关账完整性规则" in client.get(url("rules")).content.decode()

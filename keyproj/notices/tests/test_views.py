from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from keyproj.core.rules import publish_rule
from keyproj.core.scoping import CONSOLE
from keyproj.notices.files import file_url
from keyproj.notices.models import NoticeKind, NumberingRule, sha256

pytestmark = pytest.mark.django_db


def index(client, user, **params):
    client.force_login(user)
    return client.get(reverse("notices:index"), params)


def test_the_office_lists_every_notice_newest_first(client, admin_user, monthly, minutes, issue):
    older = issue(NoticeKind.MONTHLY, "关于2019年6月市重点项目建设情况的通报", date=datetime.date(2019, 7, 12))
    response = index(client, admin_user)
    assert response.status_code == 200
    assert list(response.context["notices"]) == [minutes, monthly, older]
    assert "厦重点办〔2019〕1号" in response.content.decode()


def test_the_list_filters_by_kind_year_and_text(client, admin_user, monthly, minutes, issue):
    issue(NoticeKind.MONTHLY, "关于2020年1月市重点项目建设情况的通报", date=datetime.date(2020, 2, 12))
    assert list(index(client, admin_user, kind="minutes").context["notices"]) == [minutes]
    assert [n.year for n in index(client, admin_user, year="2020").context["notices"]] == [2020]
    assert list(index(client, admin_user, q="纪要").context["notices"]) == [minutes]
    assert list(index(client, admin_user, q="〔2019〕1号", kind="monthly").context["notices"]) == [monthly]


def test_a_bad_filter_value_is_dropped_with_a_message_not_an_error(client, admin_user, monthly):
    response = index(client, admin_user, kind="weekly", year="abc")
    assert response.status_code == 200
    assert list(response.context["notices"]) == [monthly]
    assert len(response.context["problems"]) == 2


def test_the_list_costs_the_same_queries_however_many_notices(client, admin_user, issue, django_assert_max_num_queries):
    for month in range(1, 6):
        issue(
            NoticeKind.MONTHLY, f"关于2019年{month}月市重点项目建设情况的通报", date=datetime.date(2019, month + 1, 10)
        )
    client.force_login(admin_user)
    with django_assert_max_num_queries(10):
        client.get(reverse("notices:index"))


def test_a_district_officer_reads_public_notices_but_not_minutes(client, siming_officer, monthly, minutes):
    assert list(index(client, siming_officer).context["notices"]) == [monthly]
    assert client.get(monthly.get_absolute_url()).status_code == 200
    assert client.get(minutes.get_absolute_url()).status_code == 404
    assert client.get(reverse("notices:download", args=[minutes.pk, "pdf"])).status_code == 404
    assert client.get(file_url(minutes, "pdf")).status_code == 404


def test_a_leader_reads_minutes_too(client, leader_user, monthly, minutes):
    assert set(index(client, leader_user).context["notices"]) == {monthly, minutes}
    assert client.get(minutes.get_absolute_url()).status_code == 200


def test_an_outsider_reads_no_notice_at_all(client, outsider, monthly, minutes):
    assert list(index(client, outsider).context["notices"]) == []
    for notice in (monthly, minutes):
        assert client.get(notice.get_absolute_url()).status_code == 404
        for fmt in ("docx", "pdf", "xlsx"):
            assert client.get(reverse("notices:download", args=[notice.pk, fmt])).status_code == 404
            assert client.get(file_url(notice, fmt)).status_code == 404


def test_making_monthly_notices_private_hides_them_from_districts(client, siming_officer, monthly):
    publish_rule(NumberingRule, {"monthly_public": False}, user=CONSOLE)
    client.force_login(siming_officer)
    assert client.get(monthly.get_absolute_url()).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, monthly):
    response = client.get(monthly.get_absolute_url())
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_page_shows_the_text_as_issued_and_links_the_files(client, siming_officer, monthly):
    client.force_login(siming_officer)
    page = client.get(monthly.get_absolute_url()).content.decode()
    for text in (
        monthly.number,
        monthly.title,
        "全市357个市重点项目计划投资595.31亿元",
        "思明区",
        "96.50",
        "2019年8月13日印发",
    ):
        assert text in page
    assert f"/notices/{monthly.pk}/{monthly.docx_sha256[:16]}.docx" in page
    assert f"/notices/{monthly.pk}/{monthly.pdf_sha256[:16]}.pdf" in page
    assert reverse("notices:download", args=[monthly.pk, "xlsx"]) in page


def test_the_downloads_are_the_files_as_issued(client, siming_officer, monthly):
    client.force_login(siming_officer)
    pdf = client.get(reverse("notices:download", args=[monthly.pk, "pdf"]), follow=True)
    assert pdf.redirect_chain == [(file_url(monthly, "pdf"), 302)]
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert sha256(pdf.content) == monthly.pdf_sha256
    assert "attachment" in pdf["Content-Disposition"] and ".pdf" in pdf["Content-Disposition"]
    docx = client.get(file_url(monthly, "docx"))
    assert sha256(docx.content) == monthly.docx_sha256
    xlsx = client.get(reverse("notices:download", args=[monthly.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(reverse("notices:download", args=[monthly.pk, "txt"])).status_code == 404


def test_a_stored_file_is_served_only_at_the_address_naming_its_hash(client, siming_officer, monthly):
    client.force_login(siming_officer)
    wrong = "0" * 16 if not monthly.pdf_sha256.startswith("0" * 16) else "f" * 16
    assert client.get(f"/notices/{monthly.pk}/{wrong}.pdf").status_code == 404
    assert client.get(f"/notices/{monthly.pk}/{monthly.docx_sha256[:16]}.pdf").status_code == 404
    assert client.get(f"/notices/{monthly.pk}/{monthly.pdf_sha256}.pdf").status_code == 200


def test_the_pages_answer_in_english_too_and_the_document_stays_chinese(client, admin_user, monthly):
    client.force_login(admin_user)
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    listing = client.get(reverse("notices:index"))
    page = client.get(monthly.get_absolute_url())
    assert listing.status_code == page.status_code == 200
    assert page["Content-Language"] == "en"
    assert "全市357个市重点项目" in page.content.decode()  # the issued text is not translated

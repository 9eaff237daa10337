"""The public site (/public/) on the demo: January to July 2019 published, August open."""

from __future__ import annotations

import gzip
import json
import re

import pytest
from django.urls import reverse

from keyproj.core.money import num2
from keyproj.core.period import Period
from keyproj.opendata import files
from keyproj.opendata.published import close_notice, figures, published_close, published_projects

pytestmark = pytest.mark.django_db

JULY = "2019-07"
SENTENCE = (
    "1-7月，全市357个市重点项目计划投资595.31亿元，实际完成投资777.40亿元，超182.09亿元，"
    "完成序时进度计划130.59%，完成年度计划65.18%。"
)


@pytest.fixture
def public(demo_for_module, settings):
    settings.KEYPROJ_PUBLIC = True


@pytest.fixture
def july(demo_for_module):
    return published_close(Period(2019, 7))


@pytest.fixture
def a_project(july) -> dict:
    return published_projects(july)[0]


def page_urls(code: str) -> list[str]:
    return [
        reverse("public:index"),
        reverse("public:index_en"),
        reverse("public:month", args=[JULY]),
        reverse("public:month_en", args=[JULY]),
        reverse("public:project", args=[JULY, code]),
        reverse("public:project_en", args=[JULY, code]),
        reverse("public:notice", args=[JULY]),
    ]


def test_every_page_answers_an_anonymous_visitor_when_public_is_on(client, public, a_project):
    for url in page_urls(a_project["code"]):
        assert client.get(url).status_code == 200, url


def test_every_public_url_is_not_there_while_public_is_off(client, demo_for_module, settings, a_project):
    settings.KEYPROJ_PUBLIC = False
    urls = [*page_urls(a_project["code"]), *(reverse("public:package", args=[JULY, f]) for f in ("json", "xlsx"))]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url


def test_an_open_month_is_not_there(client, public):
    for name in ("public:month", "public:month_en", "public:notice"):
        assert client.get(reverse(name, args=["2019-08"])).status_code == 404
    assert client.get(reverse("public:package", args=["2019-08", "json"])).status_code == 404


def test_a_project_the_month_did_not_publish_is_not_there(client, public):
    assert client.get(reverse("public:project", args=[JULY, "1999-000000-00-00-000000"])).status_code == 404


def test_a_month_must_be_written_as_yyyy_mm(client, public):
    assert client.get("/public/2019-7/").status_code == 404
    assert client.get("/public/july/").status_code == 404


def test_the_month_page_shows_the_seeds_july_sentence_and_the_red_black_lists(client, public, july):
    html = client.get(reverse("public:month", args=[JULY])).content.decode()
    assert SENTENCE in html
    red = [row["name"] for row in july.snapshot["rankings"]["districts"] if row["board"] == "red"]
    assert f"各区：红榜为{'、'.join(red)}" in html
    assert july.snapshot["notice"]["number"] in html


def test_the_project_page_shows_the_figures_the_snapshot_holds(client, public, july, a_project):
    html = client.get(reverse("public:project", args=[JULY, a_project["code"]])).content.decode()
    row = figures(july)[a_project["id"]]
    for field in ("annual_plan", "plan_to_date", "actual_to_date"):
        assert num2(row[field]) in html, field
    assert a_project["name"] in html
    assert a_project["return"]["physical_progress"] in html
    assert 'id="public-chart-data"' in html


def test_the_english_pages_are_english_whatever_the_cookie_says(client, public, a_project):
    client.cookies["django_language"] = "zh-hans"
    month = client.get(reverse("public:month_en", args=[JULY]))
    assert month["Content-Language"] == "en"
    html = month.content.decode()
    assert 'lang="en"' in html and "Red/black list" in html and "Project code" in html
    project = client.get(reverse("public:project_en", args=[JULY, a_project["code"]])).content.decode()
    assert "Total investment" in project and "Responsible unit" in project
    # The Chinese page links to the English one and back.
    assert reverse("public:month_en", args=[JULY]) in client.get(reverse("public:month", args=[JULY])).content.decode()
    assert f'href="{reverse("public:month", args=[JULY])}"' in html


def test_the_pdf_is_the_issued_notices_stored_pdf(client, public, july):
    response = client.get(reverse("public:notice", args=[JULY]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content == close_notice(july).file_bytes("pdf")


def test_the_project_list_is_searched_by_name_or_code_and_paged(client, public, july):
    projects = published_projects(july)
    first = client.get(reverse("public:month", args=[JULY])).content.decode()
    assert "第1页，共8页" in first  # 357 projects, 50 a page
    last = client.get(reverse("public:month", args=[JULY]), {"page": 8}).content.decode()
    assert projects[-1]["code"] in last and projects[0]["code"] not in last
    wanted = projects[100]
    for query in (wanted["code"], wanted["name"]):
        html = client.get(reverse("public:month", args=[JULY]), {"q": query}).content.decode()
        assert reverse("public:project", args=[JULY, wanted["code"]]) in html


def test_the_month_page_runs_few_queries(client, public, django_assert_max_num_queries):
    url = reverse("public:month", args=[JULY])
    client.get(url)  # the first visit reads the snapshot and fills the cache
    with django_assert_max_num_queries(3):
        assert client.get(url, {"q": "工程"}).status_code == 200


def test_pages_may_be_cached_by_anyone_and_revalidated(client, public):
    url = reverse("public:month", args=[JULY])
    response = client.get(url)
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "")
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_the_pages_name_no_database_id_and_no_sign_in(client, public, a_project):
    for url in page_urls(a_project["code"])[:6]:
        html = client.get(url).content.decode()
        assert not re.search(r'href="[^"]*/\d+/"', html), url
        assert "/accounts/login/" not in html and "csrfmiddlewaretoken" not in html, url


def test_a_change_is_refused(client, public):
    assert client.post(reverse("public:month", args=[JULY])).status_code == 405


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_oc4ids_downloads_are_the_months_package_as_attachments(client, public, july):
    response = client.get(reverse("public:package", args=[JULY, "json"]))
    assert response["Content-Disposition"] == 'attachment; filename="keyproj-oc4ids-2019-07.json"'
    package = json.loads(body(response))
    assert len(package["projects"]) == len(published_projects(july))
    workbook = client.get(reverse("public:package", args=[JULY, "xlsx"]))
    assert workbook["Content-Disposition"] == 'attachment; filename="keyproj-oc4ids-2019-07.xlsx"'
    assert body(workbook)[:2] == b"PK"
    assert client.get(reverse("public:package", args=[JULY, "csv"])).status_code == 404


def test_the_json_download_goes_gzipped_to_a_client_that_takes_it_and_is_built_once(client, public, july):
    plain = body(client.get(reverse("public:package", args=[JULY, "json"])))
    stored = files.stored_versions(july.period)

    zipped = client.get(reverse("public:package", args=[JULY, "json"]), HTTP_ACCEPT_ENCODING="gzip, br")

    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(body(zipped)) == plain
    # One stored version of the month, the close's: asking again built nothing new.
    assert files.stored_versions(july.period) == stored == [files.version(july)]


def test_the_project_page_dates_start_and_completion_as_the_package_does(client, public, july):
    package = json.loads(body(client.get(reverse("public:package", args=[JULY, "json"]))))
    # A project the package gives a start month, and one it knows started but not when.
    dated = next(p for p in package["projects"] if any(m.get("dateMet") for m in p.get("milestones", [])))
    undated = next(
        p
        for p in package["projects"]
        if any(m["status"] == "met" and not m.get("dateMet") for m in p.get("milestones", []))
    )

    for project, expected in ((dated, True), (undated, False)):
        code = project["identifiers"][0]["id"]
        html = client.get(reverse("public:project", args=[JULY, code])).content.decode()
        months = [m.get("dateMet") for m in project["milestones"] if m.get("dateMet")]
        assert ("实际开工" in html or "实际竣工" in html) is expected
        assert all(month[:7] in html for month in months)

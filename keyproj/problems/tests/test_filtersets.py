"""ProblemFilterSet: the ledger page, its export and the API narrow the same rows the same way."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from keyproj.core.scoping import CONSOLE
from keyproj.problems import services
from keyproj.problems.tests.helpers import category, make_problem
from keyproj.testing import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(siming_project):
    """Four problems on two Siming projects: open, in progress, resolved; land and approval; levels 1 and 3."""
    other = make_project(name="环岛路提升工程")
    make_problem(siming_project, title="征地未完成")
    started = make_problem(siming_project, title="施工许可未办", category=category("approval"), level=3)
    services.take_up(started, user=CONSOLE)
    done = make_problem(other, title="管线迁改")
    services.resolve(done, user=CONSOLE, note="已迁改")
    make_problem(other, title="临时用地未交付")
    return other


def _page_titles(client, **query) -> list[str]:
    page = client.get(reverse("problems:index"), query)
    assert page.status_code == 200
    return sorted(row.title for row in page.context["rows"])


def _export_titles(client, **query) -> list[str]:
    sheet = load_workbook(io.BytesIO(client.get(reverse("problems:ledger"), query).content)).active
    return sorted(row[7] for row in sheet.iter_rows(min_row=2, values_only=True))


def _api_titles(client, **query) -> list[str]:
    response = client.get("/api/v1/problems/", query)
    assert response.status_code == 200, response.content
    return sorted(row["title"] for row in response.json()["results"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "unresolved"}, ["征地未完成", "施工许可未办", "临时用地未交付"]),
        ({"status": "resolved"}, ["管线迁改"]),
        ({"q": "环岛路"}, ["管线迁改", "临时用地未交付"]),
        ({"q": "许可"}, ["施工许可未办"]),
        ({"category": "approval"}, ["施工许可未办"]),
        ({"level": "3"}, ["施工许可未办"]),
        ({"status": "unresolved", "q": "环岛路"}, ["临时用地未交付"]),
    ],
)
def test_the_page_the_export_and_the_api_filter_alike(client, staff_user, ledger, query, expected):
    client.force_login(staff_user)
    expected = sorted(expected)
    assert _page_titles(client, **query) == _export_titles(client, **query) == _api_titles(client, **query) == expected


def test_a_project_is_chosen_by_its_code_or_its_id_on_the_page_and_in_the_api(client, staff_user, ledger):
    client.force_login(staff_user)
    expected = ["管线迁改", "临时用地未交付"]
    for query in ({"project": ledger.code}, {"project_id": str(ledger.pk)}):
        assert _page_titles(client, **query) == _api_titles(client, **query) == sorted(expected)


def test_the_project_panel_links_to_the_ledger_of_that_project(client, staff_user, ledger):
    client.force_login(staff_user)
    panel = client.get(reverse("problems:project_panel", args=[ledger.pk])).content.decode()
    link = f"{reverse('problems:index')}?project={ledger.code}"
    assert link in panel
    assert sorted(row.title for row in client.get(link).context["rows"]) == ["临时用地未交付", "管线迁改"]


def test_a_project_out_of_scope_is_an_empty_list_not_a_refusal(client, siming_officer, ledger, haicang_project):
    make_problem(haicang_project, title="海沧的问题")
    client.force_login(siming_officer)
    assert _api_titles(client, project=haicang_project.code) == []
    assert _api_titles(client, project_id=str(haicang_project.pk)) == []
    assert _page_titles(client, project=haicang_project.code) == []


def test_the_page_drops_a_bad_value_and_lists_everything_as_it_always_did(client, staff_user, ledger):
    client.force_login(staff_user)
    everything = _page_titles(client)
    assert len(everything) == 4
    assert _page_titles(client, status="p", q="环岛路") == everything
    assert _page_titles(client, project_id="x") == everything
    assert _page_titles(client, level="9") == everything


def test_the_api_refuses_an_unknown_status_naming_the_choices(client, staff_user, ledger):
    client.force_login(staff_user)
    response = client.get("/api/v1/problems/", {"status": "p"})
    assert response.status_code == 400
    message = "不是可选的值（可选：unresolved、open、in_progress、resolved、closed）"
    assert response.json()["problems"] == [{"field": "status", "message": message}]


def test_the_api_refuses_a_project_id_too_large_for_the_database(client, staff_user, ledger):
    client.force_login(staff_user)
    response = client.get("/api/v1/problems/", {"project_id": str(2**70)})
    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "project_id"


def test_the_schema_documents_every_filter_of_the_ledger(client, staff_user):
    client.force_login(staff_user)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/problems/"]["get"]["parameters"]}
    assert {"q", "status", "category", "level", "project", "project_id"} <= set(parameters)
    assert parameters["status"]["schema"]["enum"] == ["closed", "in_progress", "open", "resolved", "unresolved"]
    assert parameters["project_id"]["schema"]["maximum"] == 2**31 - 1

"""No server error from what a signed-in user can type into an address or a body: control characters
in a path or query string are a 400 for the whole site, and each kind of parameter is read by one
helper that refuses a bad value naming the parameter."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from keyproj.core import params
from keyproj.core.period import Period

pytestmark = pytest.mark.django_db

# The probe's hostile values: a lone percent sign, NUL and other control characters, years outside
# keyproj's range, and numbers beyond the database's integers.
HOSTILE = [
    "period=%25",
    "period=0000-01",
    "period=2019-13",
    "project=a%00b",
    "scope=district:a%00",
    "scope=org:99999999999999999999",
    "quarter=0000Q1",
    "quarter=9999Q4",
    "year=0",
    "year=99999999999999999999",
    "page=0",
    "page=99999999999999999999",
    "as_of=0000-01-01",
    "firm=99999999999999999999",
    "org=99999999999999999999",
    "status=%0b",
    "q=%00",
    "colour=%1f",
]
CONTROL = {"project=a%00b", "scope=district:a%00", "status=%0b", "q=%00", "colour=%1f"}


def _routes(patterns: list, prefix: str = "") -> list[str]:
    """Every address of the site that takes no path parameter (the list endpoints and the main pages)."""
    found: list[str] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if "<" in route or "(?P" in route or "logout" in route or "i18n" in route:
                continue
            route = route.replace("^", "").replace("$", "").replace("\\.", ".")
            if not any(ch in route for ch in "()[]*+?\\"):
                found.append("/" + route)
    return sorted(set(found))


ROUTES = _routes(get_resolver().url_patterns)
API_LISTS = [route for route in ROUTES if route.startswith("/api/v1/")]


def test_the_walk_reaches_the_api_lists_and_the_main_pages():
    assert {"/api/v1/projects/", "/api/v1/problems/", "/api/v1/supervision/closes/"} <= set(API_LISTS)
    assert {"/", "/projects/", "/returns/", "/problems/", "/supervision/"} <= set(ROUTES)


@pytest.mark.parametrize("who", ["admin_user", "owner_user"])
def test_no_address_of_the_site_answers_a_server_error_to_hostile_query_parameters(client, who, request):
    request.getfixturevalue("siming_project")
    client.force_login(request.getfixturevalue(who))
    failures = []
    for route in ROUTES:
        for query in HOSTILE:
            response = client.get(f"{route}?{query}")
            if response.status_code >= 500 or (query in CONTROL and response.status_code != 400):
                failures.append((route, query, response.status_code))
    assert not failures


def test_a_control_character_in_the_api_is_answered_with_the_documented_refusal(client, owner_user):
    client.force_login(owner_user)

    response = client.get("/api/v1/projects/?scope=district:a%00")

    assert response.status_code == 400
    message = "参数“scope”含有不可见的控制字符，请删去后重试"
    assert response.json() == {"detail": f"scope: {message}", "problems": [{"field": "scope", "message": message}]}


def test_a_control_character_on_a_page_is_answered_with_the_reason_in_chinese(client, owner_user):
    client.force_login(owner_user)

    response = client.get("/projects/?district=%00")

    assert response.status_code == 400
    assert "参数“district”含有不可见的控制字符，请删去后重试" in response.content.decode()


def test_a_control_character_in_the_path_is_a_400(client, owner_user):
    client.force_login(owner_user)

    assert client.get("/projects/%00/").status_code == 400
    assert client.get("/api/v1/projects/a%0bb/").json()["problems"] == [
        {"field": "", "message": "网址含有不可见的控制字符，请删去后重试"}
    ]


def test_a_nul_in_a_json_body_is_no_server_error(client, owner_user, siming_project):
    client.force_login(owner_user)

    category = client.post(
        "/api/v1/problems/",
        {"project": siming_project.code, "category": "a\u0000", "title": "征地"},
        content_type="application/json",
    )
    project = client.post(
        "/api/v1/problems/",
        {"project": "a\u0000b", "category": "land", "title": "征地"},
        content_type="application/json",
    )

    assert category.status_code == project.status_code == 400
    assert "problems" in category.json() and "problems" in project.json()


def test_the_readers_take_good_values_and_refuse_bad_ones_naming_the_parameter():
    assert params.period("2019-7") == Period(2019, 7)
    assert params.period("", default=Period(2019, 1)) == Period(2019, 1)
    assert params.quarter("2019Q3") == (2019, 3)
    assert params.quarter(" ") is None
    assert params.object_id("42") == 42
    assert params.object_ids(["3", "1", "3"]) == [3, 1]
    refusals = {
        "period": lambda: params.period("%"),
        "quarter": lambda: params.quarter("0000Q1"),
        "id": lambda: params.object_id("99999999999999999999"),
        "ids": lambda: params.object_ids(["1", "²"]),
    }
    for name, read in refusals.items():
        with pytest.raises(params.ParamError) as refused:
            read()
        assert refused.value.name == name
        assert refused.value.detail == {name: [refused.value.message]}
    with pytest.raises(params.ParamError) as refused:
        params.quarter("0000Q1")
    assert refused.value.message == "季度“0000Q1”的年度应在2000-2100之间"


def test_a_refused_value_is_repeated_short():
    with pytest.raises(params.ParamError) as refused:
        params.period("x" * 10_000)
    assert len(refused.value.message) < 80


def test_a_quarter_outside_keyprojs_years_is_refused_by_the_command_without_a_traceback():
    from io import StringIO

    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError) as refused:
        call_command("inspections", "draw", "--quarter", "0000Q1", "--random", "1", "--seed", "x", stdout=StringIO())

    assert "季度“0000Q1”的年度应在2000-2100之间" in str(refused.value)

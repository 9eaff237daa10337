"""The register pages by keyset: every project once, in order, both ways, for every sort; scope and tokens."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.http import QueryDict
from django.test import RequestFactory

from keyproj.core.period import Period
from keyproj.projects import extensions
from keyproj.projects.models import Project, Stage
from keyproj.projects.views import register as register_views
from keyproj.testing import make_plan, make_project, make_returns

LIST = "/projects/"


@pytest.fixture
def register(siming, haicang, monkeypatch):
    """Nine projects: equal rates (ties), projects without a plan (no rate), some without a stage."""
    monkeypatch.setattr(register_views, "PAGE_SIZE", 2)
    stage = Stage.objects.order_by("order").first()
    made = []
    for i in range(9):
        project = make_project(
            district=siming if i % 2 else haicang,
            total_investment=Decimal(1000 * (i % 3 + 1)),
            stage=stage if i % 3 else None,
        )
        if i < 7:
            make_plan(project, ["100"] * 12)
            # 150 %, 100 %, 50 % in turn: three ties each way; two projects have no plan, so no rate.
            make_returns(project, [str(150 - 50 * (i % 3))] * 7)
        made.append(project)
    return made


def codes(response) -> list[str]:
    return [row.project.code for row in response.context["rows"]]


def walk(client, query: dict, start: str = "", link: str = "next") -> list[list[str]]:
    """The pages met by following 下一页 (or 上一页 from 末页), as lists of codes, in the list's order."""
    params = QueryDict(mutable=True)
    params.update(query)
    url = f"{LIST}?{params.urlencode()}&{start}"
    pages = []
    while True:
        response = client.get(url)
        assert response.status_code == 200
        assert not response.context["register"].problems
        pages.append(codes(response))
        nxt = response.context["window"].links.get(link)
        if nxt is None:
            return pages if link == "next" else list(reversed(pages))
        url = f"{LIST}?{nxt}"


def expected(sort: str, user_projects) -> list[str]:
    """The order of the whole list, read the old way (one ORDER BY with NULLS LAST)."""
    ids = {p.pk for p in user_projects}
    rows = extensions.figures().with_month(Project.objects.filter(pk__in=ids), Period(2019, 7))
    return list(rows.order_by(*register_views.order_by(sort)).values_list("code", flat=True))


@pytest.mark.parametrize("sort", [f"{sign}{key}" for key in register_views.SORTS for sign in ("", "-")])
def test_paging_both_ways_visits_every_project_once_in_order(client, admin_user, register, sort):
    client.force_login(admin_user)

    forward = walk(client, {"sort": sort})
    backward = walk(client, {"sort": sort}, start="last=1", link="previous")

    want = expected(sort, register)
    assert [c for page in forward for c in page] == want
    assert [c for page in backward for c in page] == want
    assert all(len(page) <= 2 for page in forward)


def test_a_rate_sort_puts_ties_by_project_and_projects_without_a_plan_last(client, admin_user, register):
    client.force_login(admin_user)

    down = [c for page in walk(client, {"sort": "-schedule_rate"}) for c in page]
    up = [c for page in walk(client, {"sort": "schedule_rate"}) for c in page]

    unplanned = sorted(p.code for p in register[7:])
    assert up[-2:] == unplanned and down[-2:] == unplanned[::-1]  # last both ways, ties as the rate's
    assert down[:7] == list(reversed(up[:7]))  # ties broken by the project, the same way as the rate


def test_filters_and_sort_are_kept_across_pages(client, admin_user, register, siming):
    client.force_login(admin_user)

    pages = walk(client, {"district": siming.code, "sort": "-annual_rate"})

    shown = [c for page in pages for c in page]
    assert sorted(shown) == sorted(p.code for p in register if p.district_id == siming.pk)
    assert len(pages) == 2


def test_the_last_page_then_the_previous_one(client, admin_user, register):
    client.force_login(admin_user)
    every = [c for page in walk(client, {}) for c in page]

    last = client.get(LIST, {"last": "1"})
    previous = client.get(f"{LIST}?{last.context['window'].links['previous']}")

    assert codes(last) == every[-2:]
    assert codes(previous) == every[-4:-2]
    assert "末页" in previous.content.decode() and "首页" in previous.content.decode()


def test_a_district_officer_pages_only_through_their_projects(client, siming_officer, register, siming):
    client.force_login(siming_officer)

    shown = [c for page in walk(client, {"sort": "-schedule_rate"}) for c in page]

    assert sorted(shown) == sorted(p.code for p in register if p.district_id == siming.pk)


def test_another_users_page_link_reveals_nothing(client, admin_user, siming_officer, register, siming):
    client.force_login(admin_user)
    link = client.get(LIST).context["window"].links["next"]

    client.force_login(siming_officer)
    response = client.get(f"{LIST}?{link}")

    assert response.status_code == 200
    assert response.context["register"].problems
    assert set(codes(response)) <= {p.code for p in register if p.district_id == siming.pk}
    assert not response.context["window"].has_previous


def test_a_link_of_another_sort_gives_the_first_page(client, admin_user, register):
    client.force_login(admin_user)
    token = QueryDict(client.get(LIST, {"sort": "name"}).context["window"].links["next"])["after"]

    response = client.get(LIST, {"sort": "-over", "after": token})

    assert "翻页链接无效" in response.context["register"].problems[0]
    assert codes(response) == walk(client, {"sort": "-over"})[0]


def test_an_htmx_page_pushes_its_own_address(client, admin_user, register):
    client.force_login(admin_user)
    link = client.get(LIST, {"sort": "-over"}).context["window"].links["next"]

    response = client.get(f"{LIST}?{link}", HTTP_HX_REQUEST="true")

    assert response["HX-Push-Url"] == f"{LIST}?{link}"


def test_a_long_organisation_list_is_asked_for_by_number(client, admin_user, register, monkeypatch, unit_org):
    monkeypatch.setattr(register_views, "CHOICES_LIMIT", 0)
    client.force_login(admin_user)

    response = client.get(LIST, {"responsible_unit": unit_org.pk})

    assert response.context["choices"]["owner"] is None
    page = response.content.decode()
    assert 'name="owner"' in page and "单位较多" in page
    assert f'value="{unit_org.pk}"' in page


@pytest.fixture
def all_planned(siming, haicang, monkeypatch):
    """Five projects, every one with a plan: one plans nothing before August, so it has no schedule rate."""
    monkeypatch.setattr(register_views, "PAGE_SIZE", 2)
    made = []
    for i in range(5):
        project = make_project(district=siming if i % 2 else haicang)
        make_plan(project, ["0"] * 7 + ["100"] * 5 if i == 2 else ["100"] * 12)
        make_returns(project, [str(50 * (i + 1))] * 7)
        made.append(project)
    return made


def without_rate(admin_user, query: dict, rate: str = "schedule_rate"):
    """The register's projects without the rate, as the pager reads them, and as the anti-join reads them."""
    request = RequestFactory().get(LIST, query)
    request.user = admin_user
    built = register_views.build_register(request)
    rows = built.queryset.order_by()
    chosen = register_views._without_rate(built, rows, rate)
    return chosen, rows.filter(**{f"{rate}__isnull": True})


@pytest.mark.parametrize("rate", sorted(register_views.RATES))
@pytest.mark.parametrize("narrow", ["", "district", "category", "responsible_unit"])
def test_the_count_shortcut_agrees_with_the_anti_join(admin_user, all_planned, siming, rate, narrow):
    query = {
        "": {},
        "district": {"district": siming.code},
        "category": {"category": all_planned[0].category.code},
        "responsible_unit": {"responsible_unit": all_planned[0].responsible_unit_id},
    }[narrow]
    fast, slow = without_rate(admin_user, query, rate)
    assert "IS NOT NULL" in str(fast.query)  # every listed project has its row: read from the rate's NULLs
    assert sorted(fast.values_list("pk", flat=True)) == sorted(slow.values_list("pk", flat=True))

    # A project without a plan: the counts differ, and the anti-join finds it.
    unplanned = make_project(district=siming, category=all_planned[0].category)
    fast, slow = without_rate(admin_user, query, rate)
    assert unplanned.pk in set(fast.values_list("pk", flat=True))
    assert sorted(fast.values_list("pk", flat=True)) == sorted(slow.values_list("pk", flat=True))


@pytest.mark.parametrize("sort", ["schedule_rate", "-schedule_rate", "annual_rate", "-annual_rate"])
def test_a_rate_sort_pages_right_when_every_project_has_a_plan(client, admin_user, all_planned, sort):
    client.force_login(admin_user)

    want = expected(sort, all_planned)
    forward = [c for page in walk(client, {"sort": sort}) for c in page]
    backward = [c for page in walk(client, {"sort": sort}, start="last=1", link="previous") for c in page]

    assert forward == want and backward == want
    if "schedule" in sort:
        assert want[-1] == all_planned[2].code  # no schedule rate: last both ways


def test_a_project_without_a_plan_is_on_the_last_page(client, admin_user, all_planned, siming):
    client.force_login(admin_user)
    unplanned = make_project(district=siming)

    for query in ({"sort": "-annual_rate"}, {"sort": "annual_rate", "district": siming.code}):
        last = client.get(LIST, {**query, "last": "1"})
        assert codes(last)[-1] == unplanned.code


def test_the_month_picker_offers_the_planned_years_up_to_the_latest_report(client, admin_user, all_planned):
    older = make_project()
    make_plan(older, year=2017)
    client.force_login(admin_user)

    periods = client.get(LIST).context["periods"]

    # 2019 up to July (the latest approved returns), then every month of 2017; 2018 had no plan.
    assert periods == [Period(2019, m) for m in range(7, 0, -1)] + [Period(2017, m) for m in range(12, 0, -1)]


def test_the_filter_offers_exactly_the_organisations_in_use_for_everyone_and_for_a_district(
    client, admin_user, siming_officer, register, siming_project, haicang_project
):
    """The admin's choices come from skipping through the column's index, a district officer's from their projects."""
    from keyproj.projects.models import Project

    for user, projects in (
        (admin_user, Project.objects.all()),
        (siming_officer, Project.objects.visible_to(siming_officer)),
    ):
        client.force_login(user)
        choices = client.get(LIST).context["choices"]
        for column in ("responsible_unit", "owner", "agent_builder"):
            expected = set(projects.exclude(**{column: None}).values_list(column, flat=True).order_by().distinct())
            assert {pk for pk, _ in choices[column]} == expected, (user, column)

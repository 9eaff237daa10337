"""The ledger pages by keyset: newest first, every problem once both ways, filters kept, scope kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from keyproj.problems.models import Problem
from keyproj.problems.tests.helpers import DAY, make_problem
from keyproj.testing import make_project

pytestmark = pytest.mark.django_db
LEDGER = reverse("problems:index")


@pytest.fixture
def ledger(siming, haicang, monkeypatch):
    """Eleven problems over four days (ties on the day), in two districts."""
    # By name: importing the views module while the test modules are collected imports DRF too early.
    monkeypatch.setattr("keyproj.problems.views.problems.PAGE_SIZE", 3)
    made = []
    for i in range(11):
        project = make_project(district=siming if i % 2 else haicang)
        made.append(make_problem(project, today=DAY + dt.timedelta(days=i % 4), title=f"问题{i}"))
    return made


def walk(client, query: str = "", start: str = "", link: str = "next") -> list[list[int]]:
    url = f"{LEDGER}?{query}&{start}"
    pages = []
    while True:
        response = client.get(url)
        assert response.status_code == 200
        assert not response.context["window"].problem
        pages.append([p.pk for p in response.context["rows"]])
        target = response.context["window"].links.get(link)
        if target is None:
            return pages if link == "next" else list(reversed(pages))
        url = f"{LEDGER}?{target}"


def test_the_ledger_pages_both_ways_through_every_problem_newest_first(client, staff_user, ledger):
    client.force_login(staff_user)
    want = list(Problem.objects.order_by("-raised_on", "-pk").values_list("pk", flat=True))

    forward = walk(client)
    backward = walk(client, start="last=1", link="previous")

    assert [pk for page in forward for pk in page] == want
    assert [pk for page in backward for pk in page] == want
    assert [len(page) for page in forward] == [3, 3, 3, 2]


def test_the_ledgers_filters_are_kept_across_pages(client, staff_user, ledger, siming):
    client.force_login(staff_user)

    # Titles 问题1 and 问题10 match the search; 问题 alone matches all eleven, over four pages.
    every = walk(client, query="q=问题")
    some = walk(client, query="q=问题1")
    one = walk(client, query=f"project={ledger[3].project.code}")

    assert sum(len(page) for page in every) == 11 and len(every) == 4
    assert some == [[ledger[1].pk, ledger[10].pk]] or some == [[ledger[10].pk, ledger[1].pk]]
    assert one == [[ledger[3].pk]]


def test_the_ledger_counts_a_small_list_exactly(client, staff_user, ledger):
    client.force_login(staff_user)

    response = client.get(LEDGER)

    assert response.context["count"].exact and response.context["count"].value == 11
    assert "共11个问题" in response.content.decode()


def test_a_district_officer_pages_only_through_their_districts_problems(client, siming_officer, ledger, siming):
    client.force_login(siming_officer)

    shown = {pk for page in walk(client) for pk in page}

    assert shown == {p.pk for p in ledger if p.project.district_id == siming.pk}


def test_a_tampered_ledger_link_gives_the_first_page(client, staff_user, ledger):
    client.force_login(staff_user)
    first = walk(client)[0]

    response = client.get(LEDGER, {"after": "eyJzIjoicmFpc2VkX29uIn0:forged"})

    assert response.status_code == 200
    assert [p.pk for p in response.context["rows"]] == first
    assert "翻页链接无效" in response.content.decode()

"""The review list pages by keyset: oldest month first, every waiting return once both ways, month kept."""

from __future__ import annotations

import pytest

from keyproj.returns.models import ProgressReturn, ReturnStatus
from keyproj.returns.views import review as review_views
from keyproj.testing import make_plan, make_project, make_returns

REVIEW = "/returns/review/"


@pytest.fixture
def waiting(siming, haicang, monkeypatch):
    """Four projects with three submitted months each: twelve returns waiting."""
    monkeypatch.setattr(review_views, "REVIEW_PAGE", 5)
    for i in range(4):
        project = make_project(district=siming if i % 2 else haicang)
        make_plan(project)
        make_returns(project, ["100"] * 3, approve=False)
    return ProgressReturn.objects.filter(status=ReturnStatus.SUBMITTED)


def walk(client, query: str = "", start: str = "", link: str = "next") -> list[list[int]]:
    url = f"{REVIEW}?{query}&{start}"
    pages = []
    while True:
        response = client.get(url)
        assert response.status_code == 200
        assert not response.context["window"].problem
        pages.append([row["ret"].pk for row in response.context["rows"]])
        target = response.context["window"].links.get(link)
        if target is None:
            return pages if link == "next" else list(reversed(pages))
        url = f"{REVIEW}?{target}"


def test_the_review_list_pages_both_ways_through_every_waiting_return(client, staff_user, waiting):
    client.force_login(staff_user)
    want = list(waiting.order_by("year", "month", "pk").values_list("pk", flat=True))

    forward = walk(client)
    backward = walk(client, start="last=1", link="previous")

    assert [pk for page in forward for pk in page] == want
    assert [pk for page in backward for pk in page] == want
    assert [len(page) for page in forward] == [5, 5, 2]


def test_the_chosen_month_is_kept_across_pages(client, staff_user, waiting, monkeypatch):
    monkeypatch.setattr(review_views, "REVIEW_PAGE", 3)
    client.force_login(staff_user)

    pages = walk(client, query="period=2019-02")

    assert [len(page) for page in pages] == [3, 1]
    assert {ProgressReturn.objects.get(pk=pk).month for page in pages for pk in page} == {2}


def test_the_review_list_counts_and_offers_the_waiting_months(client, staff_user, waiting):
    client.force_login(staff_user)

    response = client.get(REVIEW)

    assert response.context["count"].exact and response.context["count"].value == 12
    assert [str(p) for p in response.context["months"]] == ["2019-03", "2019-02", "2019-01"]
    text = response.content.decode()
    assert "待审核12条" in text and "下一页" in text and "末页" in text


def test_a_reviewer_cannot_page_with_another_reviewers_link(client, staff_user, unit_officer, waiting):
    client.force_login(staff_user)
    link = client.get(REVIEW).context["window"].links["next"]

    client.force_login(unit_officer)
    response = client.get(f"{REVIEW}?{link}")

    assert response.status_code == 200
    assert response.context["window"].problem and not response.context["window"].has_previous


def test_the_waiting_months_span_years_and_follow_the_reviewers_scope(client, staff_user, unit_officer, unit_org):
    """The months list skips months with nothing waiting, crosses years, and shows a unit only its own."""
    theirs = make_project(responsible_unit=unit_org)
    make_plan(theirs, year=2018)
    make_returns(theirs, ["10"] * 11, year=2018)  # approved: nothing waiting until December
    make_returns(theirs, ["10"] * 12, year=2018, approve=False)
    other = make_project()
    make_plan(other)
    make_returns(other, ["10"] * 2)
    make_returns(other, ["10"] * 4, approve=False)  # March and April wait

    client.force_login(staff_user)
    office = [str(p) for p in client.get(REVIEW).context["months"]]
    client.force_login(unit_officer)
    unit = [str(p) for p in client.get(REVIEW).context["months"]]

    assert office == ["2019-04", "2019-03", "2018-12"]
    assert unit == ["2018-12"]
    waiting = ProgressReturn.objects.filter(status=ReturnStatus.SUBMITTED)
    assert office == [
        f"{y}-{m:02d}" for y, m in waiting.order_by("-year", "-month").values_list("year", "month").distinct()
    ]

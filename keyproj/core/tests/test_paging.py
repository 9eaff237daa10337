"""Keyset paging: every row once, in order, both ways; NULLs last; tokens that are not ours; counts."""

from __future__ import annotations

import base64
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict

from keyproj.core import paging
from keyproj.projects.models import Project, Stage
from keyproj.testing import make_project


def walk_forward(pager: paging.Pager, params: str = "") -> list[list[int]]:
    """Every page from the first by 下一页, as lists of primary keys."""
    pages = []
    window = pager.page(QueryDict(params))
    while True:
        pages.append(window.pks)
        if "next" not in window.links:
            return pages
        window = pager.page(QueryDict(window.links["next"]))


def walk_backward(pager: paging.Pager) -> list[list[int]]:
    """Every page from 末页 by 上一页, in the list's order."""
    pages = []
    window = pager.page(QueryDict("last=1"))
    while True:
        pages.append(window.pks)
        if "previous" not in window.links:
            return list(reversed(pages))
        window = pager.page(QueryDict(window.links["previous"]))


@pytest.fixture
def projects(db):
    """Seven projects, three with equal total investment, two without a stage."""
    stages = list(Stage.objects.order_by("order")[:2])
    amounts = ["500", "300", "300", "300", "900", "100", "700"]
    made = []
    for i, amount in enumerate(amounts):
        stage = stages[i % 2] if i < 5 else None
        made.append(make_project(total_investment=Decimal(amount), stage=stage))
    return made


def test_paging_forward_and_back_visits_every_row_once_in_order(projects, admin_user):
    rows = Project.objects.all()
    fields = ("-total_investment", "pk")
    expected = list(rows.order_by("-total_investment", "pk").values_list("pk", flat=True))
    pager = paging.Pager("t", "-total_investment", [paging.Phase(rows, fields)], user=admin_user, size=3)

    forward = walk_forward(pager)
    backward = walk_backward(pager)

    assert [pk for page in forward for pk in page] == expected
    assert [pk for page in backward for pk in page] == expected
    assert [len(p) for p in forward] == [3, 3, 1]
    # 末页 reads from the end: its pages are cut from the other side.
    assert [len(p) for p in backward] == [1, 3, 3]


def test_rows_without_a_value_come_last_in_both_directions(projects, admin_user):
    rows = Project.objects.all()
    without = list(rows.filter(stage__isnull=True).order_by("code").values_list("pk", flat=True))
    for desc in (False, True):
        sign = "-" if desc else ""
        fields = (f"{sign}stage__order", f"{sign}pk")
        phases = [
            paging.Phase(rows.filter(stage__isnull=False), fields),
            paging.Phase(rows.filter(stage__isnull=True), ("code",)),
        ]
        pager = paging.Pager("t", f"{sign}stage", phases, user=admin_user, size=2)
        staged = rows.filter(stage__isnull=False).order_by(*fields).values_list("pk", flat=True)

        forward = [pk for page in walk_forward(pager) for pk in page]
        backward = [pk for page in walk_backward(pager) for pk in page]

        assert forward == [*staged, *without] == backward


def test_the_last_page_then_the_previous_one_matches_paging_forward(projects, admin_user):
    rows = Project.objects.all()
    pager = paging.Pager("t", "code", [paging.Phase(rows, ("code",))], user=admin_user, size=3)
    forward = walk_forward(pager)

    every = [pk for page in forward for pk in page]

    last = pager.page(QueryDict("last=1"))
    previous = pager.page(QueryDict(last.links["previous"]))
    back_again = pager.page(QueryDict(previous.links["next"]))

    assert last.pks == every[-3:] and not last.has_next
    assert previous.pks == every[-6:-3]
    assert "next" in previous.links and "first" in previous.links
    assert back_again.pks == last.pks


@pytest.mark.parametrize(
    "params",
    ["after=junk", "before=", "after=eyJzIjoiY29kZSJ9:AAAA", "after=%00%ff", "after=" + "x" * 5000, "last=0"],
)
def test_a_malformed_or_tampered_token_gives_the_first_page_with_a_message(projects, admin_user, params):
    rows = Project.objects.all()
    pager = paging.Pager("t", "code", [paging.Phase(rows, ("code",))], user=admin_user, size=3)

    window = pager.page(QueryDict(params))

    assert window.pks == walk_forward(pager)[0]
    assert bool(window.problem) == (params != "last=0")


def test_a_token_of_another_sort_list_or_user_is_refused(projects, admin_user, siming_officer):
    rows = Project.objects.all()

    def pager(list_name: str, sort: str, user) -> paging.Pager:
        return paging.Pager(list_name, sort, [paging.Phase(rows, ("code",))], user=user, size=3)

    token = pager("t", "code", admin_user).page(QueryDict()).links["next"]
    assert not pager("t", "code", admin_user).page(QueryDict(token)).problem

    for other in (pager("t", "name", admin_user), pager("u", "code", admin_user), pager("t", "code", siming_officer)):
        window = other.page(QueryDict(token))
        assert window.problem and not window.has_previous


def test_a_token_edited_by_hand_is_refused(projects, admin_user):
    rows = Project.objects.all()
    pager = paging.Pager("t", "code", [paging.Phase(rows, ("code",))], user=admin_user, size=3)
    token = QueryDict(pager.page(QueryDict()).links["next"])["after"]
    signature = token.rsplit(":", 1)[1]
    payload = base64.urlsafe_b64encode(json.dumps({"s": "code", "p": 0, "v": ["A"]}).encode()).rstrip(b"=")

    forged = QueryDict(mutable=True)
    forged["after"] = payload.decode() + ":" + signature
    window = pager.page(forged)

    assert window.problem and not window.has_previous


def test_cursor_values_keep_their_type():
    key = (Decimal("300.10"), None, 3, 1.5, "T-1")
    pager = paging.Pager("t", "s", [paging.Phase(Project.objects.none(), ("a", "b", "c", "d", "e"))], user=None)

    assert pager.read_token(pager.token(0, key)) == (0, key)


def test_a_small_list_is_counted_exactly(projects):
    counted = paging.count(Project.objects.all())

    assert counted == paging.Count(7, exact=True)
    assert counted.shown == "7"


def test_a_first_page_that_is_not_full_is_its_own_count(projects, admin_user, django_assert_num_queries):
    rows = Project.objects.all()
    window = paging.Pager("t", "code", [paging.Phase(rows, ("code",))], user=admin_user, size=50).page(QueryDict())

    with django_assert_num_queries(0):
        assert paging.count(rows, window) == paging.Count(7, exact=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's")
def test_a_large_list_shows_the_planners_estimate(projects, settings):
    settings.KEYPROJ_EXACT_COUNT_BELOW = 1
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE projects_project")

    counted = paging.count(Project.objects.all())

    assert not counted.exact and counted.value >= 1
    assert counted.shown.startswith("约")


def test_estimates_are_rounded_to_two_figures():
    assert [paging.rounded(n) for n in (7, 99, 123, 123_456, 1_049_999)] == [7, 99, 120, 120_000, 1_000_000]


def test_a_list_that_can_match_nothing_counts_nothing(db):
    assert paging.count(Project.objects.filter(pk__in=[])) == paging.Count(0, exact=True)

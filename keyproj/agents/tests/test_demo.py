"""The demo's 代建 part: 41 firms (14 甲, 27 乙) on the demo's day, Q1 and Q2 2019 inspections of 50 projects with
their outcomes and their issued 通报, and what the scoped demo users see of it."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from keyproj.accounts.models import User
from keyproj.agents.models import (
    CreditKind,
    CreditScore,
    DirectoryEntry,
    Inspection,
    InspectionGrade,
    InspectionRound,
    Interview,
)
from keyproj.agents.rules import draw
from keyproj.core import clock
from keyproj.demo.build import DEMO_DAY
from keyproj.notices.models import Notice, NoticeKind


@pytest.fixture(scope="module")
def demo(demo_for_module):
    """The whole demo, loaded once for this module and taken out afterwards."""


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["2019-07-01", "2019-09-02"])
def test_the_directory_has_41_firms_14_of_class_a(demo, day):
    out = StringIO()
    call_command("firms", "--json", "--as-of", day, stdout=out)
    firms = json.loads(out.getvalue())["firms"]
    assert len(firms) == 41
    assert sum(f["grade"] == "A" for f in firms) == 14
    assert all(f["classes"] and f["credit_code"] and f["admitted_on"] for f in firms)


@pytest.mark.django_db
def test_the_firms_command_says_41_firms_on_2_september(demo):
    out = StringIO()
    call_command("firms", "--as-of", "2019-09-02", stdout=out)
    assert out.getvalue().splitlines()[0] == "截至2019-09-02，代建名录库共41家单位（甲类14家，乙类27家）"


@pytest.mark.django_db
def test_the_directory_page_counts_41_firms_on_the_demo_day_by_default(demo, client):
    assert clock.today() == DEMO_DAY
    client.force_login(User.objects.get(username="staff"))
    page = client.get(reverse("agents:firms"))
    assert page.context["as_of"] == DEMO_DAY
    assert len(page.context["rows"]) == 41 and page.context["a_count"] == 14
    # No firm of the demo is suspended or removed by the demo's day.
    assert not DirectoryEntry.objects.filter(kind__in=["suspension", "removal"], on__lte=DEMO_DAY).exists()


@pytest.mark.django_db
def test_both_quarters_notices_are_issued_in_their_own_series_and_shown_on_the_notices_page(demo, client):
    notices = list(Notice.objects.filter(kind=NoticeKind.INSPECTION).order_by("sequence"))
    assert [(n.number, n.source) for n in notices] == [
        ("厦建代〔2019〕1号", "inspection:2019Q1"),
        ("厦建代〔2019〕2号", "inspection:2019Q2"),
    ]
    assert "2019年第二季度重点项目督查暨代建考评情况通报" in notices[1].title
    assert timezone.localtime(notices[1].issued_at).date() == notices[1].date < DEMO_DAY
    client.force_login(User.objects.get(username="siming"))
    assert "厦建代〔2019〕2号" in client.get(reverse("notices:index")).content.decode()
    client.force_login(User.objects.get(username="staff"))
    page = client.get(reverse("agents:round", args=[2019, 2])).content.decode()
    assert "已印发 厦建代〔2019〕2号" in page


@pytest.mark.django_db
def test_two_quarters_inspected_fifty_projects_each_scored_and_reproducible(demo):
    rounds = list(InspectionRound.objects.filter(year=2019).order_by("quarter"))
    assert [r.quarter for r in rounds] == [1, 2] and all(r.status == "closed" for r in rounds)
    assert Inspection.objects.count() == 50 and not Inspection.objects.filter(total__isnull=True).exists()
    for r in rounds:
        assert draw(r.label, r.seed, r.pool, r.picks, len(r.drawn)).drawn == r.drawn


@pytest.mark.django_db
def test_outcomes_follow_the_grades(demo):
    excellent = Inspection.objects.filter(grade=InspectionGrade.EXCELLENT)
    failed = Inspection.objects.filter(grade=InspectionGrade.FAIL)
    assert excellent.exists() and failed.exists()
    assert all(i.credit_records.filter(kind=CreditKind.GOOD).count() == 1 for i in excellent)
    assert all(i.credit_records.filter(kind=CreditKind.BAD).count() == 1 for i in failed)
    assert Interview.objects.filter(inspection__in=failed).count() == failed.count()
    assert CreditScore.objects.count() == 41

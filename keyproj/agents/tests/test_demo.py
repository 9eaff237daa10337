"""The demo's 代建 part: 41 firms (14 甲, 27 乙), Q1 and Q2 2019 inspections of 50 projects with their outcomes."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from keyproj.agents.models import CreditKind, CreditScore, Inspection, InspectionGrade, InspectionRound, Interview
from keyproj.agents.rules import draw
from keyproj.demo import loader


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The whole demo, loaded once for this module and taken out afterwards."""
    with django_db_blocker.unblock():
        loader.load()
        yield
        loader.clear()


@pytest.mark.django_db
def test_the_directory_has_41_firms_14_of_class_a(demo):
    out = StringIO()
    call_command("firms", "--json", "--as-of", "2019-07-01", stdout=out)
    firms = json.loads(out.getvalue())["firms"]
    assert len(firms) == 41
    assert sum(f["grade"] == "A" for f in firms) == 14
    assert all(f["classes"] and f["credit_code"] and f["admitted_on"] for f in firms)


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

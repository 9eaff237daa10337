"""Quarterly inspection: the recorded draw, the scoring sheet, grades and outcomes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from keyproj.agents.models import (
    CreditKind,
    CreditRecord,
    Inspection,
    InspectionGrade,
    InspectionRound,
    Interview,
    RoundStatus,
)
from keyproj.agents.services import close_round, draw_round, score_inspection
from keyproj.agents.tests.helpers import admit, agent_project, sheet
from keyproj.core.errors import Refused
from keyproj.core.models import AuditEntry
from keyproj.core.scoping import CONSOLE
from keyproj.projects.models import Stage

pytestmark = pytest.mark.django_db
DAY = dt.date(2019, 8, 20)


@pytest.fixture
def pool(db):
    firm = admit("甲公司")
    other = admit("乙公司", {"building": "B"})
    projects = [agent_project(firm if n % 2 else other) for n in range(12)]
    agent_project(firm, stage=Stage.objects.get(code="completed"))  # not in the pool: completed
    return projects


def test_a_draw_records_seed_pool_and_result_and_creates_the_inspections(pool):
    picks = [pool[3].code]
    result = draw_round(2019, 3, seed="20190701", count=4, picks=picks, user=CONSOLE)
    found = InspectionRound.objects.get(year=2019, quarter=3)
    assert found.status == RoundStatus.DRAWN
    assert found.seed == "20190701"
    assert found.pool == sorted(p.code for p in pool)
    assert found.picks == picks and found.drawn == result.drawn and len(result.drawn) == 4
    inspections = Inspection.objects.filter(round=found)
    assert sorted(inspections.values_list("project__code", flat=True)) == sorted(result.projects)
    assert inspections.get(project=pool[3]).selection == "pick"
    assert all(i.firm_id == i.project.agent_builder_id for i in inspections)
    assert AuditEntry.objects.filter(action="inspection_round.draw").count() == 1


def test_a_dry_run_shows_the_same_draw_and_writes_nothing(pool):
    shown = draw_round(2019, 3, seed="abc", count=5, user=CONSOLE, dry_run=True)
    assert not InspectionRound.objects.exists()
    recorded = draw_round(2019, 3, seed="abc", count=5, user=CONSOLE)
    assert shown == recorded


def test_a_quarter_is_drawn_once(pool):
    draw_round(2019, 3, seed="abc", count=2, user=CONSOLE)
    with pytest.raises(Refused, match="不能重抽"):
        draw_round(2019, 3, seed="other", count=2, user=CONSOLE)


def test_bad_draws_are_refused_whole(pool):
    with pytest.raises(Refused) as caught:
        draw_round(2019, 3, seed="s", count=20, picks=["NOPE"], user=CONSOLE)
    text = str(caught.value)
    assert "NOPE" in text and "只有12个" in text
    assert not InspectionRound.objects.exists() and not Inspection.objects.exists()


def test_only_the_office_draws(pool, inspector_user):
    with pytest.raises(PermissionDenied):
        draw_round(2019, 3, seed="s", count=1, user=inspector_user)


@pytest.fixture
def inspection(pool):
    draw_round(2019, 3, seed="s", count=1, user=CONSOLE)
    return Inspection.objects.get()


def test_a_score_above_an_items_maximum_is_refused_and_nothing_written(inspection):
    lines = sheet()
    lines[0].points = lines[0].points + 1
    lines[1].points = "x"
    with pytest.raises(Refused) as caught:
        score_inspection(inspection, lines, inspected_on=DAY, user=CONSOLE)
    assert "超过该项满分" in str(caught.value) and "不是" in str(caught.value)
    inspection.refresh_from_db()
    assert inspection.total is None and not inspection.scores.exists()


def test_every_item_must_be_scored_and_deductions_explained(inspection):
    lines = sheet(Decimal(5), note="")
    with pytest.raises(Refused) as caught:
        score_inspection(inspection, lines[1:], inspected_on=DAY, user=CONSOLE)
    assert "未评分" in str(caught.value)
    with pytest.raises(Refused, match="须说明扣分原因"):
        score_inspection(inspection, lines, inspected_on=DAY, user=CONSOLE)


def test_an_excellent_inspection_gives_a_good_credit_record(inspection, inspector_user):
    score_inspection(inspection, sheet(Decimal(10)), inspected_on=DAY, user=inspector_user)
    inspection.refresh_from_db()
    assert (inspection.total, inspection.grade, inspection.rule_version) == (Decimal("90.00"), "excellent", 1)
    record = CreditRecord.objects.get()
    assert (record.kind, record.firm_id, record.inspection_id) == (CreditKind.GOOD, inspection.firm_id, inspection.pk)
    assert record.valid_from == DAY and record.valid_until == dt.date(2020, 8, 19)
    assert not Interview.objects.exists()


def test_a_failed_inspection_gives_an_interview_and_a_bad_record(inspection):
    score_inspection(inspection, sheet(Decimal("40.01")), inspected_on=DAY, user=CONSOLE)
    inspection.refresh_from_db()
    assert inspection.grade == InspectionGrade.FAIL and inspection.total == Decimal("59.99")
    assert CreditRecord.objects.get().kind == CreditKind.BAD
    interview = Interview.objects.get()
    assert interview.firm_id == inspection.firm_id and interview.due_by == DAY + dt.timedelta(days=15)


@pytest.mark.parametrize(("lost", "grade"), [("10", "excellent"), ("20", "good"), ("40", "pass")])
def test_middle_grades_give_no_bad_outcome(inspection, lost, grade):
    score_inspection(inspection, sheet(Decimal(lost)), inspected_on=DAY, user=CONSOLE)
    inspection.refresh_from_db()
    assert inspection.grade == grade
    assert not CreditRecord.objects.filter(kind=CreditKind.BAD).exists() and not Interview.objects.exists()


def test_scoring_again_replaces_the_outcomes(inspection):
    score_inspection(inspection, sheet(Decimal(50)), inspected_on=DAY, user=CONSOLE)
    inspection.refresh_from_db()
    score_inspection(inspection, sheet(Decimal(5)), inspected_on=DAY, user=CONSOLE, expected_version=inspection.version)
    assert list(CreditRecord.objects.values_list("kind", flat=True)) == [CreditKind.GOOD]
    assert not Interview.objects.exists()


def test_a_firm_cannot_score(inspection, agent_user):
    with pytest.raises(PermissionDenied):
        score_inspection(inspection, sheet(), inspected_on=DAY, user=agent_user)


def test_a_quarter_closes_only_when_every_project_is_scored(inspection):
    found = inspection.round
    with pytest.raises(Refused, match="未评分"):
        close_round(found, user=CONSOLE)
    score_inspection(inspection, sheet(), inspected_on=DAY, user=CONSOLE)
    found.refresh_from_db()
    close_round(found, user=CONSOLE)
    assert found.status == RoundStatus.CLOSED
    with pytest.raises(Refused, match="不能再改分"):
        score_inspection(Inspection.objects.get(), sheet(), inspected_on=DAY, user=CONSOLE)

"""Grade bands and the draw: the pure rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from keyproj.agents.models import AgentRule, InspectionGrade
from keyproj.agents.rules import draw, draw_problems, grade_for
from keyproj.core.errors import Refused
from keyproj.core.rules import publish_rule
from keyproj.core.scoping import CONSOLE

pytestmark = pytest.mark.django_db

POOL = [f"P-{n:03d}" for n in range(1, 41)]


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", InspectionGrade.EXCELLENT),
        ("90", InspectionGrade.EXCELLENT),
        ("89.99", InspectionGrade.GOOD),
        ("80", InspectionGrade.GOOD),
        ("79.99", InspectionGrade.PASS),
        ("60", InspectionGrade.PASS),
        ("59.99", InspectionGrade.FAIL),
        ("0", InspectionGrade.FAIL),
    ],
)
def test_grade_bands_are_inclusive_at_90_80_and_60(total, grade):
    assert grade_for(Decimal(total), AgentRule.current()) == grade


def test_grade_bands_come_from_the_rule_in_force():
    new = {"excellent_min": 95, "good_min": 85, "pass_min": 70}
    rule = publish_rule(AgentRule, new, user=CONSOLE, effective_from=dt.date(2020, 1, 1))
    assert AgentRule.in_force(dt.date(2020, 1, 2)).version == rule.version == 2
    assert grade_for(Decimal("92"), rule) == InspectionGrade.GOOD
    assert grade_for(Decimal("92"), AgentRule.in_force(dt.date(2019, 6, 1))) == InspectionGrade.EXCELLENT


def test_grade_bands_out_of_order_are_refused_with_the_reason():
    with pytest.raises(Refused) as refused:
        publish_rule(AgentRule, {"excellent_min": 80, "good_min": 85}, user=CONSOLE)
    assert "须满足 优秀分数线 > 良好分数线 > 合格分数线" in str(refused.value)
    assert AgentRule.objects.count() == 1


def test_the_same_seed_pool_and_count_give_the_same_projects():
    first = draw("2019Q3", "20190701", POOL, [], 8)
    again = draw("2019Q3", "20190701", list(reversed(POOL)), [], 8)
    assert first.drawn == again.drawn
    assert len(set(first.drawn)) == 8 and set(first.drawn) <= set(POOL)


def test_another_seed_or_quarter_gives_another_draw():
    base = draw("2019Q3", "20190701", POOL, [], 8).drawn
    assert draw("2019Q3", "20190702", POOL, [], 8).drawn != base
    assert draw("2019Q4", "20190701", POOL, [], 8).drawn != base


def test_picks_are_inspected_and_never_drawn_again():
    result = draw("2019Q3", "s", POOL, ["P-005", "P-006"], 38)
    assert result.projects[:2] == ["P-005", "P-006"]
    assert sorted(result.projects) == POOL


def test_a_pick_outside_the_pool_and_a_draw_larger_than_the_pool_are_refused():
    problems = draw_problems(POOL, ["X-1"], 41)
    messages = [p.message for p in problems]
    assert any("X-1" in m and "不在" in m for m in messages)
    assert any("只有" in m for m in messages)
    assert draw_problems(POOL, ["P-001"], 39) == []

"""The demo programme as built in memory, before any of it reaches the database."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest

from keyproj.demo.build import (
    ACTUAL_TO_DATE_TOTAL,
    ANNUAL_TOTAL,
    DISTRICT_CODES,
    PLAN_TO_DATE_TOTAL,
    Programme,
    build,
    credit_code,
    credit_code_is_valid,
)
from keyproj.demo.data.named import FINISHING, NAMED_PROJECTS
from keyproj.projects.codes import NATIONAL, code_problem


@pytest.fixture(scope="module")
def programme() -> Programme:
    return build()


def test_building_twice_gives_the_same_programme(programme):
    again = build()

    assert again.projects == programme.projects
    assert again.firms == programme.firms


def test_a_different_seed_gives_a_different_programme_with_the_same_totals(programme):
    other = build(seed=7)

    assert [p.monthly for p in other.projects] != [p.monthly for p in programme.projects]
    assert sum(p.annual for p in other.projects) == ANNUAL_TOTAL
    assert sum(p.actual_to_date for p in other.projects) == ACTUAL_TO_DATE_TOTAL


def test_the_totals_are_exactly_the_published_ones(programme):
    projects = programme.projects

    assert sum(p.annual for p in projects) == ANNUAL_TOTAL == Decimal("11927000.00")
    assert sum(p.plan_to_date for p in projects) == PLAN_TO_DATE_TOTAL == Decimal("5953100.00")
    assert sum(p.actual_to_date for p in projects) == ACTUAL_TO_DATE_TOTAL == Decimal("7774000.00")


def test_every_plan_has_twelve_lines_adding_up_and_nothing_is_negative(programme):
    for p in programme.projects:
        assert len(p.monthly) == 12
        assert sum(p.monthly) == p.annual > 0
        assert min(p.monthly) >= 0
        assert len(p.returns) == 7
        assert all(r.investment >= 0 for r in p.returns)
        assert p.annual <= p.total_investment


def test_projects_have_unique_names_and_valid_national_codes_in_their_district(programme):
    assert len({p.name for p in programme.projects}) == 357
    assert len({p.code for p in programme.projects}) == 357
    for p in programme.projects:
        assert code_problem(p.code) is None
        assert NATIONAL.match(p.code).group("region") == DISTRICT_CODES[p.district]


def test_milestones_and_return_flags_follow_the_stage(programme):
    for p in programme.projects:
        for r in p.returns:
            assert not (r.completed and not r.started)
            assert r.physical_progress
        if p.stage == "preparation":
            assert not any(r.started or r.investment for r in p.returns)
            assert "前期" in p.returns[-1].physical_progress
            assert p.start_month is not None
        if p.stage in ("completed", "in_use"):
            assert p.returns[-1].completed
        if p.stage == "construction":
            assert p.returns[-1].started and not p.returns[-1].completed


def test_finishing_projects_plan_completion_late_in_2019_and_report_their_last_works(programme):
    by_name = {p.name: p for p in programme.projects}
    for row in NAMED_PROJECTS:
        name, phrase = row[0], row[3]
        if phrase in FINISHING:
            p = by_name[name]
            assert p.completion_month in (10, 11, 12)
            assert "收尾" in p.returns[-1].physical_progress


def test_some_projects_lag_far_behind_and_some_have_not_started(programme):
    rates = {p.name: p.actual_to_date / p.plan_to_date for p in programme.projects if p.plan_to_date}
    not_started = [p for p in programme.projects if p.stage == "preparation"]

    assert sum(rate < Decimal("0.6") for rate in rates.values()) >= 10
    assert sum(Decimal("0.6") <= rate < Decimal("0.8") for rate in rates.values()) >= 10
    assert sum(rate > 1 for rate in rates.values()) > len(rates) / 2
    assert any(p.planned_start > dt.date(2019, 7, 1) for p in not_started)
    assert any(p.plan_to_date > 0 for p in not_started)  # should have started, has not: zero actual
    assert all(p.actual_to_date == 0 for p in not_started)


def test_completed_projects_have_small_remaining_plans(programme):
    for p in programme.projects:
        if p.stage == "in_use":
            assert p.annual <= p.total_investment * Decimal("0.1")


def test_the_directory_has_14_class_a_and_27_class_b_firms_with_valid_credit_codes(programme):
    grades = Counter(f.grade for f in programme.firms)
    specialties = Counter(s for f in programme.firms for s in f.specialties)

    assert grades == {"A": 14, "B": 27}
    assert specialties.most_common(1)[0][0] == "building"
    assert len({f.credit_code for f in programme.firms}) == 41
    assert all(credit_code_is_valid(f.credit_code) for f in programme.firms)


def test_agent_builders_are_qualified_for_the_works_they_manage(programme):
    from keyproj.demo.data.words import WORKS

    firms = {f.name: f for f in programme.firms}
    managed = [p for p in programme.projects if p.agent_builder]
    government = [
        p for p in programme.projects if p.category in ("social", "infrastructure") and p.owner_kind != "owner"
    ]

    assert all(WORKS[p.works][0] in firms[p.agent_builder].specialties for p in managed)
    assert sum(bool(p.agent_builder) for p in government) > len(government) / 2
    assert not any(p.agent_builder for p in programme.projects if p.category == "industry")


def test_credit_codes_carry_the_gb_32100_check_character():
    code = credit_code("350203", "12345678")

    assert len(code) == 18 and code.startswith("91350203")
    assert credit_code_is_valid(code)
    assert not credit_code_is_valid(code[:17] + ("0" if code[17] != "0" else "1"))

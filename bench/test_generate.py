"""The generator works at small N, is deterministic, and writes what the services would."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum

from bench.generate import (
    ADMIN_USERNAME,
    DISTRICT_USERNAME,
    GeneratorError,
    fingerprint,
    generate,
    project_specs,
    reset_data,
)
from bench.report import Result, p95, table
from keyproj.accounts.models import User
from keyproj.core.period import Period
from keyproj.metrics.figures import breakdown, summary
from keyproj.metrics.models import ProjectMonth
from keyproj.plans.models import AnnualPlan, MonthlyPlan
from keyproj.projects.codes import code_problem
from keyproj.projects.models import Project
from keyproj.returns.models import ProgressReturn, ReturnStatus

JULY = Period(2019, 7)


def test_the_same_seed_gives_the_same_projects():
    assert list(project_specs(50, seed=7)) == list(project_specs(50, seed=7))
    assert list(project_specs(50, seed=7)) != list(project_specs(50, seed=8))


def test_every_plan_adds_up_and_every_code_is_a_valid_national_code():
    for spec in project_specs(200):
        assert sum(spec.monthly, Decimal(0)) == spec.annual
        assert all(amount >= 0 and amount == amount.quantize(Decimal("0.01")) for amount in spec.monthly)
        assert code_problem(spec.code) is None
        assert [r.month for r in spec.returns] == list(range(1, 8))
        assert all(r.started for r in spec.returns if r.completed)


def test_projects_spread_over_the_six_districts_and_four_categories():
    specs = list(project_specs(500))

    assert len({s.district for s in specs}) == 6
    assert len({s.category for s in specs}) == 4
    assert len({s.unit for s in specs}) > 30
    assert len({s.code for s in specs}) == 500


def test_it_refuses_bad_sizes():
    with pytest.raises(GeneratorError):
        list(project_specs(0))
    with pytest.raises(GeneratorError):
        list(project_specs(10, months=13))


@pytest.mark.django_db
def test_it_writes_fifty_projects_with_plans_returns_and_the_rollup():
    report = generate(50, months=7, analyze=False)

    assert report.counts == {
        "projects": 50,
        "plans": 50,
        "plan lines": 600,
        "returns": 350,
        "rollup rows": 600,
    }
    assert ProgressReturn.objects.exclude(status=ReturnStatus.APPROVED).count() == 0
    assert set(Project.objects.values_list("district__code", flat=True)) <= {
        "350203",
        "350205",
        "350206",
        "350211",
        "350212",
        "350213",
    }
    # The rollup agrees with the sources it is derived from.
    july = ProjectMonth.objects.filter(year=2019, month=7).aggregate(
        plan=Sum("plan_to_date"), actual=Sum("actual_to_date"), annual=Sum("annual_plan")
    )
    assert july["annual"] == AnnualPlan.objects.aggregate(s=Sum("investment"))["s"]
    assert july["plan"] == MonthlyPlan.objects.filter(month__lte=7).aggregate(s=Sum("investment"))["s"]
    assert july["actual"] == ProgressReturn.objects.aggregate(s=Sum("investment"))["s"]


@pytest.mark.django_db
def test_the_figures_read_the_generated_data_for_both_bench_users():
    generate(50, analyze=False)
    admin = User.objects.get(username=ADMIN_USERNAME)
    officer = User.objects.get(username=DISTRICT_USERNAME)

    city = summary(admin, JULY)
    siming = summary(officer, JULY)
    districts = {row.key: row.figures for row in breakdown(admin, JULY, "district")}

    assert city.project_count == 50
    assert siming.project_count == Project.objects.filter(district__code="350203").count()
    assert districts["350203"].actual_to_date == siming.actual_to_date
    assert sum(f.project_count for f in districts.values()) == 50


@pytest.mark.django_db
def test_it_refuses_a_database_that_already_has_projects_unless_reset():
    generate(20, analyze=False)

    with pytest.raises(GeneratorError):
        generate(20, analyze=False)
    generate(30, reset=True, analyze=False)

    assert Project.objects.count() == 30


@pytest.mark.django_db
def test_generating_twice_gives_identical_data():
    generate(50, seed=11, analyze=False)
    first = fingerprint()
    reset_data()
    generate(50, seed=11, analyze=False)

    assert fingerprint() == first


@pytest.mark.django_db
def test_bulk_writing_gives_exactly_what_the_services_write():
    generate(50, seed=5, via="services", analyze=False)
    through_services = fingerprint()
    reset_data()
    generate(50, seed=5, via="bulk", analyze=False)

    assert fingerprint() == through_services


def test_p95_is_the_nearest_rank():
    assert p95([float(n) for n in range(1, 21)]) == 19.0
    assert p95([5.0]) == 5.0


def test_the_table_says_whether_a_target_was_met():
    text = table(
        [
            Result("figures", 10_000, "sqlite", 20, 12.0, 14.0, 50.0),
            Result("figures", 100_000, "sqlite", 20, 280.0, 320.0, 300.0),
        ]
    )

    assert "10,000" in text and "pass" in text and "miss" in text

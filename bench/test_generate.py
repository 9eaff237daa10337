"""The generator works at small N, is deterministic, and writes what the services would."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
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
    for projects, months, years in ((0, 7, 1), (-3, 7, 1), (1_000_001, 7, 1), (10, 13, 1), (10, 0, 1), (10, 7, 0)):
        with pytest.raises(GeneratorError):
            list(project_specs(projects, months=months, years=years))


@pytest.mark.parametrize("size", ["0", "-1", "-1000"])
def test_the_command_refuses_zero_or_negative_projects_with_exit_code_2(size, capsys):
    from bench.__main__ import main

    with pytest.raises(SystemExit) as refused:
        main(["generate", "--projects", size])

    assert refused.value.code == 2
    assert f"项目数应为1-1000000，而不是{size}" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [["generate", "--projects", "10", "--years", "0"], ["scale", "--sizes", "10,0"], ["all", "--months", "13"]],
)
def test_the_command_refuses_bad_years_months_and_sizes_with_exit_code_2(argv):
    from bench.__main__ import main

    with pytest.raises(SystemExit) as refused:
        main(argv)

    assert refused.value.code == 2


@pytest.mark.django_db
def test_a_refused_size_writes_nothing():
    with pytest.raises(GeneratorError):
        generate(0, analyze=False)

    assert not Project.objects.exists()


def test_the_millionth_code_wraps_its_serial_and_stays_a_valid_national_code():
    from bench.generate import YEAR

    # The serial is the code's last six digits; project 1,000,000 would need seven.
    assert f"{1_000_000 % 1_000_000:06d}" == "000000"
    assert code_problem(f"{YEAR}-350203-10-01-000000") is None


def test_more_years_change_nothing_of_the_last_year():
    one = list(project_specs(30, seed=3))
    three = list(project_specs(30, seed=3, years=3))

    assert [s.years()[-1] for s in three] == [s.years()[-1] for s in one]
    assert [[y.year for y in s.years()] for s in three] == [[2017, 2018, 2019]] * 30
    for spec in three:
        for year in spec.earlier:
            assert sum(year.monthly, Decimal(0)) == year.annual
            assert [r.month for r in year.returns] == list(range(1, 13))


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


@pytest.mark.django_db
def test_more_years_write_a_plan_and_returns_for_every_year_and_their_rollups():
    report = generate(20, months=3, years=2, analyze=False)

    assert report.counts == {
        "projects": 20,
        "plans": 40,
        "plan lines": 480,
        "returns": 20 * 12 + 20 * 3,
        "rollup rows": 480,
    }
    december = ProjectMonth.objects.filter(year=2018, month=12).aggregate(s=Sum("actual_to_date"))["s"]
    assert december == ProgressReturn.objects.filter(year=2018).aggregate(s=Sum("investment"))["s"]


postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")


@postgresql_only
@pytest.mark.django_db
def test_copy_writes_exactly_what_bulk_create_writes():
    generate(60, months=5, seed=13, years=2, via="bulk", analyze=False)
    through_bulk = fingerprint()
    reset_data()
    generate(60, months=5, seed=13, years=2, via="copy", analyze=False)

    assert fingerprint() == through_bulk


@postgresql_only
@pytest.mark.django_db
def test_after_copy_the_orm_carries_on_above_the_copied_ids():
    generate(10, via="copy", analyze=False)
    top = Project.objects.order_by("-pk").values_list("pk", flat=True).first()
    spec = next(project_specs(1, seed=99))
    project = Project.objects.first()
    later = Project.objects.create(
        code="2019-350203-10-01-999999",
        name="后加项目",
        category=project.category,
        district=project.district,
        responsible_unit=project.responsible_unit,
        owner=project.owner,
        total_investment=spec.total_investment,
    )

    assert later.pk > top


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

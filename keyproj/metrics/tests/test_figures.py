from decimal import Decimal

from keyproj.core.period import Period
from keyproj.core.scoping import CONSOLE
from keyproj.metrics.figures import breakdown, project_figures, summary
from keyproj.testing import make_plan, make_project, make_returns

JULY = Period(2019, 7)


def test_summary_adds_up_plans_and_approved_returns(admin_user, siming, haicang):
    a = make_project(district=siming)
    b = make_project(district=haicang)
    make_plan(a, ["100"] * 12)  # 1200 a year, 700 to July
    make_plan(b, ["50"] * 6 + ["150"] * 6)  # 1200 a year, 450 to July
    make_returns(a, ["120"] * 7)  # 840
    make_returns(b, ["10"] * 7)  # 70

    figures = summary(admin_user, JULY)

    assert figures.project_count == 2
    assert figures.annual_plan == Decimal("2400.00")
    assert figures.plan_to_date == Decimal("1150.00")
    assert figures.actual_to_date == Decimal("910.00")
    assert figures.over == Decimal("-240.00")
    assert figures.schedule_rate == Decimal("79.13")  # 910 / 1150 = 0.791304…
    assert figures.annual_rate == Decimal("37.92")  # 910 / 2400 = 0.379166…
    assert figures.time_rate == Decimal("58.33")
    assert figures.time_lead == Decimal("-20.41")


def test_submitted_returns_do_not_count_until_approved(admin_user):
    project = make_project()
    make_plan(project)
    make_returns(project, ["500"], approve=False)

    assert summary(admin_user, Period(2019, 1)).actual_to_date == Decimal("0.00")


def test_breakdown_by_district_splits_the_city(admin_user, siming, haicang):
    make_plan(make_project(district=siming))
    make_plan(make_project(district=haicang), ["200"] * 12)

    rows = {row.name: row.figures for row in breakdown(admin_user, JULY, "district")}

    assert rows["思明区"].plan_to_date == Decimal("700.00")
    assert rows["海沧区"].plan_to_date == Decimal("1400.00")


def test_district_officer_sees_only_their_district_in_the_figures(siming_officer, siming, haicang):
    make_plan(make_project(district=siming))
    make_plan(make_project(district=haicang))

    figures = summary(siming_officer, JULY)

    assert figures.project_count == 1
    assert figures.scope.label == "思明区"


def test_returns_approved_before_the_plan_count_once_the_plan_exists(admin_user):
    project = make_project()
    make_returns(project, ["30", "40"])
    assert summary(admin_user, JULY).project_count == 0

    make_plan(project)

    figures = summary(admin_user, JULY)
    assert figures.project_count == 1
    assert figures.actual_to_date == Decimal("70.00")


def test_a_plan_removed_takes_its_project_out_of_the_figures(admin_user):
    from keyproj.metrics import rollup
    from keyproj.plans.models import AnnualPlan, MonthlyPlan

    project = make_project()
    plan = make_plan(project)
    MonthlyPlan.objects.filter(plan=plan).delete()
    AnnualPlan.objects.filter(pk=plan.pk).delete()
    rollup.refresh(2019, [project.pk])

    assert summary(admin_user, JULY).project_count == 0


def test_figures_are_exact_to_the_cent(admin_user):
    project = make_project()
    make_plan(project, ["0.10", "0.20", "0.30"] + ["0.01"] * 9)
    make_returns(project, ["0.10", "0.20", "0.30", "1234567.89"])

    figures = summary(admin_user, Period(2019, 4))

    assert figures.plan_to_date == Decimal("0.61")
    assert str(figures.actual_to_date) == "1234568.49"


def test_per_project_figures_carry_their_rates_from_the_database(admin_user):
    ahead = make_project(name="领先项目")
    behind = make_project(name="滞后项目")
    unplanned_month = make_project(name="后期项目")
    make_plan(ahead)  # 700 to July
    make_plan(behind)
    make_plan(unplanned_month, ["0"] * 8 + ["300"] * 4)
    make_returns(ahead, ["200"] * 7)  # 1400
    make_returns(behind, ["50"] * 7)  # 350

    rows = {row.project.name: row for row in project_figures(admin_user, JULY)}

    assert round(rows["领先项目"].schedule_rate, 2) == 200
    assert rows["领先项目"].over == Decimal("700.00")
    assert round(rows["滞后项目"].schedule_rate, 2) == 50
    assert round(float(rows["滞后项目"].annual_rate), 2) == 29.17
    assert rows["后期项目"].schedule_rate is None
    ordered = [r.project.name for r in project_figures(admin_user, JULY).order_by("schedule_rate")]
    assert ordered.index("滞后项目") < ordered.index("领先项目")


def test_a_large_batch_is_refreshed_in_one_go(admin_user, siming):
    """More projects than fit in a plain id list (the rollup then passes them as one parameter)."""
    from keyproj.plans.services import PlanData, save_plans
    from keyproj.projects.models import Project

    template = make_project(district=siming)
    Project.objects.bulk_create(
        [
            Project(
                code=f"BULK-{n:04d}",
                name=f"批量项目{n}",
                category=template.category,
                district=siming,
                responsible_unit=template.responsible_unit,
                owner=template.owner,
                total_investment=Decimal("100"),
            )
            for n in range(700)
        ]
    )
    projects = list(Project.objects.filter(code__startswith="BULK-"))
    save_plans([PlanData(p, 2019, Decimal("12"), [Decimal("1")] * 12) for p in projects], user=CONSOLE, approve=True)

    figures = summary(admin_user, JULY)

    assert figures.project_count == 700
    assert figures.plan_to_date == Decimal("4900.00")

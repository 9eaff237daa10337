"""The aggregate rollup (ScopeMonth): always the sum of the ProjectMonth rows, whatever happens to
plans, returns and projects; the figures read from it are the per-project figures to the cent;
one approval touches a bounded number of its rows; `keyproj rollup` finds and repairs damage."""

from contextlib import suppress
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from keyproj.accounts.models import Role
from keyproj.core.errors import Refused
from keyproj.core.period import Period
from keyproj.core.scoping import CONSOLE
from keyproj.metrics import rollup, scopes
from keyproj.metrics.figures import BREAKDOWNS, breakdown, parse_scope, summary
from keyproj.metrics.models import Dimension, Family, ScopeMonth
from keyproj.orgs.models import OrgKind
from keyproj.plans.models import AnnualPlan, MonthlyPlan, PlanStatus
from keyproj.plans.services import PlanData, approve_plan, save_plan
from keyproj.projects.admin import project_data
from keyproj.projects.models import Category, Project
from keyproj.projects.services import save_projects
from keyproj.returns.models import ProgressReturn, ReturnAmendment, ReturnStatus
from keyproj.returns.services import (
    ReturnData,
    approve_return,
    decide_amendment,
    request_amendment,
    save_returns,
)
from keyproj.testing import AFTER_2019, district, make_plan, make_project, make_returns, make_user, org

YEAR = 2019
CATEGORIES = ["industry", "social", "infrastructure"]
DISTRICT_CODES = ["350203", "350205", "350206"]
UNITS = ["市交通局", "市建设局"]
AREAS = [None, "马銮湾指挥部", "环东海域指挥部"]


def _area(name: str | None):
    return None if name is None else org(OrgKind.AREA_COMMAND, name)


def _relink(project: Project, **changes) -> None:
    """Reassign a project through the register's service, as the admin form does."""
    values = {field.name: getattr(project, field.name) for field in Project._meta.concrete_fields}
    values.update(changes)
    save_projects([project_data(values)], user=CONSOLE)


money = st.decimals(min_value=0, max_value=Decimal("9999.99"), places=2)
target = st.integers(0, 3)  # which of the four projects
month = st.integers(1, 12)
operations = st.one_of(
    st.tuples(st.just("plan"), target, st.lists(money, min_size=12, max_size=12), st.booleans()),
    st.tuples(st.just("approve_plan"), target),
    st.tuples(st.just("unapprove_plan"), target),
    st.tuples(st.just("return"), target, month, money, st.sampled_from(["save", "submit", "approve"])),
    st.tuples(st.just("approve_return"), target, month),
    st.tuples(st.just("amend"), target, month, money),
    st.tuples(
        st.just("relink"),
        target,
        st.sampled_from(["district", "responsible_unit", "category", "area_command"]),
        st.integers(0, 2),
    ),
    st.tuples(st.just("delete"), target),
)


class AggregateEqualsRecount(TestCase):
    """After any sequence of changes, every ScopeMonth row is the sum of its projects' ProjectMonth rows."""

    def _apply(self, projects: list[Project], op: tuple) -> None:
        kind, index, *args = op
        project = projects[index]
        if not Project.objects.filter(pk=project.pk).exists():
            return  # deleted earlier in the sequence
        plan = AnnualPlan.objects.filter(project=project, year=YEAR).first()
        if kind == "plan":
            amounts, approve = args
            if plan is not None and plan.status == PlanStatus.APPROVED and not approve:
                return  # only the office changes an approved plan (refused otherwise)
            data = PlanData(project=project, year=YEAR, investment=sum(amounts, Decimal(0)), monthly=amounts)
            save_plan(data, user=CONSOLE, approve=approve)
        elif kind == "approve_plan":
            if plan is not None and plan.status != PlanStatus.APPROVED:
                approve_plan(plan, user=CONSOLE)
        elif kind == "unapprove_plan":
            # No service withdraws an approved plan; the rollup must still drop (and retract) its rows
            # when one stops counting, as when a plan is removed (test_figures).
            if plan is not None:
                AnnualPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT)
                rollup.refresh(YEAR, [project.pk])
        elif kind == "return":
            month_, amount, mode = args
            item = ReturnData(project=project, year=YEAR, month=month_, investment=amount, started=True)
            with suppress(Refused):  # an approved return is corrected by amendment only
                save_returns([item], user=CONSOLE, submit=mode == "submit", approve=mode == "approve", today=AFTER_2019)
        elif kind == "approve_return":
            ret = ProgressReturn.objects.filter(project=project, year=YEAR, month=args[0]).first()
            if ret is not None and ret.status == ReturnStatus.SUBMITTED:
                approve_return(ret, user=self.office)
        elif kind == "amend":
            month_, amount = args
            ret = ProgressReturn.objects.filter(project=project, year=YEAR, month=month_).first()
            if ret is not None and ret.status == ReturnStatus.APPROVED and ret.investment != amount:
                data = ReturnData(project=project, year=YEAR, month=month_, investment=amount, started=True)
                amendment = request_amendment(ret, data, user=self.office, reason="数据更正")
                decide_amendment(amendment, user=self.office, approve=True)
        elif kind == "relink":
            field, choice = args
            value = {
                "district": lambda: district(DISTRICT_CODES[choice]),
                "responsible_unit": lambda: org(OrgKind.RESPONSIBLE_UNIT, UNITS[choice % len(UNITS)]),
                "category": lambda: Category.objects.get(code=CATEGORIES[choice]),
                "area_command": lambda: _area(AREAS[choice]),
            }[field]()
            _relink(Project.objects.get(pk=project.pk), **{field: value})
        elif kind == "delete":
            # A project goes with its plans and returns (they protect it); its rollup rows go by cascade.
            ReturnAmendment.objects.filter(progress_return__project=project).delete()
            ProgressReturn.objects.filter(project=project).delete()
            MonthlyPlan.objects.filter(plan__project=project).delete()
            AnnualPlan.objects.filter(project=project).delete()
            Project.objects.filter(pk=project.pk).delete()

    # Fewer, longer sequences than hypothesis's default: each example pays for its four projects,
    # and the faults this hunts (a reassignment, then a change under the new scopes; a deletion
    # after figures moved) need several steps in a row, which a long sequence holds more of.
    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(
        starts=st.lists(
            st.tuples(st.integers(0, 2), st.integers(0, 1), st.integers(0, 2), st.integers(0, 2)),
            min_size=4,
            max_size=4,
        ),
        ops=st.lists(operations, min_size=6, max_size=20),
    )
    def test_the_aggregate_always_equals_a_recount(self, starts, ops):
        self.office = make_user("office", Role.OFFICE_ADMIN)
        projects = [
            make_project(
                district=district(DISTRICT_CODES[d]),
                responsible_unit=org(OrgKind.RESPONSIBLE_UNIT, UNITS[u]),
                category=Category.objects.get(code=CATEGORIES[c]),
                area_command=_area(AREAS[a]),
            )
            for d, u, c, a in starts
        ]
        # Three of the four count from the start, so a reassignment or deletion always has figures to move.
        for project in projects[:3]:
            make_plan(project)
        make_returns(projects[0], ["10", "20"])
        make_returns(projects[1], ["5"])
        for op in ops:
            self._apply(projects, op)
            assert scopes.differences(YEAR) == [], op


@pytest.fixture
def programme(db):
    """Six projects over two districts, two units, an area command and two categories; plans and returns."""
    siming, haicang = district("350203"), district("350205")
    traffic, building = org(OrgKind.RESPONSIBLE_UNIT, "市交通局"), org(OrgKind.RESPONSIBLE_UNIT, "市建设局")
    area = org(OrgKind.AREA_COMMAND, "马銮湾指挥部")
    owner, builder = org(OrgKind.OWNER, "某业主公司"), org(OrgKind.AGENT_BUILDER, "某代建公司")
    industry, social = Category.objects.get(code="industry"), Category.objects.get(code="social")
    specs = [
        (siming, traffic, industry, None, None),
        (siming, building, social, area, builder),
        (haicang, traffic, social, area, None),
        (haicang, building, industry, None, builder),
        (haicang, traffic, industry, None, None),
        (siming, traffic, social, None, None),
    ]
    projects = []
    for n, (d, unit, category, area_command, agent) in enumerate(specs):
        project = make_project(
            district=d,
            responsible_unit=unit,
            category=category,
            area_command=area_command,
            agent_builder=agent,
            owner=owner if n % 2 else org(OrgKind.OWNER, "另一业主公司"),
        )
        if n != 5:  # one project without a plan is in no figure
            make_plan(project, [str(10 * (n + 1) + m) + ".25" for m in range(12)])
            make_returns(project, [str(7 * (n + 1) + m) + ".10" for m in range(n + 2)])
        projects.append(project)
    return {
        "siming": siming,
        "haicang": haicang,
        "traffic": traffic,
        "area": area,
        "owner": owner,
        "builder": builder,
        "projects": projects,
    }


JULY = Period(YEAR, 7)


def _same_as_per_project(user, text, period=JULY):
    scope = parse_scope(text, user)
    assert scope.aggregate is not None, text
    per_project = replace(scope, aggregate=None)
    assert summary(user, period, scope) == replace(summary(user, period, per_project), scope=scope)
    for by in BREAKDOWNS:
        stored = [(r.key, r.name, r.figures.as_json()) for r in breakdown(user, period, by, scope)]
        summed = [(r.key, r.name, r.figures.as_json()) for r in breakdown(user, period, by, per_project)]
        assert stored == summed, (text, by)
    return scope


def test_the_stored_figures_are_the_per_project_figures(programme):
    district_officer = make_user("siming-officer", Role.DISTRICT_OFFICER, programme["siming"])
    unit_officer = make_user("traffic-officer", Role.UNIT_OFFICER, programme["traffic"])

    assert _same_as_per_project(CONSOLE, None).aggregate == ("city", 0)
    assert _same_as_per_project(district_officer, None).aggregate == ("office", programme["siming"].pk)
    assert _same_as_per_project(unit_officer, None).aggregate == ("unit", programme["traffic"].pk)
    assert _same_as_per_project(CONSOLE, "district:350205").aggregate == ("district", programme["haicang"].pk)
    assert _same_as_per_project(CONSOLE, f"org:{programme['traffic'].pk}").aggregate[0] == "linked"
    assert _same_as_per_project(CONSOLE, f"org:{programme['area'].pk}").aggregate[0] == "linked"
    assert _same_as_per_project(CONSOLE, "category:social").aggregate[0] == "category"
    assert summary(CONSOLE, Period(YEAR, 7)).project_count == 5


def test_scopes_that_are_sets_of_projects_keep_the_per_project_path(programme):
    owner = make_user("owner-user", Role.OWNER, programme["owner"])
    builder = make_user("builder-user", Role.AGENT_BUILDER, programme["builder"])
    inspector = make_user("inspector-user", Role.INSPECTOR)
    district_officer = make_user("siming-officer", Role.DISTRICT_OFFICER, programme["siming"])
    both = make_user("two-hats", Role.UNIT_OFFICER, programme["traffic"])
    both.memberships.create(organisation=programme["siming"], role=Role.DISTRICT_OFFICER)

    for user, text in [
        (owner, None),
        (builder, None),
        (inspector, None),
        (both, None),
        (district_officer, "category:social"),  # within their own scope only
        (CONSOLE, f"org:{programme['owner'].pk}"),  # owners are not a stored family
        (CONSOLE, f"org:{programme['builder'].pk}"),
    ]:
        assert parse_scope(text, user).aggregate is None, (user, text)
    # The owner's figures are still theirs: two of the five planned projects.
    assert summary(owner, Period(YEAR, 7)).project_count == 2


def _values() -> dict:
    return {
        tuple(getattr(row, name) for name in scopes.KEY): (row.project_count, row.plan_to_date, row.actual_to_date)
        for row in ScopeMonth.objects.all()
    }


def test_approving_one_return_touches_a_bounded_number_of_rows(programme, admin_user):
    project = programme["projects"][1]  # in two district-office scopes' worth of columns: district and area
    # Months 1..3 are approved already; 4..7 are submitted.
    items = [
        ReturnData(project=project, year=YEAR, month=m, investment=Decimal("1"), started=True) for m in range(4, 8)
    ]
    save_returns(items, user=CONSOLE, submit=True, today=AFTER_2019)
    ret = ProgressReturn.objects.get(project=project, year=YEAR, month=5)
    before = _values()

    approve_return(ret, user=admin_user)

    after = _values()
    changed = [key for key in after if after[key] != before.get(key)]
    # Each family holds the project once per distinct organisation in its columns (office and linked:
    # district and area command, linked also the unit), each split four ways, in months 5..12.
    scopes_in = [max(1, len({getattr(project, c) for c in columns} - {None})) for columns in scopes.FAMILIES.values()]
    bound = sum(scopes_in) * len(scopes.DIMENSIONS) * (12 - 5 + 1)
    assert 0 < len(changed) <= bound
    assert {key[1] for key in changed} == set(range(5, 13))
    assert scopes.differences(YEAR) == []


def test_families_and_dimensions_have_their_labels():
    assert set(scopes.FAMILIES) == set(Family.values)
    assert set(scopes.DIMENSIONS) == set(Dimension.values)
    assert {spec.dimension for spec in BREAKDOWNS.values()} <= set(Dimension.values)


def test_the_check_fails_on_a_tampered_row_and_passes_after_a_rebuild(programme, capsys):
    call_command("rollup", year=YEAR, check=True)
    row = ScopeMonth.objects.get(year=YEAR, month=7, family="city", dimension="total")
    ScopeMonth.objects.filter(pk=row.pk).update(actual_to_date=row.actual_to_date + 1)

    with pytest.raises(CommandError, match="1处"):
        call_command("rollup", year=YEAR, check=True)
    assert "city:0 total:0" in capsys.readouterr().out

    call_command("rollup", year=YEAR, rebuild=True)
    call_command("rollup", year=YEAR, check=True)
    assert summary(CONSOLE, Period(YEAR, 7)).actual_to_date == row.actual_to_date


def test_a_rebuild_gives_the_rows_the_refresh_gave(programme):
    before = _values()
    projects_before = sorted(_project_months())

    rollup.rebuild(YEAR)

    assert _values() == before
    assert sorted(_project_months()) == projects_before


def _project_months() -> list:
    from keyproj.metrics.models import ProjectMonth

    return list(
        ProjectMonth.objects.values_list(
            "project_id", "year", "month", "annual_plan", "plan_month", "plan_to_date", "actual_month", "actual_to_date"
        )
    )


def test_a_reassigned_project_moves_its_figures(programme):
    project = programme["projects"][0]  # 思明区
    july = Period(YEAR, 7)
    siming_before = summary(CONSOLE, july, parse_scope("district:350203", CONSOLE))

    _relink(project, district=programme["haicang"])

    siming_after = summary(CONSOLE, july, parse_scope("district:350203", CONSOLE))
    assert siming_after.project_count == siming_before.project_count - 1
    assert scopes.differences(YEAR) == []

"""`keyproj demo` against a real database: loaded once for the module, cleared afterwards.

Each test runs in a transaction that is rolled back, so the tests that reload or reset
leave the loaded demo as they found it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from keyproj.accounts.models import User
from keyproj.agents.models import Qualification
from keyproj.core.models import AuditEntry
from keyproj.core.period import Period
from keyproj.core.scoping import CONSOLE
from keyproj.demo import loader
from keyproj.demo.data.named import FINISHING, NAMED_PROJECTS, PHRASE_STAGES
from keyproj.demo.data.organisations import DEMO_PASSWORD, DEMO_USERS
from keyproj.metrics.figures import project_figures, summary
from keyproj.metrics.models import ProjectMonth
from keyproj.orgs.models import Organisation
from keyproj.plans.models import AnnualPlan, MonthlyPlan
from keyproj.projects.models import Project
from keyproj.returns.models import ProgressReturn, ReturnStatus
from keyproj.returns.services import ReturnData, request_amendment
from keyproj.testing import make_project
from keyproj.testing.demo import load_demo

SENTENCE = (
    "1-7月，全市357个市重点项目计划投资595.31亿元，实际完成投资777.40亿元，超182.09亿元，"
    "完成序时进度计划130.59%，完成年度计划65.18%。"
)
JULY = Period(2019, 7)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo(demo_for_module):
    """The Xiamen demo, loaded once for this module."""


@pytest.fixture
def admin():
    return User.objects.get(username="admin")


def fingerprint() -> str:
    """A digest of the demo's content: projects, plan lines and returns, by code (not by id)."""
    rows: list[tuple] = list(
        Project.objects.order_by("code").values_list(
            "code",
            "name",
            "level",
            "category__code",
            "district__code",
            "responsible_unit__name",
            "owner__name",
            "agent_builder__name",
            "area_command__name",
            "total_investment",
            "planned_start",
            "planned_completion",
            "stage__code",
            "pipeline_batch__code",
            "tracker__username",
            "liaison_leader__username",
            "description",
            "location",
            "lng",
            "lat",
        )
    )
    rows += MonthlyPlan.objects.order_by("plan__project__code", "month").values_list(
        "plan__project__code",
        "plan__investment",
        "plan__start_month",
        "plan__completion_month",
        "month",
        "investment",
    )
    rows += ProgressReturn.objects.order_by("project__code", "month").values_list(
        "project__code",
        "month",
        "investment",
        "physical_progress",
        "started",
        "completed",
        "problems",
        "status",
    )
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_the_summary_reads_exactly_as_the_bureau_published(admin):
    assert summary(admin, JULY).sentence() == SENTENCE


def total(queryset) -> Decimal:
    # Summed here, row by exact row: SQLite's SUM of a decimal column is a float.
    return sum(queryset.values_list("investment", flat=True), Decimal("0.00"))


def test_plans_and_approved_returns_add_up_to_the_published_totals():
    plans = AnnualPlan.objects.filter(year=2019)
    approved = ProgressReturn.objects.filter(year=2019, status=ReturnStatus.APPROVED)

    assert total(plans) == Decimal("11927000.00")
    assert total(MonthlyPlan.objects.filter(plan__year=2019, month__lte=7)) == Decimal("5953100.00")
    assert approved.count() == 357 * 7
    assert total(approved) == Decimal("7774000.00")
    assert not plans.exclude(status="approved").exists()
    lines: dict[int, list[Decimal]] = defaultdict(list)
    for plan_id, amount in MonthlyPlan.objects.order_by("month").values_list("plan_id", "investment"):
        lines[plan_id].append(amount)
    for plan_id, investment in plans.values_list("pk", "investment"):
        assert len(lines[plan_id]) == 12
        assert sum(lines[plan_id]) == investment


def test_there_are_357_projects_in_four_categories_and_six_districts():
    projects = Project.objects.all()

    assert projects.count() == 357
    assert set(projects.values_list("category__code", flat=True)) == {
        "industry",
        "social",
        "infrastructure",
        "new_city",
    }
    assert set(projects.values_list("district__code", flat=True)) == {
        "350203",
        "350205",
        "350206",
        "350211",
        "350212",
        "350213",
    }
    assert projects.filter(level="city_key").count() > 340


def test_every_project_the_seed_names_is_there_with_the_stage_the_seed_gives_it():
    projects = {p.name: p for p in Project.objects.select_related("stage", "category")}
    july = {r.project.name: r for r in ProgressReturn.objects.filter(month=7).select_related("project")}

    for name, category, _district, phrase, *_ in NAMED_PROJECTS:
        project = projects[name]
        assert project.stage.code == PHRASE_STAGES[phrase], name
        assert project.category.code == category, name
        if phrase in FINISHING:
            assert project.stage.code == "construction"
            assert dt.date(2019, 10, 1) <= project.planned_completion <= dt.date(2019, 12, 1), name
            assert "收尾" in july[name].physical_progress, name
        if phrase == "年底前开工":
            assert project.planned_start == dt.date(2019, 12, 1)
            assert not july[name].started
        if phrase in ("竣工", "建成投用"):
            assert july[name].completed, name


def test_the_directory_has_41_agent_firms_14_class_a_and_27_class_b():
    firms = Organisation.objects.filter(kind="agent_builder")
    grades = {firm.pk: set(firm.qualifications.values_list("grade", flat=True)) for firm in firms}

    assert firms.count() == 41
    assert all(len(g) == 1 for g in grades.values())  # one class per firm, whatever the specialty
    assert sum(g == {"A"} for g in grades.values()) == 14
    assert sum(g == {"B"} for g in grades.values()) == 27
    assert firms.exclude(code__regex=r"^[0-9A-HJ-NPQRTUWXY]{18}$").count() == 0
    by_specialty = Qualification.objects.values("specialty__code").annotate(n=Count("id")).order_by("-n")
    assert by_specialty[0]["specialty__code"] == "building"


@pytest.mark.parametrize(("username", "role", "where"), [(u, r, w) for u, _, r, w in DEMO_USERS])
def test_each_demo_user_signs_in_with_the_demo_password_and_holds_their_role(username, role, where):
    user = authenticate(username=username, password=DEMO_PASSWORD)

    assert user is not None and user.full_name
    assert list(user.memberships.values_list("role", flat=True)) == [role]
    assert user.is_superuser == (username == "admin")
    if where not in ("key_office", "leading_group", "agent"):
        assert user.memberships.get().organisation.name == where


def test_scoped_demo_users_each_see_several_projects_and_only_their_own():
    def visible(username: str):
        return Project.objects.visible_to(User.objects.get(username=username))

    assert visible("siming").count() >= 5
    assert not visible("siming").exclude(district__code="350203").exists()
    assert not visible("haicang").exclude(district__code="350205").exists()
    assert not visible("unit").exclude(responsible_unit__name="市住房局").exists()
    for username in ("haicang", "unit", "owner", "agent"):
        assert visible(username).count() >= 5, username
    assert visible("inspector").count() == Project.objects.filter(agent_builder__isnull=False).count()
    assert visible("leader").count() == 357


def test_the_demo_cast_forms_one_chain_from_owner_to_unit(admin):
    from keyproj.accounts.permissions import can_review

    owner, unit, siming, agent = (User.objects.get(username=u) for u in ("owner", "unit", "siming", "agent"))
    owned = Project.objects.visible_to(owner)
    unit_org = unit.memberships.get().organisation
    agent_org = agent.memberships.get().organisation

    assert owned.count() >= 5
    # Every return the owner files has a demo reviewer: the unit the projects answer to.
    assert not owned.exclude(responsible_unit=unit_org).exists()
    assert all(can_review(unit, project) for project in owned)
    assert Project.objects.visible_to(siming).filter(pk__in=owned).exists()
    assert owned.filter(agent_builder=agent_org).exists()


def test_later_red_and_yellow_cards_have_subjects(admin):
    rows = project_figures(admin, JULY)

    assert rows.filter(schedule_rate__lt=60).count() >= 10
    assert rows.filter(schedule_rate__gte=60, schedule_rate__lt=80).count() >= 10
    assert rows.filter(schedule_rate__gt=100).count() > 357 / 2
    not_started = rows.filter(project__stage__code="preparation")
    assert not_started.exists() and not not_started.exclude(actual_to_date=0).exists()
    assert not_started.filter(project__planned_start__gt=dt.date(2019, 7, 1)).exists()


def test_the_rollup_and_the_audit_log_are_filled_as_in_real_use():
    actions = dict(
        AuditEntry.objects.filter(request_id=loader.REQUEST_ID).values_list("action").annotate(n=Count("id"))
    )

    assert ProjectMonth.objects.filter(year=2019).count() == 357 * 12
    assert actions["project.create"] == 357
    assert actions["plan.create"] == 357
    assert actions["return.create"] == 357 * 7
    assert actions["organisation.create"] == Organisation.objects.count()
    assert not AuditEntry.objects.filter(~Q(request_id=loader.REQUEST_ID)).exists()


def test_if_empty_skips_a_loaded_database():
    entries = AuditEntry.objects.count()
    out = io.StringIO()

    call_command("demo", "--if-empty", stdout=out)

    assert "跳过" in out.getvalue()
    assert Project.objects.count() == 357
    assert AuditEntry.objects.count() == entries


def test_loading_again_without_a_flag_is_refused_with_a_clear_message():
    with pytest.raises(CommandError, match=r"已有357个项目.*--reset") as refused:
        call_command("demo", stdout=io.StringIO())

    assert refused.value.returncode == 1
    assert Project.objects.count() == 357


def test_reset_is_refused_on_a_production_server(settings):
    settings.DEBUG = False
    settings.LOCAL_RUN = False
    with pytest.raises(CommandError, match="生产模式"):
        load_demo("--reset")
    assert Project.objects.count() == 357


def test_reset_is_allowed_on_a_local_run_with_debug_off(settings):
    settings.DEBUG = False
    settings.LOCAL_RUN = True  # `make run`: production settings, answering only on this machine
    load_demo("--reset")
    assert Project.objects.count() == 357


def test_reset_loads_exactly_the_same_demo_again(admin, settings):
    settings.DEBUG = True  # a local run
    before = fingerprint()
    entries = AuditEntry.objects.count()
    out = io.StringIO()

    load_demo("--reset", stdout=out)

    assert fingerprint() == before
    assert AuditEntry.objects.count() == entries
    assert User.objects.filter(username="admin").count() == 1
    assert SENTENCE in out.getvalue()
    assert summary(User.objects.get(username="admin"), JULY).sentence() == SENTENCE


def test_reset_clears_projects_that_are_not_the_demos_but_keeps_a_real_account(settings):
    settings.DEBUG = True
    make_project(code="LOCAL-0001", name="演示之外的项目")
    # A pending correction protects its return; the reset must take it out too.
    approved = ProgressReturn.objects.filter(status=ReturnStatus.APPROVED).select_related("project").first()
    request_amendment(
        approved,
        ReturnData(approved.project, approved.year, approved.month, approved.investment + 1),
        user=CONSOLE,
        reason="少报了一笔",
    )
    admin = User.objects.get(username="admin")
    admin.set_password("not-the-demo-password")
    admin.save()
    out = io.StringIO()

    load_demo("--reset", stdout=out)

    assert Project.objects.count() == 357
    assert not Project.objects.filter(code="LOCAL-0001").exists()
    admin.refresh_from_db()  # the same row: kept, with its own password and its role back
    assert admin.check_password("not-the-demo-password")
    assert admin.memberships.get().role == "office_admin"
    assert "保留其原密码：admin" in out.getvalue()

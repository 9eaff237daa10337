"""Write the Xiamen 2019 demo into the database, and take it out again.

Everything goes through the services a person at the console would use (user=CONSOLE):
organisations through `orgs.services`, projects through `save_projects`, plans through
`save_plans(approve=True)` and returns through `save_returns(approve=True)`, so that the
audit log and the ProjectMonth rollup are filled exactly as in real use. Users and their
memberships are made directly (there is no service for them yet).
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from keyproj.accounts.models import ROLE_ORG_KINDS, Membership, Role, User
from keyproj.agents.models import Qualification, Specialty
from keyproj.core import audit, clock, geo, partitions
from keyproj.core.context import request_id
from keyproj.core.models import AuditEntry
from keyproj.core.period import Period
from keyproj.core.scoping import CONSOLE
from keyproj.demo import agents, coordination
from keyproj.demo.build import APPROVED_ON, DEMO_DAY, YEAR, Programme, build
from keyproj.demo.closing import close_demo_months
from keyproj.demo.data.organisations import (
    AREA_COMMANDS,
    DEMO_PASSWORD,
    DEMO_USERNAMES,
    DEMO_USERS,
    DISTRICTS,
    KEY_OFFICE,
    LEADING_GROUP,
    RESPONSIBLE_UNITS,
    SOES,
)
from keyproj.metrics.models import ProjectMonth, ScopeMonth
from keyproj.notices.models import Notice, NoticeCounter
from keyproj.orgs.models import Organisation, OrgKind
from keyproj.orgs.services import create_organisation, ensure_organisations
from keyproj.plans.models import AnnualPlan, MonthlyPlan
from keyproj.plans.services import PlanData, save_plans
from keyproj.projects.models import Category, PipelineBatch, Project, Stage
from keyproj.projects.services import ProjectData, save_projects
from keyproj.returns.models import ProgressReturn
from keyproj.returns.services import ReturnData, save_returns
from keyproj.supervision.models import Listing, MonthClose

# All the demo's audit entries carry this id, so that they can be told apart from real work.
REQUEST_ID = "demo-xiamen-2019"
# A fixed salt keeps the demo's database content identical from one load to the next (the
# password is published in the README anyway). It is long enough for Django's salt-entropy
# check, or every sign-in would rehash and rewrite the password.
PASSWORD_SALT = "keyprojDemoXiamen2019Salt"

# How the build's owner kinds map to organisation kinds (a district's works bureau is an owner).
OWNER_KINDS = {
    "soe": OrgKind.SOE,
    "responsible_unit": OrgKind.RESPONSIBLE_UNIT,
    "area_command": OrgKind.AREA_COMMAND,
    "district_bureau": OrgKind.OWNER,
    "owner": OrgKind.OWNER,
}


@dataclass
class Loaded:
    """What a load wrote, for the command to report."""

    programme: Programme
    kept_users: list[str]  # demo usernames that already existed: their passwords were left alone


def load(programme: Programme | None = None) -> Loaded:
    """Load the demo into a database that has no projects yet, in one transaction.

    Organisations and users that already exist under the demo's names are reused; an
    existing user keeps their password.
    """
    programme = programme or build()
    with request_id(REQUEST_ID), transaction.atomic():
        # First, so that every service the load calls works on the demo's calendar.
        clock.store_day(DEMO_DAY)
        # The demo's year gets its own partitions (PostgreSQL) before its rows arrive, as the daily
        # job would have made them on a server that ran through 2019.
        partitions.ensure_years([DEMO_DAY.year, DEMO_DAY.year + 1])
        orgs = _Organisations()
        _create_organisations(programme, orgs)
        _qualify(programme, orgs)
        users, kept = _users(programme, orgs)
        _projects(programme, orgs)
        _follow(programme, users)
        _plans(programme)
        _returns(programme)
        agents.load(programme)  # the 代建 directory, Q1-Q2 inspections and credit (keyproj.demo.agents)
        coordination.load(programme)  # visits, meetings and problems of 1-7月 (keyproj.demo.coordination)
        close_demo_months()
    return Loaded(programme, kept)


@functools.cache
def demo_password_hash() -> str:
    """The stored form of the demo password (hashing is slow on purpose: done once)."""
    return make_password(DEMO_PASSWORD, salt=PASSWORD_SALT)


class _Organisations:
    """The organisations by (kind, name): those already there, and those created through the service."""

    def __init__(self) -> None:
        self.found = {(o.kind, o.name): o for o in Organisation.objects.all()}

    def get(self, kind: str, name: str, **fields: Any) -> Organisation:
        org = self.found.get((kind, name))
        if org is None:
            org = create_organisation(user=CONSOLE, kind=kind, name=name, **fields)
            self.found[(kind, name)] = org
        return org

    def ensure(self, kind: str, names: Iterable[str]) -> None:
        """Many organisations known only by name (owners): one lookup, then the missing ones."""
        missing = [name for name in names if (kind, name) not in self.found]
        for name, org in ensure_organisations(kind, missing, user=CONSOLE).items():
            self.found[(kind, name)] = org

    def named(self, name: str, kinds: Iterable[str]) -> Organisation:
        for kind in kinds:
            if (kind, name) in self.found:
                return self.found[(kind, name)]
        raise KeyError(name)


def _create_organisations(programme: Programme, orgs: _Organisations) -> None:
    orgs.get(OrgKind.KEY_OFFICE, KEY_OFFICE[0], short_name=KEY_OFFICE[1])
    orgs.get(OrgKind.LEADING_GROUP, LEADING_GROUP[0], short_name=LEADING_GROUP[1])
    for order, (code, name) in enumerate(DISTRICTS, start=1):
        orgs.get(OrgKind.DISTRICT, name, code=code, order=order)
    for order, (name, short, _) in enumerate(AREA_COMMANDS, start=1):
        orgs.get(OrgKind.AREA_COMMAND, name, short_name=short, order=order)
    for order, name in enumerate(RESPONSIBLE_UNITS, start=1):
        orgs.get(OrgKind.RESPONSIBLE_UNIT, name, order=order)
    for order, (name, short) in enumerate(SOES, start=1):
        orgs.get(OrgKind.SOE, name, short_name=short, order=order)
    # Owners that are not one of the bodies above are known by their name alone.
    orgs.ensure(
        OrgKind.OWNER,
        [name for name, kind in programme.owner_kinds.items() if OWNER_KINDS[kind] == OrgKind.OWNER],
    )
    for order, firm in enumerate(programme.firms, start=1):
        orgs.get(OrgKind.AGENT_BUILDER, firm.name, code=firm.credit_code, order=order)


def _qualify(programme: Programme, orgs: _Organisations) -> None:
    """The directory: each firm's class in each of its specialties (there is no agents service yet)."""
    specialties = Specialty.objects.in_bulk(field_name="code")
    firm_ids = [orgs.get(OrgKind.AGENT_BUILDER, f.name).pk for f in programme.firms]
    held = set(Qualification.objects.filter(firm_id__in=firm_ids).values_list("firm_id", "specialty__code"))
    new = [
        Qualification(firm=orgs.get(OrgKind.AGENT_BUILDER, firm.name), specialty=specialties[code], grade=firm.grade)
        for firm in programme.firms
        for code in firm.specialties
        if (orgs.get(OrgKind.AGENT_BUILDER, firm.name).pk, code) not in held
    ]
    Qualification.objects.bulk_create(new)
    if new and new[0].pk is None:  # SQLite before 3.35 does not return ids
        new = list(Qualification.objects.filter(firm_id__in=firm_ids).order_by("pk"))
    audit.log_many(((q, None) for q in new), "qualification.create", user=CONSOLE)


def _users(programme: Programme, orgs: _Organisations) -> tuple[dict[str, User], list[str]]:
    """One demo user per role, each with a membership where the role is held."""
    places = {
        "key_office": orgs.get(OrgKind.KEY_OFFICE, KEY_OFFICE[0]),
        "leading_group": orgs.get(OrgKind.LEADING_GROUP, LEADING_GROUP[0]),
        "agent": orgs.get(OrgKind.AGENT_BUILDER, programme.busiest_firm),
    }
    users: dict[str, User] = {}
    kept: list[str] = []
    for username, full_name, role, where in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            superuser = role == Role.OFFICE_ADMIN  # so that the Django admin works for the demo
            user = User.objects.create(
                username=username,
                full_name=full_name,
                password=demo_password_hash(),
                is_staff=superuser,
                is_superuser=superuser,
            )
        elif user.password != demo_password_hash():
            kept.append(username)
        organisation = places.get(where) or orgs.named(where, ROLE_ORG_KINDS[role])
        membership = Membership(user=user, organisation=organisation, role=role)
        membership.full_clean(validate_unique=False, validate_constraints=False)
        Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
        users[username] = user
    return users, kept


def _projects(programme: Programme, orgs: _Organisations) -> None:
    categories = Category.objects.in_bulk(field_name="code")
    stages = Stage.objects.in_bulk(field_name="code")
    batches = PipelineBatch.objects.in_bulk(field_name="code")
    items = [
        ProjectData(
            code=p.code,
            name=p.name,
            level=p.level,
            category=categories[p.category],
            district=orgs.get(OrgKind.DISTRICT, p.district),
            responsible_unit=orgs.get(OrgKind.RESPONSIBLE_UNIT, p.responsible_unit),
            owner=orgs.get(OWNER_KINDS[p.owner_kind], p.owner),
            total_investment=p.total_investment,
            agent_builder=orgs.get(OrgKind.AGENT_BUILDER, p.agent_builder) if p.agent_builder else None,
            area_command=orgs.get(OrgKind.AREA_COMMAND, p.area_command) if p.area_command else None,
            planned_start=p.planned_start,
            planned_completion=p.planned_completion,
            stage=stages[p.stage],
            pipeline_batch=batches[p.pipeline_batch] if p.pipeline_batch else None,
            description=p.description,
            location=p.location,
            **_point(p.code, orgs.get(OrgKind.DISTRICT, p.district)),
        )
        for p in programme.projects
    ]
    save_projects(items, user=CONSOLE)


def _point(code: str, district: Organisation) -> dict[str, Decimal | None]:
    """A point inside the project's district, the same on every load: drawn by a generator seeded
    with the project's code. save_projects checks it as it checks a typed one. None when the
    installation has no boundary file (or it lacks the district): the demo loads without points."""
    try:
        boundary = geo.load_boundary()
    except geo.BoundaryUnavailable:
        return {"lng": None, "lat": None}
    if boundary.by_code(district.code) is None:
        return {"lng": None, "lat": None}
    lng, lat = geo.random_point_in(district.code, random.Random(code), boundary=boundary)
    return {"lng": lng, "lat": lat}


def _follow(programme: Programme, users: dict[str, User]) -> None:
    """The office's tracker (专人跟踪) and the liaison city leader of the projects that have them.

    ProjectData does not carry these, so they are set here the way a service would: the
    version bumped and the change audited.
    """
    wanted = {p.code: p for p in programme.projects if p.tracked or p.linked}
    for project in Project.objects.filter(code__in=list(wanted)).order_by("code"):
        spec = wanted[project.code]
        before = audit.snapshot(project)
        project.tracker = users["staff"] if spec.tracked else None
        project.liaison_leader = users["leader"] if spec.linked else None
        audit.bump_version(project, None, ["tracker_id", "liaison_leader_id"])
        audit.log(project, "project.update", user=CONSOLE, before=before)


def _projects_by_code(programme: Programme) -> dict[str, Project]:
    return Project.objects.in_bulk([p.code for p in programme.projects], field_name="code")


# The demo's progress sentences end "…，累计完成总工程量约68%": the percentage the return reports.
_COMPLETION = re.compile(r"累计完成总工程量约(\d+(?:\.\d+)?)%")


def _completion(text: str) -> Decimal | None:
    """The completion percentage a demo progress sentence states; None when it states none."""
    found = _COMPLETION.search(text)
    return Decimal(found.group(1)) if found else None


def _invested_before(spec: Any) -> Decimal | None:
    """The demo's opening balance: cumulative investment completed before 2019 (万元).

    The demo has no history before 2019, so its opening balances are made from what its returns
    say: the latest 2019 return that states a percentage, times the total investment, less the
    2019 investment reported up to that month — the investment before the year that makes the
    money match the stated progress at that month (never below 0). A project whose returns
    state no percentage (not started yet, or finished) gets none: nothing says what it was.
    """
    stated = [(r.month, _completion(r.physical_progress)) for r in spec.returns]
    stated = [(month, pct) for month, pct in stated if pct is not None]
    if not stated:
        return None
    month, pct = max(stated, key=lambda item: item[0])
    actual = sum((r.investment for r in spec.returns if r.month <= month), Decimal(0))
    return max(pct * spec.total_investment / 100 - actual, Decimal(0)).quantize(Decimal("0.01"))


def _plans(programme: Programme) -> None:
    projects = _projects_by_code(programme)
    items = [
        PlanData(
            project=projects[p.code],
            year=YEAR,
            investment=p.annual,
            monthly=list(p.monthly),
            start_month=p.start_month,
            completion_month=p.completion_month,
            invested_before=_invested_before(p),
        )
        for p in programme.projects
    ]
    save_plans(items, user=CONSOLE, approve=True)


def _returns(programme: Programme) -> None:
    projects = _projects_by_code(programme)
    items = [
        ReturnData(
            project=projects[p.code],
            year=YEAR,
            month=r.month,
            investment=r.investment,
            physical_progress=r.physical_progress,
            started=r.started,
            completed=r.completed,
            problems=r.problems,
            # Where the sentence states it (many do: "…累计完成总工程量约68%"); otherwise not reported.
            completion=_completion(r.physical_progress),
        )
        for p in programme.projects
        for r in p.returns
    ]
    save_returns(items, user=CONSOLE, approve=True, today=APPROVED_ON)
    _date_returns()


# When the demo's owners sent their returns in: most by the 4th of the next month, and
# those whose code ends in 7 on the 8th, after the default deadline (the 5th), so that the
# timeliness figures and the 催报 list have something to show.
ON_TIME_DAY, LATE_DAY, APPROVED_DAY = 4, 8, 10


def _date_returns() -> None:
    """Give each month's returns the 2019 times they would have had, instead of the load time."""
    zone = timezone.get_current_timezone()
    for month in range(1, 13):
        first = Period(YEAR, month).next().first_day
        returns = ProgressReturn.objects.filter(year=YEAR, month=month)

        def at(day: int, first: dt.date = first) -> dt.datetime:
            return dt.datetime.combine(first.replace(day=day), dt.time(10, 0), tzinfo=zone)

        returns.update(submitted_at=at(ON_TIME_DAY), approved_at=at(APPROVED_DAY))
        returns.filter(project__code__endswith="7").update(submitted_at=at(LATE_DAY))


def clear() -> None:
    """Empty the programme so that the demo can be loaded again: every project, plan, return
    and rollup row, every organisation (with the memberships held in them), the audit log,
    and the demo users. Other users, and accounts under a demo name whose password is not
    the demo's (someone's real `admin`), are kept, as are the configurable lists.

    Audit entries are otherwise never deleted; a reset is the one exception, because the
    objects they describe are gone.
    """
    with transaction.atomic():
        # Listings hold PROTECT references to problems and projects; a close takes its cards and rankings along.
        Listing.objects.all().delete()
        MonthClose.objects.all().delete()
        # The demo's issued notices and their 文号 counters go too, so that a reload numbers from 1 again.
        Notice.objects.all().delete()
        NoticeCounter.objects.all().delete()
        coordination.clear()  # problems hold PROTECT references to projects
        agents.clear()  # inspections, credit and attendance hold PROTECT references to projects and firms
        AuditEntry.objects.all().delete()
        # Corrections (amendments) hold PROTECT references to the returns they correct.
        _purge(ProgressReturn.objects.all())
        MonthlyPlan.objects.all().delete()
        _purge(AnnualPlan.objects.all())
        ProjectMonth.objects.all().delete()
        ScopeMonth.objects.all().delete()
        _purge(Project.objects.all())
        _purge(Qualification.objects.all())
        _purge(Organisation.objects.all())
        _purge(User.objects.filter(username__in=DEMO_USERNAMES, password=demo_password_hash()))
        clock.store_day(None)  # without the demo, the installation runs on the real date


def _purge(queryset: models.QuerySet, depth: int = 0) -> None:
    """Delete these rows and, first, whatever protects them from deletion.

    Apps built later (cards, problems, inspections …) may hold PROTECT references to
    projects and organisations; a reset takes those rows out too rather than fail.
    """
    if depth > 10:
        raise RuntimeError("protected references nest too deeply to clear")
    while True:
        try:
            queryset.delete()
            return
        except (ProtectedError, RestrictedError) as error:
            blockers = error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects
            by_model: dict[type[models.Model], list[Any]] = defaultdict(list)
            for obj in blockers:
                by_model[type(obj)].append(obj.pk)
            # Blockers may be rows of the same table (an organisation's children): same treatment.
            for model, pks in by_model.items():
                _purge(model._default_manager.filter(pk__in=pks), depth + 1)

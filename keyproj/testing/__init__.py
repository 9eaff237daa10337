"""Small builders for tests: a project, a plan, a return, a user with a role."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from keyproj.accounts.models import Membership, User
from keyproj.core.scoping import CONSOLE
from keyproj.orgs.models import Organisation, OrgKind
from keyproj.plans.models import AnnualPlan
from keyproj.plans.services import PlanData, save_plan
from keyproj.projects.models import Category, Project
from keyproj.returns.models import ProgressReturn
from keyproj.returns.services import ReturnData, save_returns

_serial = itertools.count(1)
AFTER_2019 = dt.date(2020, 1, 15)  # "today" for tests that report 2019 months

DISTRICTS = {
    "350203": "思明区",
    "350205": "海沧区",
    "350206": "湖里区",
    "350211": "集美区",
    "350212": "同安区",
    "350213": "翔安区",
}


def process_environ(**settings: str) -> dict[str, str]:
    """The environment for a keyproj process a test starts: this run's own, without its KEYPROJ_
    settings and without what the browser tests set for themselves (DJANGO_ALLOW_ASYNC_UNSAFE, set
    while the browser is up, which a deployment check rightly refuses), plus the given settings."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith("KEYPROJ_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return kept | settings


def org(kind: str, name: str, code: str = "") -> Organisation:
    found, _ = Organisation.objects.get_or_create(kind=kind, name=name, defaults={"code": code})
    return found


def district(code: str = "350203") -> Organisation:
    return org(OrgKind.DISTRICT, DISTRICTS[code], code)


def make_user(username: str, role: str | None = None, organisation: Organisation | None = None, **extra: Any) -> User:
    user = User.objects.create_user(username=username, password="pw-for-tests-only", **extra)
    if role:
        if organisation is None:
            organisation = org(OrgKind.KEY_OFFICE, "市重点办")
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def make_project(**overrides: Any) -> Project:
    n = next(_serial)
    values: dict[str, Any] = {
        "code": f"T-{n:05d}",
        "name": f"测试项目{n}",
        "level": "city_key",
        "category": Category.objects.get(code="industry"),
        "district": district("350203"),
        "responsible_unit": org(OrgKind.RESPONSIBLE_UNIT, "市建设局"),
        "owner": org(OrgKind.OWNER, "测试业主公司"),
        "total_investment": Decimal("10000.00"),
    }
    values.update(overrides)
    return Project.objects.create(**values)


def make_plan(
    project: Project, monthly: Sequence[str | Decimal] | None = None, year: int = 2019, **extra: Any
) -> AnnualPlan:
    """A plan through the service (so the rollup follows); twelve equal months of 100 by default."""
    amounts = [Decimal(str(a)) for a in (monthly or ["100"] * 12)]
    return save_plan(
        PlanData(project=project, year=year, investment=sum(amounts, Decimal(0)), monthly=amounts, **extra),
        user=CONSOLE,
        approve=True,
    )


def make_returns(
    project: Project, amounts: Sequence[str | Decimal], year: int = 2019, *, approve: bool = True
) -> list[ProgressReturn]:
    """Approved returns for months 1..len(amounts), through the service."""
    items = [
        ReturnData(project=project, year=year, month=m, investment=Decimal(str(a)), started=True)
        for m, a in enumerate(amounts, start=1)
    ]
    save_returns(items, user=CONSOLE, approve=approve, submit=not approve, today=AFTER_2019)
    return list(ProgressReturn.objects.filter(project=project, year=year).order_by("month"))

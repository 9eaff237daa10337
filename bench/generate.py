"""A deterministic generator of a programme at scale: N projects with a year of plans and returns.

Everything is drawn from one seeded `random.Random`, project by project, so the same
(N, months, seed) always yields the same register, plans and returns, whatever the
database and however the rows are written.

Two ways to write the rows:

* `bulk` (the default): `bulk_create` straight into the tables. At 100,000 projects the
  services' per-item checks, permission tests and audit entries would take most of the
  time, and they are not what the benchmarks measure (the figures read, and the import
  is benchmarked through the real command). The rollup is then filled by the very
  function the services call, `keyproj.metrics.rollup.refresh(year)`, so ProjectMonth
  ends up exactly as the services would have left it.
* `services`: the same specs through `save_projects`, `save_plans` and `save_returns`.
  Slow, but it proves the point above: bench/test_generate.py checks that both ways
  produce identical data.

Run it as `python -m bench generate --projects 10000` (see bench/README.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from keyproj.accounts.models import Membership, Role, User
from keyproj.core.models import AuditEntry
from keyproj.core.scoping import CONSOLE
from keyproj.metrics import rollup
from keyproj.metrics.models import ProjectMonth
from keyproj.orgs.models import Organisation, OrgKind
from keyproj.plans.models import AnnualPlan, MonthlyPlan, PlanStatus
from keyproj.plans.services import PlanData, save_plans
from keyproj.projects.models import Category, Project, ProjectLevel, Stage
from keyproj.projects.services import ProjectData, save_projects
from keyproj.returns.models import ProgressReturn, ReturnStatus
from keyproj.returns.services import ReturnData, save_returns

YEAR = 2019
DEFAULT_SEED = 2019
DEFAULT_MONTHS = 7
CHUNK = 5000  # projects written per round trip group; bounds memory at 100,000 projects

# The users the benchmarks act as.
ADMIN_USERNAME = "bench-admin"
DISTRICT_USERNAME = "bench-siming"
KEY_OFFICE_NAME = "市重点办"

# The six Xiamen districts (GB/T 2260) and how the projects spread over them.
DISTRICTS: list[tuple[str, str, int]] = [
    ("350203", "思明区", 14),
    ("350205", "海沧区", 16),
    ("350206", "湖里区", 15),
    ("350211", "集美区", 19),
    ("350212", "同安区", 16),
    ("350213", "翔安区", 20),
]
# The four default categories (their codes) and their shares.
CATEGORIES: list[tuple[str, int]] = [
    ("industry", 35),
    ("social", 25),
    ("infrastructure", 30),
    ("new_city", 10),
]
CATEGORY_WORDS = {"industry": "产业", "social": "社会事业", "infrastructure": "基础设施", "new_city": "新城"}

# Fifty responsible units; the first ones answer for more projects, as in the seed.
UNIT_NAMES: list[str] = [
    "市建设局",
    "市交通局",
    "市教育局",
    "市卫健委",
    "市水利局",
    "市市政园林局",
    "市发改委",
    "市工信局",
    "市科技局",
    "市资源规划局",
    "市生态环境局",
    "市文旅局",
    "市体育局",
    "市民政局",
    "市农业农村局",
    "市商务局",
    "市港口局",
    "市海洋发展局",
    "市城管执法局",
    "市公安局",
    "市应急管理局",
    "市国资委",
    "市住房局",
    "市火炬管委会",
    "市自贸委",
    "市机关事务局",
    "市人社局",
    "市财政局",
    "市市场监管局",
    "市大数据局",
    "市医保局",
    "市林业局",
    "市退役军人局",
    "市统计局",
    "市审计局",
    "市金融监管局",
    "市残联",
    "市总工会",
    "团市委",
    "市妇联",
    "市科协",
    "市文联",
    "市气象局",
    "市地震局",
    "市供电公司",
    "环东海域新城指挥部",
    "马銮湾新城指挥部",
    "集美新城指挥部",
    "翔安南部新城指挥部",
    "同安新城指挥部",
]
UNIT_WEIGHTS = [100 // (i + 4) + 1 for i in range(len(UNIT_NAMES))]
AGENT_BUILDERS = 41  # 14 甲 + 27 乙, as in the 2019 directory

PROGRESS = [
    "前期手续办理中",
    "场地平整",
    "桩基施工",
    "基础施工",
    "主体结构施工",
    "主体结构封顶",
    "砌体及装饰装修施工",
    "机电安装",
    "室外配套施工",
    "竣工验收准备",
]
PROBLEMS = ["征地拆迁未完成", "管线迁改滞后", "施工许可未办结", "资金未到位", "市政配套未接入"]

T = TypeVar("T")


class GeneratorError(Exception):
    """The generator cannot run on this database as it stands."""


def cents(value: int) -> Decimal:
    """An amount in 万元 from whole hundredths, exact (never through float)."""
    return Decimal(value).scaleb(-2)


@dataclass(frozen=True)
class ReturnSpec:
    month: int
    investment: Decimal
    started: bool
    completed: bool
    physical_progress: str
    problems: str


@dataclass(frozen=True)
class ProjectSpec:
    """Everything the generator decides about one project, before anything is written."""

    code: str
    name: str
    level: str
    category: str  # Category.code
    district: str  # GB/T 2260 code
    unit: str
    owner: str
    agent_builder: str | None
    total_investment: Decimal
    planned_start: dt.date
    planned_completion: dt.date
    stage: str  # Stage.code
    annual: Decimal
    monthly: tuple[Decimal, ...]
    start_month: int | None
    completion_month: int | None
    returns: tuple[ReturnSpec, ...]


def owner_name(index: int) -> str:
    return f"厦门生成业主{index:05d}有限公司"


def agent_name(index: int) -> str:
    return f"厦门生成代建{index:02d}项目管理有限公司"


def owner_count(projects: int) -> int:
    return max(10, projects // 10)


def _plan_cents(rng: random.Random) -> int:
    """An annual plan in hundredths of 万元: mostly mid-sized, a few very large (integers only)."""
    tier = rng.choices(range(4), weights=[30, 45, 20, 5])[0]
    low, high = [(200, 2_000), (2_000, 20_000), (20_000, 80_000), (80_000, 300_000)][tier]
    return rng.randint(low, high - 1) * 100 + rng.randint(0, 99)


def _split(total: int, rng: random.Random) -> list[int]:
    """Twelve monthly amounts adding up exactly to `total`, heavier later in the year."""
    weights = [rng.randint(4, 10) + month // 2 for month in range(1, 13)]
    parts = [total * w // sum(weights) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def project_specs(projects: int, *, months: int = DEFAULT_MONTHS, seed: int = DEFAULT_SEED) -> Iterator[ProjectSpec]:
    """The N projects, in order; the same arguments always give the same projects."""
    if not 0 <= months <= 12:
        raise GeneratorError(f"填报月数应为0-12，而不是{months}")
    if not 1 <= projects <= 999_999:
        raise GeneratorError(f"项目数应为1-999999，而不是{projects}")
    rng = random.Random(seed)
    owners = owner_count(projects)
    for serial in range(1, projects + 1):
        district, district_name, _ = rng.choices(DISTRICTS, weights=[d[2] for d in DISTRICTS])[0]
        category = rng.choices(CATEGORIES, weights=[c[1] for c in CATEGORIES])[0][0]
        unit = rng.choices(UNIT_NAMES, weights=UNIT_WEIGHTS)[0]
        owner = owner_name(rng.randint(1, owners))
        agent = agent_name(rng.randint(1, AGENT_BUILDERS)) if rng.random() < 0.3 else None
        level = ProjectLevel.PROVINCIAL_MAJOR if rng.random() < 0.1 else ProjectLevel.CITY_KEY
        filed, industry, kind = rng.randint(YEAR - 4, YEAR), rng.randint(10, 99), rng.randint(1, 3)
        code = f"{filed}-{district}-{industry}-{kind:02d}-{serial:06d}"

        annual = _plan_cents(rng)
        monthly = _split(annual, rng)
        start_month = rng.randint(1, 9) if rng.random() < 0.2 else None
        completion_month = rng.randint(max(start_month or 1, 6), 12) if rng.random() < 0.1 else None
        if start_month:
            planned_start = dt.date(YEAR, start_month, 1)
        else:
            planned_start = dt.date(rng.randint(YEAR - 4, YEAR - 1), rng.randint(1, 12), 1)
        if completion_month:
            planned_completion = dt.date(YEAR, completion_month, 1)
        else:
            planned_completion = dt.date(YEAR + rng.randint(1, 4), rng.randint(1, 12), 1)
        stage = "preparation" if start_month else "construction"

        # Actuals run at 80–180 % of plan (the seed's city ran at 130 %); a few report nothing.
        idle = rng.random() < 0.05
        pace = rng.randint(80, 180)
        returns = []
        for month in range(1, months + 1):
            started = not idle and not (start_month and month < start_month)
            done = monthly[month - 1] * pace // 100 if started else 0
            returns.append(
                ReturnSpec(
                    month=month,
                    investment=cents(done),
                    started=started,
                    completed=bool(started and completion_month and month >= completion_month),
                    physical_progress=rng.choice(PROGRESS) if started else "前期工作",
                    problems=rng.choice(PROBLEMS) if rng.random() < 0.1 else "",
                )
            )
        yield ProjectSpec(
            code=code,
            name=f"{district_name[:2]}{CATEGORY_WORDS[category]}项目{serial:06d}",
            level=level,
            category=category,
            district=district,
            unit=unit,
            owner=owner,
            agent_builder=agent,
            total_investment=cents(annual * rng.randint(150, 600) // 100),
            planned_start=planned_start,
            planned_completion=planned_completion,
            stage=stage,
            annual=cents(annual),
            monthly=tuple(cents(m) for m in monthly),
            start_month=start_month,
            completion_month=completion_month,
            returns=tuple(returns),
        )


@dataclass
class GenerationReport:
    """What was generated and how long each phase took (seconds)."""

    projects: int
    months: int
    seed: int
    via: str
    backend: str
    counts: dict[str, int] = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return sum(self.phases.values())

    def __str__(self) -> str:
        counts = ", ".join(f"{n:,} {what}" for what, n in self.counts.items())
        phases = ", ".join(f"{what} {s:.1f} s" for what, s in self.phases.items())
        return f"generated on {self.backend} via {self.via}: {counts} in {self.seconds:.1f} s ({phases})"


@dataclass
class _Orgs:
    districts: dict[str, Organisation]
    units: dict[str, Organisation]
    owners: dict[str, Organisation]
    agents: dict[str, Organisation]
    categories: dict[str, Category]
    stages: dict[str, Stage]


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _ensure(kind: str, names: Sequence[str], codes: dict[str, str] | None = None) -> dict[str, Organisation]:
    """Organisations of one kind by name, created in bulk where missing."""
    found = {o.name: o for o in Organisation.objects.filter(kind=kind, name__in=names)}
    missing = [
        Organisation(kind=kind, name=name, code=(codes or {}).get(name, ""), order=index)
        for index, name in enumerate(names, start=1)
        if name not in found
    ]
    Organisation.objects.bulk_create(missing, batch_size=1000)
    if missing:
        found = {o.name: o for o in Organisation.objects.filter(kind=kind, name__in=names)}
    return found


def _qualified(firms: dict[str, Organisation]) -> dict[str, Organisation]:
    """Put the generated firms in the 代建 directory (甲类 房屋建筑): a firm outside it may not take
    projects (keyproj.agents.rules), through the services or otherwise."""
    from keyproj.agents.models import Qualification, Specialty

    building = Specialty.objects.get(code="building")
    held = set(Qualification.objects.filter(firm__in=list(firms.values())).values_list("firm_id", flat=True))
    Qualification.objects.bulk_create(
        [Qualification(firm=f, specialty=building, grade="A") for f in firms.values() if f.pk not in held]
    )
    return firms


def _organisations(projects: int) -> _Orgs:
    districts = {}
    for order, (code, name, _) in enumerate(DISTRICTS, start=1):
        districts[code], _ = Organisation.objects.get_or_create(
            kind=OrgKind.DISTRICT, code=code, defaults={"name": name, "order": order}
        )
    categories = {c.code: c for c in Category.objects.all()}
    stages = {s.code: s for s in Stage.objects.all()}
    missing = {code for code, _ in CATEGORIES} - categories.keys()
    if missing or not {"preparation", "construction"} <= stages.keys():
        raise GeneratorError("默认项目类别或项目阶段缺失：请先执行 migrate")
    return _Orgs(
        districts=districts,
        units=_ensure(OrgKind.RESPONSIBLE_UNIT, UNIT_NAMES),
        owners=_ensure(OrgKind.OWNER, [owner_name(i) for i in range(1, owner_count(projects) + 1)]),
        agents=_qualified(_ensure(OrgKind.AGENT_BUILDER, [agent_name(i) for i in range(1, AGENT_BUILDERS + 1)])),
        categories=categories,
        stages=stages,
    )


def _users(orgs: _Orgs) -> None:
    """The two users the summary benchmark acts as: the office admin and Siming's officer."""
    office, _ = Organisation.objects.get_or_create(kind=OrgKind.KEY_OFFICE, name=KEY_OFFICE_NAME)
    for username, role, organisation in (
        (ADMIN_USERNAME, Role.OFFICE_ADMIN, office),
        (DISTRICT_USERNAME, Role.DISTRICT_OFFICER, orgs.districts["350203"]),
    ):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username=username, password=None, full_name=username)
        Membership.objects.get_or_create(user=user, organisation=organisation, role=role)


def _project_fields(spec: ProjectSpec, orgs: _Orgs) -> dict[str, object]:
    return {
        "code": spec.code,
        "name": spec.name,
        "level": spec.level,
        "category": orgs.categories[spec.category],
        "district": orgs.districts[spec.district],
        "responsible_unit": orgs.units[spec.unit],
        "owner": orgs.owners[spec.owner],
        "agent_builder": orgs.agents[spec.agent_builder] if spec.agent_builder else None,
        "total_investment": spec.total_investment,
        "planned_start": spec.planned_start,
        "planned_completion": spec.planned_completion,
        "stage": orgs.stages[spec.stage],
    }


def _reported_at(month: int) -> dt.datetime:
    """Returns come in on the 5th of the following month."""
    year, month = (YEAR + 1, 1) if month == 12 else (YEAR, month + 1)
    return timezone.make_aware(dt.datetime(year, month, 5, 9, 0))


def _write_bulk(specs: list[ProjectSpec], orgs: _Orgs) -> None:
    """One chunk straight into the tables (see the module docstring for why that is fair)."""
    projects = [Project(**_project_fields(spec, orgs)) for spec in specs]
    Project.objects.bulk_create(projects, batch_size=1000)
    if projects and projects[0].pk is None:  # a backend that does not return ids
        by_code = Project.objects.in_bulk([p.code for p in projects], field_name="code")
        projects = [by_code[p.code] for p in projects]
    plans = [
        AnnualPlan(
            project=project,
            year=YEAR,
            investment=spec.annual,
            start_month=spec.start_month,
            completion_month=spec.completion_month,
            status=PlanStatus.APPROVED,
        )
        for project, spec in zip(projects, specs, strict=True)
    ]
    AnnualPlan.objects.bulk_create(plans, batch_size=1000)
    if plans and plans[0].pk is None:
        by_project = {p.project_id: p for p in AnnualPlan.objects.filter(project__in=projects, year=YEAR)}
        plans = [by_project[p.pk] for p in projects]
    MonthlyPlan.objects.bulk_create(
        [
            MonthlyPlan(plan=plan, month=month, investment=amount)
            for plan, spec in zip(plans, specs, strict=True)
            for month, amount in enumerate(spec.monthly, start=1)
        ],
        batch_size=2000,
    )
    ProgressReturn.objects.bulk_create(
        [
            ProgressReturn(
                project=project,
                year=YEAR,
                month=r.month,
                investment=r.investment,
                physical_progress=r.physical_progress,
                started=r.started,
                completed=r.completed,
                problems=r.problems,
                status=ReturnStatus.APPROVED,
                submitted_at=_reported_at(r.month),
                approved_at=_reported_at(r.month),
            )
            for project, spec in zip(projects, specs, strict=True)
            for r in spec.returns
        ],
        batch_size=2000,
    )


def _write_services(specs: list[ProjectSpec], orgs: _Orgs) -> None:
    """One chunk through the services, as the console (CONSOLE) would write it."""
    save_projects([ProjectData(**_project_fields(spec, orgs)) for spec in specs], user=CONSOLE)  # type: ignore[arg-type]
    projects = Project.objects.in_bulk([spec.code for spec in specs], field_name="code")
    save_plans(
        [
            PlanData(
                project=projects[spec.code],
                year=YEAR,
                investment=spec.annual,
                monthly=list(spec.monthly),
                start_month=spec.start_month,
                completion_month=spec.completion_month,
            )
            for spec in specs
        ],
        user=CONSOLE,
        approve=True,
    )
    returns = [
        ReturnData(
            project=projects[spec.code],
            year=YEAR,
            month=r.month,
            investment=r.investment,
            physical_progress=r.physical_progress,
            started=r.started,
            completed=r.completed,
            problems=r.problems,
        )
        for spec in specs
        for r in spec.returns
    ]
    if returns:
        save_returns(returns, user=CONSOLE, approve=True, today=dt.date(YEAR + 1, 1, 15))


def generate(
    projects: int,
    *,
    months: int = DEFAULT_MONTHS,
    seed: int = DEFAULT_SEED,
    via: str = "bulk",
    reset: bool = False,
    analyze: bool = True,
    progress: Callable[[str], None] | None = None,
) -> GenerationReport:
    """Fill the database with N generated projects, their 2019 plans and approved returns for months 1..M.

    reset:   empty the register first (see `reset_data`); without it an existing register is refused.
    analyze: refresh the planner's statistics before the rollup and afterwards (VACUUM ANALYZE on
             PostgreSQL, ANALYZE on SQLite), as autovacuum would on a live server; this cannot
             run inside a transaction, so tests turn it off.
    """
    if via not in ("bulk", "services"):
        raise GeneratorError(f"未知的写入方式“{via}”，应为 bulk 或 services")
    say = progress or (lambda message: None)
    report = GenerationReport(projects=projects, months=months, seed=seed, via=via, backend=connection.vendor)
    specs = project_specs(projects, months=months, seed=seed)  # validates the arguments up front

    existing = Project.objects.count()
    if existing:
        if not reset:
            raise GeneratorError(f"数据库中已有{existing}个项目；请使用空数据库，或加 --reset 清空后再生成")
        started = time.perf_counter()
        reset_data()
        report.phases["reset"] = time.perf_counter() - started
        say(f"reset in {report.phases['reset']:.1f} s")

    started = time.perf_counter()
    write = _write_bulk if via == "bulk" else _write_services
    with transaction.atomic():
        orgs = _organisations(projects)
        _users(orgs)
        done = 0
        for chunk in _batched(specs, CHUNK):
            write(chunk, orgs)
            done += len(chunk)
            say(f"  {done:,} / {projects:,} projects written")
    report.phases["rows"] = time.perf_counter() - started

    if via == "bulk":
        if analyze:
            # Without statistics PostgreSQL plans the rollup's correlated subqueries badly (it
            # scans a whole month of returns per row: minutes instead of seconds at 10,000
            # projects). A live server has statistics; give the fresh tables theirs first.
            started = time.perf_counter()
            refresh_statistics()
            report.phases["statistics"] = time.perf_counter() - started
        started = time.perf_counter()
        with transaction.atomic():
            rollup.refresh(YEAR)
        report.phases["rollup"] = time.perf_counter() - started
        say(f"rollup refreshed in {report.phases['rollup']:.1f} s")

    if analyze:
        started = time.perf_counter()
        refresh_statistics()
        report.phases["analyze"] = time.perf_counter() - started

    report.counts = {
        "projects": Project.objects.count(),
        "plans": AnnualPlan.objects.filter(year=YEAR).count(),
        "plan lines": MonthlyPlan.objects.filter(plan__year=YEAR).count(),
        "returns": ProgressReturn.objects.filter(year=YEAR).count(),
        "rollup rows": ProjectMonth.objects.filter(year=YEAR).count(),
    }
    return report


def refresh_statistics() -> None:
    """Give the query planner fresh statistics (and PostgreSQL a vacuumed table) after a bulk load."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if connection.in_atomic_block:
                cursor.execute("ANALYZE")
            else:
                cursor.execute("VACUUM (ANALYZE)")
        else:
            cursor.execute("ANALYZE")


def _cleared_models() -> list[type]:
    """The tables `reset_data` empties: the register, and everything that refers to it."""
    cleared: set[type] = {
        ProjectMonth,
        ProgressReturn,
        MonthlyPlan,
        AnnualPlan,
        Project,
        Membership,
        AuditEntry,
        User,
        Organisation,
    }
    candidates = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]
    grown = True
    while grown:
        grown = False
        for model in candidates:
            if model in cleared:
                continue
            if any(f.remote_field and f.related_model in cleared for f in model._meta.concrete_fields):
                cleared.add(model)
                grown = True
    return sorted(cleared, key=lambda m: m._meta.db_table)


def reset_data() -> None:
    """Empty the register of a bench database: organisations, users, projects, plans, returns, rollup, audit.

    This bypasses the services (and the rule that audit rows are never deleted) on purpose:
    it is only for throwaway bench databases. Configurable lists (categories, stages …) stay.
    """
    tables = [connection.ops.quote_name(m._meta.db_table) for m in _cleared_models()]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses while deferred foreign-key checks are pending (rows written
            # earlier in the same transaction, as in the tests): run those checks first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            # Django's foreign keys are deferred, so the order of the deletes does not matter.
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")


def fingerprint() -> str:
    """A digest of the generated data that ignores ids and timestamps: equal digests, equal data."""
    digest = hashlib.sha256()

    def feed(rows: Iterable[tuple[object, ...]]) -> None:
        for row in rows:
            digest.update(repr(tuple(str(v) for v in row)).encode())
        digest.update(b"|")

    feed(
        Project.objects.order_by("code").values_list(
            "code",
            "name",
            "level",
            "category__code",
            "district__code",
            "responsible_unit__name",
            "owner__name",
            "agent_builder__name",
            "total_investment",
            "planned_start",
            "planned_completion",
            "stage__code",
        )
    )
    feed(
        AnnualPlan.objects.order_by("project__code", "year").values_list(
            "project__code", "year", "investment", "start_month", "completion_month", "status"
        )
    )
    feed(
        MonthlyPlan.objects.order_by("plan__project__code", "plan__year", "month").values_list(
            "plan__project__code", "plan__year", "month", "investment"
        )
    )
    feed(
        ProgressReturn.objects.order_by("project__code", "year", "month").values_list(
            "project__code",
            "year",
            "month",
            "investment",
            "started",
            "completed",
            "physical_progress",
            "problems",
            "status",
        )
    )
    feed(
        ProjectMonth.objects.order_by("project__code", "year", "month").values_list(
            "project__code",
            "year",
            "month",
            "annual_plan",
            "plan_month",
            "plan_to_date",
            "actual_month",
            "actual_to_date",
        )
    )
    return digest.hexdigest()

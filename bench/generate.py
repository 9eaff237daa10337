"""A deterministic generator of a programme at scale: N projects with years of plans and returns.

Everything is drawn from seeded `random.Random`s, project by project, so the same
(N, months, years, seed) always yields the same register, plans and returns, whatever the
database and however the rows are written.

Three ways to write the rows:

* `copy` (the default on PostgreSQL): COPY straight into the tables, ids numbered here
  (bench/copyload.py). A million projects with a year of plans and returns are some 21
  million rows: row inserts would take hours, COPY takes minutes.
* `bulk` (the default elsewhere): `bulk_create` straight into the tables. At 100,000
  projects the services' per-item checks, permission tests and audit entries would take
  most of the time, and they are not what the benchmarks measure (the figures read, and the
  import is benchmarked through the real command).
* `services`: the same specs through `save_projects`, `save_plans` and `save_returns`.
  Slow, but it proves the point: bench/test_generate.py checks that every way produces
  identical data.

After `copy` and `bulk` the rollups are filled by the metrics app's own set-based
recount of each year, so they end up exactly as the services would have left them.

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

from bench.copyload import Loader
from bench.sizes import GeneratorError, check_size
from keyproj.accounts.models import Membership, Role, User
from keyproj.core import clock, partitions
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
COPY_CHUNK = 20_000  # projects per round of COPY: some 400,000 rows a round, a few hundred MB at most

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
class YearSpec:
    """One project's approved plan for one year and its approved returns."""

    year: int
    annual: Decimal
    monthly: tuple[Decimal, ...]
    start_month: int | None
    completion_month: int | None
    returns: tuple[ReturnSpec, ...]


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
    earlier: tuple[YearSpec, ...] = ()  # the years before YEAR (--years), oldest first

    def years(self) -> tuple[YearSpec, ...]:
        """Every year's plan and returns, oldest first; the last is YEAR."""
        current = YearSpec(YEAR, self.annual, self.monthly, self.start_month, self.completion_month, self.returns)
        return (*self.earlier, current)


def first_year(years: int) -> int:
    """The K years end with YEAR, which the benchmarks read: 2017–2019 for --years 3."""
    return YEAR - years + 1


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


def _earlier_year(year: int, rng: random.Random) -> YearSpec:
    """A whole year before YEAR: a plan and twelve approved returns, at the same paces as YEAR."""
    annual = _plan_cents(rng)
    monthly = _split(annual, rng)
    idle = rng.random() < 0.05
    pace = rng.randint(80, 180)
    returns = tuple(
        ReturnSpec(
            month=month,
            investment=cents(0 if idle else monthly[month - 1] * pace // 100),
            started=not idle,
            completed=False,
            physical_progress="前期工作" if idle else rng.choice(PROGRESS),
            problems=rng.choice(PROBLEMS) if rng.random() < 0.1 else "",
        )
        for month in range(1, 13)
    )
    return YearSpec(year, cents(annual), tuple(cents(m) for m in monthly), None, None, returns)


def project_specs(
    projects: int, *, months: int = DEFAULT_MONTHS, seed: int = DEFAULT_SEED, years: int = 1
) -> Iterator[ProjectSpec]:
    """The N projects, in order; the same arguments always give the same projects.

    YEAR is drawn from `Random(seed)` exactly as with one year; each earlier year has a
    generator of its own, so adding years changes nothing of YEAR.
    """
    check_size(projects, months=months, years=years)
    rng = random.Random(seed)
    earlier = [(year, random.Random(f"{seed}:{year}")) for year in range(first_year(years), YEAR)]
    owners = owner_count(projects)
    for serial in range(1, projects + 1):
        district, district_name, _ = rng.choices(DISTRICTS, weights=[d[2] for d in DISTRICTS])[0]
        category = rng.choices(CATEGORIES, weights=[c[1] for c in CATEGORIES])[0][0]
        unit = rng.choices(UNIT_NAMES, weights=UNIT_WEIGHTS)[0]
        owner = owner_name(rng.randint(1, owners))
        agent = agent_name(rng.randint(1, AGENT_BUILDERS)) if rng.random() < 0.3 else None
        level = ProjectLevel.PROVINCIAL_MAJOR if rng.random() < 0.1 else ProjectLevel.CITY_KEY
        filed, industry, kind = rng.randint(YEAR - 4, YEAR), rng.randint(10, 99), rng.randint(1, 3)
        code = f"{filed}-{district}-{industry}-{kind:02d}-{serial % 1_000_000:06d}"

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
            earlier=tuple(_earlier_year(year, draw) for year, draw in earlier),
        )


@dataclass
class GenerationReport:
    """What was generated and how long each phase took (seconds)."""

    projects: int
    months: int
    seed: int
    via: str
    years: int
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


def _ensure(
    kind: str, names: Sequence[str], codes: dict[str, str] | None = None, loader: Loader | None = None
) -> dict[str, Organisation]:
    """Organisations of one kind by name, created in bulk (or by COPY, given a loader) where missing."""
    found = {o.name: o for o in Organisation.objects.filter(kind=kind, name__in=names)}
    missing = [
        # `order` is a small integer: 100,000 owners (a million projects) share its top value.
        Organisation(kind=kind, name=name, code=(codes or {}).get(name, ""), order=min(index, 32767))
        for index, name in enumerate(names, start=1)
        if name not in found
    ]
    if loader is not None:
        ids = loader.ids(Organisation, len(missing))
        rows = ((pk, o.kind, o.name, o.code, o.order) for pk, o in zip(ids, missing, strict=True))
        loader.copy(Organisation, ["id", "kind", "name", "code", "order"], rows)
        loader.reset_sequence(Organisation)  # the next organisations come through the ORM
    else:
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


def _organisations(projects: int, loader: Loader | None = None) -> _Orgs:
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
        owners=_ensure(OrgKind.OWNER, [owner_name(i) for i in range(1, owner_count(projects) + 1)], loader=loader),
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


def _reported_at(year: int, month: int) -> dt.datetime:
    """Returns come in on the 5th of the following month."""
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return timezone.make_aware(dt.datetime(year, month, 5, 9, 0))


def _write_bulk(specs: list[ProjectSpec], orgs: _Orgs) -> None:
    """One chunk straight into the tables (see the module docstring for why that is fair)."""
    projects = [Project(**_project_fields(spec, orgs)) for spec in specs]
    Project.objects.bulk_create(projects, batch_size=1000)
    if projects and projects[0].pk is None:  # a backend that does not return ids
        by_code = Project.objects.in_bulk([p.code for p in projects], field_name="code")
        projects = [by_code[p.code] for p in projects]
    pairs = [(project, year) for project, spec in zip(projects, specs, strict=True) for year in spec.years()]
    plans = [
        AnnualPlan(
            project=project,
            year=year.year,
            investment=year.annual,
            start_month=year.start_month,
            completion_month=year.completion_month,
            status=PlanStatus.APPROVED,
        )
        for project, year in pairs
    ]
    AnnualPlan.objects.bulk_create(plans, batch_size=1000)
    if plans and plans[0].pk is None:
        by_key = {
            (p.project_id, p.year): p
            for p in AnnualPlan.objects.filter(project__in=projects, year__in={y.year for _, y in pairs})
        }
        plans = [by_key[(project.pk, year.year)] for project, year in pairs]
    MonthlyPlan.objects.bulk_create(
        [
            MonthlyPlan(plan=plan, month=month, investment=amount)
            for plan, (_, year) in zip(plans, pairs, strict=True)
            for month, amount in enumerate(year.monthly, start=1)
        ],
        batch_size=2000,
    )
    ProgressReturn.objects.bulk_create(
        [
            ProgressReturn(
                project=project,
                year=year.year,
                month=r.month,
                investment=r.investment,
                physical_progress=r.physical_progress,
                started=r.started,
                completed=r.completed,
                problems=r.problems,
                status=ReturnStatus.APPROVED,
                submitted_at=_reported_at(year.year, r.month),
                approved_at=_reported_at(year.year, r.month),
            )
            for project, year in pairs
            for r in year.returns
        ],
        batch_size=2000,
    )


PROJECT_COLUMNS = [
    "id",
    "code",
    "name",
    "level",
    "category",
    "district",
    "responsible_unit",
    "owner",
    "agent_builder",
    "total_investment",
    "planned_start",
    "planned_completion",
    "stage",
]
PLAN_COLUMNS = ["id", "project", "year", "investment", "start_month", "completion_month", "status"]
LINE_COLUMNS = ["id", "plan", "month", "investment"]
RETURN_COLUMNS = [
    "id",
    "project",
    "year",
    "month",
    "investment",
    "physical_progress",
    "started",
    "completed",
    "problems",
    "status",
    "submitted_at",
    "approved_at",
]


def _write_copy(specs: list[ProjectSpec], orgs: _Orgs, loader: Loader) -> None:
    """One chunk by COPY, the same values `_write_bulk` writes, with ids numbered by the loader."""
    ids = loader.ids(Project, len(specs))
    ref = {
        "category": {k: c.pk for k, c in orgs.categories.items()},
        "district": {k: o.pk for k, o in orgs.districts.items()},
        "unit": {k: o.pk for k, o in orgs.units.items()},
        "owner": {k: o.pk for k, o in orgs.owners.items()},
        "agent": {k: o.pk for k, o in orgs.agents.items()},
        "stage": {k: s.pk for k, s in orgs.stages.items()},
    }
    loader.copy(
        Project,
        PROJECT_COLUMNS,
        (
            (
                pk,
                spec.code,
                spec.name,
                str(spec.level),
                ref["category"][spec.category],
                ref["district"][spec.district],
                ref["unit"][spec.unit],
                ref["owner"][spec.owner],
                ref["agent"][spec.agent_builder] if spec.agent_builder else None,
                spec.total_investment,
                spec.planned_start,
                spec.planned_completion,
                ref["stage"][spec.stage],
            )
            for pk, spec in zip(ids, specs, strict=True)
        ),
    )
    pairs = [(pk, year) for pk, spec in zip(ids, specs, strict=True) for year in spec.years()]
    plan_ids = loader.ids(AnnualPlan, len(pairs))
    approved = str(PlanStatus.APPROVED)
    loader.copy(
        AnnualPlan,
        PLAN_COLUMNS,
        (
            (plan, project, y.year, y.annual, y.start_month, y.completion_month, approved)
            for plan, (project, y) in zip(plan_ids, pairs, strict=True)
        ),
    )
    line_ids = iter(loader.ids(MonthlyPlan, 12 * len(pairs)))
    loader.copy(
        MonthlyPlan,
        LINE_COLUMNS,
        (
            (next(line_ids), plan, month, amount)
            for plan, (_, y) in zip(plan_ids, pairs, strict=True)
            for month, amount in enumerate(y.monthly, start=1)
        ),
    )
    return_ids = iter(loader.ids(ProgressReturn, sum(len(y.returns) for _, y in pairs)))
    status = str(ReturnStatus.APPROVED)
    reported = {(y, m): _reported_at(y, m) for y in {y.year for _, y in pairs} for m in range(1, 13)}
    loader.copy(
        ProgressReturn,
        RETURN_COLUMNS,
        (
            (
                next(return_ids),
                project,
                y.year,
                r.month,
                r.investment,
                r.physical_progress,
                r.started,
                r.completed,
                r.problems,
                status,
                reported[(y.year, r.month)],
                reported[(y.year, r.month)],
            )
            for project, y in pairs
            for r in y.returns
        ),
    )


LOADED = (Project, AnnualPlan, MonthlyPlan, ProgressReturn)


def _write_services(specs: list[ProjectSpec], orgs: _Orgs) -> None:
    """One chunk through the services, as the console (CONSOLE) would write it."""
    save_projects([ProjectData(**_project_fields(spec, orgs)) for spec in specs], user=CONSOLE)  # type: ignore[arg-type]
    projects = Project.objects.in_bulk([spec.code for spec in specs], field_name="code")
    pairs = [(projects[spec.code], year) for spec in specs for year in spec.years()]
    save_plans(
        [
            PlanData(
                project=project,
                year=year.year,
                investment=year.annual,
                monthly=list(year.monthly),
                start_month=year.start_month,
                completion_month=year.completion_month,
            )
            for project, year in pairs
        ],
        user=CONSOLE,
        approve=True,
    )
    returns = [
        ReturnData(
            project=project,
            year=year.year,
            month=r.month,
            investment=r.investment,
            physical_progress=r.physical_progress,
            started=r.started,
            completed=r.completed,
            problems=r.problems,
        )
        for project, year in pairs
        for r in year.returns
    ]
    if returns:
        save_returns(returns, user=CONSOLE, approve=True, today=dt.date(YEAR + 1, 1, 15))


def default_via() -> str:
    """COPY on PostgreSQL, bulk_create elsewhere."""
    return "copy" if connection.vendor == "postgresql" else "bulk"


def recount(year: int) -> None:
    """Fill the rollups of a year from its plans and approved returns, set-based, as the metrics app does."""
    rollup.rebuild(year)


def generate(
    projects: int,
    *,
    months: int = DEFAULT_MONTHS,
    seed: int = DEFAULT_SEED,
    years: int = 1,
    via: str | None = None,
    reset: bool = False,
    analyze: bool = True,
    progress: Callable[[str], None] | None = None,
) -> GenerationReport:
    """Fill the database with N generated projects, K years of plans and approved returns.

    The last year is YEAR (2019), with returns for months 1..M; the years before have all
    twelve. Then the rollups of every year are recounted.

    via:     copy (PostgreSQL only), bulk or services; by default copy on PostgreSQL, bulk elsewhere.
    reset:   empty the register first (see `reset_data`); without it an existing register is refused.
    analyze: refresh the planner's statistics before the rollup and afterwards (VACUUM ANALYZE on
             PostgreSQL, ANALYZE on SQLite), as autovacuum would on a live server; this cannot
             run inside a transaction, so tests turn it off.
    """
    via = via or default_via()
    if via not in ("copy", "bulk", "services"):
        raise GeneratorError(f"未知的写入方式“{via}”，应为 copy、bulk 或 services")
    if via == "copy" and connection.vendor != "postgresql":
        raise GeneratorError("COPY 写入只适用于 PostgreSQL；其他数据库请用 bulk")
    say = progress or (lambda message: None)
    report = GenerationReport(
        projects=projects, months=months, seed=seed, via=via, years=years, backend=connection.vendor
    )
    check_size(projects, months=months, years=years)
    specs = project_specs(projects, months=months, seed=seed, years=years)
    all_years = list(range(first_year(years), YEAR + 1))

    existing = Project.objects.count()
    if existing:
        if not reset:
            raise GeneratorError(f"数据库中已有{existing}个项目；请使用空数据库，或加 --reset 清空后再生成")
        started = time.perf_counter()
        reset_data()
        report.phases["reset"] = time.perf_counter() - started
        say(f"reset in {report.phases['reset']:.1f} s")

    # Each generated year gets its own partition before its rows arrive (PostgreSQL; nothing on
    # SQLite): otherwise they would all land in the default partition, and the benchmarks would
    # read one table of every year instead of the year's own, as a live server does.
    partitions.ensure_years(all_years)

    started = time.perf_counter()
    with transaction.atomic():
        loader = Loader(connection, stamp=clock.now()) if via == "copy" else None
        orgs = _organisations(projects, loader)
        _users(orgs)
        done = 0
        if loader is not None:
            with loader.without_foreign_keys(LOADED):
                for chunk in _batched(specs, COPY_CHUNK):
                    _write_copy(chunk, orgs, loader)
                    done += len(chunk)
                    say(f"  {done:,} / {projects:,} projects copied ({time.perf_counter() - started:.0f} s)")
                report.phases["rows"] = time.perf_counter() - started
                started = time.perf_counter()
            for model in LOADED:
                loader.reset_sequence(model)
            report.phases["keys"] = time.perf_counter() - started
        else:
            write = _write_bulk if via == "bulk" else _write_services
            for chunk in _batched(specs, CHUNK):
                write(chunk, orgs)
                done += len(chunk)
                say(f"  {done:,} / {projects:,} projects written")
            report.phases["rows"] = time.perf_counter() - started

    if via != "services":
        if analyze:
            # Without statistics PostgreSQL plans the rollup badly (a whole month of returns
            # scanned per row: minutes instead of seconds at 10,000 projects). A live server
            # has statistics; give the fresh tables theirs first.
            started = time.perf_counter()
            refresh_statistics()
            report.phases["statistics"] = time.perf_counter() - started
        started = time.perf_counter()
        for year in all_years:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    # The recount groups a year of rollup rows under every scope at once: with the
                    # default 4 MB that sort spills to disk. A bulk load may use more, for itself only.
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL work_mem = '512MB'")
                recount(year)
        report.phases["rollup"] = time.perf_counter() - started
        say(f"rollups recounted in {report.phases['rollup']:.1f} s")

    if analyze:
        started = time.perf_counter()
        refresh_statistics()
        report.phases["analyze"] = time.perf_counter() - started

    report.counts = {
        "projects": Project.objects.count(),
        "plans": AnnualPlan.objects.filter(year__in=all_years).count(),
        "plan lines": MonthlyPlan.objects.filter(plan__year__in=all_years).count(),
        "returns": ProgressReturn.objects.filter(year__in=all_years).count(),
        "rollup rows": ProjectMonth.objects.filter(year__in=all_years).count(),
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

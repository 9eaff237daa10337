"""The Xiamen 2019 programme, built in memory: 357 projects, their 2019 plans and returns.

Pure and deterministic: no database, no clock, and every random draw comes from
`random.Random` streams seeded with 2019 (one stream per concern, so that changing how
names are drawn does not reshuffle the money). The published totals are hit exactly by
largest-remainder allocation (keyproj.demo.allocate), never by nudging one project:

* annual plans add up to 11,927,000.00 万元 (1192.70亿元),
* their January–July lines to 5,953,100.00 万元 (595.31亿元),
* the approved January–July returns to 7,774,000.00 万元 (777.40亿元),

so that the 2019-07 summary reads exactly as the bureau's sentence in the seed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from keyproj.core.money import CENT, ZERO
from keyproj.demo.allocate import largest_remainder, split_money
from keyproj.demo.data import named, words
from keyproj.demo.data.organisations import AGENT_FIRMS, AREA_COMMANDS, DISTRICTS, RESPONSIBLE_UNITS, SOES

SEED = 2019
YEAR = 2019
REPORTED_MONTHS = 7  # returns are in for January–July
APPROVED_ON = dt.date(2019, 8, 10)  # the day the office approved the July returns
# The demo installation's business date (keyproj.core.clock): the day after the seed's last
# answer (2019-09-02). July is closed and published, August is open for returns, due on the 5th.
DEMO_DAY = dt.date(2019, 9, 3)

ANNUAL_TOTAL = Decimal("11927000.00")
PLAN_TO_DATE_TOTAL = Decimal("5953100.00")
ACTUAL_TO_DATE_TOTAL = Decimal("7774000.00")
PROJECT_COUNT = 357
# 乙类 firms take projects up to this total investment (万元): the default of the 代建 scope rule.
CLASS_B_CAP = 30_000
CATEGORY_COUNTS: dict[str, int] = {"industry": 120, "social": 85, "infrastructure": 97, "new_city": 55}

# Annual plans are set in tens of 万元 and monthly lines in whole 万元, as a plan is written;
# reported investment is exact to the cent.
PLAN_UNIT = Decimal("10")
LINE_UNIT = Decimal("1")

DISTRICT_CODES: dict[str, str] = {name: code for code, name in DISTRICTS}
DISTRICT_NAMES: tuple[str, ...] = tuple(name for _, name in DISTRICTS)
AREA_SHORT: dict[str, str] = {name: short for name, short, _ in AREA_COMMANDS}
AREA_DISTRICTS: dict[str, tuple[str, ...]] = {name: districts for name, _, districts in AREA_COMMANDS}
SOE_NAMES = frozenset(name for name, _ in SOES)
GOVERNMENT_KINDS = frozenset({"responsible_unit", "area_command", "district_bureau"})
SELF_BUILDING_OWNERS = frozenset({"厦门轨道交通集团有限公司", "福厦铁路有限责任公司"})

# The course of a generated project through 2019, and how often each occurs.
COURSES: tuple[tuple[str, int], ...] = (
    ("preparation", 11),  # not started; planned start in 2019
    ("construction", 50),  # under way since before 2019, finishing after it
    ("finishing", 10),  # under way, completion planned for August–December 2019
    ("new", 15),  # construction began in January–July 2019
    ("completed", 8),  # completed in January–July 2019
    ("in_use", 6),  # completed and in use; the 2019 plan is what remains to pay
)
COURSE_STAGES = {
    "preparation": "preparation",
    "construction": "construction",
    "finishing": "construction",
    "new": "construction",
    "completed": "completed",
    "in_use": "in_use",
}
# A typical year's monthly weights: slow January and February (Spring Festival), a strong end.
SEASON = (70, 45, 85, 95, 100, 100, 100, 105, 110, 115, 120, 135)

# How projects fare against their plan to date: (group, share in %, ratio range in %).
# "ahead" is not fixed: those projects share whatever the seed's total leaves.
PERFORMANCE: tuple[tuple[str, int, tuple[int, int]], ...] = (
    ("behind60", 8, (30, 57)),  # 完成序时进度 under 60 %: red-card material
    ("behind80", 10, (62, 78)),  # under 80 %: yellow-card material
    ("near", 17, (92, 112)),
    ("ahead", 65, (115, 200)),
)


@dataclass
class ReturnSpec:
    """One month's return as the owner would report it."""

    month: int
    investment: Decimal
    physical_progress: str
    started: bool
    completed: bool
    problems: str = ""


@dataclass
class ProjectSpec:
    """One project of the demo: its register facts, its 2019 plan and its returns."""

    name: str
    category: str
    district: str
    course: str
    planned_start: dt.date
    planned_completion: dt.date
    total_investment: Decimal
    responsible_unit: str
    owner: str
    owner_kind: str
    works: str
    level: str = "city_key"
    area_command: str = ""
    location: str = ""
    phrase: str = ""  # the seed's words for its state; only projects the seed names have them
    industry_digits: str = ""
    code: str = ""
    agent_builder: str = ""
    pipeline_batch: str = ""
    description: str = ""
    tracked: bool = False
    linked: bool = False
    performance: str = ""
    annual: Decimal = ZERO
    monthly: list[Decimal] = field(default_factory=list)
    returns: list[ReturnSpec] = field(default_factory=list)

    @property
    def stage(self) -> str:
        return COURSE_STAGES[self.course]

    @property
    def start_month(self) -> int | None:
        """The plan's start milestone, when it falls in 2019."""
        return self.planned_start.month if self.planned_start.year == YEAR else None

    @property
    def completion_month(self) -> int | None:
        """The plan's completion milestone, when it falls in 2019."""
        return self.planned_completion.month if self.planned_completion.year == YEAR else None

    @property
    def works_from(self) -> int:
        """The first month of 2019 with works (13 when none)."""
        if self.planned_start.year < YEAR:
            return 1
        return self.planned_start.month if self.planned_start.year == YEAR else 13

    @property
    def works_until(self) -> int:
        """The last month of 2019 before completion (0 when completed before 2019)."""
        if self.planned_completion.year > YEAR:
            return 12
        return self.planned_completion.month if self.planned_completion.year == YEAR else 0

    @property
    def has_started(self) -> bool:
        return self.course != "preparation"

    @property
    def plan_to_date(self) -> Decimal:
        return sum(self.monthly[:REPORTED_MONTHS], ZERO)

    @property
    def actual_to_date(self) -> Decimal:
        return sum((r.investment for r in self.returns), ZERO)


@dataclass
class Firm:
    """An agent-construction firm of the directory."""

    name: str
    grade: str
    specialties: tuple[str, ...]
    credit_code: str


@dataclass
class Programme:
    """Everything the loader writes."""

    projects: list[ProjectSpec]
    firms: list[Firm]
    owner_kinds: dict[str, str]  # every owner's name → organisation kind

    @property
    def busiest_firm(self) -> str:
        """The agent builder managing the most projects (the demo `agent` user works there)."""
        counts = Counter(p.agent_builder for p in self.projects if p.agent_builder)
        return min(counts, key=lambda name: (-counts[name], name))


def build(seed: int = SEED) -> Programme:
    """The whole programme, the same every time for the same seed."""

    def stream(purpose: str) -> random.Random:
        return random.Random(f"{seed}:{purpose}")

    projects = [_named(row) for row in named.NAMED_PROJECTS]
    taken = {p.name for p in projects}
    draw = stream("projects")
    for category, count in CATEGORY_COUNTS.items():
        for _ in range(count - sum(p.category == category for p in projects)):
            projects.append(_generated(category, draw, taken))
    firms = _firms(stream("firms"))
    _codes(projects, stream("codes"))
    _agents(projects, firms, stream("agents"))
    _register_details(projects, stream("details"))
    _plans(projects, stream("plans"))
    _actuals(projects, stream("actuals"))
    _returns(projects, stream("returns"))
    owner_kinds = {p.owner: p.owner_kind for p in projects}
    return Programme(projects=projects, firms=firms, owner_kinds=owner_kinds)


# --- the register -------------------------------------------------------------------------


def _month(text: str) -> dt.date:
    year, month = text.split("-")
    return dt.date(int(year), int(month), 1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _owner_kind(owner: str) -> str:
    if owner in SOE_NAMES:
        return "soe"
    if owner in RESPONSIBLE_UNITS:
        return "responsible_unit"
    if owner in AREA_SHORT:
        return "area_command"
    if owner.endswith("建设与交通局"):
        return "district_bureau"  # a district government's works bureau (an owner organisation)
    return "owner"


def _named(values: tuple) -> ProjectSpec:
    row = named.NamedProject(*values)
    stage = named.PHRASE_STAGES[row.phrase]
    if row.phrase in named.FINISHING:
        course = "finishing"
    elif row.phrase in named.STARTED_THIS_YEAR:
        course = "new"
    elif stage == "construction":
        course = "construction"
    else:
        course = stage
    return ProjectSpec(
        name=row.name,
        category=row.category,
        district=row.district,
        course=course,
        planned_start=_month(row.start),
        planned_completion=_month(row.completion),
        total_investment=Decimal(row.total_investment).quantize(Decimal("0.01")),
        responsible_unit=row.responsible_unit,
        owner=row.owner,
        owner_kind=_owner_kind(row.owner),
        works=row.works,
        level=row.level,
        area_command=row.area_command,
        location=row.location,
        phrase=row.phrase,
    )


def _amount(rng: random.Random, low: int, high: int) -> Decimal:
    """A total investment in 万元, in hundreds, skewed towards the small end as real lists are."""
    value = min(rng.randrange(low, high + 1, 100), rng.randrange(low, high + 1, 100))
    return Decimal(value).quantize(Decimal("0.01"))


def _course_dates(course: str, rng: random.Random) -> tuple[dt.date, dt.date]:
    if course == "preparation":
        # One in five should have started already: a zero return against a live plan.
        start = dt.date(YEAR, rng.randint(3, 7) if rng.random() < 0.2 else rng.randint(8, 12), 1)
        return start, _add_months(start, rng.randint(12, 36))
    if course == "construction":
        start = dt.date(rng.choice((2015, 2016, 2017, 2017, 2018, 2018, 2018)), rng.randint(1, 12), 1)
        return start, dt.date(rng.randint(2020, 2022), rng.randint(1, 12), 1)
    if course == "finishing":
        return dt.date(rng.randint(2016, 2018), rng.randint(1, 12), 1), dt.date(YEAR, rng.randint(8, 12), 1)
    if course == "new":
        start = dt.date(YEAR, rng.randint(1, 7), 1)
        return start, _add_months(start, rng.randint(14, 40))
    if course == "completed":
        return dt.date(rng.randint(2016, 2018), rng.randint(1, 12), 1), dt.date(YEAR, rng.randint(1, 7), 1)
    # in use: completed in 2018 or early 2019
    completion = _add_months(dt.date(2018, 1, 1), rng.randint(0, 15))
    return _add_months(completion, -rng.randint(18, 40)), completion


def _generated(category: str, rng: random.Random, taken: set[str]) -> ProjectSpec:
    """One more project of a category, with a name nobody has yet."""
    course = rng.choices([c for c, _ in COURSES], weights=[w for _, w in COURSES])[0]
    start, completion = _course_dates(course, rng)
    while True:
        if category == "industry":
            facts = _industry_facts(rng)
        elif category == "new_city":
            facts = _new_city_facts(rng)
        else:
            templates = words.SOCIAL_TEMPLATES if category == "social" else words.INFRASTRUCTURE_TEMPLATES
            facts = _template_facts(category, templates, rng)
        if facts["name"] not in taken:
            break
    taken.add(facts["name"])
    owner = facts["owner"]
    return ProjectSpec(
        category=category,
        course=course,
        planned_start=start,
        planned_completion=completion,
        owner_kind=_owner_kind(owner),
        **facts,
    )


def _industry_facts(rng: random.Random) -> dict:
    brand = rng.choice(words.BRAND_FIRST) + rng.choice(words.BRAND_SECOND)
    stem, suffix, works, digits, low, high, owner_word, units = rng.choice(words.INDUSTRY_PRODUCTS)
    district = rng.choices(DISTRICT_NAMES, weights=words.DISTRICT_WEIGHTS["industry"])[0]
    return {
        "name": f"{brand}{stem}{rng.choice(words.INDUSTRY_PHASES)}{suffix}",
        "district": district,
        "location": f"{district}{rng.choice(words.PLACES[district])}",
        "works": works,
        "industry_digits": digits,
        "total_investment": _amount(rng, low, high),
        "responsible_unit": rng.choice(units),
        "owner": f"厦门{brand}{owner_word}有限公司",
    }


def _owner(rule: str, district: str, area: str) -> str:
    if rule == "district":
        return f"{district}建设与交通局"
    if rule == "area":
        return area
    return rule


def _template_facts(category: str, templates: Sequence[tuple], rng: random.Random) -> dict:
    template, works, digits, low, high, unit, owner_rule, modifiers = rng.choice(templates)
    if "{river}" in template:
        river, district = rng.choice(words.RIVERS)
        place = river
    else:
        district = rng.choices(DISTRICT_NAMES, weights=words.DISTRICT_WEIGHTS[category])[0]
        place = rng.choice(words.PLACES[district])
    area = ""
    zones = [a for a, districts in AREA_DISTRICTS.items() if district in districts]
    if zones and rng.random() < 0.15:
        area = rng.choice(zones)
    return {
        "name": template.format(place=place, river=place) + rng.choice(modifiers),
        "district": district,
        "location": f"{district}{place}",
        "works": works,
        "industry_digits": digits,
        "total_investment": _amount(rng, low, high),
        "responsible_unit": unit,
        "owner": _owner(owner_rule, district, area),
        "area_command": area,
    }


def _new_city_facts(rng: random.Random) -> dict:
    template, works, digits, low, high, unit, owner_rule, modifiers = rng.choice(words.NEW_CITY_TEMPLATES)
    area = rng.choice(list(words.AREA_PLACES))
    place, district = rng.choice(words.AREA_PLACES[area])
    return {
        "name": template.format(area=AREA_SHORT[area], place=place) + rng.choice(modifiers),
        "district": district,
        "location": f"{district}{place}",
        "works": works,
        "industry_digits": digits,
        "total_investment": _amount(rng, low, high),
        "responsible_unit": unit,
        "owner": _owner(owner_rule, district, area),
        "area_command": area,
    }


# Characters and weights of the unified social credit code (GB 32100-2015) and of the
# organisation code inside it (GB 11714-1997).
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def credit_code(region: str, body: str) -> str:
    """A well-formed unified social credit code for an enterprise (登记管理部门9, 类别1)
    registered in `region`, whose organisation code starts with the eight digits `body`."""
    org_sum = sum(int(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    org_check = (11 - org_sum % 11) % 11
    org_code = body + ("X" if org_check == 10 else str(org_check))
    head = f"91{region}{org_code}"
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(head, _USCC_WEIGHTS, strict=True))
    return head + _USCC_CHARS[(31 - total % 31) % 31]


def credit_code_is_valid(code: str) -> bool:
    """Whether the last character of an 18-character code is its GB 32100 check character."""
    if len(code) != 18 or any(c not in _USCC_CHARS for c in code):
        return False
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(code[:17], _USCC_WEIGHTS, strict=True))
    return code[17] == _USCC_CHARS[(31 - total % 31) % 31]


def _firms(rng: random.Random) -> list[Firm]:
    bodies = rng.sample(range(10_000_000), len(AGENT_FIRMS))
    regions = [code for code, _ in DISTRICTS]
    return [
        Firm(name, grade, specialties, credit_code(rng.choice(regions), f"9{body:07d}"[:8]))
        for (name, grade, specialties), body in zip(AGENT_FIRMS, bodies, strict=True)
    ]


def _codes(projects: list[ProjectSpec], rng: random.Random) -> None:
    """National project codes YYYY-RRRRRR-DD-TT-NNNNNN: the year the code was assigned,
    the district, industry digits, 01 审批 / 02 核准 / 03 备案, and a serial."""
    serials = rng.sample(range(100_000, 1_000_000), len(projects))
    for project, serial in zip(projects, serials, strict=True):
        year = min(project.planned_start.year, YEAR) - rng.randint(0, 1)
        digits = project.industry_digits or words.WORKS[project.works][1]
        if project.owner_kind == "owner" and project.category == "industry":
            kind = "03"
        elif project.owner_kind == "soe":
            kind = "02"
        else:
            kind = "01"
        project.code = f"{year}-{DISTRICT_CODES[project.district]}-{digits}-{kind}-{serial:06d}"


def _agents(projects: list[ProjectSpec], firms: list[Firm], rng: random.Random) -> None:
    """Most government-funded projects are built by an agent firm qualified in their specialty;
    the larger ones go to 甲类 firms (乙类 firms are capped in what they may take on)."""
    for project in projects:
        if project.category == "industry" or project.owner in SELF_BUILDING_OWNERS:
            continue
        chance = 0.9 if project.owner_kind in GOVERNMENT_KINDS else 0.3
        if rng.random() >= chance:
            continue
        specialty = words.WORKS[project.works][0]
        qualified = [f for f in firms if specialty in f.specialties]
        if project.total_investment > CLASS_B_CAP:
            qualified = [f for f in qualified if f.grade == "A"] or qualified
        weights = [2 if f.grade == "A" else 3 for f in qualified]
        project.agent_builder = rng.choices(qualified, weights=weights)[0].name


def _register_details(projects: list[ProjectSpec], rng: random.Random) -> None:
    """Descriptions, “五个一批” batches, and who follows each project for the office."""
    batches = {
        "preparation": "sign",
        "new": "start",
        "finishing": "complete",
        "completed": "complete",
        "in_use": "operate",
        "construction": "start",
    }
    for project in projects:
        project.description = _description(project, rng)
        if project.phrase or rng.random() < 0.45:
            batch = batches[project.course]
            if project.course == "preparation" and project.planned_start.month <= 9:
                batch = "start"
            project.pipeline_batch = batch
        # Every project the seed names has a tracker; about half of the rest so far.
        project.tracked = bool(project.phrase) or rng.random() < 0.5
        project.linked = project.level == "provincial_major" or rng.random() < 0.06


def _description(project: ProjectSpec, rng: random.Random) -> str:
    size = project.total_investment * rng.randint(80, 120) / 100 / words.UNIT_COSTS[project.works]
    one_place = Decimal("0.1")
    figures = {
        "area": max(size, one_place).quantize(one_place),
        "km": max(size, one_place).quantize(one_place),
        "hectares": max(int(size), 1),
        "berths": max(int(size), 1),
        "classes": max(int(size * 8), 12),
        "beds": max(int(size * 40) // 10 * 10, 50),
        "homes": max(int(size * 120) // 10 * 10, 100),
        "stations": max(int(size / Decimal("1.4")), 2),
    }
    return words.WORKS[project.works][3].format(**figures)


# --- the money ----------------------------------------------------------------------------

# How large a share of its total investment a project plans for 2019, in %.
_ANNUAL_SHARE = {
    "preparation": (4, 12),
    "construction": (14, 35),
    "finishing": (12, 30),
    "new": (10, 25),
    "completed": (4, 12),
    "in_use": (1, 5),
}


def _profile(project: ProjectSpec, rng: random.Random) -> list[int]:
    """Monthly weights of a project's 2019 plan: nothing before works begin, the season's
    rhythm while they go on, and a thin tail of settlement after completion."""
    weights = []
    for month in range(1, 13):
        base = SEASON[month - 1]
        if month < project.works_from:
            weights.append(0)
        elif month <= project.works_until:
            weights.append(base * rng.randint(85, 115))
        else:
            weights.append(base * rng.randint(4, 15))
    return weights


def _plans(projects: list[ProjectSpec], rng: random.Random) -> None:
    """Annual plans adding up to ANNUAL_TOTAL, their January–July lines to PLAN_TO_DATE_TOTAL."""
    profiles = [_profile(p, rng) for p in projects]
    weights = []
    for project, profile in zip(projects, profiles, strict=True):
        low, high = _ANNUAL_SHARE[project.course]
        months = sum(1 for w in profile if w)
        weights.append(int(project.total_investment) * rng.randint(low, high) * months)
    # Every plan gets at least one unit, so that even a project in use has a line to report against.
    units = int(ANNUAL_TOTAL / PLAN_UNIT)
    annual = [(PLAN_UNIT * (1 + n)).quantize(CENT) for n in largest_remainder(units - len(projects), weights)]

    # The natural January–July part of each plan, then moved evenly towards the seed's total:
    # projects with work on both sides of July give or take in proportion to their room.
    natural: list[Fraction] = []
    adjustable: list[int] = []
    for i, profile in enumerate(profiles):
        before, after = sum(profile[:REPORTED_MONTHS]), sum(profile[REPORTED_MONTHS:])
        natural.append(Fraction(annual[i]) * before / (before + after))
        if before and after:
            adjustable.append(i)
    gap = Fraction(PLAN_TO_DATE_TOTAL) - sum(natural)
    if gap >= 0:
        room = [Fraction(annual[i]) - natural[i] for i in adjustable]
    else:
        room = [natural[i] for i in adjustable]
    if abs(gap) > sum(room):
        raise ValueError("the plan profiles cannot reach the January–July total")
    # The others plan all of the year on one side of July: their part is already whole.
    to_date = list(natural)
    fixed = sum((natural[i] for i in set(range(len(projects))) - set(adjustable)), Fraction(0))
    scale = gap / sum(room)
    targets = [natural[i] + scale * r for i, r in zip(adjustable, room, strict=True)]
    movable = int((Fraction(PLAN_TO_DATE_TOTAL) - fixed) / Fraction(LINE_UNIT))
    for i, share in zip(adjustable, largest_remainder(movable, targets), strict=True):
        to_date[i] = Fraction(share) * Fraction(LINE_UNIT)

    for i, (project, profile) in enumerate(zip(projects, profiles, strict=True)):
        early = Decimal(int(to_date[i])).quantize(CENT)
        project.annual = annual[i]
        project.monthly = split_money(early, profile[:REPORTED_MONTHS], LINE_UNIT) + split_money(
            annual[i] - early, profile[REPORTED_MONTHS:], LINE_UNIT
        )


def _ratio(rng: random.Random, bounds: tuple[int, int]) -> Fraction:
    return Fraction(rng.randint(*bounds), 100)


def _actuals(projects: list[ProjectSpec], rng: random.Random) -> None:
    """Decide how each project fared, so that the approved returns add up to ACTUAL_TO_DATE_TOTAL.

    Lagging and on-plan projects keep their drawn ratio exactly; the projects ahead of plan
    share the rest, so the red- and yellow-card subjects stay below their thresholds.
    """
    groups = [(g, share) for g, share, _ in PERFORMANCE]
    bounds = {g: b for g, _, b in PERFORMANCE}
    fixed: dict[int, Decimal] = {}
    ahead: list[tuple[int, Fraction]] = []
    for i, project in enumerate(projects):
        plan = project.plan_to_date
        if not project.has_started or plan == 0:
            project.performance = "idle"
            fixed[i] = ZERO
            continue
        if project.phrase:
            # The seed holds its named projects up as progress: none of them lags.
            group = "ahead" if rng.random() < 0.8 else "near"
        elif project.course in ("completed", "in_use"):
            group = "near" if rng.random() < 0.6 else "ahead"
        else:
            group = rng.choices([g for g, _ in groups], weights=[w for _, w in groups])[0]
        project.performance = group
        ratio = _ratio(rng, bounds[group])
        if group == "ahead":
            ahead.append((i, Fraction(plan) * ratio))
        else:
            cents = int(Fraction(plan) * ratio * 100)
            fixed[i] = Decimal(cents) / 100
    remaining = ACTUAL_TO_DATE_TOTAL - sum(fixed.values(), ZERO)
    amounts = dict(fixed)
    for (i, _), amount in zip(ahead, split_money(remaining, [w for _, w in ahead]), strict=True):
        amounts[i] = amount
    for i, project in enumerate(projects):
        project.returns = [
            ReturnSpec(month=m, investment=ZERO, physical_progress="", started=False, completed=False)
            for m in range(1, REPORTED_MONTHS + 1)
        ]
        _spread(project, amounts[i], rng)


def _spread(project: ProjectSpec, amount: Decimal, rng: random.Random) -> None:
    """Spread a project's January–July actual over the months it worked, with some noise."""
    weights = []
    for month in range(1, REPORTED_MONTHS + 1):
        base = SEASON[month - 1] * rng.randint(70, 130)
        if month < project.works_from or not project.has_started:
            weights.append(0)
        elif month <= project.works_until:
            weights.append(base)
        else:
            weights.append(base // 10)
    if amount and not any(weights):
        raise ValueError(f"{project.name}: investment reported in no month")
    for ret, value in zip(project.returns, split_money(amount, weights), strict=True):
        ret.investment = value


# --- what the returns say -----------------------------------------------------------------


def _months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def _returns(projects: list[ProjectSpec], rng: random.Random) -> None:
    """Milestone flags, a physical-progress sentence and any problems, consistent with the stage."""
    for project in projects:
        floors = rng.randint(*words.FLOORS.get(project.works, (1, 1)))
        finished = rng.choice(words.IN_USE_SENTENCES if project.course == "in_use" else words.COMPLETED_SENTENCES)
        lagging = project.performance in ("behind60", "behind80") or (
            project.course == "preparation" and project.planned_start.month <= REPORTED_MONTHS
        )
        troubles = "；".join(rng.sample(words.PROBLEMS, rng.randint(1, 2))) if lagging else ""
        duration = max(_months_between(project.planned_start, project.planned_completion), 1)
        pace = {"ahead": 105, "near": 100, "behind80": 85, "behind60": 70}.get(project.performance, 100)
        for ret in project.returns:
            month = ret.month
            ret.started = project.has_started and month >= project.works_from
            done = project.course in ("completed", "in_use") and month > project.works_until - 1
            ret.completed = done and ret.started
            if not ret.started:
                ret.physical_progress = _preparing(project, month)
            elif ret.completed:
                ret.physical_progress = finished
            else:
                elapsed = _months_between(project.planned_start, dt.date(YEAR, month, 1)) + 1
                percent = min(elapsed * pace // duration, 99)
                if project.course == "finishing":
                    # The seed's 即将竣工 / 收尾 projects are in their last works by July.
                    percent = max(percent, 91 - (REPORTED_MONTHS - month))
                percent = max(percent, 1)
                ret.physical_progress = _progress(project, percent, floors)
            if troubles and month >= REPORTED_MONTHS - 2:
                ret.problems = troubles


def _preparing(project: ProjectSpec, month: int) -> str:
    steps = words.PREPARATION_STEPS
    months_left = project.planned_start.month - month if project.planned_start.year == YEAR else 12
    step = steps[min(len(steps) - 1, max(0, len(steps) - 1 - months_left))]
    if project.course == "preparation" and months_left < 0:
        return f"前期工作：{step}，计划开工时间已过，尚未开工"
    return f"前期工作：{step}"


def _progress(project: ProjectSpec, percent: int, floors: int) -> str:
    ladder = words.LADDERS[words.WORKS[project.works][2]]
    phase = next(text for below, text in ladder if percent < below)
    phase = phase.format(floor=max(1, percent * floors // 60))
    return f"{phase}，累计完成总工程量约{percent}%"

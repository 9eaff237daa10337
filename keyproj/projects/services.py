"""Changes to the project register. Pages, API, import and demo all come through here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from keyproj.accounts.permissions import can_manage_projects, can_report
from keyproj.core import audit, geo
from keyproj.core.audit import ConflictError
from keyproj.core.changes import ChangeCount
from keyproj.core.errors import Reason, Refused, created_alone
from keyproj.core.money import round2
from keyproj.orgs.models import Organisation, OrgKind
from keyproj.projects import extensions
from keyproj.projects.codes import code_problem
from keyproj.projects.models import Category, PipelineBatch, Project, ProjectLevel, Stage

_NOT_FACTS = {"only", "expected_version"}


@dataclass
class ProjectData:
    """A project's facts as the projects workbook (and the form) gives them."""

    code: str
    name: str
    level: str
    category: Category
    district: Organisation
    responsible_unit: Organisation
    owner: Organisation
    total_investment: Decimal
    agent_builder: Organisation | None = None
    agent_specialty: Any = None  # the agents.Specialty its agent builder must hold
    area_command: Organisation | None = None
    planned_start: dt.date | None = None
    planned_completion: dt.date | None = None
    stage: Stage | None = None
    pipeline_batch: PipelineBatch | None = None
    description: str = ""
    location: str = ""
    # The point, WGS-84 (read_point converts what was typed); both or neither.
    lng: Decimal | None = None
    lat: Decimal | None = None
    tracker: Any = None
    liaison_leader: Any = None
    # The facts this data speaks for. An existing project's other facts are left as they are,
    # so that a workbook without a 跟踪人 column does not clear the trackers set on the pages.
    only: frozenset[str] | None = None
    # The version the editor started from (a form); a project saved since then is not overwritten.
    expected_version: int | None = None

    def __post_init__(self) -> None:
        self.total_investment = round2(self.total_investment)

    def values(self) -> dict[str, Any]:
        """Every fact, for a new project."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _NOT_FACTS}

    def given(self) -> dict[str, Any]:
        """The facts to write onto an existing project."""
        values = self.values()
        return values if self.only is None else {k: v for k, v in values.items() if k in self.only or k == "code"}


def check_project(data: ProjectData) -> list[Reason]:
    """Every problem with one project's data (the column label, what is wrong)."""
    problems: list[Reason] = []
    if message := code_problem(data.code):
        problems.append(Reason("项目代码", message))
    if not data.name.strip():
        problems.append(Reason("项目名称", "不能为空"))
    if data.level not in ProjectLevel.values:
        problems.append(Reason("项目级别", f"“{data.level}”不是省重大或市重点"))
    if data.district.kind != OrgKind.DISTRICT:
        problems.append(Reason("所属区", f"“{data.district}”不是区"))
    if data.total_investment < 0:
        problems.append(Reason("总投资(万元)", "不能为负数"))
    if data.planned_start and data.planned_completion and data.planned_completion < data.planned_start:
        problems.append(Reason("计划竣工", "早于计划开工"))
    if data.only is None or {"lng", "lat"} & data.only:
        if (data.lng is None) != (data.lat is None):
            problems.append(Reason(LAT if data.lat is None else LNG, "经度和纬度须同时填写"))
        elif data.lng is not None and data.lat is not None and data.district.kind == OrgKind.DISTRICT:
            problems.extend(point_problems(data.lng, data.lat, data.district))
    return problems


# -- the project's point -----------------------------------------------------------------------
LNG, LAT, CRS = "经度", "纬度", "坐标系"


def _number(raw: Any, label: str, low: int, high: int, problems: list[Reason]) -> Decimal | None:
    if isinstance(raw, bool):
        problems.append(Reason(label, "不是数字"))
        return None
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        problems.append(Reason(label, f"“{raw}”不是数字"))
        return None
    if not value.is_finite():
        problems.append(Reason(label, f"“{raw}”不是数字"))
        return None
    if not low <= value <= high:
        problems.append(Reason(label, f"应在{low}到{high}之间"))
        return None
    return value


def read_point(lng: Any, lat: Any, crs: Any = geo.WGS84) -> tuple[tuple[Decimal, Decimal] | None, list[Reason]]:
    """A typed point (numbers or text, in `crs`) as a stored WGS-84 point, or None when both are blank.

    Only the values are judged here (numbers, on the globe, a known system); where the point
    lies is point_problems' question.
    """
    blank = [value is None or str(value).strip() == "" for value in (lng, lat)]
    if all(blank):
        return None, []
    problems: list[Reason] = []
    system = geo.parse_crs(crs)
    if system is None:
        problems.append(Reason(CRS, f"“{crs}”不是WGS-84或GCJ-02"))
    if any(blank):
        problems.append(Reason(LAT if blank[1] else LNG, "经度和纬度须同时填写"))
        return None, problems
    x = _number(lng, LNG, -180, 180, problems)
    y = _number(lat, LAT, -90, 90, problems)
    if problems or x is None or y is None or system is None:
        return None, problems
    wlng, wlat = geo.convert(float(x), float(y), system, geo.WGS84)
    return (geo.quantize(wlng), geo.quantize(wlat)), []


def point_problems(lng: Decimal, lat: Decimal, district: Organisation) -> list[Reason]:
    """Why a WGS-84 point cannot be this district's project's: outside the city, or in another district."""
    try:
        boundary = geo.load_boundary()
    except geo.BoundaryUnavailable:
        return [Reason(LNG, "系统未配置城市边界，暂不能设置坐标")]
    own = boundary.by_code(district.code) if district.code else None
    x, y = geo.convert(float(lng), float(lat), geo.WGS84, boundary.crs)
    if own is not None and own.contains(x, y):
        return []  # on a border shared with a neighbour too: it is this district's as well
    found = boundary.district_at(float(lng), float(lat), geo.WGS84)
    if found is None:
        city = boundary.city or "本市"
        return [Reason(LNG, f"该点不在{city}范围内（可能在海上）")]
    if own is not None:
        return [Reason(LNG, f"该点位于{found.name}，而项目所属区为{district.name}")]
    return []  # a district the boundary does not draw: the city is all that can be checked


def can_set_location(user: Any, project: Project) -> bool:
    """The point is set by the office, or by those who report the project (its owner, its agent
    builder): they know where the site is, and their photos are measured against it."""
    return can_manage_projects(user) or can_report(user, project)


def set_location(
    project: Project, *, lng: Any, lat: Any, crs: Any = geo.WGS84, user: Any, expected_version: int | None = None
) -> Project:
    """Set (or, with both blank, clear) the project's point; stored in WGS-84.

    Refused with every reason: not numbers, off the globe, an unknown coordinate system,
    outside the city, or in another district than the project's.
    """
    if not can_set_location(user, project):
        raise PermissionDenied("只有重点办、项目业主或代建单位可以设置项目坐标")
    point, problems = read_point(lng, lat, crs)
    if point is not None:
        problems = point_problems(*point, project.district)
    if problems:
        raise Refused(problems)
    new_lng, new_lat = point if point is not None else (None, None)
    if (project.lng, project.lat) == (new_lng, new_lat):
        return project
    with transaction.atomic():
        before = audit.snapshot(project)
        project.lng, project.lat = new_lng, new_lat
        audit.bump_version(project, expected_version, ["lng", "lat"])
        audit.log(project, "project.locate", user=user, before=before)
    return project


def registered_problems(pairs: list[tuple[ProjectData, Project | None]]) -> list[Reason]:
    """What the checks registered by the apps above (the 代建 scope rules) find in the facts about
    to be written, the whole batch at once: all of them for a new project, the given ones for an
    existing project."""
    facts = [(data.values() if project is None else data.given(), project) for data, project in pairs]
    return [Reason(*found) for check in extensions.checks() for found in check(facts)]


def _changed(project: Project, data: ProjectData) -> dict[str, Any]:
    """The facts that differ. Relations are compared by id, so no related row is fetched."""
    changed = {}
    for name, value in data.given().items():
        if _is_fk(name):
            differs = getattr(project, f"{name}_id") != (value.pk if value is not None else None)
        else:
            differs = getattr(project, name) != value
        if differs:
            changed[name] = value
    return changed


def save_projects(items: list[ProjectData], *, user: Any) -> ChangeCount:
    """Create or update projects by code, in one transaction; refused whole on any problem."""
    if not can_manage_projects(user):
        raise PermissionDenied("只有重点办可以维护项目库")
    problems = [Reason(p.field, f"{item.code}: {p.message}") for item in items for p in check_project(item)]
    if problems:
        raise Refused(problems)
    count = ChangeCount()
    with transaction.atomic():
        existing = Project.objects.in_bulk([item.code for item in items], field_name="code")
        # The registered checks (代建 scope rules: a firm newly put on a project must be allowed to take it).
        if registered := registered_problems([(item, existing.get(item.code)) for item in items]):
            raise Refused(registered)
        if stranded := _stranded_points(items, existing):
            raise Refused(stranded)
        created: list[Project] = []
        # Projects moving to another district, unit, area command or category: the figures of
        # the scopes they leave and join are told before and after (metrics keeps them by scope).
        relinked = sorted(
            project.pk
            for item in items
            if (project := existing.get(item.code)) is not None
            and extensions.LINK_FIELDS & _changed(project, item).keys()
        )
        if relinked:
            extensions.links_changing.send(sender=Project, project_ids=relinked)
        for item in items:
            project = existing.get(item.code)
            if project is None:
                created.append(Project(**item.values()))
                continue
            changes = _changed(project, item)
            if item.expected_version is not None and item.expected_version != project.version:
                raise ConflictError(project)
            if not changes:
                count.unchanged += 1
                continue
            before = audit.snapshot(project)
            for name, value in changes.items():
                setattr(project, name, value)
            audit.bump_version(
                project, item.expected_version, [f"{name}_id" if _is_fk(name) else name for name in changes]
            )
            audit.log(project, "project.update", user=user, before=before)
            count.updated += 1
        if relinked:
            extensions.links_changed.send(sender=Project, project_ids=relinked)
        with created_alone("项目"):
            Project.objects.bulk_create(created, batch_size=1000)
        if created and created[0].pk is None:  # SQLite before 3.35 does not return ids
            ids = Project.objects.in_bulk([p.code for p in created], field_name="code")
            created = [ids[p.code] for p in created]
        audit.log_many(((p, None) for p in created), "project.create", user=user)
        count.created = len(created)
    return count


def _stranded_points(items: list[ProjectData], existing: dict[str, Project]) -> list[Reason]:
    """Projects moved to another district whose kept point is not in it: the point must move too.

    A point given with the move was checked with the rest (check_project); this is the point
    the register already holds, which the data does not speak for.
    """
    problems: list[Reason] = []
    for item in items:
        project = existing.get(item.code)
        given = item.given()
        if project is None or project.lng is None or project.lat is None or {"lng", "lat"} & given.keys():
            continue
        if "district" not in given or item.district.pk == project.district_id:
            continue
        for problem in point_problems(project.lng, project.lat, item.district):
            problems.append(
                Reason(
                    problem.field, f"{item.code}: 已有坐标不在新的所属区内（{problem.message}），请同时修改或清除坐标"
                )
            )
    return problems


def _is_fk(name: str) -> bool:
    return Project._meta.get_field(name).is_relation


_LOCK_CHUNK = 500  # ids per statement: SQLite takes a limited number of parameters


def lock_projects(project_ids: Iterable[int]) -> None:
    """Take these projects' rows for the rest of the transaction, in id order.

    A change whose figures span several years refreshes each year's rollup in turn, and each
    refresh locks its own projects before it touches the rows every approval shares (the
    city's, a district's totals). Locking them all at once, first, keeps the order the same as
    a single approval's (projects, then those rows), so the two can never wait on each other.
    """
    ids = sorted(set(project_ids))
    for start in range(0, len(ids), _LOCK_CHUNK):
        chunk = ids[start : start + _LOCK_CHUNK]
        list(Project.objects.select_for_update().filter(pk__in=chunk).order_by("pk").values_list("pk", flat=True))

"""Import the three workbooks: validate the whole file, then write it through the services.

`import_workbook` is the one entry point (command line, upload page, benchmarks). It never
raises for bad input: every problem comes back as a `RowError` whose text is
`第N行 列名: 说明`, and nothing is written unless the whole file is right. The writing is
done by `save_projects` / `save_plans` / `save_returns` (which audit and keep the rollup in
step) inside one transaction, so a refusal there undoes everything, new organisations
included.

Lookups are made in bulk (projects by code, organisations by name, the rule lists once),
never per row: a 10,000-row returns file costs a handful of queries before the writing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from keyproj.accounts.permissions import can_manage_projects, can_plan, can_report, is_console, is_office
from keyproj.core import clock
from keyproj.core.audit import ConflictError
from keyproj.core.changes import ChangeCount
from keyproj.core.context import current_request_id, request_id
from keyproj.core.errors import Reason, Refused
from keyproj.core.money import ZERO
from keyproj.core.scoping import PROJECT_ORG_FIELDS
from keyproj.core.workbooks import cells
from keyproj.core.workbooks.formats import Column, Format, Kind
from keyproj.core.workbooks.reader import Sheet, Source, WorkbookError, is_blank, read_sheet
from keyproj.exchange.formats import BLANK_IS_ZERO, FORMATS, PLANS, PROJECTS, RETURNS
from keyproj.orgs.models import Organisation, OrgKind
from keyproj.orgs.services import ensure_organisations
from keyproj.plans.models import AnnualPlan
from keyproj.plans.services import PlanData, check_plan, save_plans
from keyproj.projects.codes import code_problem
from keyproj.projects.models import Category, Project, ProjectLevel, Stage
from keyproj.projects.querysets import UnknownProject
from keyproj.projects.services import ProjectData, check_project, read_point, save_projects
from keyproj.returns.models import ProgressReturn, ReturnStatus
from keyproj.returns.services import REPORTED, ReturnData, check_return, completion_drops, save_returns

logger = logging.getLogger(__name__)

_CHUNK = 900  # ids or codes per IN (…) list: under SQLite's bound-parameter limit


@dataclass(frozen=True)
class RowError:
    """One problem with the file: its Excel row (None for the file as a whole) and column."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row is not None else ""
        if self.column:
            return f"{where} {self.column}: {self.message}".lstrip()
        return f"{where}: {self.message}" if where else self.message


@dataclass
class ImportResult:
    """What an import did (count) or why it did nothing (errors)."""

    kind: str
    rows: int = 0
    count: ChangeCount | None = None
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def lines(self) -> list[str]:
        """The errors as the command prints them, one `第N行 列名: 说明` each."""
        return [str(error) for error in self.errors]


def import_workbook(
    kind: str,
    source: Source,
    *,
    user: Any,
    dry_run: bool = False,
    approve: bool = False,
    today: dt.date | None = None,
) -> ImportResult:
    """Validate a projects, plans or returns workbook whole, then write it (unless dry_run).

    user:    whose scope and rights apply; CONSOLE (or None) is the console operator (full rights).
    approve: plans become approved baselines, returns approved (counted at once); the office only.
    today:   the day that decides which months have ended (returns); today by default.
    Returns imported without approve are submitted.
    """
    if kind not in FORMATS:
        raise ValueError(f"unknown workbook kind {kind!r}")
    result = ImportResult(kind=kind, dry_run=dry_run)
    try:
        sheet = read_sheet(source, FORMATS[kind])
    except WorkbookError as error:
        result.errors = [RowError(None, "", str(error))]
        return result
    result.rows = len(sheet.rows)
    if sheet.problems:
        result.errors = [RowError(1, p.column, p.message) for p in sheet.problems]
        return result
    importer = _IMPORTERS[kind](sheet, user=user, approve=approve, today=today)
    with request_id(current_request_id() or None, prefix="import"):
        importer.validate()
        if importer.errors:
            result.errors = importer.sorted_errors()
            return result
        try:
            with transaction.atomic():
                result.count = importer.write()
                if dry_run:
                    transaction.set_rollback(True)
        except Refused as refused:
            result.errors = [RowError(None, p.field, p.message) for p in refused.problems]
        except PermissionDenied as denied:
            result.errors = [RowError(None, "", str(denied) or "没有权限执行此导入")]
        except (ConflictError, IntegrityError):
            # Someone changed the same records while this file was being checked.
            logger.warning("import of %s refused by the database", kind, exc_info=True)
            result.errors = [RowError(None, "", "导入期间数据已被他人修改，未写入任何数据，请重新导入")]
    if result.errors:
        result.count = None
    return result


_INVALID = object()  # a cell whose error has been reported; the row is not built


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    items = sorted(set(values))
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _visible_projects(user: Any) -> Any:
    # A project outside the user's scope reads as unknown: its existence is not revealed.
    return Project.objects.all() if is_console(user) else Project.objects.visible_to(user)


# What plans and returns need of a project: its code and name (messages, audit) and the
# organisations that decide who may plan or report it. Loading no more keeps 10,000 rows cheap.
_PROJECT_FIELDS = ("code", "name", "level", *PROJECT_ORG_FIELDS)


def _projects_by_code(codes: Iterable[str], user: Any) -> dict[str, Project]:
    """The projects with these codes that the user may see, with only what plans and returns need."""
    projects = _visible_projects(user).only(*_PROJECT_FIELDS)
    found: dict[str, Project] = {}
    for chunk in _chunks(codes):
        found.update((p.code, p) for p in projects.filter(code__in=chunk))
    return found


class _Import:
    """Validation and writing shared by the three workbooks."""

    fmt: Format

    def __init__(self, sheet: Sheet, *, user: Any, approve: bool, today: dt.date | None) -> None:
        self.sheet = sheet
        self.user = user
        self.approve = approve
        self.today = today or clock.today()  # once, not per row
        self.errors: list[RowError] = []
        self.columns = {c.key: c for c in self.fmt.columns}
        self._order = {c.label: i for i, c in enumerate(self.fmt.columns)}

    # -- reporting ---------------------------------------------------------------
    def fail(self, row: int | None, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))

    def sorted_errors(self) -> list[RowError]:
        """File-wide errors first, then by row and the column's place in the workbook."""
        unique = list(dict.fromkeys(self.errors))
        return sorted(unique, key=lambda e: (e.row or 0, self._order.get(e.column, len(self._order))))

    def report(self, row: int, problems: list[Reason]) -> None:
        for problem in problems:
            self.fail(row, problem.field, problem.message)

    # -- cells -------------------------------------------------------------------
    def read(self, row: int, values: list[Any], key: str) -> Any:
        """The cell of `key` in a row, converted; None when blank and optional; _INVALID on error."""
        column = self.columns[key]
        raw = self.sheet.value(values, key)
        if is_blank(raw):
            if key in BLANK_IS_ZERO:
                return ZERO
            if column.required:
                self.fail(row, column.label, "不能为空")
                return _INVALID
            return None
        try:
            return _READERS[column.kind](raw, column)
        except cells.CellError as error:
            self.fail(row, column.label, str(error))
            return _INVALID

    def read_row(self, row: int, values: list[Any]) -> dict[str, Any]:
        """Every column of a row, converted; a wrong cell is _INVALID (and reported)."""
        record = {key: self.read(row, values, key) for key in self.columns}
        code = record["code"]
        if code is not _INVALID and (problem := code_problem(code)):
            self.fail(row, self.columns["code"].label, problem)
            record["code"] = _INVALID
        return record

    def read_rows(self) -> list[tuple[int, dict[str, Any]]]:
        return [(row, self.read_row(row, values)) for row, values in self.sheet.rows]

    def duplicate(self, row: int, key: tuple[Any, ...], seen: dict[Any, int], what: str) -> bool:
        """Whether an earlier row has the same key (reported); keys with a wrong part are skipped."""
        if any(part is _INVALID for part in key):
            return False
        first = seen.setdefault(key, row)
        if first != row:
            self.fail(row, self.columns["code"].label, f"与第{first}行重复（{what}）")
            return True
        return False

    def lookup(self, row: int, key: str, value: Any, table: dict[str, Any], choices: str) -> Any:
        """A name or code from a rule list or the districts; reports the unknown ones."""
        if value is None or value is _INVALID:
            return value
        found = table.get(value) or table.get(value.lower())
        if found is None:
            column = self.columns[key]
            self.fail(row, column.label, f"“{value}”不是有效的{column.base}（可选：{choices}）")
            return _INVALID
        return found

    def project(self, row: int, record: dict[str, Any], projects: dict[str, Project]) -> Project | None:
        """The row's project, if it exists for this user (an unknown or unseen one is reported)."""
        code = record["code"]
        if code is _INVALID:
            return None
        project = projects.get(code)
        if project is None:
            self.fail(row, self.columns["code"].label, str(UnknownProject(code)))
        return project

    # -- the two phases ------------------------------------------------------------
    def validate(self) -> None:
        raise NotImplementedError

    def write(self) -> ChangeCount:
        raise NotImplementedError


def _read_text(raw: Any, column: Column) -> str:
    return cells.text(raw, max_length=column.max_length)


_READERS: dict[str, Callable[[Any, Column], Any]] = {
    Kind.TEXT: _read_text,
    Kind.CODE: _read_text,
    Kind.CHOICE: _read_text,
    Kind.DISTRICT: _read_text,
    Kind.ORG: _read_text,
    Kind.MONEY: lambda raw, _: cells.money(raw),
    Kind.YEAR: lambda raw, _: cells.year(raw),
    Kind.MONTH: lambda raw, _: cells.month(raw),
    Kind.YEAR_MONTH: lambda raw, _: cells.year_month(raw),
    Kind.YES_NO: lambda raw, _: cells.yes_no(raw),
}


def _list_table(items: Iterable[Any]) -> tuple[dict[str, Any], str]:
    """A rule list by name and by (case-insensitive) code, and its names for a message."""
    table: dict[str, Any] = {}
    names: list[str] = []
    for item in items:
        if not item.active:  # a retired entry is not offered, and not accepted either
            continue
        table[item.name] = item
        table.setdefault(item.code.lower(), item)
        names.append(item.name)
    return table, "、".join(names)


_LEVELS = {
    "省重大": ProjectLevel.PROVINCIAL_MAJOR,
    "省重大项目": ProjectLevel.PROVINCIAL_MAJOR,
    "市重点": ProjectLevel.CITY_KEY,
    "市重点项目": ProjectLevel.CITY_KEY,
    ProjectLevel.PROVINCIAL_MAJOR.value: ProjectLevel.PROVINCIAL_MAJOR,
    ProjectLevel.CITY_KEY.value: ProjectLevel.CITY_KEY,
}

# The kinds of organisation a name in each column may already be, the column's own kind first.
# An owner is often a city SOE or a district government, a responsible unit a district.
_ORG_COLUMNS: dict[str, tuple[str, ...]] = {
    "responsible_unit": (OrgKind.RESPONSIBLE_UNIT, OrgKind.SOE, OrgKind.DISTRICT, OrgKind.AREA_COMMAND),
    "owner": (OrgKind.OWNER, OrgKind.SOE, OrgKind.RESPONSIBLE_UNIT, OrgKind.DISTRICT, OrgKind.AREA_COMMAND),
    "agent_builder": (OrgKind.AGENT_BUILDER,),
}


class _ProjectsImport(_Import):
    """项目库: create or update projects by code (the office only)."""

    fmt = PROJECTS

    def validate(self) -> None:
        if not can_manage_projects(self.user):
            self.fail(None, "", "只有重点办可以导入项目库")
            return
        if self.sheet.has("lng") != self.sheet.has("lat"):
            self.fail(None, "", "经度和纬度两列须同时提供")
            return
        categories, category_names = _list_table(Category.objects.all())
        stages, stage_names = _list_table(Stage.objects.all())
        districts, district_names = _district_table()
        records: list[tuple[int, dict[str, Any]]] = []
        seen: dict[tuple[Any, ...], int] = {}
        for row, record in self.read_rows():
            if self.duplicate(row, (record["code"],), seen, "同一项目代码"):
                continue
            level = record["level"]
            if level is not _INVALID:
                record["level"] = _LEVELS.get(level, _INVALID)
                if record["level"] is _INVALID:
                    self.fail(
                        row,
                        self.columns["level"].label,
                        f"“{level}”不是有效的项目级别（可选：省重大、市重点）",
                    )
            record["category"] = self.lookup(row, "category", record["category"], categories, category_names)
            record["stage"] = self.lookup(row, "stage", record["stage"], stages, stage_names)
            record["district"] = self.lookup(row, "district", record["district"], districts, district_names)
            self._point(row, record)
            if all(value is not _INVALID for value in record.values()):
                records.append((row, record))
        self.placeholders = self._resolve_organisations([r for _, r in records])
        self.items: list[ProjectData] = []
        for row, record in records:
            item = self._data(record)
            self.report(row, check_project(item))
            self.items.append(item)

    def _point(self, row: int, record: dict[str, Any]) -> None:
        """The row's 经度/纬度 in its 坐标系, as the stored WGS-84 point (None when both are blank).

        Whether the point lies in the row's district is check_project's question, asked with the rest.
        """
        crs = record.pop("crs")
        if any(value is _INVALID for value in (record["lng"], record["lat"], crs)):
            return
        point, problems = read_point(record["lng"], record["lat"], crs)
        if problems:
            self.report(row, problems)
            record["lng"] = _INVALID
            return
        record["lng"], record["lat"] = point if point is not None else (None, None)

    def _resolve_organisations(self, records: list[dict[str, Any]]) -> dict[str, dict[str, Organisation]]:
        """Replace organisation names with organisations; names not known yet get placeholders.

        A placeholder is an unsaved Organisation of the column's kind, swapped for the real
        one (created by ensure_organisations) when the file is written. Columns are taken in
        order, so a new unit named as 责任单位 and as 业主单位 becomes one organisation.
        Returns the placeholders by kind and name.
        """
        names = {r[key] for r in records for key in _ORG_COLUMNS if r[key]}
        kinds = {kind for kinds in _ORG_COLUMNS.values() for kind in kinds}
        known: dict[tuple[str, str], Organisation] = {}
        for chunk in _chunks(names):
            for org in Organisation.objects.filter(name__in=chunk, kind__in=kinds):
                known[(org.kind, org.name)] = org
        placeholders: dict[str, dict[str, Organisation]] = {}
        for key, kinds_in_order in _ORG_COLUMNS.items():
            for record in records:
                name = record[key]
                if not name:
                    record[key] = None
                    continue
                found = next((known[(kind, name)] for kind in kinds_in_order if (kind, name) in known), None)
                if found is None:
                    found = known[(kinds_in_order[0], name)] = Organisation(kind=kinds_in_order[0], name=name)
                    placeholders.setdefault(found.kind, {})[name] = found
                record[key] = found
        return placeholders

    def _data(self, record: dict[str, Any]) -> ProjectData:
        values = dict(record)
        values["description"] = values["description"] or ""
        # The file speaks only for the columns it has: what it leaves out, and what no
        # workbook carries (tracker, area command, location …), stays as the register has it.
        return ProjectData(**values, only=frozenset(key for key in self.columns if self.sheet.has(key)))

    def write(self) -> ChangeCount:
        created = {
            (kind, name): org
            for kind, names in self.placeholders.items()
            for name, org in ensure_organisations(kind, names, user=self.user).items()
        }
        for item in self.items:
            for key in _ORG_COLUMNS:
                org = getattr(item, key)
                if org is not None and org.pk is None:
                    setattr(item, key, created[(org.kind, org.name)])
        return save_projects(self.items, user=self.user)


def _district_table() -> tuple[dict[str, Organisation], str]:
    """Districts by GB/T 2260 code, name and short name (they are never created by an import)."""
    table: dict[str, Organisation] = {}
    for district in Organisation.objects.filter(kind=OrgKind.DISTRICT):
        for name in (district.code, district.name, district.short_name):
            if name:
                table.setdefault(name, district)
    names = "、".join(sorted({d.name for d in table.values()}))
    return table, names or "系统中尚无区"


class _PlansImport(_Import):
    """年度计划: a project's plan for a year, twelve months that add up to the annual figure."""

    fmt = PLANS

    def validate(self) -> None:
        if self.approve and not is_office(self.user):
            self.fail(None, "", "只有重点办可以直接导入已批准的计划")
            return
        records = self.read_rows()
        projects = _projects_by_code((r["code"] for _, r in records if r["code"] is not _INVALID), self.user)
        stored = self._stored(projects.values(), {r["year"] for _, r in records if r["year"] is not _INVALID})
        self.items: list[PlanData] = []
        seen: dict[tuple[Any, ...], int] = {}
        for row, record in records:
            project = self.project(row, record, projects)
            if project is None or self.duplicate(row, (project.code, record["year"]), seen, "同一项目、同一年度"):
                continue
            if not can_plan(self.user, project):
                self.fail(row, self.columns["code"].label, f"无权编制项目“{project}”的计划")
                continue
            if any(value is _INVALID for value in record.values()):
                continue
            item = PlanData(
                project=project,
                year=record["year"],
                investment=record["investment"],
                monthly=[record[f"m{m}"] for m in range(1, 13)],
                start_month=record["start_month"],
                completion_month=record["completion_month"],
                invested_before=record["invested_before"],
            )
            current = stored.get((project.pk, item.year))
            if current is not None:
                # Land figures are not in the workbook, nor perhaps the milestone months: keep them.
                item.land_acquisition = current["land_acquisition"]
                item.land_handover = current["land_handover"]
                for key in ("start_month", "completion_month", "invested_before"):
                    if not self.sheet.has(key):
                        setattr(item, key, current[key])
            self.report(row, check_plan(item))
            self.items.append(item)

    def _stored(self, projects: Iterable[Project], years: set[int]) -> dict[tuple[int, int], dict[str, Any]]:
        found: dict[tuple[int, int], dict[str, Any]] = {}
        for chunk in _chunks(p.pk for p in projects):
            rows = AnnualPlan.objects.filter(project_id__in=chunk, year__in=years).values(
                "project_id",
                "year",
                "land_acquisition",
                "land_handover",
                "start_month",
                "completion_month",
                "invested_before",
            )
            for r in rows:
                found[(r["project_id"], r["year"])] = dict(r)
        return found

    def write(self) -> ChangeCount:
        return save_plans(self.items, user=self.user, approve=self.approve)


class _ReturnsImport(_Import):
    """月度填报: a project's return for a month; submitted, or approved at once by the office."""

    fmt = RETURNS

    def validate(self) -> None:
        if self.approve and not is_office(self.user):
            self.fail(None, "", "只有重点办可以直接导入已审核的填报")
            return
        records = self.read_rows()
        projects = _projects_by_code((r["code"] for _, r in records if r["code"] is not _INVALID), self.user)
        stored = self._stored(
            projects.values(),
            {r["year"] for _, r in records if r["year"] is not _INVALID},
            {r["month"] for _, r in records if r["month"] is not _INVALID},
        )
        keep_problems = not self.sheet.has("problems")
        # A workbook without the earned-value columns keeps what the returns already hold.
        keep_completion = not self.sheet.has("completion")
        self.items: list[ReturnData] = []
        rows: list[int] = []
        seen: dict[tuple[Any, ...], int] = {}
        for row, record in records:
            project = self.project(row, record, projects)
            key = (record["year"], record["month"])
            if project is None or self.duplicate(row, (project.code, *key), seen, "同一项目、同一年度、同一月份"):
                continue
            if not can_report(self.user, project):
                self.fail(row, self.columns["code"].label, f"无权填报项目“{project}”")
                continue
            if any(value is _INVALID for value in record.values()):
                continue
            item = ReturnData(
                project=project,
                year=record["year"],
                month=record["month"],
                investment=record["investment"],
                physical_progress=record["physical_progress"],
                started=record["started"],
                completed=record["completed"],
                problems=record["problems"] or "",
                completion=record["completion"],
                completion_drop_reason=record["completion_drop_reason"] or "",
            )
            current = stored.get((project.pk, item.year, item.month))
            if current is not None and keep_problems:
                item.problems = current["problems"]
            if current is not None and keep_completion:
                item.completion = current["completion"]
                if not self.sheet.has("completion_drop_reason"):
                    item.completion_drop_reason = current["completion_drop_reason"]
            self.report(row, check_return(item, today=self.today))
            # The service refuses this too, but without the row; say where it is.
            if current is not None and _changes_approved(current, item):
                self.fail(row, "", f"{item.year}年{item.month}月的填报已审核，不能修改，请走更正程序")
            self.items.append(item)
            rows.append(row)
        for i, problem in completion_drops(self.items).items():
            self.report(rows[i], [problem])

    def _stored(
        self, projects: Iterable[Project], years: set[int], months: set[int]
    ) -> dict[tuple[int, int, int], dict[str, Any]]:
        """The returns already stored for the file's projects and months."""
        found: dict[tuple[int, int, int], dict[str, Any]] = {}
        for chunk in _chunks(p.pk for p in projects):
            rows = ProgressReturn.objects.filter(project_id__in=chunk, year__in=years, month__in=months)
            for r in rows.values("project_id", "year", "month", "status", *REPORTED):
                found[(r["project_id"], r["year"], r["month"])] = r
        return found

    def write(self) -> ChangeCount:
        return save_returns(self.items, user=self.user, submit=not self.approve, approve=self.approve, today=self.today)


def _changes_approved(current: dict[str, Any], item: ReturnData) -> bool:
    """Whether the row would change a return that is already approved (and so locked)."""
    if current["status"] != ReturnStatus.APPROVED:
        return False
    return any(current[name] != value for name, value in item.reported().items())


_IMPORTERS: dict[str, type[_Import]] = {
    PROJECTS.name: _ProjectsImport,
    PLANS.name: _PlansImport,
    RETURNS.name: _ReturnsImport,
}

__all__ = ["ImportResult", "RowError", "import_workbook"]

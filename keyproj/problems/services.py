"""Changes to problems: raising, escalating (by hand and when overdue), resolving, attachments,
and recording meetings and site visits.

Each service checks, writes and audits in one transaction, and takes `today` so that the
ladder's deadlines can be tested at their boundaries without a real clock.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction

from keyproj.accounts.services import notify
from keyproj.core import audit, clock
from keyproj.core.display import chinese_day
from keyproj.core.errors import Reason as Issue
from keyproj.core.errors import Refused
from keyproj.core.params import MAX_ID
from keyproj.core.scoping import actor_row, require_actor
from keyproj.orgs.models import Organisation, OrgKind
from keyproj.problems import permissions as perms
from keyproj.problems.attachments import sniff
from keyproj.problems.models import (
    TOP_LEVEL,
    Attachment,
    Escalation,
    EscalationLevel,
    Finding,
    Level,
    Meeting,
    MeetingForm,
    MeetingKind,
    Problem,
    ProblemCategory,
    ProblemRule,
    ProblemSource,
    ProblemStatus,
    SiteVisit,
)
from keyproj.projects.models import Project


def _today(today: dt.date | None) -> dt.date:
    return today or clock.today()


def _level_name(level: int) -> str:
    return str(Level(level).label)


def _viewer(user: Any) -> Any:
    """Whose scope a check uses: the acting user, or CONSOLE (which sees all); a missing user is refused,
    never read as the console."""
    return require_actor(user)


def _actor(user: Any) -> Any:
    """Who is stored as having done it (None for the console); a missing user is refused."""
    return actor_row(user)


# ---------------------------------------------------------------- problems


@dataclass
class ProblemData:
    """A new problem, as the form, the API, a meeting or a site visit gives it."""

    project: Project
    category: ProblemCategory
    title: str
    description: str = ""
    source: str = ProblemSource.OWNER
    level: int = Level.OWNER
    site_visit: SiteVisit | None = None
    meeting: Meeting | None = None


def check_problem(data: ProblemData, *, user: Any) -> list[Issue]:
    """Every problem with a new problem's data (field label, what is wrong)."""
    issues: list[Issue] = []
    if not data.title.strip():
        issues.append(Issue("问题", "请填写问题"))
    elif len(data.title.strip()) > 200:
        issues.append(Issue("问题", "问题不能超过200字，详细情况请写在问题描述中"))
    if data.category is None or not data.category.active:
        issues.append(Issue("问题类别", "请选择有效的问题类别"))
    if data.source not in ProblemSource.values:
        issues.append(Issue("来源", f"未知的来源“{data.source}”"))
    if data.level not in Level.values:
        issues.append(Issue("当前层级", "层级应为1-5"))
    elif data.level != Level.OWNER and not perms.is_office(user):
        # The ladder starts with the owner; only the office may put a problem straight to a higher rung.
        issues.append(Issue("当前层级", "只有重点办可以直接在第1级以上提出问题"))
    return issues


def holding_organisations(problem: Problem) -> list[int]:
    """The organisations whose group robots hear of a problem: those that hold it at its level now (the
    owner and its agent builder, the responsible unit, the office, the leading group). A liaison leader
    holds it in person: no organisation's group hears of it then."""
    project = problem.project
    if problem.level == Level.OWNER:
        return [pk for pk in (project.owner_id, project.agent_builder_id) if pk]
    if problem.level == Level.RESPONSIBLE_UNIT:
        return [project.responsible_unit_id] if project.responsible_unit_id else []
    kind = {Level.KEY_OFFICE: OrgKind.KEY_OFFICE, Level.LEADING_GROUP: OrgKind.LEADING_GROUP}.get(Level(problem.level))
    if kind is None:
        return []
    return list(Organisation.objects.filter(kind=kind, active=True).values_list("pk", flat=True))


def raise_problem(data: ProblemData, *, user: Any, today: dt.date | None = None) -> Problem:
    """Record a problem on a project at level 1 (or higher, for the office) and tell its holders."""
    today = _today(today)
    if not perms.can_raise(user, data.project):
        raise PermissionDenied("无权对该项目提出问题")
    issues = check_problem(data, user=user)
    if issues:
        raise Refused(issues)
    with transaction.atomic():
        problem = Problem.objects.create(
            project=data.project,
            category=data.category,
            title=data.title.strip(),
            description=data.description.strip(),
            source=data.source,
            level=data.level,
            level_since=today,
            raised_on=today,
            raised_by=_actor(user),
            site_visit=data.site_visit,
            raised_at_meeting=data.meeting,
        )
        audit.log(problem, "problem.raise", user=user)
        notify(
            perms.holders(problem),
            f"新问题待办：{problem.title}",
            body=f"{problem.project}（{_level_name(problem.level)}办理）",
            url=problem.get_absolute_url(),
            kind="problem.raise",
            key=f"problem.raise:{problem.pk}",
            organisations=holding_organisations(problem),
        )
    return problem


def _locked(problem: Problem) -> Problem:
    """The problem's row, locked for this transaction (two escalations at once cannot both pass)."""
    return Problem.objects.select_for_update().select_related("project").get(pk=problem.pk)


def update_problem(
    problem: Problem,
    *,
    user: Any,
    title: str,
    description: str,
    category: ProblemCategory,
    expected_version: int | None = None,
) -> Problem:
    """Correct a problem's title, description or category (its holder, tracker, raiser or the office)."""
    if not (perms.can_handle(user, problem) or perms._is(user, problem.raised_by_id)):
        raise PermissionDenied("无权修改该问题")
    issues = check_problem(
        ProblemData(project=problem.project, category=category, title=title, source=problem.source), user=user
    )
    if issues:
        raise Refused(issues)
    with transaction.atomic():
        before = audit.snapshot(problem)
        problem.title, problem.description, problem.category = title.strip(), description.strip(), category
        audit.bump_version(problem, expected_version, ["title", "description", "category_id"])
        audit.log(problem, "problem.update", user=user, before=before)
    return problem


def escalate(
    problem: Problem, *, user: Any, reason: str, today: dt.date | None = None, expected_version: int | None = None
) -> Escalation:
    """Raise a problem one level by hand, with a reason; the new holder is told."""
    today = _today(today)
    if not perms.can_handle(user, problem):
        raise PermissionDenied("无权上报该问题")
    issues: list[Issue] = []
    if not problem.is_open:
        issues.append(Issue("状态", "问题已解决或关闭，不能上报"))
    if problem.level >= TOP_LEVEL:
        issues.append(Issue("当前层级", "问题已在最高层级（领导小组），不能再上报"))
    if not reason.strip():
        issues.append(Issue("上报原因", "请填写上报原因"))
    if issues:
        raise Refused(issues)
    with transaction.atomic():
        if expected_version is not None and expected_version != problem.version:
            raise audit.ConflictError(problem)
        current = _locked(problem)
        if current.level != problem.level:
            raise audit.ConflictError(problem)
        step = _step(current, today=today, reason=reason.strip(), user=user, automatic=False, limit=None)
        problem.level, problem.level_since, problem.version = current.level, current.level_since, current.version
    return step


def _step(
    problem: Problem, *, today: dt.date, reason: str, user: Any, automatic: bool, limit: int | None
) -> Escalation:
    """Move a (locked) problem up one level: the row, the step, the audit entry, the message."""
    if today < problem.level_since:
        raise Refused([Issue("上报日期", f"不能早于问题到达本级的日期{chinese_day(problem.level_since)}")])
    before = audit.snapshot(problem)
    from_level = problem.level
    problem.level = from_level + 1
    problem.level_since = today
    audit.bump_version(problem, None, ["level", "level_since"])
    step = Escalation.objects.create(
        problem=problem,
        from_level=from_level,
        to_level=problem.level,
        on=today,
        reason=reason,
        automatic=automatic,
        time_limit_days=limit,
        by=_actor(user),
    )
    audit.log(problem, "problem.escalate.auto" if automatic else "problem.escalate", user=user, before=before)
    notify(
        perms.holders(problem),
        f"问题已上报至{_level_name(problem.level)}：{problem.title}",
        body=reason,
        url=problem.get_absolute_url(),
        kind="problem.escalate",
        key=f"problem.escalate:{problem.pk}:{step.pk}",
        organisations=holding_organisations(problem),
    )
    return step


def escalate_overdue(*, today: dt.date | None = None, user: Any) -> list[Escalation]:
    """Raise every open problem held at its level for longer than the level's time limit.

    Meant to run daily. A problem is due on the day it reached its level plus the limit and
    is raised the day after; it then reaches the next level today, so its clock starts again
    and a second run on the same day (or any day before the new deadline) does nothing.
    A problem at the top level stays there (it is listed as overdue).
    """
    require_actor(user)  # a scheduled run is the console, named; a lost user does not escalate anything
    today = _today(today)
    levels = {row.level: row for row in EscalationLevel.objects.all()}
    limits = ProblemRule.in_force(today).limits()
    steps: list[Escalation] = []
    with transaction.atomic():
        due = (
            Problem.objects.overdue(today, limits)
            .filter(level__lt=TOP_LEVEL)
            .select_for_update()
            .select_related("project")
            .order_by("pk")
        )
        for problem in due:
            days = limits[problem.level]
            deadline = problem.level_since + dt.timedelta(days=days)
            reason = (
                f"在第{problem.level}级（{levels[problem.level].name}）自{chinese_day(problem.level_since)}起"
                f"办理超过时限{days}天（期限至{chinese_day(deadline)}），自动上报"
            )
            steps.append(_step(problem, today=today, reason=reason, user=user, automatic=True, limit=days))
    return steps


def take_up(problem: Problem, *, user: Any, expected_version: int | None = None) -> Problem:
    """The holder starts work on an open problem (待办 → 办理中)."""
    if not perms.can_handle(user, problem):
        raise PermissionDenied("无权办理该问题")
    if problem.status != ProblemStatus.OPEN:
        raise Refused([Issue("状态", "只有待办的问题可以开始办理")])
    with transaction.atomic():
        before = audit.snapshot(problem)
        problem.status = ProblemStatus.IN_PROGRESS
        audit.bump_version(problem, expected_version, ["status"])
        audit.log(problem, "problem.take_up", user=user, before=before)
    return problem


def _resolution_issues(problem: Problem, note: str, day: dt.date, label: str = "解决情况") -> list[Issue]:
    issues: list[Issue] = []
    if not problem.is_open:
        issues.append(Issue("状态", f"问题“{problem.title}”已解决或关闭"))
    if not note.strip():
        issues.append(Issue(label, f"请填写问题“{problem.title}”的解决情况"))
    if day < problem.raised_on:
        issues.append(Issue("解决日期", f"不能早于问题“{problem.title}”的提出日期{chinese_day(problem.raised_on)}"))
    return issues


def _resolve(problem: Problem, *, user: Any, note: str, day: dt.date, meeting: Meeting | None) -> None:
    before = audit.snapshot(problem)
    problem.status = ProblemStatus.RESOLVED
    problem.resolved_on = day
    problem.resolution = note.strip()
    problem.resolved_by = _actor(user)
    problem.resolved_at_meeting = meeting
    audit.bump_version(
        problem, None, ["status", "resolved_on", "resolution", "resolved_by_id", "resolved_at_meeting_id"]
    )
    audit.log(problem, "problem.resolve", user=user, before=before)
    told = [u for u in (problem.raised_by, problem.project.tracker) if u is not None]
    notify(
        told,
        f"问题已解决：{problem.title}",
        body=problem.resolution,
        url=problem.get_absolute_url(),
        kind="problem.resolve",
        key=f"problem.resolve:{problem.pk}:v{problem.version}",
        organisations=holding_organisations(problem),
    )


def resolve(
    problem: Problem,
    *,
    user: Any,
    note: str,
    today: dt.date | None = None,
    expected_version: int | None = None,
) -> Problem:
    """Record a problem as resolved, with a note of how (required); its raiser and tracker are told."""
    today = _today(today)
    if not perms.can_handle(user, problem):
        raise PermissionDenied("无权办结该问题")
    issues = _resolution_issues(problem, note, today)
    if issues:
        raise Refused(issues)
    with transaction.atomic():
        if expected_version is not None and expected_version != problem.version:
            raise audit.ConflictError(problem)
        current = _locked(problem)
        if expected_version is not None and expected_version != current.version:
            raise audit.ConflictError(problem)
        if not current.is_open:
            raise Refused([Issue("状态", f"问题“{problem.title}”刚刚已由他人办结")])
        _resolve(current, user=user, note=note, day=today, meeting=None)
    problem.refresh_from_db()
    return problem


def close(problem: Problem, *, user: Any, expected_version: int | None = None) -> Problem:
    """The office confirms a resolved problem and closes it (销号)."""
    if not perms.can_confirm(user):
        raise PermissionDenied("只有重点办可以销号")
    if problem.status != ProblemStatus.RESOLVED:
        raise Refused([Issue("状态", "只有已解决的问题可以销号")])
    with transaction.atomic():
        before = audit.snapshot(problem)
        problem.status = ProblemStatus.CLOSED
        audit.bump_version(problem, expected_version, ["status"])
        audit.log(problem, "problem.close", user=user, before=before)
    return problem


def reopen(
    problem: Problem, *, user: Any, reason: str, today: dt.date | None = None, expected_version: int | None = None
) -> Problem:
    """The office finds a resolved problem is not: it is open again at its level, whose clock restarts."""
    today = _today(today)
    if not perms.can_confirm(user):
        raise PermissionDenied("只有重点办可以重新打开问题")
    issues: list[Issue] = []
    if problem.is_open:
        issues.append(Issue("状态", "问题尚未解决"))
    if not reason.strip():
        issues.append(Issue("原因", "请填写重新打开的原因"))
    if issues:
        raise Refused(issues)
    with transaction.atomic():
        before = audit.snapshot(problem)
        problem.status = ProblemStatus.IN_PROGRESS
        problem.resolved_on = None
        problem.resolved_by = None
        problem.resolved_at_meeting = None
        problem.resolution = f"{problem.resolution}\n【重新打开 {chinese_day(today)}】{reason.strip()}".strip()
        problem.level_since = today
        audit.bump_version(
            problem,
            expected_version,
            ["status", "resolved_on", "resolved_by_id", "resolved_at_meeting_id", "resolution", "level_since"],
        )
        audit.log(problem, "problem.reopen", user=user, before=before)
        notify(
            perms.holders(problem),
            f"问题重新打开：{problem.title}",
            body=reason,
            url=problem.get_absolute_url(),
            kind="problem.reopen",
            key=f"problem.reopen:{problem.pk}:v{problem.version}",
            organisations=holding_organisations(problem),
        )
    return problem


# ---------------------------------------------------------------- attachments


def attachment_limit(today: dt.date | None = None) -> int:
    """The largest attachment accepted today, in bytes (a rule row)."""
    return int(ProblemRule.in_force(_today(today)).max_attachment_mb) * 1024 * 1024


def read_upload(upload: Any, today: dt.date | None = None) -> tuple[bytes, int]:
    """An uploaded file's bytes and size, without reading one that is too large into memory."""
    size = int(upload.size)
    return (upload.read() if size <= attachment_limit(today) else b""), size


def add_attachment(
    problem: Problem,
    *,
    user: Any,
    name: str,
    content: bytes,
    size: int | None = None,
    today: dt.date | None = None,
) -> Attachment:
    """Attach a photo or document (JPEG, PNG, PDF, Word, Excel — judged by its bytes) within the size limit.

    size: the upload's size when it was too large to read (`read_upload`); else len(content).
    """
    today = _today(today)
    if not (perms.can_handle(user, problem) or perms.can_raise(user, problem.project)):
        raise PermissionDenied("无权为该问题上传附件")
    rule = ProblemRule.in_force(today)
    issues: list[Issue] = []
    limit = rule.max_attachment_mb * 1024 * 1024
    size = len(content) if size is None else size
    if size > limit:
        issues.append(Issue("附件", f"“{name}”大小{size / 1048576:.1f}MB，超过上限{rule.max_attachment_mb}MB"))
    elif not content:
        issues.append(Issue("附件", "文件是空的"))
    kind = sniff(content) if content else None
    if content and kind is None:
        issues.append(Issue("附件", f"“{name}”不是允许的文件类型（只接受JPG、PNG照片和PDF、Word、Excel文档）"))
    if issues:
        raise Refused(issues)
    assert kind is not None
    attachment = Attachment(
        problem=problem,
        token=secrets.token_hex(16),
        name=(name or f"附件.{kind}").replace("/", "_")[-200:],
        kind=kind,
        size=len(content),
        uploaded_by=_actor(user),
    )
    attachment.file.save(attachment.token + attachment.extension, ContentFile(content), save=False)
    try:
        with transaction.atomic():
            attachment.save()
            after = {**audit.snapshot(attachment), "file": attachment.file.name}
            audit.log(attachment, "problem.attachment.add", user=user, after=after)
    except Exception:
        # The file is written before the row; a failed row must not leave an unreachable file behind.
        attachment.file.delete(save=False)
        raise
    return attachment


# ---------------------------------------------------------------- meetings


@dataclass
class MeetingData:
    """A meeting as recorded: what it was, what it discussed and which problems it resolved (with how)."""

    kind: str
    held_on: dt.date
    title: str
    chair: str
    form: str = MeetingForm.VENUE
    location: str = ""
    attendees: str = ""
    decisions: str = ""
    discussed: list[Problem] = field(default_factory=list)
    resolved: list[tuple[Problem, str]] = field(default_factory=list)
    # Ids the request named that name no problem the recorder may see: (field label, id). Refused.
    unseen: list[tuple[str, int]] = field(default_factory=list)

    # The fields a meeting form (page or API) gives as they are.
    FORM_FIELDS = ("kind", "held_on", "form", "title", "location", "chair", "attendees", "decisions")

    @classmethod
    def from_form(
        cls, cleaned: dict[str, Any], *, discussed: list[Problem], resolved: list[tuple[Problem, str]]
    ) -> MeetingData:
        """A meeting from a form's cleaned data and the problems it took up (page and API alike)."""
        return cls(**{name: cleaned[name] for name in cls.FORM_FIELDS}, discussed=discussed, resolved=resolved)

    @classmethod
    def from_request(
        cls, cleaned: dict[str, Any], *, user: Any, discussed: list[int], resolved: list[tuple[int, str]]
    ) -> MeetingData:
        """A meeting from a form's cleaned data and the ids of the problems it took up, looked up in the
        user's scope (page and API alike). An id that names nothing the user may see is kept as unseen,
        to be refused with the one message that does not say whether it exists."""
        found = visible_problems(user, [*discussed, *(pk for pk, _ in resolved)])
        data = cls.from_form(
            cleaned,
            discussed=[found[pk] for pk in discussed if pk in found],
            resolved=[(found[pk], note) for pk, note in resolved if pk in found],
        )
        data.unseen = [("研究的问题", pk) for pk in discussed if pk not in found] + [
            ("解决的问题", pk) for pk, _ in resolved if pk not in found
        ]
        return data


def unseen_problem(pk: int) -> str:
    """The one answer for a problem id the user may not see, whether or not it exists.

    Saying "不存在" for one and "不在您的管辖范围内" for the other would let a district probe
    ids one by one and learn which problems other districts have.
    """
    return f"编号{pk}的问题不存在或不在您的管辖范围内"


def visible_problems(user: Any, ids: list[int]) -> dict[int, Problem]:
    """The problems among `ids` that the user may see, by id (ids beyond the database's integers name nothing)."""
    wanted = sorted({pk for pk in ids if 1 <= pk <= MAX_ID})
    return Problem.objects.visible_to(_viewer(user)).select_related("project").in_bulk(wanted)


def record_meeting(data: MeetingData, *, user: Any, today: dt.date | None = None) -> Meeting:
    """Record a meeting and resolve the problems it resolved (on the meeting's day), all or nothing.

    Every problem discussed or resolved must be within the recorder's scope.
    """
    today = _today(today)
    if not perms.can_coordinate(user):
        raise PermissionDenied("无权登记协调会议")
    issues: list[Issue] = []
    if data.kind not in MeetingKind.values:
        issues.append(Issue("会议类型", "请选择周例会或专题会议"))
    if data.form not in MeetingForm.values:
        issues.append(Issue("会议形式", "请选择现场或会场"))
    if not data.title.strip():
        issues.append(Issue("会议名称", "请填写会议名称"))
    if not data.chair.strip():
        issues.append(Issue("主持人", "请填写主持人"))
    if data.held_on > today:
        issues.append(Issue("会议日期", "会议日期不能晚于今天"))
    problems = [p for p in data.discussed] + [p for p, _ in data.resolved]
    visible = set(
        Problem.objects.visible_to(_viewer(user)).filter(pk__in=[p.pk for p in problems]).values_list("pk", flat=True)
    )
    issues.extend(Issue(label, unseen_problem(pk)) for label, pk in data.unseen)
    for p in data.discussed:
        if p.pk not in visible:
            issues.append(Issue("研究的问题", unseen_problem(p.pk)))
    seen: set[int] = set()
    for p, note in data.resolved:
        if p.pk not in visible:
            issues.append(Issue("解决的问题", unseen_problem(p.pk)))
            continue
        if p.pk in seen:
            issues.append(Issue("解决的问题", f"问题“{p.title}”重复"))
            continue
        seen.add(p.pk)
        issues.extend(_resolution_issues(p, note, data.held_on, label="解决的问题"))
    if issues:
        raise Refused(issues)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            kind=data.kind,
            held_on=data.held_on,
            form=data.form,
            title=data.title.strip(),
            location=data.location.strip(),
            chair=data.chair.strip(),
            attendees=data.attendees.strip(),
            decisions=data.decisions.strip(),
            created_by=_actor(user),
        )
        meeting.discussed.set({p.pk for p in problems})
        audit.log(meeting, "meeting.create", user=user, after={**audit.snapshot(meeting), "discussed": sorted(seen)})
        # The rows as they stand now (the daily run may have raised a level since they were read).
        fresh = (
            Problem.objects.select_for_update(of=("self",))
            .select_related("project__tracker")
            .in_bulk([p.pk for p, _ in data.resolved])
        )
        for p, note in data.resolved:
            current = fresh[p.pk]
            if not current.is_open:
                raise Refused([Issue("解决的问题", f"问题“{p.title}”刚刚已由他人办结")])
            _resolve(current, user=user, note=note, day=data.held_on, meeting=meeting)
    return meeting


def update_meeting(
    meeting: Meeting,
    *,
    user: Any,
    title: str,
    chair: str,
    attendees: str,
    decisions: str,
    location: str = "",
    expected_version: int | None = None,
) -> Meeting:
    """Correct a meeting's record (its title, chair, attendees, decisions); the problems it resolved stay."""
    if not perms.can_coordinate(user):
        raise PermissionDenied("无权修改会议记录")
    issues: list[Issue] = []
    if not title.strip():
        issues.append(Issue("会议名称", "请填写会议名称"))
    if not chair.strip():
        issues.append(Issue("主持人", "请填写主持人"))
    if issues:
        raise Refused(issues)
    with transaction.atomic():
        before = audit.snapshot(meeting)
        meeting.title, meeting.chair = title.strip(), chair.strip()
        meeting.attendees, meeting.decisions, meeting.location = attendees.strip(), decisions.strip(), location.strip()
        audit.bump_version(meeting, expected_version, ["title", "chair", "attendees", "decisions", "location"])
        audit.log(meeting, "meeting.update", user=user, before=before)
    return meeting


# ---------------------------------------------------------------- site visits


@dataclass
class VisitData:
    """A site visit: the day, the team, the projects it went to and what it found at each."""

    visited_on: dt.date
    team: str
    projects: list[Project]
    summary: str = ""
    findings: list[tuple[Project, str]] = field(default_factory=list)


def record_visit(data: VisitData, *, user: Any, today: dt.date | None = None) -> SiteVisit:
    """Record a 轻骑兵 visit to one or more project sites, with its findings."""
    today = _today(today)
    if not perms.can_coordinate(user):
        raise PermissionDenied("无权登记深入现场")
    issues: list[Issue] = []
    if not data.team.strip():
        issues.append(Issue("小组成员", "请填写小组成员"))
    if data.visited_on > today:
        issues.append(Issue("日期", "日期不能晚于今天"))
    if not data.projects:
        issues.append(Issue("深入的项目", "请至少选择一个项目"))
    ids = {p.pk for p in data.projects}
    visible = set(Project.objects.visible_to(_viewer(user)).filter(pk__in=ids).values_list("pk", flat=True))
    for p in data.projects:
        if p.pk not in visible:
            issues.append(Issue("深入的项目", f"编号{p.pk}的项目不存在或不在您的管辖范围内"))
    for p, text in data.findings:
        if p.pk not in ids:
            issues.append(Issue("发现的问题", f"项目“{p}”不在本次深入的项目中"))
        if not text.strip():
            issues.append(Issue("发现的问题", f"请填写在项目“{p}”发现的问题"))
    if issues:
        raise Refused(issues)
    with transaction.atomic():
        visit = SiteVisit.objects.create(
            visited_on=data.visited_on, team=data.team.strip(), summary=data.summary.strip(), created_by=_actor(user)
        )
        visit.projects.set(ids)
        Finding.objects.bulk_create(Finding(visit=visit, project=p, text=text.strip()) for p, text in data.findings)
        audit.log(visit, "visit.create", user=user, after={**audit.snapshot(visit), "projects": sorted(ids)})
    return visit


def finding_to_problem(
    finding: Finding,
    *,
    user: Any,
    category: ProblemCategory,
    title: str = "",
    today: dt.date | None = None,
) -> Problem:
    """Turn a site visit's finding into a problem on its project, in one step."""
    today = _today(today)
    if finding.problem_id is not None:
        raise Refused([Issue("发现的问题", "该发现已转为问题")])
    with transaction.atomic():
        problem = raise_problem(
            ProblemData(
                project=finding.project,
                category=category,
                title=(title or finding.text.splitlines()[0])[:200],
                description=finding.text,
                source=ProblemSource.SITE_VISIT,
                site_visit=finding.visit,
            ),
            user=user,
            today=max(today, finding.visit.visited_on),
        )
        if Finding.objects.filter(pk=finding.pk, problem__isnull=True).update(problem=problem) != 1:
            raise Refused([Issue("发现的问题", "该发现刚刚已由他人转为问题")])
        finding.problem = problem
    return problem

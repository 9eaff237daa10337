"""The demo's coordination work, January–July 2019: site visits, meetings and problems.

Generated deterministically (a seeded random stream, no clock) and written through the
problems services day by day, exactly as the office would have worked: problems are raised,
the daily run escalates the overdue ones, meetings resolve some and holders others. The
totals match the seed: "1-7月，已累计深入项目现场326…累计召开49次专题会议，共协调解决项目建设问题147个".

The demo cast walks the ladder: every project of the `owner` user's organisation is tracked
by `staff` (level 3 reaches the tracker) and linked to the city leader `leader` (level 4), so a
problem `owner` raises climbs owner → `unit` (the projects' responsible unit) → `staff` → `leader`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Min

from keyproj.accounts.models import Membership, Notification, Role, User
from keyproj.core import clock
from keyproj.core.scoping import CONSOLE
from keyproj.demo.build import Programme
from keyproj.problems.models import (
    Finding,
    Meeting,
    MeetingForm,
    MeetingKind,
    Problem,
    ProblemCategory,
    ProblemRule,
    ProblemSource,
    SiteVisit,
)
from keyproj.problems.services import (
    MeetingData,
    ProblemData,
    VisitData,
    escalate_overdue,
    finding_to_problem,
    raise_problem,
    record_meeting,
    record_visit,
    resolve,
)
from keyproj.projects.models import Project
from keyproj.projects.services import ProjectData, save_projects

FIRST, LAST = dt.date(2019, 1, 1), dt.date(2019, 7, 31)
SITE_VISITS = 326  # project sites visited, 1-7月
SPECIAL_MEETINGS = 49  # 专题会议, 1-7月
RESOLVED = 147  # problems resolved, 1-7月
STILL_OPEN = 41  # raised in 1-7月 and open on 31 July (some of them long unresolved)
SEED = 20190731
# The demo users who hold the owner's problems at levels 1, 3 and 4 (keyproj.demo.data.organisations).
OWNER_USER, TRACKER_USER, LEADER_USER = "owner", "staff", "leader"

# (category code, share, titles): what blocks Xiamen's key projects, as the seed lists it.
TITLES: dict[str, tuple[int, tuple[str, ...]]] = {
    "approval": (
        30,
        (
            "施工许可证办理滞后",
            "规划方案审查未批复",
            "用地预审手续未完成",
            "环评批复尚未出具",
            "初步设计及概算审批未完成",
            "施工图审查意见未闭合",
        ),
    ),
    "land": (
        34,
        (
            "征地拆迁未完成，影响施工作业面",
            "剩余房屋未签约腾空",
            "坟墓迁移未完成",
            "临时用地未按计划交付",
            "林地征占手续未完成",
            "集体土地征收补偿未谈妥",
        ),
    ),
    "construction": (
        26,
        (
            "相邻标段作业面交叉干扰",
            "夜间施工许可受限，影响工期",
            "土方外运消纳场地不足",
            "施工进度滞后于分月计划",
            "参建单位分歧需协调",
        ),
    ),
    "utilities": (
        30,
        (
            "高压电力线路迁改滞后",
            "给水管道迁改方案未确定",
            "通信光缆迁改未完成",
            "燃气管线迁改需协调",
            "雨污水管线迁改滞后",
        ),
    ),
    "municipal": (
        24,
        (
            "周边配套道路未建成",
            "临时施工用电未接入",
            "供水接驳未完成",
            "排水出路未落实",
            "配套道路红线未确定",
        ),
    ),
    "funding": (
        12,
        ("财政资金拨付滞后", "工程进度款支付不及时", "概算调整未批复", "专项债券资金未到位"),
    ),
    "other": (8, ("周边群众阻工需协调", "文物勘探未完成", "军事设施保护需协调")),
}
NOTES = (
    "经专题协调，相关部门已办结",
    "经现场协调，责任单位已落实解决措施",
    "已开辟绿色通道，手续已办结",
    "区政府已组织攻坚，问题已解决",
    "管线权属单位已完成迁改",
    "资金已拨付到位",
)
TEAMS = ("轻骑兵一组（张建华、林志强）", "轻骑兵二组（陈雪梅、黄文斌）", "轻骑兵三组（王立新、郑晓燕）")
CHAIRS = ("市重点办主任 李明", "市重点办副主任 吴海涛", "市建设局副局长 许振东")


@dataclass
class _Plan:
    """One problem the demo will raise: when, where, what, and when (if at all) it is resolved."""

    raised_on: dt.date
    project: Project
    category: str
    title: str
    source: str
    resolve_on: dt.date | None = None
    at_meeting: bool = False
    problem: Problem | None = None


@dataclass
class _Day:
    visits: list[tuple[str, list[Project], list[_Plan]]] = field(default_factory=list)
    raised: list[_Plan] = field(default_factory=list)
    meetings: list[str] = field(default_factory=list)  # "weekly" / "special"
    resolved: list[_Plan] = field(default_factory=list)


def _days() -> list[dt.date]:
    return [FIRST + dt.timedelta(days=n) for n in range((LAST - FIRST).days + 1)]


def _workdays() -> list[dt.date]:
    return [d for d in _days() if d.weekday() < 5]


def _special_days(rng: random.Random) -> list[dt.date]:
    """Seven special meetings a month (49 in 1-7月), on working days other than Monday."""
    days: list[dt.date] = []
    for month in range(1, 8):
        choices = [d for d in _workdays() if d.month == month and d.weekday() != 0]
        days.extend(sorted(rng.sample(choices, 7)))
    assert len(days) == SPECIAL_MEETINGS
    return days


def _visits(rng: random.Random, projects: list[Project]) -> list[tuple[dt.date, str, list[Project]]]:
    """Outings on Tuesdays to Thursdays, each to one to four sites, until 326 sites are visited."""
    slots = [d for d in _workdays() if d.weekday() in (1, 2, 3)]
    outings: list[tuple[dt.date, str, list[Project]]] = []
    remaining = SITE_VISITS
    n = 0
    while remaining:
        day = slots[n % len(slots)] if n < len(slots) else slots[(n * 7) % len(slots)]
        size = min(remaining, rng.choice((1, 2, 2, 3, 3, 4)))
        outings.append((day, TEAMS[n % len(TEAMS)], rng.sample(projects, size)))
        remaining -= size
        n += 1
    return sorted(outings, key=lambda o: o[0])


def _plans(rng: random.Random, projects: list[Project], specials: list[dt.date]) -> list[_Plan]:
    """RESOLVED problems resolved by 31 July and STILL_OPEN open on it, in a realistic spread."""
    weights = [(code, share) for code, (share, _) in TITLES.items()]
    codes = [code for code, share in weights for _ in range(share)]
    plans: list[_Plan] = []
    days = _days()
    # Resolved ones: raised from January to mid-July, resolved 3 to 75 days later (by 31 July).
    while len(plans) < RESOLVED:
        raised = days[rng.randrange(0, len(days) - 14)]
        span = rng.choice((3, 5, 7, 9, 12, 14, 18, 21, 25, 28, 33, 40, 46, 55, 62, 75))
        resolve_on = raised + dt.timedelta(days=span)
        if resolve_on > LAST:
            continue
        # About half are settled at a special meeting: the first one after the problem matured.
        at_meeting = rng.random() < 0.5
        if at_meeting:
            later = [d for d in specials if d >= resolve_on]
            if later:
                resolve_on = later[0]
            else:
                at_meeting = False
        plans.append(_plan(rng, raised, projects, codes, resolve_on, at_meeting))
    # Still open: a few from the first months (long unresolved by 31 July), most from June and July.
    for n in range(STILL_OPEN):
        raised = days[rng.randrange(0, 150)] if n < 12 else days[rng.randrange(151, len(days))]
        plans.append(_plan(rng, raised, projects, codes, None, False))
    return sorted(plans, key=lambda p: (p.raised_on, p.project.code, p.title))


def _plan(
    rng: random.Random,
    raised: dt.date,
    projects: list[Project],
    codes: list[str],
    resolve_on: dt.date | None,
    at_meeting: bool,
) -> _Plan:
    code = rng.choice(codes)
    title = rng.choice(TITLES[code][1])
    source = rng.choice((ProblemSource.OWNER, ProblemSource.OWNER, ProblemSource.TRACKER, ProblemSource.SITE_VISIT))
    return _Plan(raised, rng.choice(projects), code, title, source, resolve_on, at_meeting)


def _schedule(projects: list[Project]) -> dict[dt.date, _Day]:
    rng = random.Random(SEED)
    specials = _special_days(rng)
    plans = _plans(rng, projects, specials)
    calendar: dict[dt.date, _Day] = defaultdict(_Day)
    outings = _visits(rng, projects)
    by_day: dict[dt.date, list[tuple[str, list[Project], list[_Plan]]]] = defaultdict(list)
    for day, team, sites in outings:
        by_day[day].append((team, sites, []))
    for plan in plans:
        outing = next(iter(by_day.get(plan.raised_on, [])), None) if plan.source == ProblemSource.SITE_VISIT else None
        if outing is None:
            if plan.source == ProblemSource.SITE_VISIT:
                plan.source = ProblemSource.TRACKER
            calendar[plan.raised_on].raised.append(plan)
        else:
            # A finding at a site the team went to that day: the problem's project is one of them.
            plan.project = outing[1][0]
            outing[2].append(plan)
        if plan.resolve_on is not None:
            calendar[plan.resolve_on].resolved.append(plan)
    for day, visits in by_day.items():
        calendar[day].visits.extend(visits)
    for day in _workdays():
        if day.weekday() == 0:
            calendar[day].meetings.append(MeetingKind.WEEKLY)
    for day in specials:
        calendar[day].meetings.append(MeetingKind.SPECIAL)
    return calendar


def follow_owner_projects() -> int:
    """Make `staff` the tracker and `leader` the liaison leader of the `owner` user's projects.

    Keyed off the organisations where `owner` holds the owner role at load time, so the chain
    follows whichever organisation the demo cast gives them. Written through the projects
    service (audited, versioned); returns how many projects changed.
    """
    users = {u.username: u for u in User.objects.filter(username__in=[OWNER_USER, TRACKER_USER, LEADER_USER])}
    if len(users) < 3:
        return 0
    owned = Membership.objects.filter(user=users[OWNER_USER], role=Role.OWNER).values("organisation_id")
    projects = Project.objects.filter(owner_id__in=owned).select_related(
        "category", "district", "responsible_unit", "owner"
    )
    items = [
        ProjectData(
            code=p.code,
            name=p.name,
            level=p.level,
            category=p.category,
            district=p.district,
            responsible_unit=p.responsible_unit,
            owner=p.owner,
            total_investment=p.total_investment,
            tracker=users[TRACKER_USER],
            liaison_leader=users[LEADER_USER],
            only=frozenset({"tracker", "liaison_leader"}),
        )
        for p in projects.order_by("code")
    ]
    return save_projects(items, user=CONSOLE).updated if items else 0


def load(programme: Programme) -> None:
    """Write the demo's visits, meetings and problems (the projects must already be loaded)."""
    follow_owner_projects()
    codes = sorted(p.code for p in programme.projects)
    projects = list(Project.objects.filter(code__in=codes).select_related("tracker").order_by("code"))
    categories = ProblemCategory.objects.in_bulk(field_name="code")
    calendar = _schedule(projects)
    weekly_no = special_no = 0
    limits = ProblemRule.current().limits()
    next_due = LAST + dt.timedelta(days=1)
    with transaction.atomic():
        for day in _days():
            plan_day = calendar.get(day)
            if plan_day is not None:
                for team, sites, found in plan_day.visits:
                    visit = record_visit(
                        VisitData(
                            visited_on=day,
                            team=team,
                            projects=sites,
                            summary=f"深入{len(sites)}个项目现场，梳理堵点问题，指导优化施工组织",
                            findings=[(plan.project, plan.title) for plan in found],
                        ),
                        user=CONSOLE,
                        today=day,
                    )
                    for finding, plan in zip(visit.findings.order_by("pk"), found, strict=True):
                        plan.problem = finding_to_problem(
                            finding, user=CONSOLE, category=categories[plan.category], title=plan.title, today=day
                        )
                for plan in plan_day.raised:
                    plan.problem = raise_problem(
                        ProblemData(
                            project=plan.project,
                            category=categories[plan.category],
                            title=plan.title,
                            description=f"{plan.project.name}：{plan.title}，影响项目建设进度，需协调解决。",
                            source=plan.source,
                        ),
                        user=CONSOLE,
                        today=day,
                    )
            # The daily run, on the days it can find something: the next deadline is known
            # from the database after each change of level (the ladder itself is unchanged).
            if plan_day is not None and plan_day.raised:
                next_due = min(next_due, day + dt.timedelta(days=limits[1] + 1))
            if day >= next_due:
                escalate_overdue(today=day, user=CONSOLE)
                next_due = _next_due(limits)
            if plan_day is None:
                continue
            settled = [p for p in plan_day.resolved if p.at_meeting]
            for kind in plan_day.meetings:
                if kind == MeetingKind.WEEKLY:
                    weekly_no += 1
                    title = f"市重点项目建设第{weekly_no}次周例会"
                    resolved = []
                    discussed = list(Problem.objects.open().filter(raised_on__lt=day).order_by("level_since", "pk")[:6])
                else:
                    special_no += 1
                    resolved = [p for p in settled if p.problem is not None]
                    settled = []
                    # A special meeting also takes up the open problems longest at the office's level and above.
                    settling = {p.problem.pk for p in resolved if p.problem}
                    discussed = [
                        p
                        for p in Problem.objects.open()
                        .filter(raised_on__lt=day, level__gte=3)
                        .order_by("level_since", "pk")[:3]
                        if p.pk not in settling
                    ]
                    subject = resolved[0].title if resolved else discussed[0].title if discussed else "项目建设问题"
                    title = f"重点项目专题协调会（{subject}）"
                record_meeting(
                    MeetingData(
                        kind=kind,
                        held_on=day,
                        title=title,
                        chair=CHAIRS[(weekly_no + special_no) % len(CHAIRS)],
                        form=MeetingForm.ON_SITE if (weekly_no + special_no) % 2 else MeetingForm.VENUE,
                        location="项目现场" if (weekly_no + special_no) % 2 else "市建设局会议室",
                        attendees="市重点办、各责任单位、相关区政府、业主(代建)单位",
                        decisions="会议研究了有关项目建设问题，明确责任单位和完成时限。",
                        discussed=discussed,
                        resolved=[(p.problem, NOTES[i % len(NOTES)]) for i, p in enumerate(resolved) if p.problem],
                    ),
                    user=CONSOLE,
                    today=day,
                )
            for n, plan in enumerate(plan_day.resolved):
                if plan.at_meeting or plan.problem is None:
                    continue
                resolve(plan.problem, user=CONSOLE, note=NOTES[n % len(NOTES)], today=day)
        # What was settled in 2019 has long been read; the open problems' messages still wait.
        still_open = [p.get_absolute_url() for p in Problem.objects.open().only("pk")]
        Notification.objects.filter(read_at__isnull=True).exclude(url__in=still_open).update(read_at=clock.real_now())


def _next_due(limits: dict[int, int]) -> dt.date:
    """The first day on which some open problem will be past its level's limit (one grouped query)."""
    rows = (
        Problem.objects.open()
        .filter(level__lt=max(limits))
        .order_by()
        .values("level")
        .annotate(first=Min("level_since"))
        .values_list("level", "first")
    )
    days = [since + dt.timedelta(days=limits[level] + 1) for level, since in rows]
    return min(days, default=LAST + dt.timedelta(days=1))


def clear() -> None:
    """Take the coordination records out (before the projects they hang on)."""
    # The loader's purge also takes out what other apps hang on problems (挂牌督办 listings).
    # Not at the top: the loader imports this module.
    from keyproj.demo.loader import _purge

    Notification.objects.all().delete()
    Meeting.discussed.through.objects.all().delete()  # type: ignore[attr-defined]
    Finding.objects.all().delete()
    _purge(Problem.objects.all())
    Meeting.objects.all().delete()
    SiteVisit.objects.all().delete()

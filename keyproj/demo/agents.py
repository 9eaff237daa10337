"""The 代建 part of the Xiamen 2019 demo: the directory's details, Q1 and Q2 inspections, credit.

Loaded after the projects, plans and returns (keyproj.demo.loader.load), through the agents
services as the console (user=CONSOLE), so the audit log reads as real use. Deterministic:
every choice comes from `random.Random` streams seeded with the demo's seed.

* each of the 41 firms: its admission (2016–2018), a contact and three key site staff;
  one firm with no projects blacklisted from June 2019, and one whose suspension was decided
  for 16 September 2019 — after the demo's day, so that the directory on 2 September (and on
  the demo's day) holds the seed's 41 firms, 14 甲 and 27 乙;
* every agent-built project's specialty (the works it builds);
* Q1 and Q2 2019: a published seed, 22 projects drawn at random plus 3 key picks each,
  every one scored on the sheet, graded, with its outcomes (commendations, 约谈, credit
  records); both quarters closed and their 通报 issued (厦建代〔2019〕1号 and 2号);
* a few credit records the office entered by hand;
* January–July attendance of the key staff on the projects their firm builds;
* final accounts of the agent-built projects completed by mid-2019;
* the 2019 credit evaluation as of 10 August 2019 (the day the July returns were approved).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from keyproj.agents.credit import (
    AttendanceData,
    CreditData,
    FinalAccountsData,
    evaluate_credit,
    record_credit,
    save_attendance,
    save_final_accounts,
)
from keyproj.agents.models import (
    Attendance,
    CreditEvaluation,
    CreditRecord,
    DirectoryEntry,
    EntryKind,
    FinalAccounts,
    Inspection,
    InspectionRound,
    Interview,
    KeyStaff,
    ScoringItem,
    Specialty,
)
from keyproj.agents.notice import issue
from keyproj.agents.services import (
    FirmData,
    ScoreLine,
    admit_firm,
    close_round,
    draw_round,
    record_entry,
    save_key_staff,
    score_inspection,
    set_project_specialties,
)
from keyproj.core.scoping import CONSOLE
from keyproj.demo.build import APPROVED_ON, SEED, Programme
from keyproj.demo.data import words
from keyproj.notices.models import Notice, NoticeCounter, NoticeKind
from keyproj.orgs.models import Organisation
from keyproj.projects.models import Project

# The published seeds of the two quarters' draws (the day each draw was made).
QUARTERS = ((1, "20190315", dt.date(2019, 3, 25)), (2, "20190617", dt.date(2019, 6, 24)))
# The suspension decided after the second quarter's rectification ran out. It takes effect
# after the demo's day: the seed counts 41 firms in the directory on 2 September 2019.
SUSPENDED_FROM = dt.date(2019, 9, 16)
RANDOM_PER_QUARTER = 22
PICKS_PER_QUARTER = 3
SURNAMES = "陈林黄张李王吴刘蔡杨许郑谢洪郭邱曾廖赖周叶苏庄吕江何"
GIVEN = "志明建国晓峰文斌海波振华立新丽娟伟强秀英俊杰国栋美玲宏伟雅琴德胜家豪"
POSTS = (("项目负责人", "一级建造师"), ("项目负责人", "一级建造师"), ("技术负责人", "高级工程师"))
NOTES = {
    "organisation": ("参建单位协调会议记录不全", "现场管理人员到岗不足"),
    "investment": ("设计变更未按程序报批", "工程款拨付台账不清"),
    "schedule": ("节点工期滞后", "月度计划完成率偏低"),
    "quality": ("混凝土养护不到位", "质量问题整改未闭合"),
    "safety": ("临边防护缺失", "扬尘治理措施不到位", "特种作业人员无证上岗"),
    "records": ("监理日志缺失", "会议纪要未归档"),
}


def _stream(purpose: str) -> random.Random:
    return random.Random(f"{SEED}:agents:{purpose}")


def load(programme: Programme) -> None:
    """Write the demo's 代建 records (the projects and firms are already in)."""
    firms = _directory(programme)
    _specialties(programme)
    staff = _staff(programme, firms)
    _inspections()
    _credit(firms)
    _attendance(staff)
    _final_accounts(programme)
    evaluate_credit(2019, user=CONSOLE, as_of=APPROVED_ON)


def clear() -> None:
    """Take the demo's 代建 records out (before the projects and organisations they name).

    The quarters' 通报 go too, with their 文号 counter, so that a reloaded demo numbers them
    厦建代〔2019〕1号 and 2号 again (a reset is the one time issued notices are removed).
    """
    Notice.objects.filter(kind=NoticeKind.INSPECTION).delete()
    NoticeCounter.objects.filter(kind=NoticeKind.INSPECTION).delete()
    CreditEvaluation.objects.all().delete()
    Interview.objects.all().delete()
    CreditRecord.objects.all().delete()
    InspectionRound.objects.all().delete()  # and its inspections and scores
    Attendance.objects.all().delete()
    FinalAccounts.objects.all().delete()
    KeyStaff.objects.all().delete()
    DirectoryEntry.objects.all().delete()
    Project.objects.update(agent_specialty=None)


def _directory(programme: Programme) -> dict[str, int]:
    """Each firm's admission with its classes; returns firm ids by name."""
    rng = _stream("directory")
    ids: dict[str, int] = {}
    for firm in programme.firms:
        admitted = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(3 * 365))
        contact = rng.choice(SURNAMES) + rng.choice(GIVEN[::2]) + rng.choice(GIVEN[1::2])
        org = admit_firm(
            FirmData(
                name=firm.name,
                credit_code=firm.credit_code,
                grades=dict.fromkeys(firm.specialties, firm.grade),
                admitted_on=admitted,
                reason=f"经{admitted.year}年度代建单位名录库公开征集、审核准入",
                contact=contact,
                phone=f"0592-{rng.randrange(5000000, 6000000)}",
            ),
            user=CONSOLE,
        )
        ids[firm.name] = org.pk
    return ids


def _specialties(programme: Programme) -> None:
    """Every agent-built project's specialty: the one its works belong to."""
    specialties = Specialty.objects.in_bulk(field_name="code")
    projects = Project.objects.in_bulk([p.code for p in programme.projects if p.agent_builder], field_name="code")
    pairs = [(projects[p.code], specialties[words.WORKS[p.works][0]]) for p in programme.projects if p.agent_builder]
    set_project_specialties(sorted(pairs, key=lambda pair: pair[0].code), user=CONSOLE)


def _staff(programme: Programme, firms: dict[str, int]) -> dict[int, list[KeyStaff]]:
    """A contact and three key site staff per firm; returns each firm's site staff."""
    rng = _stream("staff")
    orgs = Organisation.objects.in_bulk(list(firms.values()))
    site: dict[int, list[KeyStaff]] = {}
    for firm in programme.firms:
        org = orgs[firms[firm.name]]
        save_key_staff(org, name=org.contact, post="经营部经理", phone=org.phone, is_contact=True, user=CONSOLE)
        people = []
        for post, certificate in POSTS:
            name = rng.choice(SURNAMES) + rng.choice(GIVEN[::2]) + rng.choice(GIVEN[1::2])
            phone = f"13{rng.randrange(100000000, 999999999)}"
            people.append(save_key_staff(org, name=name, post=post, certificate=certificate, phone=phone, user=CONSOLE))
        site[org.pk] = people
    return site


def _sheet(rng: random.Random, items: list[ScoringItem], quality: float) -> list[ScoreLine]:
    """A scoring sheet for a project of the given quality (0–1): better projects lose fewer points."""
    lines = []
    for item in items:
        share = min(max(rng.gauss(quality, 0.08), 0.2), 1.0)
        points = (item.max_points * Decimal(str(round(share, 2)))).quantize(Decimal("0.5"))
        points = min(points, item.max_points)
        note = "" if points == item.max_points else rng.choice(NOTES.get(item.code, ("资料不全",)))
        lines.append(ScoreLine(item.code, points, note))
    return lines


def _inspections() -> None:
    """Q1 and Q2 2019: the draw from the published seed, three key picks, every project scored,
    the quarter closed and its 通报 issued."""
    rng = _stream("inspections")
    items = list(ScoringItem.objects.filter(active=True))
    inspected: set[str] = set()
    for quarter, seed, day in QUARTERS:
        # The key picks (重点检查): the largest agent-built projects not inspected yet this year.
        pool = draw_round(2019, quarter, seed=seed, count=0, user=CONSOLE, dry_run=True).pool
        largest = (
            Project.objects.filter(code__in=pool)
            .exclude(code__in=sorted(inspected))
            .order_by("-total_investment", "code")
            .values_list("code", flat=True)[:PICKS_PER_QUARTER]
        )
        draw_round(2019, quarter, seed=seed, count=RANDOM_PER_QUARTER, picks=list(largest), user=CONSOLE)
        found = InspectionRound.objects.get(year=2019, quarter=quarter)
        for n, inspection in enumerate(Inspection.objects.filter(round=found).order_by("project__code")):
            inspected.add(inspection.project.code)
            quality = rng.choice((0.97, 0.93, 0.9, 0.88, 0.86, 0.84, 0.8, 0.75, 0.66, 0.55))
            lines = _sheet(rng, items, quality)
            score_inspection(
                inspection,
                lines,
                inspected_on=day + dt.timedelta(days=n % 5),
                inspectors="周立诚、林晓峰",
                findings="；".join(line.note for line in lines if line.note),
                user=CONSOLE,
            )
        close_round(found, user=CONSOLE)
        issue(found, user=CONSOLE)
        # The draw was made on its day in 2019, not when the demo was loaded (the notice is
        # signed on its own date by the notices service).
        zone = timezone.get_current_timezone()
        InspectionRound.objects.filter(pk=found.pk).update(
            drawn_at=dt.datetime.combine(day - dt.timedelta(days=7), dt.time(9, 30), tzinfo=zone)
        )


def _credit(firms: dict[str, int]) -> None:
    """Records the office entered by hand, a suspension and a blacklisting."""
    orgs = Organisation.objects.in_bulk(list(firms.values()))
    busy = dict(
        Project.objects.filter(agent_builder_id__in=list(firms.values()))
        .values_list("agent_builder_id")
        .annotate(n=Count("pk"))
    )
    idle = [pk for pk in sorted(firms.values()) if pk not in busy]
    ordered = sorted(busy, key=lambda pk: (-busy[pk], pk))
    good = [
        (ordered[0], "award", "3", "2019-05-20", "所代建项目获评“闽江杯”省优质工程"),
        (ordered[2], "commendation", "2", "2019-04-12", "保障性住房项目提前交付，市政府通报表扬"),
    ]
    for pk, grade, points, day, text in good:
        start = dt.date.fromisoformat(day)
        record_credit(
            CreditData(orgs[pk], "good", grade, Decimal(points), start, start.replace(year=start.year + 1), text),
            user=CONSOLE,
        )
    bad = [
        (ordered[5], "minor", "2", "2019-03-08", "施工现场扬尘治理不到位，被市住建局通报"),
        (ordered[9], "serious", "5", "2019-06-03", "项目负责人长期不在岗，未按规定履职"),
    ]
    for pk, grade, points, day, text in bad:
        start = dt.date.fromisoformat(day)
        record_credit(
            CreditData(orgs[pk], "bad", grade, Decimal(points), start, start.replace(year=start.year + 1), text),
            user=CONSOLE,
        )
    if idle:
        record_credit(
            CreditData(
                orgs[idle[0]],
                "bad",
                "grave",
                Decimal("20"),
                dt.date(2019, 6, 1),
                dt.date(2020, 5, 31),
                "在投标中提供虚假材料，列入建筑市场黑名单",
                blacklist=True,
            ),
            user=CONSOLE,
        )
    suspended = ordered[-1]
    record_entry(
        orgs[suspended],
        EntryKind.SUSPENSION,
        on=SUSPENDED_FROM,
        reason="第二季度考评问题整改不到位，经研究自2019年9月16日起暂停承接新项目",
        user=CONSOLE,
    )


def _attendance(staff: dict[int, list[KeyStaff]]) -> None:
    """January–July attendance: each agent-built project under way has a 项目负责人 and a 技术负责人 on site."""
    rng = _stream("attendance")
    rows: list[AttendanceData] = []
    projects = (
        Project.objects.filter(agent_builder__isnull=False)
        .filter(Q(stage__code="construction") | Q(stage__code="completed"))
        .order_by("code")
    )
    turn: dict[int, int] = {}
    for project in projects:
        people = staff[project.agent_builder_id]
        n = turn.get(project.agent_builder_id, 0)
        turn[project.agent_builder_id] = n + 1
        diligence = rng.choice((0.98, 0.95, 0.92, 0.88, 0.8, 0.7))
        for person in (people[n % 2], people[2]):
            for month in range(1, 8):
                required = (17 if month == 2 else 22) - rng.randrange(2)
                present = min(required, max(0, round(required * rng.gauss(diligence, 0.05))))
                rows.append(AttendanceData(person, project, 2019, month, required, present))
    save_attendance(rows, user=CONSOLE)


def _final_accounts(programme: Programme) -> None:
    """Final accounts of the agent-built projects completed by mid-2019 (or earlier, and in use)."""
    rng = _stream("accounts")
    done = [p for p in programme.projects if p.agent_builder and p.course in ("completed", "in_use")]
    projects = Project.objects.in_bulk([p.code for p in done], field_name="code")
    for spec in sorted(done, key=lambda p: p.code):
        project = projects[spec.code]
        completed = spec.planned_completion
        due = completed + dt.timedelta(days=90)
        approval_due = due + dt.timedelta(days=90)
        lateness = rng.choice((-20, -10, -3, 5, 25, None))
        submitted = due + dt.timedelta(days=lateness) if lateness is not None else None
        if submitted is not None and submitted > APPROVED_ON:
            submitted = None
        approved = None
        final = None
        if submitted is not None and submitted + dt.timedelta(days=60) <= APPROVED_ON:
            approved = submitted + dt.timedelta(days=rng.randrange(30, 100))
            approved = approved if approved <= APPROVED_ON else None
            if approved is not None:
                ratio = Decimal(rng.randrange(930, 1005)) / 1000
                final = (project.total_investment * ratio).quantize(Decimal("0.01"))
        save_final_accounts(
            FinalAccountsData(
                project=project,
                completed_on=completed,
                budget_estimate=project.total_investment,
                submission_due=due,
                approval_due=approval_due,
                final_amount=final,
                submitted_on=submitted,
                approved_on=approved,
            ),
            user=CONSOLE,
        )

"""The quarterly notice (第N季度重点项目督查暨代建考评情况通报), built from a quarter's recorded results.

Everything in it comes from the stored round (seed, pool, draw) and its scored inspections,
so the same quarter gives the same document every time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Avg, Count, F, Max, Q, Sum

from keyproj.accounts.models import User
from keyproj.accounts.services import notify
from keyproj.agents.models import Inspection, InspectionGrade, InspectionRound, InspectionScore, Selection
from keyproj.agents.services import quarter_days
from keyproj.core.money import round2
from keyproj.notices.document import OfficialDocument, Section, Table, to_docx, to_pdf
from keyproj.notices.models import NoticeKind
from keyproj.notices.services import issue_notice
from keyproj.orgs.models import Organisation, OrgKind

QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}
DEFAULT_ISSUER = "厦门市重点项目建设领导小组办公室"


def notice_title(found: InspectionRound) -> str:
    return f"{found.year}年第{QUARTER_NAMES[found.quarter]}季度重点项目督查暨代建考评情况通报"


def _issuer() -> str:
    office = Organisation.objects.filter(kind=OrgKind.KEY_OFFICE).order_by("pk").first()
    return office.name if office is not None else DEFAULT_ISSUER


def _names(rows: list[Inspection]) -> str:
    return "；".join(f"{i.firm.name}（{i.project.name}，{i.total}分）" for i in rows)


def quarterly_notice(found: InspectionRound) -> OfficialDocument:
    """The quarter's notice: overall results, commendations, criticism and 约谈, common problems, the table."""
    inspections = list(
        Inspection.objects.filter(round=found).select_related("project", "firm").order_by("-total", "project__code")
    )
    counts = Inspection.objects.filter(round=found).aggregate(
        scored=Count("pk", filter=Q(total__isnull=False)),
        firms=Count("firm", distinct=True),
        average=Avg("total"),
        last_day=Max("inspected_on"),
        **{g: Count("pk", filter=Q(grade=g)) for g in InspectionGrade.values},
    )
    day = counts["last_day"] or quarter_days(found.year, found.quarter)[1]
    date = day + dt.timedelta(days=10)
    average = round2(counts["average"]) if counts["average"] is not None else None
    quarter = f"{found.year}年第{QUARTER_NAMES[found.quarter]}季度"
    overall = (
        f"按照“随机抽查+重点检查”的方式，{quarter}从{len(found.pool)}个在建代建项目中以公开随机种子“{found.seed}”"
        f"随机抽取{len(found.drawn)}个项目，并对{len(found.picks)}个项目开展重点检查，共检查{len(inspections)}个项目，"
        f"涉及{counts['firms']}家代建单位。"
    )
    results = (
        f"经按评分表逐项考评，优秀{counts['excellent']}个、良好{counts['good']}个、合格{counts['pass']}个、"
        f"不合格{counts['fail']}个"
        + (f"，平均得分{average}分。" if average is not None else "。")
        + (f"尚有{len(inspections) - counts['scored']}个项目未评分。" if counts["scored"] < len(inspections) else "")
    )
    excellent = [i for i in inspections if i.grade == InspectionGrade.EXCELLENT]
    failed = [i for i in inspections if i.grade == InspectionGrade.FAIL]
    praise = (
        f"对考评优秀的以下代建单位予以通报表扬，并记入良好行为记录：{_names(excellent)}。"
        if excellent
        else "本季度没有考评优秀的项目。"
    )
    criticism = (
        f"对考评不合格的以下代建单位予以通报批评，记入不良行为记录，并由市重点办约谈其主要负责人，"
        f"限期整改：{_names(failed)}。"
        if failed
        else "本季度没有考评不合格的项目。"
    )
    lost = (
        InspectionScore.objects.filter(inspection__round=found)
        .values("item__name")
        .annotate(lost=Sum(F("max_points") - F("points")), hits=Count("pk", filter=Q(points__lt=F("max_points"))))
        .filter(lost__gt=0)
        .order_by("-lost", "item__name")
    )
    problems = [
        f"{n}. {row['item__name']}：{row['hits']}个项目被扣分，合计扣{row['lost']}分。"
        for n, row in enumerate(lost[:5], start=1)
    ] or ["本季度各评分项均未发现扣分问题。"]
    table = Table(
        title="表1 代建项目考评结果",
        header=["序号", "项目名称", "代建单位", "抽取方式", "得分", "等次"],
        rows=[
            [
                str(n),
                i.project.name,
                i.firm.name,
                str(Selection(i.selection).label),
                str(i.total) if i.total is not None else "—",
                str(InspectionGrade(i.grade).label) if i.grade else "未评分",
            ]
            for n, i in enumerate(inspections, start=1)
        ],
        widths=[0.6, 3.2, 2.6, 1.2, 0.9, 0.9],
    )
    draw_record = Table(
        title="抽取记录",
        header=["季度", "随机种子", "可抽查项目数", "随机抽查", "重点检查"],
        rows=[
            [
                quarter,
                found.seed,
                str(len(found.pool)),
                "、".join(found.drawn),
                "、".join(found.picks) or "—",
            ]
        ],
    )
    return OfficialDocument(
        issuer=_issuer(),
        number="",
        title=notice_title(found),
        date=date,
        main_to=["各代建单位", "各项目业主单位"],
        copy_to=["市重点项目建设领导小组各成员单位"],
        sections=[
            Section("一、总体情况", [overall, results]),
            Section("二、通报表扬", [praise]),
            Section("三、通报批评及处理", [criticism]),
            Section("四、存在的主要问题", problems),
            Section(
                "五、下一步工作要求",
                [
                    "各代建单位要对照考评扣分事项逐项整改，整改情况于通报印发之日起15日内书面报送市重点办。",
                    "抽取结果可由任何人凭公布的随机种子和可抽查项目清单复核，"
                    "抽取记录可在平台“代建管理—督查考评”的本季度页面下载。",
                ],
                tables=[table],
            ),
        ],
        attachments=[draw_record],
    )


def render(document: OfficialDocument) -> dict[str, bytes]:
    """The notice as an editable Word file and a PDF."""
    return {"docx": to_docx(document), "pdf": to_pdf(document)}


def issue(found: InspectionRound, *, user: Any) -> Any:
    """Issue the quarter's notice through keyproj.notices (a 文号, stored files, audited); once per quarter.

    The notice is addressed to the agent builders and owners: those of the projects inspected are told
    it is out, in the same transaction (a refused issue tells nobody).
    """
    with transaction.atomic():
        notice = issue_notice(
            NoticeKind.INSPECTION,
            quarterly_notice(found),
            period_label=found.label,
            user=user,
            source=f"inspection:{found.label}",
        )
        inspected = found.inspections.values_list("project__agent_builder_id", "project__owner_id")
        organisations = {pk for pair in inspected for pk in pair if pk}
        notify(
            User.objects.filter(memberships__organisation_id__in=organisations, is_active=True).distinct(),
            f"通报已印发：{notice.title}",
            body=f"{notice.number} {found}",
            url=notice.get_absolute_url(),
            kind="notice.issue",
            key=f"notice.issue:{notice.pk}",
            organisations=organisations,
        )
    return notice

"""A meeting's minutes (会议纪要) as an OfficialDocument, for keyproj.notices.document.to_docx.

Only the problems the reader may see are listed: minutes downloaded by a district name its
projects' problems and no one else's.
"""

from __future__ import annotations

from typing import Any

from keyproj.notices.document import OfficialDocument, Section, Table
from keyproj.problems.models import Meeting, Problem

ISSUER = "厦门市重点项目建设领导小组办公室"
NUMERALS = "一二三四五六七八九十"


def minutes_document(meeting: Meeting, user: Any) -> OfficialDocument:
    """The minutes: what the meeting was, what it decided, the problems it resolved and took up."""
    visible = Problem.objects.visible_to(user).select_related("project", "category").order_by("project__code", "pk")
    resolved = list(visible.filter(resolved_at_meeting=meeting))
    discussed = list(visible.filter(meetings=meeting).exclude(resolved_at_meeting=meeting))
    sections = [
        Section(
            heading="",
            paragraphs=[
                f"{meeting.held_on.year}年{meeting.held_on.month}月{meeting.held_on.day}日，{meeting.chair}主持召开"
                f"{meeting.title}（{meeting.get_kind_display()}，{meeting.get_form_display()}"
                f"{'，' + meeting.location if meeting.location else ''}）。"
                f"会议研究协调了{len(resolved) + len(discussed)}个项目建设问题，其中会上协调解决{len(resolved)}个。"
                "现将会议议定事项纪要如下："
            ],
        )
    ]
    decisions = [line.strip() for line in meeting.decisions.splitlines() if line.strip()]
    if decisions:
        sections.append(Section(heading="一、会议议定事项", paragraphs=decisions))
    n = len(sections)
    if resolved:
        sections.append(
            Section(
                heading=f"{NUMERALS[n - 1]}、会上协调解决的问题",
                paragraphs=[f"{i}. {p.project.name}：{p.title}。{p.resolution}" for i, p in enumerate(resolved, 1)],
            )
        )
        n += 1
    if discussed:
        sections.append(
            Section(
                heading=f"{NUMERALS[n - 1]}、研究的其他问题",
                paragraphs=["以下问题由承办单位按职责继续推进，跟踪人跟踪落实，逾期按程序逐级上报。"],
                tables=[
                    Table(
                        title="表1 研究的其他问题",
                        header=["序号", "项目", "问题", "类别", "当前层级", "状态"],
                        rows=[
                            [
                                str(i),
                                p.project.name,
                                p.title,
                                p.category.name,
                                f"{p.level} {p.get_level_display()}",
                                str(p.get_status_display()),
                            ]
                            for i, p in enumerate(discussed, 1)
                        ],
                        widths=[0.6, 3, 3, 1.2, 1.8, 1],
                    )
                ],
            )
        )
    if meeting.attendees:
        sections.append(Section(heading="", paragraphs=[f"参会单位及人员：{meeting.attendees}"]))
    return OfficialDocument(
        issuer=ISSUER,
        number="",
        title=f"{meeting.title}会议纪要",
        date=meeting.held_on,
        main_to=[],
        copy_to=[],
        sections=sections,
    )

"""The monthly progress 通报, built from a close's snapshot only.

`build_notice(snapshot)` turns the frozen snapshot (and the notice's date and 文号) into the
`OfficialDocument` the notices app renders as .docx and .pdf; `ranking_tables` are the
tables of the .xlsx. Nothing here reads the live data or the clock, so a closed month's
notice regenerates with the same text, years later.

Before it is issued a notice has no 文号: a month not yet closed renders as a 预览稿, a
closed month whose notice is not issued as a 草稿, each saying so where the 文号 would be
and in its title, so that neither can pass for the issued document.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from keyproj.core.display import chinese_day
from keyproj.core.money import wan, yi
from keyproj.notices.document import OfficialDocument, Section, Table
from keyproj.supervision.models import RankingList

DEFAULT_ISSUER = "市重点项目建设领导小组办公室"
MAIN_TO = ["各区人民政府", "各片区指挥部", "市直各有关单位", "各市属国有企业"]
COPY_TO = ["市委、市政府主要领导", "分管（挂钩）市领导", "市效能办", "市纪委监委", "市委组织部", "市国资委"]
NUMERALS = "一二三四五六七八九十"
LIST_TITLES = {
    RankingList.DISTRICTS: "各区",
    RankingList.UNITS: "各责任单位",
    RankingList.AREAS: "各片区指挥部",
    RankingList.SOES: "各市属国有企业",
}
RANK_HEADER = [
    "名次", "单位", "项目数", "序时计划(亿元)", "实际完成(亿元)", "完成序时进度(%)",
    "投资完成率(%)", "开工率(%)", "竣工率(%)", "按时填报率(%)", "得分", "红黑榜", "较上月", "久拖问题(个)",
]  # fmt: skip
CARD_HEADER = ["项目代码", "项目名称", "所属区", "牌色", "完成序时进度(%)", "原因", "下月需完成投资(万元)", "整改期限"]
BOARD_TEXT = {"red": "红榜", "black": "黑榜", "": ""}
COLOUR_TEXT = {"red": "红牌", "yellow": "黄牌"}
LAGGARDS_SHOWN = 20
# A notice is read by people: at most this many cards in the body (red) and in the attachment;
# the workbook sent with it lists every card.
BODY_CARDS = 20
ATTACHED_CARDS = 60


def _yi(text: str | None) -> str:
    return "—" if text is None else str(yi(Decimal(text)))


def _or_dash(text: str | None) -> str:
    return "—" if text is None else str(text)


def _move(value: int | None) -> str:
    if value is None:
        return "—"
    return "持平" if value == 0 else (f"↑{value}" if value > 0 else f"↓{-value}")


BODY_COLUMNS = (0, 1, 5, 7, 8, 9, 13, 10, 11, 12)  # the columns that fit an A4 page, in this order
BODY_WIDTHS = [0.6, 2.6, 1.1, 0.9, 0.9, 1.1, 0.9, 0.9, 0.8, 0.8]


def ranking_table(snapshot: dict[str, Any], list_key: str, index: int, *, full: bool = True) -> Table:
    """One list of the 红黑榜 as a table: every indicator (the workbook), or those that fit a page (the notice)."""
    period = snapshot["period"]
    rows = [
        [
            str(row["rank"]),
            row["name"],
            str(row["project_count"]),
            _yi(row["plan_to_date"]),
            _yi(row["actual_to_date"]),
            _or_dash(row["schedule_rate"]),
            _or_dash(row["investment_rate"]),
            _or_dash(row["start_rate"]),
            _or_dash(row["completion_rate"]),
            _or_dash(row["timeliness"]),
            row["score"],
            BOARD_TEXT[row["board"]],
            _move(row["move"]),
            str(row["long_unresolved"]),
        ]
        for row in snapshot["rankings"].get(list_key, [])
    ]
    title = f"表{index} {_chinese_month(period)}{LIST_TITLES[RankingList(list_key)]}红黑榜"
    if full:
        widths = [0.6, 2.6, 0.7, 1.1, 1.1, 1.1, 1.1, 0.9, 0.9, 1.1, 0.8, 0.8, 0.8, 0.9]
        return Table(title, RANK_HEADER, rows, widths)
    return Table(
        title,
        [RANK_HEADER[i] for i in BODY_COLUMNS],
        [[row[i] for i in BODY_COLUMNS] for row in rows],
        BODY_WIDTHS,
    )


def ranking_tables(snapshot: dict[str, Any], *, full: bool = True) -> list[Table]:
    """The four lists, for the .xlsx (full) and the notice's body (the columns that fit)."""
    return [ranking_table(snapshot, key.value, i, full=full) for i, key in enumerate(RankingList, start=1)]


def cards_table(snapshot: dict[str, Any], title: str, *, full: bool = False) -> Table:
    """The cards as a table; the workbook's (full) also has the project codes and the figures."""
    if full:
        header = ["项目代码", *CARD_HEADER[1:4], "累计计划(万元)", "累计完成(万元)", *CARD_HEADER[4:]]
        rows = [
            [
                c["project"],
                c["name"],
                c["district"],
                COLOUR_TEXT[c["colour"]],
                c["plan_to_date"],
                c["actual_to_date"],
                _or_dash(c["schedule_rate"]),
                "；".join(c["reasons"]),
                c["path_to_green"],
                c["deadline"],
            ]
            for c in snapshot["cards"]
        ]
        return Table(title, header, rows, [2.2, 3, 1, 0.7, 1.2, 1.2, 1.1, 3.5, 1.4, 1.3])
    # The notice's own table is read, not computed with: money with separators, dates in words.
    rows = [
        [
            c["name"],
            c["district"],
            COLOUR_TEXT[c["colour"]],
            _or_dash(c["schedule_rate"]),
            "；".join(c["reasons"]),
            wan(Decimal(c["path_to_green"])),
            _chinese(c["deadline"]),
        ]
        for c in snapshot["cards"]
    ]
    return Table(title, CARD_HEADER[1:], rows, [3.2, 1, 0.8, 1.1, 3.6, 1.4, 1.4])


def _names(names: list[str], count: int) -> str:
    text = "、".join(names)
    return f"{text}等{count}个项目" if count > len(names) else text


def category_paragraph(index: int, cat: dict[str, Any]) -> str:
    """A category's paragraph of the 通报 (also printed by the public page)."""
    parts = [f"（{NUMERALS[index]}）{cat['name']}。{cat['sentence']}"]
    if cat["started"]:
        parts.append(f"本月新开工{_names(cat['started'], cat['started_count'])}。")
    if cat["completed"]:
        parts.append(f"本月新竣工{_names(cat['completed'], cat['completed_count'])}。")
    if cat["ahead"]:
        parts.append(f"{'、'.join(cat['ahead'])}等项目完成投资超序时进度较多。")
    return "".join(parts)


def board_paragraph(snapshot: dict[str, Any], list_key: str) -> str:
    """One list's red and black names as the 通报 words them (also printed by the public page)."""
    rows = snapshot["rankings"].get(list_key, [])
    label = LIST_TITLES[RankingList(list_key)]
    if not rows:
        return f"{label}：本月无截至本月有计划投资的单位，不排名。"
    red = [r["name"] for r in rows if r["board"] == "red"]
    black = [r["name"] for r in rows if r["board"] == "black"]
    return f"{label}：红榜为{'、'.join(red) or '无'}；黑榜为{'、'.join(black) or '无'}。"


def _listing_rows(items: list[dict[str, Any]]) -> list[list[str]]:
    referral = {"pending": "逾期，拟移送效能、纪检部门", "efficiency": "已移送效能部门", "discipline": "已移送纪检部门"}
    return [
        [
            item["name"],
            item["matter"],
            item["responsible"],
            item["due"] or "—",
            referral.get(item["referral"], "逾期" if item["overdue"] else "督办中"),
        ]
        for item in items
    ]


PREVIEW = "预览稿"
DRAFT = "草稿"
STATUS_TEXT = {"missing": "未报", "draft": "未提交", "submitted": "待审核", "sent_back": "已退回"}


def _override_paragraph(snapshot: dict[str, Any]) -> str:
    """The line a month closed below the completeness rule carries, with the office's reason."""
    complete = snapshot.get("completeness") or {}
    if not complete.get("override_reason"):
        return ""
    return (
        f"本月已审核月报{complete['approved']}/{complete['due']}个（{complete['share']}%），"
        f"低于关账要求的{complete['required']}%，经重点办同意按现有数据关账，理由：{complete['override_reason']}。"
    )


def build_notice(
    snapshot: dict[str, Any],
    *,
    date: dt.date,
    number: str,
    issuer: str = "",
    mark: str = "",
) -> OfficialDocument:
    """The month's 通报 as an official document, from the snapshot alone.

    `number` is the issued 文号 ("" before issue: the notices app writes the one it takes);
    `mark` (预览稿 or 草稿) is printed where the 文号 goes and after the title.
    """
    year, month = (int(part) for part in snapshot["period"].split("-"))
    months = "1月" if month == 1 else f"1-{month}月"
    issuer = issuer or snapshot.get("issuer") or DEFAULT_ISSUER
    cards = snapshot["cards"]
    red = sum(1 for c in cards if c["colour"] == "red")
    yellow = len(cards) - red
    listings = snapshot["listings"]
    overdue = [item for item in listings["listed"] if item["overdue"]]
    timely = snapshot["timeliness"]

    sections = [
        Section(
            "一、总体情况",
            [
                snapshot["city"]["sentence"],
                f"按照红黄牌警示制度，本月共对{len(cards)}个项目亮牌，其中红牌{red}个、黄牌{yellow}个；"
                f"{len(snapshot['lifted'])}个项目整改到位，予以摘牌。",
            ],
        ),
        Section(
            "二、分类推进情况",
            [category_paragraph(i, cat) for i, cat in enumerate(snapshot["categories"]) if i < len(NUMERALS)],
        ),
        Section(
            "三、红黑榜",
            [
                "对照年度计划任务，按投资完成率（占60分）、开工率、竣工率（各占15分）和按时填报率（占10分）"
                "对各区、各责任单位、各片区指挥部和各市属国有企业进行晾晒排名。",
                *[board_paragraph(snapshot, key.value) for key in RankingList],
            ],
            ranking_tables(snapshot, full=False),
        ),
        Section(
            "四、红黄牌警示",
            [
                f"红牌项目{red}个、黄牌项目{yellow}个（见附件）。请亮牌项目的责任单位、业主（代建）单位对照"
                "整改期限抓紧整改，按“下月需完成投资”倒排进度，确保回到序时进度计划的80%以上。"
            ],
            [_red_table(cards)] if red else [],
        ),
        Section(
            "五、挂牌督办",
            [
                f"目前挂牌督办事项{len(listings['listed'])}项，其中逾期未办结{len(overdue)}项，"
                "逾期事项按规定移送效能、纪检部门。"
                + (f"本月新提出挂牌督办建议{len(listings['proposals'])}项。" if listings["proposals"] else "")
            ],
            [
                Table(
                    "表6 挂牌督办事项",
                    ["项目", "督办事项", "责任单位/责任人", "办结期限", "状态"],
                    _listing_rows(listings["listed"]),
                    [2.5, 3, 2, 1.2, 2],
                )
            ]
            if listings["listed"]
            else [],
        ),
        Section(
            "六、月度填报情况",
            [
                f"本月应报{timely['due']}个项目，按时填报{timely['on_time']}个"
                + (f"（按时率{timely['on_time_rate']}%）" if timely["on_time_rate"] is not None else "")
                + f"，逾期填报{timely['late']}个，未报{timely['missing']}个"
                + f"（填报截止日{_chinese(timely['deadline'])}）。",
                *([_override_paragraph(snapshot)] if _override_paragraph(snapshot) else []),
            ],
            [
                Table(
                    "表7 逾期或未报的业主单位",
                    ["业主单位", "应报", "按时", "逾期", "未报"],
                    [
                        [o["owner"], str(o["due"]), str(o["on_time"]), str(o["late"]), str(o["missing"])]
                        for o in timely["laggards"][:LAGGARDS_SHOWN]
                    ],
                    [4, 1, 1, 1, 1],
                )
            ]
            if timely["laggards"]
            else [],
        ),
        Section(
            "七、下一步工作要求",
            [
                "各区、各责任单位和各市属国有企业要对照年度计划和分月计划，紧盯红黄牌和挂牌督办事项，"
                "逐项落实整改责任，加大资源投入，全力促投资、促开工、促竣工、促进度。"
            ],
        ),
    ]
    title = f"关于{year}年{months}市重点项目建设进展情况的通报"
    return OfficialDocument(
        issuer=issuer,
        number=f"（{mark}，未印发，无文号）" if mark else number,
        title=f"{title}（{mark}）" if mark else title,
        date=date,
        main_to=list(MAIN_TO),
        copy_to=list(COPY_TO),
        sections=sections,
        attachments=[_attached_cards(snapshot, f"{year}年{months}红黄牌项目清单")] if cards else [],
    )


def _red_table(cards: list[dict[str, Any]]) -> Table:
    red = [c for c in cards if c["colour"] == "red"]
    title = (
        "表5 红牌项目"
        if len(red) <= BODY_CARDS
        else f"表5 红牌项目（共{len(red)}个，列出前{BODY_CARDS}个，其余见附件）"
    )
    return cards_table({"cards": red[:BODY_CARDS]}, title)


def _attached_cards(snapshot: dict[str, Any], title: str) -> Table:
    cards = snapshot["cards"]
    if len(cards) > ATTACHED_CARDS:
        title = f"{title}（共{len(cards)}个，列出前{ATTACHED_CARDS}个，完整清单见排名表（Excel））"
    return cards_table({"cards": cards[:ATTACHED_CARDS]}, title)


def _chinese_month(period: str) -> str:
    """2019-07 → 2019年7月, as a published document writes a month."""
    year, month = period.split("-")
    return f"{int(year)}年{int(month)}月"


def _chinese(iso: str) -> str:
    return chinese_day(dt.date.fromisoformat(iso))


def notice_for(close: Any) -> OfficialDocument:
    """The notice of a close: as issued (its 文号 and date of issue), or a 草稿 dated on the close."""
    issued = close.snapshot.get("notice")
    if issued:
        day = dt.date.fromisoformat(issued["date"]) if issued.get("date") else close.closed_on
        return build_notice(close.snapshot, date=day, number=issued["number"])
    return build_notice(close.snapshot, date=close.closed_on, number="", mark=DRAFT)


def preview_notice(snapshot: dict[str, Any], day: dt.date) -> OfficialDocument:
    """The notice a month not yet closed would publish, as a 预览稿 dated `day`."""
    return build_notice(snapshot, date=day, number="", mark=PREVIEW)


def unapproved_table(snapshot: dict[str, Any], title: str) -> Table:
    """Every project with an approved plan but no approved return for the month, and why."""
    rows = [
        [item["code"], item["name"], item["district"], item["owner"], STATUS_TEXT.get(item["status"], item["status"])]
        for item in (snapshot.get("completeness") or {}).get("unapproved", [])
    ]
    return Table(title, ["项目代码", "项目名称", "所属区", "业主单位", "月报状态"], rows, [2.2, 3.4, 1, 2.6, 1])


def xlsx_tables(snapshot: dict[str, Any], mark: str = "") -> list[Table]:
    """The workbook sent with the notice: the four lists, all the cards and the returns not approved.

    A 预览稿 or 草稿 says so in every sheet's caption.
    """
    tables = [*ranking_tables(snapshot), cards_table(snapshot, "红黄牌项目", full=True)]
    if "completeness" in snapshot:
        tables.append(unapproved_table(snapshot, "未审核月报项目"))
    if not mark:
        return tables
    return [Table(f"{t.title}（{mark}）", t.header, t.rows, t.widths) for t in tables]

"""Documents for the tests: a monthly notice in the seed's words, with a table as long as asked."""

from __future__ import annotations

import datetime

from keyproj.notices.document import OfficialDocument, Section, Table

CITY_SENTENCE = (
    "1-7月，全市357个市重点项目计划投资595.31亿元，实际完成投资777.40亿元，超182.09亿元，"
    "完成序时进度计划130.59%，完成年度计划65.18%。"
)
DISTRICTS = ["思明区", "海沧区", "湖里区", "集美区", "同安区", "翔安区"]


def progress_table(rows: int) -> Table:
    """表1: one row per (fake) project, numbers formatted as a notice prints them."""
    return Table(
        title="表1 1-7月市重点项目投资完成情况",
        header=["序号", "项目名称", "所属区", "计划投资(万元)", "完成投资(万元)", "完成序时进度计划"],
        rows=[
            [
                str(i),
                f"示范项目{i:03d}号环东海域道路工程",
                DISTRICTS[i % len(DISTRICTS)],
                f"{i * 1234.5:,.2f}",
                f"{i * 1500.25:,.2f}",
                f"{100 + i / 4:.2f}%",
            ]
            for i in range(1, rows + 1)
        ],
        widths=[0.7, 4, 1.2, 1.6, 1.6, 1.6],
    )


def monthly_notice(rows: int = 40, *, attachments: int = 1, number: str = "厦重点办〔2019〕7号") -> OfficialDocument:
    """A fake monthly progress notice: three sections, a table of `rows` rows, attachments."""
    attached = [
        Table(
            title="1-7月市重点项目红黄牌名单",
            header=["项目代码", "项目名称", "牌色", "原因"],
            rows=[
                ["2019-350203-48-01-000001", "示范项目001", "黄牌", "完成序时进度计划低于80%"],
                ["2019-350205-48-01-000002", "示范项目002", "红牌", "计划开工月份已过三个月仍未开工"],
            ],
        ),
        Table(
            title="1-7月挂牌督办事项",
            header=["事项", "责任单位", "完成时限"],
            rows=[["管线迁改", "市政园林局", "2019年9月30日"]],
        ),
    ][:attachments]
    return OfficialDocument(
        issuer="厦门市重点项目建设领导小组办公室",
        number=number,
        title="关于2019年1-7月市重点项目建设情况的通报",
        date=datetime.date(2019, 8, 13),
        main_to=["各区人民政府", "各管委会", "市直有关部门", "各市属国有企业"],
        copy_to=["市委办公厅", "市政府办公厅", "市效能办", "市纪委监委", "市国资委"],
        sections=[
            Section(
                "一、总体情况",
                [CITY_SENTENCE + "市重点项目持续快速推进，一批重点项目进展显著。"],
            ),
            Section(
                "二、分类推进情况",
                [
                    "一是产业项目加快落地建设。厦钨新能源车用动力锂离子正极材料产业化项目已开工建设。",
                    "二是社会事业项目稳步推进。厦门实验小学翔安校区、双十中学翔安校区等项目相继开工建设。",
                ],
                [progress_table(rows)],
            ),
            Section("三、红黑榜", ["红榜：思明区、湖里区、海沧区。", "黑榜：同安区。"]),
        ],
        attachments=attached,
    )


def small_notice(title: str = "关于2019年7月市重点项目建设情况的通报", **changes: object) -> OfficialDocument:
    """A short document (fast to render) for the services and the pages."""
    import dataclasses

    doc = OfficialDocument(
        issuer="厦门市重点项目建设领导小组办公室",
        number="",
        title=title,
        date=datetime.date(2019, 8, 13),
        main_to=["各区人民政府"],
        copy_to=["市政府办公厅"],
        sections=[
            Section("一、总体情况", [CITY_SENTENCE], [Table("表1 各区红黑榜", ["区", "得分"], [["思明区", "96.50"]])])
        ],
    )
    return dataclasses.replace(doc, **changes)  # type: ignore[arg-type]


def all_text(doc: OfficialDocument) -> list[str]:
    """Every piece of text a rendering must contain: title, number, paragraphs, headings and every cell."""
    parts = [doc.issuer, doc.title, *doc.main_to, *doc.copy_to]
    if doc.number:
        parts.append(doc.number)
    for section in doc.sections:
        parts += [section.heading, *section.paragraphs]
        for table in section.tables:
            parts += [table.title, *table.header, *(c for row in table.rows for c in row)]
    for table in doc.attachments:
        parts += [table.title, *table.header, *(c for row in table.rows for c in row)]
    return [p for p in parts if p]

"""`keyproj tasklist --year YYYY [--unit ID | --district CODE] OUT.xlsx`: the task and responsibility lists."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from keyproj.core.commandline import KeyprojCommand, acting_user, add_user_option
from keyproj.core.period import YEARS
from keyproj.orgs.models import Organisation
from keyproj.plans import tasklists


class Command(KeyprojCommand):
    help = "导出某年度的任务清单和责任清单（按责任单位或区，来自已批准的年度计划）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="输出的 .xlsx 文件")
        parser.add_argument("--year", type=int, required=True)
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--unit", type=int, help="责任单位编号")
        which.add_argument("--district", help="区的行政区划代码或名称")
        add_user_option(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options["user"])
        if options["year"] not in YEARS:
            raise CommandError(f"年度{options['year']}不在有效范围内")
        if not options["out"].lower().endswith(".xlsx"):
            raise CommandError("输出文件应以 .xlsx 结尾")
        orgs = Organisation.objects.visible_to(user)
        organisation = None
        if options["unit"] is not None:
            organisation = orgs.filter(pk=options["unit"], kind__in=["responsible_unit", "soe"]).first()
            if organisation is None:
                raise CommandError(f"没有编号为{options['unit']}的责任单位")
        elif options["district"]:
            value = options["district"]
            organisation = (
                orgs.filter(kind="district").filter(code=value).first()
                or orgs.filter(kind="district", name=value).first()
            )
            if organisation is None:
                raise CommandError(f"没有代码或名称为“{value}”的区")
        workbook, count = tasklists.build(user, options["year"], organisation)
        try:
            workbook.save(options["out"])
        except OSError as error:
            raise CommandError(f"无法写入“{options['out']}”：{error.strerror or error}") from None
        self.stdout.write(f"已导出{count}个项目的任务清单和责任清单：{options['out']}")

"""`keyproj import projects|plans|returns FILE.xlsx [--dry-run] [--user U] [--approve]`.

Exit 0 with the counts; on any error exit 1 with every error as `第N行 列名: 说明` on
stderr, and nothing written.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from keyproj.core.commandline import KeyprojCommand, acting_user, add_user_option
from keyproj.exchange.formats import FORMATS
from keyproj.exchange.importer import import_workbook


class Command(KeyprojCommand):
    help = "导入项目库、年度计划或月度填报工作簿（先整体校验，有任何错误则不写入）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(FORMATS), help="工作簿类型：projects、plans 或 returns")
        parser.add_argument("file", help="xlsx 文件路径")
        parser.add_argument("--dry-run", action="store_true", help="只校验并报告将会发生的变化，不写入")
        parser.add_argument(
            "--approve",
            action="store_true",
            help="计划记为已批准、填报记为已审核（仅重点办）；不加时填报记为已提交",
        )
        add_user_option(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        if options["approve"] and kind == "projects":
            raise CommandError("--approve 只适用于 plans 和 returns")
        user = acting_user(options["user"])
        result = import_workbook(
            kind, options["file"], user=user, dry_run=options["dry_run"], approve=options["approve"]
        )
        title = FORMATS[kind].title
        if not result.ok:
            for line in result.lines:
                self.stderr.write(line)
            raise CommandError(f"{title}导入失败：共{len(result.errors)}处错误，未写入任何数据", returncode=1)
        if result.dry_run:
            self.stdout.write(f"试运行（未写入任何数据）：{title}共{result.rows}行，将{result.count}")
        else:
            self.stdout.write(f"{title}导入完成：共{result.rows}行，{result.count}")

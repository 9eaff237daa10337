"""`keyproj template projects|plans|returns OUT.xlsx`: the empty workbook to fill in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from keyproj.exchange.formats import FORMATS
from keyproj.exchange.writer import write_template


class Command(BaseCommand):
    help = "生成空白导入模板（表头、列宽，表头批注说明每列填写要求）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(FORMATS), help="工作簿类型：projects、plans 或 returns")
        parser.add_argument("out", help="输出的 xlsx 文件路径")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"目录“{out.parent}”不存在")
        try:
            write_template(options["kind"], out)
        except OSError as error:
            raise CommandError(f"无法写入“{out}”：{error.strerror or error}") from None
        self.stdout.write(f"已生成{FORMATS[options['kind']].title}模板：{out}")

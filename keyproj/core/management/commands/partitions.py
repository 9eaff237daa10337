"""`keyproj partitions [--ensure YEAR]`: the year partitions of each partitioned table, for operators.

The daily job `partitions` makes the current and next business year's partitions on its own; this
command shows what there is (rows per partition; rows in a default partition belong to a year that
has none yet) and makes a year's partitions at once with --ensure (docs/deploy.md).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from keyproj.core import partitions

FIRST_YEAR, LAST_YEAR = 1900, 9998


def year_option(text: str) -> int:
    """A year as the operator typed it: four digits within reason, else a clear refusal."""
    value = (text or "").strip()
    if not value.isdigit() or not FIRST_YEAR <= int(value) <= LAST_YEAR:
        raise CommandError(f"--ensure 应为年份（{FIRST_YEAR}–{LAST_YEAR}，例如 2027），而不是 {text!r}")
    return int(value)


class Command(BaseCommand):
    help = "列出按年分区的表及各分区的行数；--ensure YEAR 为每张分区表建立该年的分区（仅 PostgreSQL）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ensure", metavar="YEAR", help="为每张分区表建立该年的分区（已有则不变）")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="数据库别名（默认 default）")

    def handle(self, *args: Any, **options: Any) -> None:
        using = options["database"]
        year = year_option(options["ensure"]) if options["ensure"] is not None else None
        tables = partitions.partitioned_tables(using)
        if not tables:
            self.stdout.write("没有分区表：SQLite 数据库不分区，PostgreSQL 数据库请先运行 keyproj migrate")
            return
        if year is not None:
            created = [table for table in tables if partitions.ensure_year(table, year, using=using)]
            self.stdout.write(f"{year}年：新建 {len(created)} 个分区，{len(tables) - len(created)} 张表已有该年分区")
        for table in tables:
            self.stdout.write(table)
            for part in partitions.partitions(table, using=using):
                label = "默认" if part.is_default else f"{part.year}年"
                self.stdout.write(f"  {label:<6} {part.name:<40} {part.rows:>12,} 行")

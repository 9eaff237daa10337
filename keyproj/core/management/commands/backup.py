"""`keyproj backup OUT`: the database and every stored file in one archive (docs/backup.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from keyproj.core import backup


class Command(BaseCommand):
    help = "备份数据库和全部存储文件到一个归档文件（.tar.gz）；见 docs/backup.md"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", metavar="OUT", help="备份文件的路径，如 /srv/backups/keyproj-2019-09-03.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        try:
            manifest = backup.backup(out)
        except backup.BackupRefused as refused:
            raise CommandError(str(refused)) from None
        rows = manifest["rows"]
        self.stdout.write(f"已备份到 {out.resolve()}（{out.stat().st_size:,} 字节）")
        self.stdout.write(
            f"数据库（{backup.VENDOR_NAMES[manifest['vendor']]}）：{len(rows):,} 张表，{sum(rows.values()):,} 行；"
            f"业务日期 {manifest['business_day']}"
        )
        media = manifest["media"]
        if media["included"]:
            self.stdout.write(f"文件：{media['files']:,} 个")
        else:
            self.stdout.write(
                f"文件未包含：存储为 {media['storage']}，其中的文件由存储自身的版本保留备份（见 docs/backup.md）"
            )

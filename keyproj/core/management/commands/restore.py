"""`keyproj restore IN`: restore an archive of `keyproj backup` into an empty database (docs/backup.md).

`keyproj restore --check IN` checks the archive (every member against the manifest, the migrations
against this version's) without restoring anything.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from keyproj.core import backup


class Command(BaseCommand):
    help = "从 keyproj backup 的备份文件恢复到空数据库和空的媒体目录；--check 只检查备份文件"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", metavar="IN", help="备份文件的路径")
        parser.add_argument("--check", action="store_true", help="只检查备份文件是否完整、与本版本一致，不恢复")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["archive"])
        try:
            if options["check"]:
                with tempfile.TemporaryDirectory(prefix="keyproj-check-") as folder:
                    unpacked = backup.check_archive(path, Path(folder))
                self._describe("备份文件完好，可以恢复", unpacked.manifest, unpacked.manifest["rows"], unpacked.media)
                return
            restored = backup.restore(path)
        except backup.BackupRefused as refused:
            raise CommandError(str(refused)) from None
        self._describe("已恢复", restored.manifest, restored.rows, restored.files)

    def _describe(self, heading: str, manifest: dict[str, Any], rows: dict[str, int], files: list[str]) -> None:
        vendor = backup.VENDOR_NAMES[manifest["vendor"]]
        self.stdout.write(f"{heading}：备份于 {manifest['created_at']}，业务日期 {manifest['business_day']}")
        self.stdout.write(f"数据库（{vendor}）：{len(rows):,} 张表，{sum(rows.values()):,} 行")
        for table, count in sorted(rows.items()):
            if count:
                self.stdout.write(f"  {table}: {count:,}")
        self.stdout.write(f"文件：{len(files):,} 个")

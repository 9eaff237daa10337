"""`keyproj reminders --period YYYY-MM [--out FILE.xlsx]`: who is late or missing with a month's returns (催报)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from keyproj.core.commandline import KeyprojCommand, acting_user, add_user_option
from keyproj.core.period import Period, PeriodError
from keyproj.returns import timeliness


class Command(KeyprojCommand):
    help = "列出某月填报的按时、逾期和未报情况，并导出催报清单"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="月份，YYYY-MM")
        parser.add_argument("--out", help="把催报清单写入此 .xlsx 文件")
        add_user_option(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options["user"])
        try:
            period = Period.parse(options["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        due = timeliness.deadline(period)
        self.stdout.write(f"{period.label}填报截止日：{due:%Y-%m-%d}")
        for row in timeliness.by_owner(user, period):
            self.stdout.write(f"{row.owner}：应报{row.due}，按时{row.on_time}，逾期{row.late}，未报{row.missing}")
        if options["out"]:
            self._write(options["out"], user, period)

    def _write(self, path: str, user: Any, period: Period) -> None:
        if not path.lower().endswith(".xlsx"):
            raise CommandError("输出文件应以 .xlsx 结尾")
        workbook, count = timeliness.reminder_workbook(user, period)
        try:
            workbook.save(path)
        except OSError as error:
            raise CommandError(f"无法写入“{path}”：{error.strerror or error}") from None
        self.stdout.write(f"催报清单：{count}个项目未报，已写入{path}")

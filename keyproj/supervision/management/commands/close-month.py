"""`keyproj close-month --period YYYY-MM [--out DIR]`: close a month and render its notices.

Closing an already closed month changes nothing; with --out the notice of the close as it
was published is (re)written: the 通报 as .docx and .pdf and the ranking tables as .xlsx.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from keyproj.core.commandline import KeyprojCommand, acting_user, add_user_option
from keyproj.core.errors import Refused
from keyproj.core.period import Period, PeriodError
from keyproj.supervision.services import close_month
from keyproj.supervision.writing import write_notice_files


class Command(KeyprojCommand):
    help = "月度关账：计算红黑榜、红黄牌和挂牌督办建议，冻结快照，并生成通报"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="月份，YYYY-MM，例如 2019-07")
        parser.add_argument("--out", help="把通报（.docx、.pdf）和排名表（.xlsx）写入此目录")
        add_user_option(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options["user"])
        try:
            period = Period.parse(options["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        out = Path(options["out"]) if options["out"] else None
        if out is not None and out.exists() and not out.is_dir():
            raise CommandError(f"“{out}”不是目录")
        try:
            outcome = close_month(period, user=user, issue=True)
        except Refused as exc:
            raise CommandError("；".join(str(p) for p in exc.problems)) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc) or "无权关账") from None
        close = outcome.close
        snap = close.snapshot
        red = sum(1 for c in snap["cards"] if c["colour"] == "red")
        verb = "已关账" if outcome.created else "此前已关账，未作任何修改"
        self.stdout.write(
            f"{period.label}{verb}：红牌{red}张，黄牌{len(snap['cards']) - red}张，"
            f"挂牌督办建议{len(snap['listings']['proposals'])}项（规则：红黄牌v{snap['rules']['card']['version']}，"
            f"红黑榜v{snap['rules']['ranking']['version']}）"
        )
        self.stdout.write(snap["city"]["sentence"])
        if snap.get("notice"):
            self.stdout.write(f"通报文号：{snap['notice']['number']}")
        missing = outcome.missing_returns
        if missing:
            shown = "、".join(missing[:20]) + ("等" if len(missing) > 20 else "")
            self.stdout.write(f"注意：{len(missing)}个项目本月未报：{shown}")
        if out is not None:
            try:
                paths = write_notice_files(close, out)
            except OSError as error:
                raise CommandError(f"无法写入“{out}”：{error.strerror or error}") from None
            for path in paths:
                self.stdout.write(f"已写入{path}")

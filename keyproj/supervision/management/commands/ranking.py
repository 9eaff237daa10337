"""`keyproj ranking --period YYYY-MM --list districts|units|areas|soes [--json]`: one 红黑榜 list."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError, CommandParser

from keyproj.core.commandline import KeyprojCommand, add_user_option
from keyproj.supervision.models import RankingList
from keyproj.supervision.results import LIST_KEYS, command_results, visible_ranking

BOARDS = {"red": "红榜", "black": "黑榜", "": ""}


class Command(KeyprojCommand):
    help = "列出某月的红黑榜排名（已关账月份取关账快照，未关账月份为预览）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="月份，YYYY-MM，例如 2019-07")
        parser.add_argument(
            "--list", default="districts", help="districts（各区）、units（责任单位）、areas（片区）或 soes（国企）"
        )
        parser.add_argument("--json", action="store_true", help="输出JSON数组")
        add_user_option(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"] not in LIST_KEYS:
            raise CommandError(f"榜单“{options['list']}”不存在，应为 {'、'.join(LIST_KEYS)} 之一")
        user, period, results = command_results(options["period"], options["user"])
        rows = visible_ranking(user, results.snapshot, options["list"])
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        state = "已关账" if results.is_final else "未关账，以下为预览"
        self.stdout.write(f"{period.label}{RankingList(options['list']).label}红黑榜（{state}）")
        for row in rows:
            move = "" if row["move"] is None else f"{row['move']:+d}"
            self.stdout.write(
                f"{row['rank']}\t{row['name']}\t{row['score']}分\t完成序时{row['schedule_rate'] or '—'}%\t"
                f"{BOARDS[row['board']]}\t{move}"
            )

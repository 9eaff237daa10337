"""`keyproj stats --period YYYY-MM [--scope …] [--json]`: coordination statistics, year to date and the month."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser

from keyproj.core.commandline import KeyprojCommand, add_user_option
from keyproj.metrics.figures import command_scope
from keyproj.problems.stats import compute


class Command(KeyprojCommand):
    help = "打印问题协调统计：1-N月累计深入现场、专题会议、解决问题（及当月数），或 --json"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="月份，YYYY-MM，例如 2019-07（统计1月至该月累计）")
        parser.add_argument("--scope", help="district:行政区划代码 或 org:单位编号")
        parser.add_argument("--json", action="store_true", help="输出JSON对象")
        add_user_option(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user, period, scope = command_scope(options)
        stats = compute(user, period, scope)
        if options["json"]:
            self.stdout.write(json.dumps(stats.as_json(), ensure_ascii=False))
            return
        self.stdout.write(stats.sentence())
        self.stdout.write(stats.month_sentence())
        t = stats.to_date
        median = "—" if t.median_days is None else f"{t.median_days}天"
        self.stdout.write(
            f"累计提出问题{t.raised}个，解决{t.resolved}个，解决用时中位数{median}；"
            f"周例会{t.weekly_meetings}次；月末未解决{stats.open_at_end}个，其中久拖不决{stats.long_unresolved_at_end}个。"
        )

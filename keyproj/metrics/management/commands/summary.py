"""`keyproj summary --period YYYY-MM [--scope …] [--json]`: the published figures of a month."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser

from keyproj.core.commandline import KeyprojCommand, add_user_option
from keyproj.metrics.figures import command_scope, summary


class Command(KeyprojCommand):
    help = "打印某月的投资完成情况（通报口径的一句话，或 --json）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="月份，YYYY-MM，例如 2019-07")
        parser.add_argument("--scope", help="district:行政区划代码、org:单位编号 或 category:类别代码")
        parser.add_argument("--json", action="store_true", help="输出JSON对象")
        add_user_option(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user, period, scope = command_scope(options)
        figures = summary(user, period, scope)
        if options["json"]:
            self.stdout.write(json.dumps(figures.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(figures.sentence())

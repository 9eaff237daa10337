"""`keyproj cards --period YYYY-MM [--json]`: the red and yellow cards of a month."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser

from keyproj.core.commandline import KeyprojCommand, add_user_option
from keyproj.supervision.results import command_results, visible_cards


class Command(KeyprojCommand):
    help = "列出某月的红黄牌（已关账月份取关账快照，未关账月份为预览）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="月份，YYYY-MM，例如 2019-07")
        parser.add_argument("--colour", choices=["red", "yellow"], help="只列红牌或黄牌")
        parser.add_argument("--json", action="store_true", help="输出JSON数组")
        add_user_option(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user, period, results = command_results(options["period"], options["user"])
        cards = visible_cards(user, results.snapshot, options["colour"])
        if options["json"]:
            self.stdout.write(json.dumps(cards, ensure_ascii=False))
            return
        state = "已关账" if results.is_final else "未关账，以下为预览"
        self.stdout.write(f"{period.label}红黄牌（{state}）：{len(cards)}张")
        for card in cards:
            colour = "红牌" if card["colour"] == "red" else "黄牌"
            rate = f"{card['schedule_rate']}%" if card["schedule_rate"] is not None else "—"
            self.stdout.write(
                f"{colour}\t{card['project']}\t{card['name']}\t完成序时{rate}\t"
                f"下月需完成{card['path_to_green']}万元\t{'；'.join(card['reasons'])}"
            )

"""`keyproj firms [--as-of DATE] [--code CODE] [--json]`: the 代建 directory with each firm's classes."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import CommandError, CommandParser

from keyproj.agents.directory import directory
from keyproj.core import clock
from keyproj.core.commandline import KeyprojCommand, acting_user, add_user_option


def parse_day(text: str | None, default: dt.date) -> dt.date:
    if not text:
        return default
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"“{text}”不是有效日期，应写作YYYY-MM-DD") from None


class Command(KeyprojCommand):
    help = "列出代建名录库中的单位及其各专业类别（甲/乙）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", help="名录库截至日期，YYYY-MM-DD（默认今天）")
        parser.add_argument("--code", help="只看该统一社会信用代码的单位")
        parser.add_argument("--all", action="store_true", help="包括已清出、暂停和未入库的单位")
        parser.add_argument("--json", action="store_true", help="输出JSON")
        add_user_option(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options["user"])

        as_of = parse_day(options["as_of"], clock.today())
        rows = directory(user, as_of, include_inactive=options["all"] or bool(options["code"]))
        if options["code"]:
            code = options["code"].strip().upper()
            rows = [r for r in rows if r.credit_code == code]
            if not rows:
                raise CommandError(f"没有统一社会信用代码为“{code}”的代建单位")
        if options["json"]:
            self.stdout.write(
                json.dumps({"as_of": as_of.isoformat(), "firms": [r.as_json() for r in rows]}, ensure_ascii=False)
            )
            return
        a = sum(r.top_grade == "A" for r in rows)
        self.stdout.write(f"截至{as_of:%Y-%m-%d}，代建名录库共{len(rows)}家单位（甲类{a}家，乙类{len(rows) - a}家）")
        for r in rows:
            classes = "、".join(f"{name}{grade}" for name, grade in r.classes_display)
            self.stdout.write(f"{r.credit_code}\t{r.name}\t{r.status_label}\t{classes}")

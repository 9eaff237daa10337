"""`keyproj problems escalate-overdue [--today YYYY-MM-DD]`: the daily run of the escalation ladder.

Also `keyproj problems long-unresolved [--as-of YYYY-MM-DD]`: the problems to propose for 挂牌督办.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandError, CommandParser

from keyproj.core import clock
from keyproj.core.commandline import KeyprojCommand, acting_user, add_user_option
from keyproj.core.scoping import CONSOLE
from keyproj.problems.models import Problem
from keyproj.problems.services import escalate_overdue


def _day(text: str | None, option: str) -> dt.date:
    if not text:
        return clock.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option}“{text}”格式不对，应为YYYY-MM-DD，例如2019-07-31") from None


class Command(KeyprojCommand):
    help = "问题协调：escalate-overdue 超时自动上报（每日运行，可重复运行）；long-unresolved 列出久拖不决问题"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("escalate-overdue", help="把超过本级办理时限的问题上报上一级")
        run.add_argument("--today", help="以该日期为今天（YYYY-MM-DD；默认今天）")
        listing = sub.add_parser("long-unresolved", help="列出久拖不决、建议挂牌督办的问题")
        listing.add_argument("--as-of", dest="as_of", help="截至日期（YYYY-MM-DD；默认今天）")
        add_user_option(listing)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "escalate-overdue":
            today = _day(options.get("today"), "--today")
            steps = escalate_overdue(today=today, user=CONSOLE)
            for step in steps:
                self.stdout.write(
                    f"{step.problem.project.code} {step.problem.title}：{step.from_level}→{step.to_level}级"
                )
            self.stdout.write(f"{today:%Y-%m-%d}：超时自动上报{len(steps)}个问题")
            return
        user = acting_user(options.get("user"))
        as_of = _day(options.get("as_of"), "--as-of")
        rows = Problem.objects.visible_to(user).long_unresolved(as_of).select_related("project").order_by("raised_on")
        count = 0
        for problem in rows:
            count += 1
            days = (as_of - problem.raised_on).days
            self.stdout.write(
                f"{problem.project.code} {problem.project.name}｜{problem.title}｜{days}天｜第{problem.level}级"
            )
        self.stdout.write(f"截至{as_of:%Y-%m-%d}，久拖不决问题{count}个")

"""`keyproj close-month --period YYYY-MM [--override-reason TEXT] [--issue] [--out DIR]`: close a month.

The same rules as the page: refused, with exit status 1 and nothing written, before the
returns' deadline, while an earlier month of the year is open, and below the completeness
rule unless `--override-reason` says why. Closing an already closed month changes nothing and
exits 0; a run that meets another closer of the same month still at work exits 1 with a message.
Closing takes no 文号; `--issue` then issues the month's 通报 (taking the next 文号). With
--out the notice as it stands (issued, or a 草稿 without a 文号) is (re)written: the 通报 as
.docx and .pdf and the ranking tables as .xlsx.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser
from django.db import OperationalError

from keyproj.core.audit import ConflictError
from keyproj.core.commandline import KeyprojCommand, acting_user, add_user_option
from keyproj.core.errors import Refused
from keyproj.core.period import Period, PeriodError
from keyproj.supervision.services import close_month, issue_close_notice
from keyproj.supervision.writing import write_notice_files


def _refusal(exc: Refused) -> CommandError:
    return CommandError("；".join(str(p) for p in exc.problems))


class Command(KeyprojCommand):
    help = "月度关账：计算红黑榜、红黄牌和挂牌督办建议，冻结快照；可另行印发通报（取文号）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="月份，YYYY-MM，例如 2019-07")
        parser.add_argument(
            "--override-reason",
            default="",
            help="已审核月报低于关账完整性规则时仍要关账的理由（记入快照并印在通报中）",
        )
        parser.add_argument("--issue", action="store_true", help="关账后印发通报（取得下一个文号）")
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
            outcome = close_month(period, user=user, override_reason=options["override_reason"])
            if options["issue"]:
                issue_close_notice(outcome.close, user=user)
        except Refused as exc:
            message = str(_refusal(exc))
            if "理由" in message and not options["override_reason"].strip():
                message += "（用 --override-reason 给出理由）"
            raise CommandError(message) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc) or "无权关账") from None
        except (ConflictError, OperationalError):
            # Another closer (page, API or a second run) changed the month meanwhile, or held it past the
            # database's patience: nothing of this run was written, and it says so instead of a traceback.
            raise CommandError(f"{period.label}正由他人关账或刚被修改，本次未保存，请稍后重新运行") from None
        close = outcome.close
        snap = close.snapshot
        red = sum(1 for c in snap["cards"] if c["colour"] == "red")
        verb = "已关账" if outcome.created else "此前已关账，未作任何修改"
        rules = snap["rules"]
        self.stdout.write(
            f"{period.label}{verb}：红牌{red}张，黄牌{len(snap['cards']) - red}张，"
            f"挂牌督办建议{len(snap['listings']['proposals'])}项（规则：红黄牌规则第{rules['card']['version']}版，"
            f"红黑榜规则第{rules['ranking']['version']}版）"
        )
        self.stdout.write(snap["city"]["sentence"])
        complete = snap.get("completeness") or {}
        if complete:
            self.stdout.write(f"已审核月报 {complete['approved']}/{complete['due']}（{complete['share'] or '—'}%）")
        if complete.get("override_reason"):
            self.stdout.write(f"低于关账要求的{complete['required']}%，关账理由：{complete['override_reason']}")
        if snap.get("notice"):
            self.stdout.write(f"通报文号：{snap['notice']['number']}")
        else:
            self.stdout.write("通报尚未印发（未取文号）；用 --issue 印发")
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

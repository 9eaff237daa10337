"""The rules of 月度督办: each rule's versions, and for the office the publishing of a new one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from keyproj.accounts.permissions import is_office
from keyproj.core import clock
from keyproj.core.errors import Refused, tell
from keyproj.core.rules import publish_rule
from keyproj.supervision.forms import RULE_FORMS, rule_values
from keyproj.supervision.models import CardRule, CompletenessRule, RankingRule
from keyproj.supervision.views.common import scoped_or_404


@login_required
def rules_page(request: HttpRequest) -> HttpResponse:
    """The rules in force and their versions; the office publishes a new version here."""
    scoped_or_404(request)
    office = is_office(request.user)
    if request.method == "POST":
        if not office:
            raise PermissionDenied
        which = request.POST.get("rule")
        try:
            if which not in RULE_FORMS:
                raise Refused([gettext("未知的规则")])
            model, form_class = RULE_FORMS[which]
            values, effective_from = rule_values(form_class, request.POST)
            publish_rule(
                model, values, user=request.user, note=request.POST.get("note", ""), effective_from=effective_from
            )
            messages.success(request, gettext("已发布为新版本规则，生效日期起关账的月份使用新规则"))
            return redirect("supervision:rules")
        except Refused as exc:
            tell(request, exc)
    # The forms start from the rules in force; the note and the day it takes effect are the new version's own.
    initial = {"note": "", "effective_from": clock.today()}
    summaries = {"card": _card_summary, "ranking": _ranking_summary, "completeness": _completeness_summary}
    context = {
        "nav": "supervision",
        "office": office,
        "rule_sets": [
            (
                model._meta.verbose_name,
                form_class(instance=model.current(), initial=initial),
                which,
                [summaries[which](rule) for rule in model.objects.select_related("created_by")[:20]],
            )
            for which, (model, form_class) in RULE_FORMS.items()
        ],
    }
    return render(request, "supervision/rules.html", context)


def _completeness_summary(rule: CompletenessRule) -> dict[str, Any]:
    summary = gettext("有已批准年度计划的项目中，本月月报已审核的不低于%(share)s%%方可关账；不足时须填写理由") % {
        "share": rule.min_approved_share
    }
    return {"version": rule.version, "summary": summary, "rule": rule, "effective_from": rule.effective_from}


def _card_summary(rule: CardRule) -> dict[str, Any]:
    summary = gettext(
        "完成序时低于%(yellow)s%%黄牌、低于%(red)s%%红牌；逾期未开工%(sy)s个月黄牌、%(sr)s个月红牌；"
        "连续黄牌升红牌：%(repeat)s；整改期限%(months)s个月"
    ) % {
        "yellow": rule.yellow_below,
        "red": rule.red_below,
        "sy": rule.start_yellow_months,
        "sr": rule.start_red_months,
        "repeat": gettext("是") if rule.repeat_to_red else gettext("否"),
        "months": rule.rectify_months,
    }
    return {"version": rule.version, "summary": summary, "rule": rule, "effective_from": rule.effective_from}


def _ranking_summary(rule: RankingRule) -> dict[str, Any]:
    summary = gettext("投资%(i)s + 开工%(s)s + 竣工%(c)s + 按时填报%(t)s；投资完成率封顶%(cap)s；红黑榜各%(n)s名") % {
        "i": rule.weight_investment,
        "s": rule.weight_start,
        "c": rule.weight_completion,
        "t": rule.weight_timeliness,
        "cap": rule.investment_cap,
        "n": rule.list_size,
    }
    return {"version": rule.version, "summary": summary, "rule": rule, "effective_from": rule.effective_from}

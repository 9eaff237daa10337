"""The audit actions annual plans and their amendments write, registered in AppConfig.ready()."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "plan.create": pgettext_lazy("audit action", "创建年度计划"),
    "plan.update": pgettext_lazy("audit action", "修改年度计划"),
    "plan.approve": pgettext_lazy("audit action", "批准年度计划"),
    "plan.amendment.request": pgettext_lazy("audit action", "申请调整年度计划"),
    "plan.amendment.decide": pgettext_lazy("audit action", "审批计划调整申请"),
}

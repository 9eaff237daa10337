"""The audit actions monthly returns, their amendments and month locks write, registered in AppConfig.ready()."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "return.create": pgettext_lazy("audit action", "新建月度填报"),
    "return.update": pgettext_lazy("audit action", "修改月度填报"),
    "return.submit": pgettext_lazy("audit action", "提交月度填报"),
    "return.approve": pgettext_lazy("audit action", "审核通过月度填报"),
    "return.send_back": pgettext_lazy("audit action", "退回月度填报"),
    "return.amend": pgettext_lazy("audit action", "按更正申请修改填报"),
    "return.amendment.request": pgettext_lazy("audit action", "申请更正月度填报"),
    "return.amendment.decide": pgettext_lazy("audit action", "审批更正申请"),
    "month.lock": pgettext_lazy("audit action", "锁定月份"),
    "month.unlock": pgettext_lazy("audit action", "解锁月份"),
}

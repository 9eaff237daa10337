"""The audit actions problems, meetings and site visits write, registered in AppConfig.ready()."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "problem.raise": pgettext_lazy("audit action", "提出问题"),
    "problem.update": pgettext_lazy("audit action", "修改问题"),
    "problem.take_up": pgettext_lazy("audit action", "受理问题"),
    "problem.escalate": pgettext_lazy("audit action", "上报上一级"),
    "problem.escalate.auto": pgettext_lazy("audit action", "超时自动上报"),
    "problem.resolve": pgettext_lazy("audit action", "问题已解决"),
    "problem.close": pgettext_lazy("audit action", "关闭问题"),
    "problem.reopen": pgettext_lazy("audit action", "重新打开问题"),
    "problem.attachment.add": pgettext_lazy("audit action", "上传附件"),
    "meeting.create": pgettext_lazy("audit action", "登记会议"),
    "meeting.update": pgettext_lazy("audit action", "修改会议"),
    "visit.create": pgettext_lazy("audit action", "登记深入现场"),
}

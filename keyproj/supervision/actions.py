"""The audit actions the month close, its notice and listed supervision write, registered in AppConfig.ready()."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "month.close": pgettext_lazy("audit action", "关账"),
    "month.reopen": pgettext_lazy("audit action", "重新打开月份"),
    "month.notice": pgettext_lazy("audit action", "生成月度通报"),
    "listing.propose": pgettext_lazy("audit action", "提议挂牌督办"),
    "listing.create": pgettext_lazy("audit action", "挂牌督办"),
    "listing.accept": pgettext_lazy("audit action", "确认挂牌督办"),
    "listing.decline": pgettext_lazy("audit action", "不予挂牌"),
    "listing.progress": pgettext_lazy("audit action", "报告督办进展"),
    "listing.overdue": pgettext_lazy("audit action", "督办逾期"),
    "listing.refer": pgettext_lazy("audit action", "移送效能纪检"),
    "listing.close": pgettext_lazy("audit action", "摘牌"),
}

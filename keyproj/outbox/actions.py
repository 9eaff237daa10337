"""The audit actions the outbox writes, registered in AppConfig.ready()."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "outbox.preference": pgettext_lazy("audit action", "修改通知设置"),
    "robot.create": pgettext_lazy("audit action", "新增群机器人"),
    "robot.update": pgettext_lazy("audit action", "修改群机器人"),
    "robot.disable": pgettext_lazy("audit action", "停用群机器人"),
    "robot.enable": pgettext_lazy("audit action", "启用群机器人"),
    "delivery.retry": pgettext_lazy("audit action", "重新发送外发消息"),
    "delivery.retry_all": pgettext_lazy("audit action", "重新发送全部已放弃的外发消息"),
}

"""The audit actions users, API tokens and login locks write, registered in AppConfig.ready()."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "user.create": pgettext_lazy("audit action", "新增用户"),
    "user.update": pgettext_lazy("audit action", "修改用户"),
    "token.issue": pgettext_lazy("audit action", "签发API令牌"),
    "token.revoke": pgettext_lazy("audit action", "撤销API令牌"),
    "login.unlock": pgettext_lazy("audit action", "解除登录锁定"),
}

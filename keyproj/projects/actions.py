"""The audit actions the project register write, registered in AppConfig.ready()."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "project.create": pgettext_lazy("audit action", "创建项目"),
    "project.update": pgettext_lazy("audit action", "修改项目"),
    "project.locate": pgettext_lazy("audit action", "设置项目坐标"),
}

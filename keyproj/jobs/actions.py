"""The audit actions the jobs write, registered in AppConfig.ready()."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "job.schedule": pgettext_lazy("audit action", "修改定时任务"),
    "job.run": pgettext_lazy("audit action", "立即运行定时任务"),
}

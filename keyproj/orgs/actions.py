"""The audit actions organisations write, registered in AppConfig.ready()."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "organisation.create": pgettext_lazy("audit action", "新增单位"),
    "organisation.update": pgettext_lazy("audit action", "修改单位"),
}

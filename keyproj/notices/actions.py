"""The audit actions notices (通报) write, registered in AppConfig.ready()."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "notice.issue": pgettext_lazy("audit action", "印发通报"),
    "notice.withdraw": pgettext_lazy("audit action", "撤回通报"),
}

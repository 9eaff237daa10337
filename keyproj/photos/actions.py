"""The audit actions the photos app writes, registered in AppConfig.ready()."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "photo.add": pgettext_lazy("audit action", "上传现场照片"),
    "photo.delete": pgettext_lazy("audit action", "删除现场照片"),
}

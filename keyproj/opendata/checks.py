"""A system check: the OC4IDS prefix in the settings is of the form the standard requires.

A malformed KEYPROJ_OC4IDS_PREFIX would make every export fail the standard's conformance check
(and the export command refuse it); `keyproj check` and every server start say so at once instead.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from keyproj.opendata.mapping import BadPrefix, check_prefix


@checks.register(checks.Tags.compatibility)
def oc4ids_prefix(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """An error when settings.KEYPROJ_OC4IDS_PREFIX is not "oc4ids-" and six lowercase letters or digits."""
    try:
        check_prefix(getattr(settings, "KEYPROJ_OC4IDS_PREFIX", ""))
    except BadPrefix as exc:
        return [
            checks.Error(
                str(exc),
                hint="请在 KEYPROJ_OC4IDS_PREFIX 中设置向OC4IDS登记的发布者前缀",
                id="keyproj.opendata.E001",
            )
        ]
    return []

from django.apps import AppConfig
from django.conf import settings


class CoreConfig(AppConfig):
    name = "keyproj.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        # Imported here, not at the top: Django reads apps.py before any model can be loaded.
        from keyproj.core import checks  # noqa: F401  (registers the partitioned tables' checks)
        from keyproj.core.api_text import use_clean_api_text
        from keyproj.core.forms import use_clean_text, use_readable_empty_choice

        use_readable_empty_choice()
        # Text is cleaned and capped at the door, once for every form and every API field (keyproj.core.text).
        use_clean_text()
        use_clean_api_text()
        if settings.KEYPROJ_REPLICAS:
            # Not critical: while a replica is down or behind, the primary answers its reads.
            from keyproj.core import health, replicas

            health.register("replicas", replicas.health_part)

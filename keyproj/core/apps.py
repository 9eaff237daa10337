from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "keyproj.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        # Imported here, not at the top: Django reads apps.py before any model can be loaded.
        from keyproj.core.api_text import use_clean_api_text
        from keyproj.core.forms import use_clean_text, use_readable_empty_choice

        use_readable_empty_choice()
        # Text is cleaned and capped at the door, once for every form and every API field (keyproj.core.text).
        use_clean_text()
        use_clean_api_text()

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "keyproj.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from keyproj.core.forms import use_readable_empty_choice

        use_readable_empty_choice()

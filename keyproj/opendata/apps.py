from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    name = "keyproj.opendata"
    label = "opendata"
    verbose_name = "公开数据"

    def ready(self) -> None:
        from keyproj.opendata import checks  # noqa: F401  (registers the OC4IDS prefix check)

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "keyproj.core"
    label = "core"
    verbose_name = "基础"

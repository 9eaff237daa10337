from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "keyproj.notices"
    label = "notices"
    verbose_name = "通报"

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "keyproj.supervision"
    label = "supervision"
    verbose_name = "月度督办"

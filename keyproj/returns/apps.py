from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "keyproj.returns"
    label = "returns"
    verbose_name = "月度填报"

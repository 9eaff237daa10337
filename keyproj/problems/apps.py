from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "keyproj.problems"
    label = "problems"
    verbose_name = "问题协调"

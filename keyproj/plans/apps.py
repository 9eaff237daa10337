from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "keyproj.plans"
    label = "plans"
    verbose_name = "年度计划"

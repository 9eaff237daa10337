from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "keyproj.metrics"
    label = "metrics"
    verbose_name = "统计"

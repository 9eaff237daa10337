from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "keyproj.metrics"
    label = "metrics"
    verbose_name = "统计"

    def ready(self) -> None:
        # models are not ready at import time: register reads them through the figures it offers.
        from keyproj.metrics.register import register

        register()

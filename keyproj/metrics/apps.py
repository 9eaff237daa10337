from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "keyproj.metrics"
    label = "metrics"
    verbose_name = "统计"

    def ready(self) -> None:
        # What this app plugs into the apps below it (see docs/architecture.md, "Registrations").
        # Imported here, not at the top: Django reads apps.py before any model can be loaded.
        from keyproj.metrics.register import register

        register()

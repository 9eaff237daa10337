from django.apps import AppConfig

from keyproj.core.actions import register as register_actions
from keyproj.jobs.actions import ACTIONS


class JobsConfig(AppConfig):
    """The work done on a schedule (reminders, 催报, escalation, message delivery) and its runs."""

    name = "keyproj.jobs"
    label = "jobs"
    verbose_name = "定时任务"

    def ready(self) -> None:
        # What this app plugs into the apps below it (see docs/architecture.md, "Registrations").
        # Imported here, not at the top: Django reads apps.py before any model can be loaded.
        from keyproj.core import health
        from keyproj.jobs import health as checks

        register_actions(ACTIONS, app=self.label)
        health.register("worker", checks.worker)
        health.register("scheduler", checks.scheduler)

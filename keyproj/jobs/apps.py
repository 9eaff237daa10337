from django.apps import AppConfig

from keyproj.core.actions import register as register_actions
from keyproj.jobs.actions import ACTIONS


def hide_django_q_admin() -> None:
    """Take django-q's models (Schedule, OrmQ, Success, Failure) off the admin.

    django_q registers them on `admin.site` (our office site) when the admin discovers it. Its Schedule
    names any Python function to call, which the cluster would run: an admin page that runs code. The
    queue's rows are keyproj.jobs' business alone (its runs are on the office's /jobs/ pages).
    """
    # django_q.admin imported first, so its registration has happened whichever order the apps became ready in.
    import django_q.admin  # noqa: F401
    from django.contrib import admin
    from django_q.models import Failure, OrmQ, Schedule, Success

    for model in (Schedule, OrmQ, Success, Failure):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


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
        hide_django_q_admin()
        health.register("worker", checks.worker)
        health.register("scheduler", checks.scheduler)

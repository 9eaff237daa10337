from django.apps import AppConfig

from keyproj.core.actions import register as register_actions
from keyproj.projects.actions import ACTIONS


class ProjectsConfig(AppConfig):
    """The project register and its configurable lists."""

    name = "keyproj.projects"
    label = "projects"
    verbose_name = "项目库"

    def ready(self) -> None:
        # What this app plugs into the apps below it (see docs/architecture.md, "Registrations").
        register_actions(ACTIONS, app=self.label)

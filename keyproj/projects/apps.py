from django.apps import AppConfig

from keyproj.core.actions import register as register_actions
from keyproj.projects.actions import ACTIONS


class ProjectsConfig(AppConfig):
    name = "keyproj.projects"
    label = "projects"
    verbose_name = "项目库"

    def ready(self) -> None:
        # The audit actions this app writes (keyproj.core.actions refuses any other).
        register_actions(ACTIONS, app=self.label)

from django.apps import AppConfig


class AgentsConfig(AppConfig):
    name = "keyproj.agents"
    label = "agents"
    verbose_name = "代建管理"

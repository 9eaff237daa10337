from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The home page (首页/驾驶舱): it draws on figures and closes, so it sits above them all."""

    name = "keyproj.dashboard"
    label = "dashboard"
    verbose_name = "首页"

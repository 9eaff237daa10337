from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The home page (首页/驾驶舱) and 一张图: they draw on figures and closes, so they sit above them all."""

    name = "keyproj.dashboard"
    label = "dashboard"
    verbose_name = "首页"

    def ready(self) -> None:
        # The project page's location block (the map to click a project's point on).
        from keyproj.dashboard import sections

        sections.register()

from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """Messages that reach people beyond the app: e-mail and the organisations' group robots."""

    name = "keyproj.outbox"
    label = "outbox"
    verbose_name = "消息外发"

    def ready(self) -> None:
        # What this app plugs into the apps below it (see docs/architecture.md, "Registrations").
        # Imported here, not at the top: Django reads apps.py before any model can be loaded.
        from keyproj.accounts.services import register_channel
        from keyproj.core import health
        from keyproj.core.actions import register as register_actions
        from keyproj.outbox import delivery, services
        from keyproj.outbox.actions import ACTIONS

        register_actions(ACTIONS, app=self.label)
        register_channel(services.enqueue)
        health.register("outbox", delivery.health)

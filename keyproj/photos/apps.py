from django.apps import AppConfig

from keyproj.core.actions import register as register_actions
from keyproj.photos.actions import ACTIONS


class PhotosConfig(AppConfig):
    """Site photos as evidence on returns and site visits: EXIF time and place, flags, a project timeline."""

    name = "keyproj.photos"
    label = "photos"
    verbose_name = "现场照片"

    def ready(self) -> None:
        # What this app plugs into the apps below it (see docs/architecture.md, "Registrations").
        # Imported here, not at the top: Django reads apps.py before any model can be loaded.
        from keyproj.accounts.permissions import is_office
        from keyproj.core import rules
        from keyproj.photos import hooks
        from keyproj.photos.models import PhotoRule

        register_actions(ACTIONS, app=self.label)
        rules.register(PhotoRule, slug="photos", may_publish=is_office, order=36)
        hooks.register()

"""The `keyproj` command: Django's management commands under the project's own name."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyproj.settings")
    # Django is imported only once the settings module is named (its imports read it).
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        # A setting the operator gave (KEYPROJ_TODAY, KEYPROJ_SECRET_KEY …) is wrong: say which, not a traceback.
        sys.exit(f"keyproj: {exc}")
    execute_from_command_line(["keyproj", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()

"""WSGI entry point for any WSGI server (waitress via `keyproj serve`, or gunicorn)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyproj.settings")
application = get_wsgi_application()

"""`keyproj serve [--host H] [--port P]`: serve the application with waitress."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "启动网页服务（waitress）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        # The server is loaded only when serving, not whenever the command list is read.
        from waitress import serve

        # Static files are served by whitenoise from STATIC_ROOT; collect them first so
        # that a production-mode server (KEYPROJ_DEBUG=0) finds them too. Before the
        # application is loaded: whitenoise lists STATIC_ROOT once, when it starts.
        call_command("collectstatic", interactive=False, verbosity=0)

        from keyproj.wsgi import application  # after collectstatic: see above

        self.stdout.write(f"keyproj 正在运行：http://{options['host']}:{options['port']}/  （Ctrl+C 退出）")
        serve(application, host=options["host"], port=options["port"], threads=options["threads"])

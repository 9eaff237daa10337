"""What every keyproj command shares: acting as a user (or the console) under a command id."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from keyproj.core import text
from keyproj.core.context import request_id
from keyproj.core.scoping import CONSOLE


def add_user_option(parser: CommandParser) -> None:
    parser.add_argument(
        "--user",
        metavar="USERNAME",
        help="以该用户的身份和权限范围运行（默认：命令行操作员，可见全部）",
    )


def acting_user(username: str | None) -> Any:
    """The named active user, or the console operator when no name is given."""
    if not username:
        return CONSOLE
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"没有名为“{username}”的有效用户")
    return user


class KeyprojCommand(BaseCommand):
    """A management command whose changes are audited under one command id."""

    def execute(self, *args: Any, **options: Any) -> Any:
        options = {key: _clean_option(key, value) for key, value in options.items()}
        with request_id(prefix="cmd"):
            return super().execute(*args, **options)


def _clean_option(key: str, value: Any) -> Any:
    """A command's text option as a form would take it: one line, no control characters, capped.

    Arguments arrive from a shell or a script, where a pasted vertical tab or NUL is as likely as
    on a page; the services behind a command then see the same clean text as behind a form.
    """
    if isinstance(value, list):
        return [_clean_option(key, item) for item in value]
    if not isinstance(value, str) or key in ("stdout", "stderr"):
        return value
    value = text.clean(value, multiline=False).strip()
    if len(value) > text.TEXT_LIMIT:
        raise CommandError(text.length_message(f"--{key.replace('_', '-')}", text.TEXT_LIMIT, len(value)))
    return value

"""The ways a message leaves the platform: e-mail, and the group robots of 企业微信 and 钉钉.

Each sender takes a `Message` and either returns (delivered) or raises `SendError` with what went
wrong, in words the office can act on; the worker records it and tries again later.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

SITE_NAME = "重点项目督办平台"


class SendError(Exception):
    """The channel did not take the message (refused, unreachable, timed out, answered an error)."""


@dataclass(frozen=True)
class Message:
    """What is sent: a title, the text, and a link into the site (a path or an absolute address)."""

    title: str
    body: str = ""
    url: str = ""

    @property
    def link(self) -> str:
        """The link as an absolute address: a mail reader or a chat group is not on the site."""
        if not self.url or "://" in self.url:
            return self.url
        base = str(getattr(settings, "KEYPROJ_SITE_URL", "http://127.0.0.1:8000")).rstrip("/")
        return f"{base}/{self.url.lstrip('/')}"

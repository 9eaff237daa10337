"""钉钉 group robot: POST {"msgtype": "markdown", "markdown": {"title", "text"}}, the address signed when
the robot has a secret (加签): &timestamp=<ms>&sign=<base64 HMAC-SHA256 of "<timestamp>\\n<secret>">."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any
from urllib.parse import quote_plus

from keyproj.outbox.channels import Message
from keyproj.outbox.channels.http import check_errcode, post_json
from keyproj.outbox.channels.markdown import markdown


def sign(secret: str, timestamp_ms: int) -> str:
    """The signature 钉钉 checks: base64(HMAC-SHA256(key=secret, "<timestamp>\\n<secret>"))."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """The address with timestamp and sign added; 钉钉 refuses a timestamp more than an hour off."""
    if not secret:
        return url
    if timestamp_ms is None:
        timestamp_ms = int(time.time() * 1000)
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={quote_plus(sign(secret, timestamp_ms))}"


def payload(message: Message) -> dict[str, Any]:
    return {"msgtype": "markdown", "markdown": {"title": message.title[:100], "text": markdown(message)}}


def send(robot: Any, message: Message) -> None:
    check_errcode(post_json(signed_url(robot.url, robot.secret), payload(message)))

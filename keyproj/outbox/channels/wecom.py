"""企业微信 group robot: POST {"msgtype": "markdown", "markdown": {"content": …}} to its webhook address."""

from __future__ import annotations

from typing import Any

from keyproj.outbox.channels import Message
from keyproj.outbox.channels.http import check_errcode, post_json
from keyproj.outbox.channels.markdown import markdown

# 企业微信 takes at most 4096 bytes of markdown content.
CONTENT_MAX_BYTES = 4096


def payload(message: Message) -> dict[str, Any]:
    content = markdown(message).encode("utf-8")[:CONTENT_MAX_BYTES].decode("utf-8", "ignore")
    return {"msgtype": "markdown", "markdown": {"content": content}}


def send(robot: Any, message: Message) -> None:
    check_errcode(post_json(robot.url, payload(message)))

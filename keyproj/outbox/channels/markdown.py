"""A message as the robots' markdown: the title in bold, the text, the link."""

from __future__ import annotations

from keyproj.outbox.channels import Message


def markdown(message: Message) -> str:
    lines = [f"**{message.title}**"]
    if message.body:
        lines += ["", message.body]
    if message.link:
        lines += ["", f"[{message.link}]({message.link})"]
    return "\n".join(lines)

"""The id of the request or command being served, for the audit log."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_current: ContextVar[str] = ContextVar("keyproj_request_id", default="")


def current_request_id() -> str:
    return _current.get()


@contextmanager
def request_id(value: str | None = None, *, prefix: str = "req") -> Iterator[str]:
    """Run a block under a request id (a fresh one unless given)."""
    token = _current.set(value or f"{prefix}-{uuid.uuid4().hex[:16]}")
    try:
        yield _current.get()
    finally:
        _current.reset(token)

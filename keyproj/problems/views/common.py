"""What the problems pages share: the page size and the ids ticked on a form."""

from __future__ import annotations

PAGE_SIZE = 50


def posted_ids(values: list[str]) -> list[int]:
    """The well-formed ids among those posted, a malformed one left out: the meeting form ticks them again
    (its save refuses a malformed one through params.object_ids), the notifications mark them read."""
    return [int(v) for v in values if v.isascii() and v.isdigit() and len(v) <= 10]

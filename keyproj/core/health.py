"""What `/healthz` reports beside the database: each app that runs something registers a check.

A check answers with a `Part`: whether it is healthy, whether the site is unusable without it
(`critical`: the database, the cache — a load balancer should stop sending requests here), and
details for the operator (e.g. when the scheduler last ran each job). A part that is not critical
is reported but does not turn the answer into a 503: a web node still serves pages while the
worker is restarting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Part:
    ok: bool
    critical: bool = False
    detail: dict[str, Any] = field(default_factory=dict)


Check = Callable[[], Part]
_checks: dict[str, Check] = {}


def register(name: str, check: Check) -> None:
    """Report `check` under `name` in every health answer (an app's ready() calls this)."""
    _checks[name] = check


def checks() -> dict[str, Check]:
    return dict(_checks)

"""The health check a load balancer and an operator ask: can this node serve, and is anything ailing?

`/healthz` answers JSON: {"status": "ok" | "degraded" | "unavailable", "checks": {name: part}}.
The database and the cache are critical — without either a page cannot be served, so the answer is
503 and a load balancer stops sending requests here. Every part registered with
`keyproj.core.health.register` (the job worker, the scheduler) is reported too; one that fails
without being critical makes the answer "degraded" but still 200: the pages work while, say, the
worker restarts. 200 whenever the database answers and the cache works, as DESIGN states.

Nothing secret is written: a failing part says what kind of error it met, never its message (which
may name a host, a user or a URL); the message goes to the log.
"""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from keyproj.core import health
from keyproj.core.health import Part

logger = logging.getLogger(__name__)


def database() -> Part:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return Part(ok=True, critical=True)


def cache_works() -> Part:
    # A value of its own under a key of its own: several nodes probing at once do not read each
    # other's value, and a cache that accepts writes but returns nothing (full, misconfigured) fails.
    key = f"keyproj:healthz:{secrets.token_hex(8)}"
    value = secrets.token_hex(8)
    cache.set(key, value, timeout=10)
    answered = cache.get(key)
    cache.delete(key)
    return Part(ok=answered == value, critical=True)


# The site's own two parts, always asked first; a registered part cannot replace them.
_CRITICAL = {"database": database, "cache": cache_works}


def _run(name: str, check: health.Check, *, critical: bool) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        part = check()
    except Exception as exc:
        # The kind of error only: its text could carry a host, a user name or a connection URL.
        logger.exception("health check: %s failed", name)
        part = Part(ok=False, critical=critical, detail={"error": type(exc).__name__})
    answer: dict[str, Any] = {
        "ok": part.ok,
        "critical": part.critical or critical,
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }
    for key, value in part.detail.items():
        answer.setdefault(key, value)  # a detail never overrides the verdict
    return answer


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database and the cache answer ("ok", or "degraded" if a lesser part fails); 503 if not."""
    checks = {name: _run(name, check, critical=True) for name, check in _CRITICAL.items()}
    for name, check in health.checks().items():
        if name not in checks:
            checks[name] = _run(name, check, critical=False)
    failing = [answer for answer in checks.values() if not answer["ok"]]
    if any(answer["critical"] for answer in failing):
        status, code = "unavailable", 503
    elif failing:
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "checks": checks}, status=code, encoder=DjangoJSONEncoder)

"""Read replicas: reads of a request go to a PostgreSQL streaming replica, everything else to the primary.

Configured by KEYPROJ_REPLICA_URLS (comma-separated database URLs, like KEYPROJ_DATABASE_URL); each
becomes a database alias (`replica`, `replica_2`, …) and `ReplicaRouter` is installed. Without it
nothing here runs beyond the middleware's one look at the setting.

Who reads where:
- every write goes to the primary (`default`);
- a read goes to a replica only inside a request that `ReplicaMiddleware` found eligible: a safe
  method (GET, HEAD, OPTIONS) from a client that has not written in the last
  KEYPROJ_REPLICA_PIN_SECONDS (the signed pin cookie, set on every request that wrote; for an API
  client that keeps no cookies, a mark in the shared cache under its token's hash). Jobs, commands
  and the shell never set that mark, so whatever they read and write stays on the primary;
- a read inside a transaction on the primary (a service's `transaction.atomic`, `select_for_update`)
  stays on the primary: it must see what the transaction wrote and lock what it will change;
- once a request has written, its later reads stay on the primary too;
- a replica that does not answer, is not streaming from the primary (cut off, it would look up to
  date forever), or whose replay is more than KEYPROJ_REPLICA_MAX_LAG seconds behind, is passed over
  (the primary answers). Its health is asked at most every KEYPROJ_REPLICA_CHECK_SECONDS
  per process; a replica that fails mid-request is marked down and the request's view runs again on
  the primary (safe methods only, which may run twice by definition);
- the shared cache out of reach: an API client's pin cannot be read, so its reads go to the primary,
  and a write's answer stands even though its pin could not be stored.

So a person never sees their own change disappear: within the pin window they read the primary, and
after it any replica they are sent to is at most MAX_LAG + CHECK seconds behind, which settings keep
below the pin window.
"""

from __future__ import annotations

import hashlib
import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.utils.connection import ConnectionDoesNotExist

from keyproj.core.health import Part

logger = logging.getLogger(__name__)

PRIMARY = "default"
POSTGRESQL = "django.db.backends.postgresql"
PIN_COOKIE = "keyproj_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# A replica that did not answer is asked again after this many seconds (or the check interval, if longer).
DOWN_RECHECK_SECONDS = 30


# -- settings ---------------------------------------------------------------------------------------


def replica_alias(index: int) -> str:
    """`replica` for the first, `replica_2`, `replica_3`… for the others."""
    return "replica" if index == 0 else f"replica_{index + 1}"


def _shown(url: str) -> str:
    """The URL without its password, for an error message that may end up in a log."""
    try:
        parts = urlsplit(url)
        if parts.password:
            return url.replace(f":{parts.password}@", ":***@", 1)
    except ValueError:
        pass
    return url


def replica_databases(urls: list[str], primary: Mapping[str, Any], *, conn_max_age: int) -> dict[str, Any]:
    """The DATABASES entries for KEYPROJ_REPLICA_URLS, or a clear refusal of a value that cannot work."""
    import dj_database_url  # (only when replicas are configured)

    if not urls:
        return {}
    if primary["ENGINE"] != POSTGRESQL:
        raise ImproperlyConfigured(
            "KEYPROJ_REPLICA_URLS needs PostgreSQL as the primary (KEYPROJ_DATABASE_URL=postgres://…): "
            "read replicas are PostgreSQL streaming replicas of it."
        )
    databases: dict[str, Any] = {}
    seen = {(str(primary.get("HOST", "")), str(primary.get("PORT", "")))}
    for index, url in enumerate(urls):
        where = f"KEYPROJ_REPLICA_URLS entry {index + 1} ({_shown(url)})"
        try:
            config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=conn_max_age))
        except ValueError:
            raise ImproperlyConfigured(
                f"{where} is not a database URL; write postgres://user:password@host:port/dbname, "
                "several separated by commas."
            ) from None
        if config["ENGINE"] != POSTGRESQL:
            raise ImproperlyConfigured(f"{where} must be a postgres:// URL (a PostgreSQL streaming replica).")
        if not config["HOST"]:
            raise ImproperlyConfigured(f"{where} names no host.")
        # A physical replica holds the primary's very databases: another name would be another database.
        config["NAME"] = config["NAME"] or primary["NAME"]
        if config["NAME"] != primary["NAME"]:
            raise ImproperlyConfigured(
                f"{where} names the database {config['NAME']!r}, but the primary's is {primary['NAME']!r}: "
                "a streaming replica has the same databases as its primary."
            )
        if not config["USER"]:
            config["USER"], config["PASSWORD"] = primary.get("USER", ""), primary.get("PASSWORD", "")
        place = (str(config["HOST"]), str(config["PORT"]))
        if place in seen:
            raise ImproperlyConfigured(f"{where} is the primary or another replica again (same host and port).")
        seen.add(place)
        # A replica that does not answer costs a request two seconds at most before the primary takes over.
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
        config["OPTIONS"].setdefault("application_name", "keyproj-replica-reads")
        databases[replica_alias(index)] = config
    return databases


def check_timings(*, pin_seconds: int, max_lag: int, check_seconds: int) -> None:
    """Refuse a pin window that a lagging replica could outlast (the writer would miss their change)."""
    if min(pin_seconds, max_lag, check_seconds) < 0:
        raise ImproperlyConfigured(
            "KEYPROJ_REPLICA_PIN_SECONDS, KEYPROJ_REPLICA_MAX_LAG and KEYPROJ_REPLICA_CHECK_SECONDS cannot be negative."
        )
    if pin_seconds < max_lag + check_seconds:
        raise ImproperlyConfigured(
            f"KEYPROJ_REPLICA_PIN_SECONDS ({pin_seconds}) must be at least KEYPROJ_REPLICA_MAX_LAG ({max_lag}) + "
            f"KEYPROJ_REPLICA_CHECK_SECONDS ({check_seconds}): after the pin a writer may be sent to a replica "
            "that far behind, and must find their change there."
        )


# -- the request's mark -----------------------------------------------------------------------------


@dataclass
class Reading:
    """What the router knows of the request being served."""

    replica_ok: bool
    wrote: bool = False
    alias: str | None = None  # the replica this request reads, once chosen (one per request)
    used: set[str] = field(default_factory=set)


_reading: ContextVar[Reading | None] = ContextVar("keyproj_replica_reading", default=None)


@contextmanager
def reading(*, replica_ok: bool) -> Iterator[Reading]:
    """Serve a block as one request: its reads may go to a replica only if `replica_ok`."""
    state = Reading(replica_ok=replica_ok)
    token = _reading.set(state)
    try:
        yield state
    finally:
        _reading.reset(token)


# -- health -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Health:
    ok: bool
    lag: float | None
    error: str = ""
    until: float = 0.0  # time.monotonic() after which it is asked again


_health: dict[str, Health] = {}

# Lag 0 when everything received is replayed (an idle primary sends nothing, and the last replayed
# transaction's age says nothing then); otherwise the age of the last transaction replayed. NULL when
# nothing was ever replayed while something waits: unknown, so not trusted.
# Streaming: a replica cut off from the primary keeps its last received location, replays up to it and
# would say lag 0 forever; only a WAL receiver still connected makes that 0 mean "up to date". Its row in
# pg_stat_wal_receiver is visible to any role, its status only to privileged ones (NULL otherwise).
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
END,
NOT pg_is_in_recovery() OR EXISTS (
    SELECT 1 FROM pg_stat_wal_receiver WHERE status IS NULL OR status = 'streaming'
)
"""
NOT_STREAMING = "not streaming"


def ask(alias: str) -> Health:
    """Ask the replica now: does it answer, is it streaming from the primary, and how far behind is it?"""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(LAG_SQL)
            row = cursor.fetchone()
    except DatabaseError as exc:
        if isinstance(exc, (OperationalError, InterfaceError)):
            _close(alias)  # lost: the next ask connects afresh
        logger.warning("replica %s does not answer: %s", alias, type(exc).__name__)
        return Health(ok=False, lag=None, error=type(exc).__name__, until=_down_until())
    answer = judge(row, max_lag=settings.KEYPROJ_REPLICA_MAX_LAG)
    if not answer.ok:
        logger.warning("replica %s is passed over: %s, lag %s s", alias, answer.error or "behind", answer.lag)
    return answer


def judge(row: tuple[Any, ...] | None, *, max_lag: float) -> Health:
    """LAG_SQL's answer as health: streaming from the primary, and no more than `max_lag` seconds behind."""
    until = time.monotonic() + settings.KEYPROJ_REPLICA_CHECK_SECONDS
    lag = None if row is None or row[0] is None else float(row[0])
    if row is None or row[1] is not True:
        return Health(ok=False, lag=lag, error=NOT_STREAMING, until=until)
    return Health(ok=lag is not None and lag <= max_lag, lag=lag, until=until)


def health(alias: str) -> Health:
    """The replica's health as last asked, asked again when older than KEYPROJ_REPLICA_CHECK_SECONDS."""
    known = _health.get(alias)
    if known is None or time.monotonic() >= known.until:
        known = _health[alias] = ask(alias)
    return known


def mark_down(alias: str, error: str) -> None:
    """Pass the replica over until its next check is due (it failed a query mid-request)."""
    _health[alias] = Health(ok=False, lag=None, error=error, until=_down_until())


def _down_until() -> float:
    # A replica that does not answer may take the connect timeout to say so, paid by the request that
    # asks: asked less often than one that answers (behind or not), so that few requests pay it.
    return time.monotonic() + max(settings.KEYPROJ_REPLICA_CHECK_SECONDS, DOWN_RECHECK_SECONDS)


def forget() -> None:
    """Ask every replica afresh on the next read."""
    _health.clear()


def _close(alias: str) -> None:
    # A connection that failed may fail again on closing; an alias the settings lost has none to close.
    with suppress(DatabaseError, ConnectionDoesNotExist):
        connections[alias].close()


def healthy_replica() -> str | None:
    """A healthy replica, chosen at random among those configured (so reads spread), or None."""
    aliases = list(settings.KEYPROJ_REPLICAS)
    random.shuffle(aliases)
    for alias in aliases:
        if health(alias).ok:
            return alias
    return None


def health_part() -> Part:
    """The replicas' part of /healthz: not critical — the primary answers every read meanwhile."""
    detail: dict[str, Any] = {}
    for alias in settings.KEYPROJ_REPLICAS:
        known = health(alias)
        detail[alias] = {"ok": known.ok, "lag_seconds": None if known.lag is None else round(known.lag, 1)} | (
            {"error": known.error} if known.error else {}
        )
    return Part(ok=all(part["ok"] for part in detail.values()), critical=False, detail=detail)


# -- the router -------------------------------------------------------------------------------------


class ReplicaRouter:
    """Writes to the primary; a request's reads to a healthy replica when nothing keeps them on the primary."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        state = _reading.get()
        if state is None or not state.replica_ok or not settings.KEYPROJ_REPLICAS:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        if state.alias is None or not health(state.alias).ok:
            state.alias = healthy_replica()
        if state.alias is None:
            return PRIMARY
        state.used.add(state.alias)
        return state.alias

    def db_for_write(self, model: type, **hints: Any) -> str:
        note_write()
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Every alias holds the same data: an object read from a replica may point at one from the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        # A replica is read-only and takes its schema from the primary's WAL.
        return db == PRIMARY


def note_write() -> None:
    """The current request wrote (or is about to): its later reads, and its writer's, go to the primary."""
    state = _reading.get()
    if state is not None:
        state.wrote = True
        state.replica_ok = False


# -- the middleware ---------------------------------------------------------------------------------


def _token_pin_key(request: HttpRequest) -> str | None:
    """The cache key of an API client's pin: a client with a token may keep no cookies."""
    authorization = request.headers.get("Authorization", "")
    if not authorization:
        return None
    return "keyproj:replica-pin:" + hashlib.sha256(authorization.encode()).hexdigest()[:32]


def _pinned(request: HttpRequest) -> bool:
    # None when absent, tampered with, or older than the pin window.
    pin = request.get_signed_cookie(
        PIN_COOKIE, default=None, salt=PIN_COOKIE, max_age=settings.KEYPROJ_REPLICA_PIN_SECONDS
    )
    if pin is not None:
        return True
    key = _token_pin_key(request)
    if key is None:
        return False
    try:
        return cache.get(key) is not None
    except Exception as exc:  # any cache backend's failure: the request must not fail with it
        # Unknown whether the client just wrote: the primary is the side that cannot show it stale data.
        logger.warning("the replica pin of an API client cannot be read (%s); it reads the primary", type(exc).__name__)
        return True


def _pin(request: HttpRequest, response: HttpResponse) -> None:
    # The cookie's own signature carries the time it was set; `_pinned` refuses it once older than
    # the window, whatever the browser keeps.
    response.set_signed_cookie(
        PIN_COOKIE,
        "1",
        salt=PIN_COOKIE,
        max_age=settings.KEYPROJ_REPLICA_PIN_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    # The cache is shared by every process of a deployment (Redis), so any of them honours the pin.
    key = _token_pin_key(request)
    if key is None:
        return
    try:
        cache.set(key, 1, timeout=settings.KEYPROJ_REPLICA_PIN_SECONDS)
    except Exception as exc:  # any cache backend's failure: the write has committed, its answer must stand
        # Without the mark a client that keeps no cookies may read a replica that lacks its change yet.
        logger.warning(
            "the replica pin of an API client cannot be stored (%s); its next reads may miss its write",
            type(exc).__name__,
        )


class ReplicaMiddleware:
    """Marks each request as one whose reads may go to a replica, and pins a client that wrote.

    Placed before the session and authentication middleware, so that loading the user follows the
    same rule as the view's reads.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.KEYPROJ_REPLICAS:
            return self.get_response(request)
        safe = request.method in SAFE_METHODS
        with reading(replica_ok=safe and not _pinned(request)) as state:
            request.replica_reading = state  # type: ignore[attr-defined]
            response = self.get_response(request)
        if state.wrote or not safe:
            _pin(request, response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A replica that failed mid-request: mark it down and run the view again on the primary."""
        state: Reading | None = getattr(request, "replica_reading", None)
        # Only a lost or refused connection, or a query the replica cancelled (a conflict with its
        # recovery), is the replica's fault; any other error would fail on the primary just the same.
        if state is None or not state.used or not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        for alias in state.used:
            mark_down(alias, type(exception).__name__)
            _close(alias)
        logger.warning("a read on a replica failed (%s); the view runs again on the primary", type(exception).__name__)
        if request.method not in SAFE_METHODS or state.wrote or request.resolver_match is None:
            return None
        state.replica_ok, state.alias, state.used = False, None, set()
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)  # type: ignore[no-any-return]

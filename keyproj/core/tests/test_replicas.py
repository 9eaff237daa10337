"""Read replicas without a replica: the router's choices, the pin cookie, the settings' refusals.

The real primary and streaming replica are in test_replica_pair.py (built by .ci/pg-pair).
"""

from __future__ import annotations

import json
import secrets
import time
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, ProgrammingError, connection, transaction
from django.http import HttpResponse
from django.test import override_settings
from django.urls import ResolverMatch

from keyproj.core import health, replicas
from keyproj.core.replicas import PIN_COOKIE, Health, ReplicaMiddleware, ReplicaRouter, reading
from keyproj.core.tests.test_settings import load_settings
from keyproj.projects.models import Project

ONE = override_settings(KEYPROJ_REPLICAS=["replica"])
PREFERENCES = "/api/v1/notification-preferences/"
TWO = override_settings(KEYPROJ_REPLICAS=["replica", "replica_2"])
PRIMARY_PG = {"ENGINE": "django.db.backends.postgresql", "NAME": "keyproj", "USER": "keyproj", "PASSWORD": "pw"}
PRIMARY_PG |= {"HOST": "db1", "PORT": 5432}


@pytest.fixture(autouse=True)
def _no_health_known():
    replicas.forget()
    yield
    replicas.forget()


def healthy(*aliases: str, lag: float = 0.0) -> None:
    for alias in aliases:
        replicas._health[alias] = Health(ok=True, lag=lag, until=time.monotonic() + 3600)


router = ReplicaRouter()


# -- the router's choices ---------------------------------------------------------------------------


def test_without_replicas_every_read_goes_to_the_primary():
    with reading(replica_ok=True):
        assert router.db_for_read(Project) == "default"


@ONE
def test_a_requests_read_goes_to_a_healthy_replica():
    healthy("replica")
    with reading(replica_ok=True) as state:
        assert router.db_for_read(Project) == "replica"
    assert state.used == {"replica"}


@ONE
def test_every_write_goes_to_the_primary_and_keeps_the_requests_later_reads_there():
    healthy("replica")
    with reading(replica_ok=True) as state:
        assert router.db_for_read(Project) == "replica"
        assert router.db_for_write(Project) == "default"
        assert router.db_for_read(Project) == "default"
    assert state.wrote


@ONE
def test_a_pinned_request_reads_the_primary():
    healthy("replica")
    with reading(replica_ok=False):
        assert router.db_for_read(Project) == "default"


@ONE
def test_reads_outside_a_request_stay_on_the_primary():
    # Jobs, commands and the shell: nothing marked them, so what they read is what they just wrote.
    healthy("replica")
    assert router.db_for_read(Project) == "default"
    assert router.db_for_write(Project) == "default"


@ONE
def test_a_read_inside_a_transaction_on_the_primary_stays_there(db):
    healthy("replica")
    with reading(replica_ok=True), transaction.atomic():
        assert connection.in_atomic_block
        assert router.db_for_read(Project) == "default"


@ONE
def test_a_replica_marked_down_is_passed_over():
    replicas.mark_down("replica", "OperationalError")
    with reading(replica_ok=True):
        assert router.db_for_read(Project) == "default"


@ONE
def test_a_replica_too_far_behind_is_passed_over():
    replicas._health["replica"] = replicas.Health(ok=False, lag=42.0, until=time.monotonic() + 3600)
    with reading(replica_ok=True):
        assert router.db_for_read(Project) == "default"


@TWO
def test_with_one_replica_down_the_other_serves():
    healthy("replica_2")
    replicas.mark_down("replica", "OperationalError")
    for _ in range(10):
        with reading(replica_ok=True):
            assert router.db_for_read(Project) == "replica_2"


@TWO
def test_a_request_keeps_to_one_replica_and_leaves_it_when_it_goes_down():
    healthy("replica", "replica_2")
    with reading(replica_ok=True):
        first = router.db_for_read(Project)
        assert {router.db_for_read(Project) for _ in range(10)} == {first}
        replicas.mark_down(first, "OperationalError")
        assert router.db_for_read(Project) == ({"replica", "replica_2"} - {first}).pop()


def test_migrations_run_on_the_primary_only_and_relations_cross_aliases():
    assert router.allow_migrate("default", "projects") is True
    assert router.allow_migrate("replica", "projects") is False
    assert router.allow_migrate("replica_2", "projects", model_name="project") is False
    assert router.allow_relation(Project(), Project()) is True


# -- health -----------------------------------------------------------------------------------------


@ONE
@override_settings(KEYPROJ_REPLICA_CHECK_SECONDS=3600)
def test_health_is_asked_at_most_once_per_check_interval():
    with mock.patch.object(
        replicas, "ask", return_value=Health(ok=True, lag=0.0, until=time.monotonic() + 3600)
    ) as ask:
        for _ in range(5):
            assert replicas.health("replica").ok
    assert ask.call_count == 1


@ONE
def test_health_is_asked_again_once_its_answer_is_old():
    with mock.patch.object(replicas, "ask", return_value=Health(ok=True, lag=0.0, until=0.0)) as ask:
        replicas.health("replica")
        replicas.health("replica")
    assert ask.call_count == 2


@ONE
@override_settings(KEYPROJ_REPLICA_CHECK_SECONDS=3)
def test_a_replica_that_does_not_answer_is_asked_again_less_often_than_one_that_is_behind():
    # Asking one that does not answer can cost a request the connect timeout.
    replicas.mark_down("replica", "OperationalError")
    assert replicas._health["replica"].until - time.monotonic() > 3 * 5
    with mock.patch.object(replicas, "connections", {"replica": mock.MagicMock()}) as fake:
        fake["replica"].cursor.return_value.__enter__.return_value.fetchone.return_value = (9.0, True)
        behind = replicas.ask("replica")
    assert not behind.ok and behind.lag == 9.0
    assert behind.until - time.monotonic() <= 3


@override_settings(KEYPROJ_REPLICA_CHECK_SECONDS=3)
def test_a_replica_is_healthy_only_while_streaming_and_within_the_lag_limit():
    assert replicas.judge((0, True), max_lag=5) == Health(ok=True, lag=0.0, until=mock.ANY)
    assert replicas.judge((5.0, True), max_lag=5).ok
    assert not replicas.judge((5.5, True), max_lag=5).ok
    assert not replicas.judge((None, True), max_lag=5).ok
    # Cut off from the primary: replay has caught up with the last WAL received, so lag says 0.
    cut_off = replicas.judge((0, False), max_lag=5)
    assert not cut_off.ok and cut_off.lag == 0 and cut_off.error == "not streaming"
    assert cut_off.until - time.monotonic() <= 3
    assert replicas.judge(None, max_lag=5).error == "not streaming"


@ONE
@override_settings(KEYPROJ_REPLICA_CHECK_SECONDS=3600)
def test_a_replica_that_is_not_streaming_is_passed_over_and_shown_so():
    with mock.patch.object(replicas, "connections", {"replica": mock.MagicMock()}) as fake:
        fake["replica"].cursor.return_value.__enter__.return_value.fetchone.return_value = (0, False)
        assert not replicas.health("replica").ok
    with reading(replica_ok=True):
        assert router.db_for_read(Project) == "default"
    assert replicas.health_part().detail["replica"] == {"ok": False, "lag_seconds": 0, "error": "not streaming"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the lag query is PostgreSQL's")
def test_a_server_not_in_recovery_answers_with_no_lag(db):
    # The primary itself stands in for a replica that has replayed everything.
    answer = replicas.ask("default")
    assert answer.ok and answer.lag == 0 and not answer.error


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the lag query is PostgreSQL's")
@override_settings(KEYPROJ_REPLICA_MAX_LAG=5)
def test_a_server_that_cannot_answer_the_lag_query_is_not_healthy(db, monkeypatch):
    monkeypatch.setattr(replicas, "LAG_SQL", "SELECT no_such_function()")
    # In the test's transaction: the failed statement is rolled back with this block, not the test's
    # (a replica's reads run in autocommit, where nothing is left to roll back).
    with transaction.atomic():
        answer = replicas.ask("default")
        transaction.set_rollback(True)
    assert not answer.ok and answer.error == "ProgrammingError"


@TWO
def test_the_health_part_is_not_critical_and_says_each_replicas_lag():
    healthy("replica", lag=1.25)
    replicas._health["replica_2"] = Health(ok=False, lag=None, error="OperationalError", until=time.monotonic() + 60)
    part = replicas.health_part()
    assert part.ok is False and part.critical is False
    assert part.detail == {
        "replica": {"ok": True, "lag_seconds": 1.2},
        "replica_2": {"ok": False, "lag_seconds": None, "error": "OperationalError"},
    }


@ONE
def test_healthz_answers_200_degraded_while_a_replica_is_down(client, db, monkeypatch):
    monkeypatch.setitem(health._checks, "replicas", replicas.health_part)
    replicas.mark_down("replica", "OperationalError")
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["replicas"]["ok"] is False and body["checks"]["replicas"]["critical"] is False
    assert body["checks"]["replicas"]["replica"]["error"] == "OperationalError"


# -- the middleware ---------------------------------------------------------------------------------


def serve(request, *, view=None):
    """Run the middleware around `view` (which records what the router knew) and return both."""
    seen = {}

    def get_response(req):
        state = replicas._reading.get()
        seen["replica_ok"] = state.replica_ok if state else None
        if view:
            view(req)
        return HttpResponse("ok")

    return ReplicaMiddleware(get_response)(request), seen


def pin_cookie(request_factory, *, age: float = 0.0) -> str:
    """A pin cookie as the middleware sets it, made `age` seconds ago."""
    with mock.patch("django.core.signing.time.time", return_value=time.time() - age):
        response, _ = serve(request_factory.post("/"))
    return response.cookies[PIN_COOKIE].value


@ONE
def test_a_get_may_read_a_replica_and_sets_no_pin(rf):
    response, seen = serve(rf.get("/projects/"))
    assert seen["replica_ok"] is True
    assert PIN_COOKIE not in response.cookies


@ONE
@override_settings(KEYPROJ_REPLICA_PIN_SECONDS=10)
def test_a_post_reads_the_primary_and_pins_its_client_for_the_window(rf):
    response, seen = serve(rf.post("/projects/"))
    assert seen["replica_ok"] is False
    cookie = response.cookies[PIN_COOKIE]
    assert cookie["max-age"] == 10 and cookie["httponly"] and cookie["samesite"] == "Lax"


@ONE
def test_a_get_that_writes_pins_its_client_too(rf):
    response, _ = serve(rf.get("/"), view=lambda request: router.db_for_write(Project))
    assert PIN_COOKIE in response.cookies


@ONE
def test_a_pinned_client_reads_the_primary_within_the_window(rf):
    request = rf.get("/projects/")
    request.COOKIES[PIN_COOKIE] = pin_cookie(rf, age=3)
    assert serve(request)[1]["replica_ok"] is False


@ONE
@override_settings(KEYPROJ_REPLICA_PIN_SECONDS=10)
def test_a_pin_older_than_the_window_no_longer_holds(rf):
    request = rf.get("/projects/")
    request.COOKIES[PIN_COOKIE] = pin_cookie(rf, age=11)
    assert serve(request)[1]["replica_ok"] is True


@ONE
def test_a_forged_pin_is_ignored(rf):
    request = rf.get("/projects/")
    request.COOKIES[PIN_COOKIE] = "1:forged:signature"
    assert serve(request)[1]["replica_ok"] is True


@ONE
def test_an_api_client_that_wrote_is_pinned_by_its_token_without_cookies(rf):
    token = f"Token {secrets.token_hex(20)}"
    response, _ = serve(rf.put("/api/v1/notification-preferences/", HTTP_AUTHORIZATION=token))
    assert PIN_COOKIE in response.cookies  # kept by browsers; a script may drop it

    assert serve(rf.get("/api/v1/notification-preferences/", HTTP_AUTHORIZATION=token))[1]["replica_ok"] is False
    other = f"Token {secrets.token_hex(20)}"
    assert serve(rf.get("/api/v1/notification-preferences/", HTTP_AUTHORIZATION=other))[1]["replica_ok"] is True


class CacheDown:
    """The shared cache (Redis) out of reach: every call fails, as django-redis's ConnectionInterrupted does."""

    def get(self, *args, **kwargs):
        raise ConnectionError("cache unreachable")

    set = get


@ONE
def test_with_the_cache_down_an_api_clients_read_goes_to_the_primary(rf, monkeypatch, caplog):
    monkeypatch.setattr(replicas, "cache", CacheDown())
    healthy("replica")
    token = f"Token {secrets.token_hex(20)}"
    reads = []
    response, seen = serve(
        rf.get(PREFERENCES, HTTP_AUTHORIZATION=token), view=lambda request: reads.append(router.db_for_read(Project))
    )
    assert response.status_code == 200
    assert seen["replica_ok"] is False and reads == ["default"]
    assert [record.levelname for record in caplog.records] == ["WARNING"]
    assert "cannot be read (ConnectionError)" in caplog.records[0].getMessage()


@ONE
def test_with_the_cache_down_a_write_that_committed_still_answers(rf, monkeypatch, caplog):
    monkeypatch.setattr(replicas, "cache", CacheDown())
    token = f"Token {secrets.token_hex(20)}"

    def view(request):
        router.db_for_write(Project)
        return HttpResponse(status=201)

    response = ReplicaMiddleware(view)(rf.post(PREFERENCES, HTTP_AUTHORIZATION=token))
    assert response.status_code == 201
    assert PIN_COOKIE in response.cookies  # a client that keeps cookies is still pinned
    assert [record.levelname for record in caplog.records] == ["WARNING"]
    assert "cannot be stored (ConnectionError)" in caplog.records[0].getMessage()


def test_without_replicas_the_middleware_marks_nothing_and_pins_nobody(rf):
    response, seen = serve(rf.post("/projects/"))
    assert seen["replica_ok"] is None
    assert PIN_COOKIE not in response.cookies


@ONE
def test_a_replica_failing_mid_request_is_marked_down_and_the_view_runs_on_the_primary(rf):
    healthy("replica")
    runs = []

    def view(request):
        alias = router.db_for_read(Project)
        runs.append(alias)
        if alias == "replica":
            raise OperationalError("server closed the connection unexpectedly")
        return HttpResponse("from the primary")

    request = rf.get("/projects/")
    request.resolver_match = ResolverMatch(view, (), {})
    middleware = ReplicaMiddleware(lambda req: HttpResponse())
    with reading(replica_ok=True) as state:
        request.replica_reading = state
        with pytest.raises(OperationalError) as failed:
            view(request)
        response = middleware.process_exception(request, failed.value)
    assert response.content == b"from the primary"
    assert runs == ["replica", "default"]
    assert not replicas.health("replica").ok


@ONE
def test_an_error_that_is_not_the_replicas_fault_is_not_retried(rf):
    request = rf.get("/projects/")
    request.resolver_match = ResolverMatch(lambda r: HttpResponse(), (), {})
    with reading(replica_ok=True) as state:
        state.used.add("replica")
        request.replica_reading = state
        assert ReplicaMiddleware(lambda r: HttpResponse()).process_exception(request, ProgrammingError()) is None


@ONE
def test_a_post_whose_replica_read_failed_is_not_run_again(rf):
    request = rf.post("/projects/")
    request.resolver_match = ResolverMatch(lambda r: HttpResponse(), (), {})
    with reading(replica_ok=True) as state:
        state.used.add("replica")
        request.replica_reading = state
        assert ReplicaMiddleware(lambda r: HttpResponse()).process_exception(request, OperationalError()) is None
    assert not replicas.health("replica").ok


# -- settings ---------------------------------------------------------------------------------------


def test_replica_urls_become_aliases_of_the_primarys_database():
    databases = replicas.replica_databases(
        ["postgres://db2/keyproj", "postgres://reader:secret@db3:6432"], PRIMARY_PG, conn_max_age=60
    )
    assert list(databases) == ["replica", "replica_2"]
    first, second = databases["replica"], databases["replica_2"]
    assert (first["HOST"], first["NAME"], first["USER"], first["PASSWORD"]) == ("db2", "keyproj", "keyproj", "pw")
    assert (second["HOST"], second["PORT"], second["NAME"], second["USER"]) == ("db3", 6432, "keyproj", "reader")
    assert first["CONN_MAX_AGE"] == 60
    assert first["OPTIONS"]["connect_timeout"] == 2
    assert first["OPTIONS"]["application_name"] == "keyproj-replica-reads"


@pytest.mark.parametrize(
    ("urls", "message"),
    [
        (["not a url"], "entry 1 (not a url) is not a database URL"),
        (["postgres://db2/keyproj", "postgres://db3:notaport/keyproj"], "entry 2"),
        (["sqlite:///var/replica.sqlite3"], "must be a postgres:// URL"),
        (["postgres:///keyproj"], "names no host"),
        (["postgres://db2/other"], "names the database 'other', but the primary's is 'keyproj'"),
        (["postgres://db1:5432/keyproj"], "is the primary or another replica again"),
        (["postgres://db2/keyproj", "postgres://db2/keyproj"], "entry 2"),
    ],
)
def test_a_replica_url_that_cannot_work_is_refused_clearly(urls, message):
    with pytest.raises(ImproperlyConfigured, match="KEYPROJ_REPLICA_URLS") as refused:
        replicas.replica_databases(urls, PRIMARY_PG, conn_max_age=60)
    assert message in str(refused.value)


def test_a_refusal_does_not_show_the_password():
    with pytest.raises(ImproperlyConfigured) as refused:
        replicas.replica_databases(["mysql://reader:hunter2@db2/keyproj"], PRIMARY_PG, conn_max_age=60)
    assert "hunter2" not in str(refused.value) and "reader:***@db2" in str(refused.value)


def test_replicas_need_postgresql_as_the_primary():
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": "var/keyproj.sqlite3"}
    with pytest.raises(ImproperlyConfigured, match="needs PostgreSQL as the primary"):
        replicas.replica_databases(["postgres://db2/keyproj"], sqlite, conn_max_age=60)


def test_a_pin_shorter_than_a_replicas_allowed_lag_is_refused():
    with pytest.raises(ImproperlyConfigured, match=r"KEYPROJ_REPLICA_PIN_SECONDS \(5\) must be at least"):
        replicas.check_timings(pin_seconds=5, max_lag=5, check_seconds=3)
    replicas.check_timings(pin_seconds=10, max_lag=5, check_seconds=3)


SHOW = "print(sorted(s.DATABASES), s.KEYPROJ_REPLICAS, getattr(s, 'DATABASE_ROUTERS', []))"


def test_the_settings_install_the_router_only_with_replicas(tmp_path):
    plain = load_settings(tmp_path, show=SHOW)
    assert plain.stdout.strip() == "['default'] [] []"
    configured = load_settings(
        tmp_path,
        show=SHOW,
        KEYPROJ_DATABASE_URL="postgres://keyproj@db1/keyproj",
        KEYPROJ_REPLICA_URLS="postgres://db2/keyproj, postgres://db3/keyproj",
    )
    assert configured.returncode == 0, configured.stderr
    assert configured.stdout.strip() == (
        "['default', 'replica', 'replica_2'] ['replica', 'replica_2'] ['keyproj.core.replicas.ReplicaRouter']"
    )


def test_the_settings_refuse_a_bad_replica_url_at_start(tmp_path):
    result = load_settings(
        tmp_path, KEYPROJ_DATABASE_URL="postgres://keyproj@db1/keyproj", KEYPROJ_REPLICA_URLS="db2:5432"
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: KEYPROJ_REPLICA_URLS entry 1 (db2:5432) is not a database URL" in result.stderr

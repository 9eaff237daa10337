"""Read replicas on a real PostgreSQL primary and streaming replica (built and thrown away by .ci/pg-pair).

Run by `.ci/pg-pair` with KEYPROJ_DATABASE_URL at the primary and KEYPROJ_REPLICA_URLS at the replica;
skipped anywhere else (the whole suite's run has no replica; under CI .ci/pg-pair fails if it cannot
build one).

The test database. pytest-django's own set-up would create a test database on every alias the tests
use, and empty each after every transactional test: a hot standby refuses both (it is read-only).
Django's TEST MIRROR would avoid that by pointing the replica alias at the primary itself, so nothing
would ever be read from the replica. Instead this module makes the primary's test database with
Django's own creation (migrations included), which reaches the replica by replication like any other
change, and gives the replica alias that database's name: as in production, the replica holds
exactly the primary's databases. Every write here is committed (nothing runs inside a test
transaction), since only committed data replicates; the database is dropped on the primary at the end.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import psycopg
import pytest
from django.conf import settings
from django.db import connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from keyproj.accounts.models import User
from keyproj.core import replicas
from keyproj.core.replicas import PIN_COOKIE
from keyproj.projects.models import Project
from keyproj.testing.demo import load_demo

pytestmark = pytest.mark.skipif(
    not settings.KEYPROJ_REPLICAS, reason="needs a primary and a replica: run .ci/pg-pair (KEYPROJ_REPLICA_URLS)"
)

SENTENCE = (
    "1-7月，全市357个市重点项目计划投资595.31亿元，实际完成投资777.40亿元，超182.09亿元，"
    "完成序时进度计划130.59%，完成年度计划65.18%。"
)
SUMMARY = "/api/v1/summary/?period=2019-07"
HOME = "/?period=2019-07"
PREFERENCES = "/api/v1/notification-preferences/"
# How long the replica may take to replay what the primary committed before a test gives up.
REPLAY_WAIT_SECONDS = 60


def server(alias: str) -> psycopg.Connection:
    """A connection of the test's own to the server behind `alias`, apart from Django's."""
    config = connections[alias].settings_dict
    return psycopg.connect(
        host=config["HOST"],
        port=config["PORT"],
        user=config["USER"],
        dbname=config["NAME"],
        autocommit=True,
        application_name="keyproj-pair-test",
    )


def value(alias: str, sql: str, params: tuple = ()) -> object:
    with server(alias) as conn:
        row = conn.execute(sql, params).fetchone()
    return None if row is None else row[0]


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + REPLAY_WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"the replica never {what}")
        time.sleep(0.05)


def primary_lsn() -> str:
    # Where the primary will have written to once what it holds in its buffers is out, commits included.
    return str(value("default", "SELECT pg_current_wal_insert_lsn()"))


def wait_for_replay() -> None:
    """Until the replica has replayed everything the primary has written so far (their LSNs)."""
    target = primary_lsn()
    wait_until(
        lambda: value("replica", "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s) >= 0", (target,)),
        f"replayed the primary's WAL up to {target}",
    )


def wait_for_receipt() -> None:
    """Until the replica has received (not necessarily replayed) everything the primary has written."""
    target = primary_lsn()
    wait_until(
        lambda: value("replica", "SELECT pg_wal_lsn_diff(pg_last_wal_receive_lsn(), %s) >= 0", (target,)),
        f"received the primary's WAL up to {target}",
    )


@contextmanager
def replay_paused() -> Iterator[None]:
    with server("replica") as conn:
        conn.execute("SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        with server("replica") as conn:
            conn.execute("SELECT pg_wal_replay_resume()")
        wait_for_replay()
        replicas.forget()


def scans_on_replica() -> int:
    """Rows' tables scanned on the replica so far: its own statistics, kept by the replica itself."""
    return int(value("replica", "SELECT sum(seq_scan + coalesce(idx_scan, 0)) FROM pg_stat_user_tables") or 0)


def close_django_connections() -> None:
    for alias in connections:
        connections[alias].close()


@pytest.fixture(scope="module")
def pair(django_db_blocker):
    primary = connections["default"]
    with django_db_blocker.unblock():
        name = primary.settings_dict["NAME"]
        test_name = primary.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        for alias in settings.KEYPROJ_REPLICAS:
            connections[alias].close()
            connections[alias].settings_dict["NAME"] = settings.DATABASES[alias]["NAME"] = test_name
        load_demo()
        wait_for_replay()
    yield
    with django_db_blocker.unblock():
        close_django_connections()
        primary.creation.destroy_test_db(name, verbosity=0)


@pytest.fixture(autouse=True)
def _database(pair, django_db_blocker):
    """Each test reaches both servers; the replicas' health is asked afresh."""
    replicas.forget()
    with django_db_blocker.unblock():
        yield


def signed_in(username: str) -> Client:
    """A browser signed in as `username`, its session replayed on the replica."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    wait_for_replay()
    return client


def hundred_millions(amount: str) -> str:
    return str((Decimal(amount) / 10000).quantize(Decimal("0.01")))


def test_the_replica_is_a_streaming_replica_of_the_primary():
    assert value("replica", "SELECT pg_is_in_recovery()") is True
    assert value("default", "SELECT pg_is_in_recovery()") is False
    assert value("default", "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") == 1
    assert value("replica", "SELECT count(*) FROM projects_project") == 357


def test_the_health_check_sees_the_replica_streaming_even_as_a_role_without_privileges():
    with connections["replica"].cursor() as cursor:
        cursor.execute(replicas.LAG_SQL)
        assert cursor.fetchone()[1] is True
    answer = replicas.ask("replica")
    assert answer.ok and not answer.error
    # An unprivileged role sees the receiver's row but not its status (NULL): still "streaming".
    with server("default") as conn:
        conn.execute("CREATE ROLE keyproj_pair_reader LOGIN")
    try:
        wait_for_replay()
        config = connections["replica"].settings_dict
        with psycopg.connect(
            host=config["HOST"], port=config["PORT"], user="keyproj_pair_reader", dbname=config["NAME"]
        ) as conn:
            assert conn.execute("SELECT status FROM pg_stat_wal_receiver").fetchall() == [(None,)]
            assert conn.execute(replicas.LAG_SQL).fetchone()[1] is True
    finally:
        with server("default") as conn:
            conn.execute("DROP ROLE keyproj_pair_reader")


def test_the_seeds_july_figures_read_through_the_replica_equal_the_seed_sentence(capsys):
    client = signed_in("admin")
    before = scans_on_replica()
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        api = client.get(SUMMARY)
        home = client.get(HOME)

    assert api.status_code == 200 and home.status_code == 200
    figures = api.json()
    assert figures["project_count"] == 357
    assert hundred_millions(figures["plan_to_date"]) == "595.31"
    assert hundred_millions(figures["actual_to_date"]) == "777.40"
    assert hundred_millions(figures["over"]) == "182.09"
    assert (figures["schedule_rate"], figures["annual_rate"]) == ("130.59", "65.18")
    assert SENTENCE in home.content.decode()

    # Every query of both requests went to the replica, none to the primary.
    assert len(on_replica) > 0 and len(on_primary) == 0
    # And the replica says so itself: its statistics count the scans (flushed when its session ends).
    close_django_connections()
    wait_until(lambda: scans_on_replica() > before, "counted the requests' scans")
    after = scans_on_replica()
    with capsys.disabled():
        print(
            f"\nreplica reads: {len(on_replica)} queries sent to the replica, {len(on_primary)} to the primary; "
            f"the replica's pg_stat_user_tables scans {before} -> {after} (+{after - before})"
        )


def test_a_district_officer_sees_only_simings_projects_on_the_replica():
    client = signed_in("siming")
    siming = Project.objects.filter(district__code="350203")
    others = Project.objects.exclude(district__code="350203")
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        api = client.get("/api/v1/projects/?page_size=500")
        page = client.get("/projects/")

    assert api.status_code == 200 and page.status_code == 200
    body = api.json()
    assert body["count"] == siming.count() > 0
    codes = {project["district"]["code"] for project in body["results"]}
    while body["next"]:
        body = client.get(body["next"]).json()
        codes |= {project["district"]["code"] for project in body["results"]}
    assert codes == {"350203"}
    text = page.content.decode()
    assert any(name in text for name in siming.values_list("name", flat=True))
    assert not [name for name in others.values_list("name", flat=True) if name in text]
    assert len(on_replica) > 0


def test_a_writer_reads_their_own_change_from_the_primary():
    client = signed_in("admin")
    before = client.get(PREFERENCES).json()
    changed = {"email_enabled": not before["email_enabled"], "mode": before["mode"]}
    # A replica that is behind is still trusted here, so only the pin can send the read to the primary.
    with override_settings(KEYPROJ_REPLICA_MAX_LAG=3600), replay_paused():
        put = client.put(PREFERENCES, changed, content_type="application/json")
        assert put.status_code == 200 and PIN_COOKIE in put.cookies
        wait_for_receipt()

        with CaptureQueriesContext(connections["replica"]) as on_replica:
            pinned = client.get(PREFERENCES)
        assert pinned.json()["email_enabled"] == changed["email_enabled"]
        assert len(on_replica) == 0

        # The same browser without its pin reads the replica, which has not replayed the change yet.
        del client.cookies[PIN_COOKIE]
        unpinned = client.get(PREFERENCES)
        assert unpinned.json()["email_enabled"] == before["email_enabled"]
    client.put(PREFERENCES, before, content_type="application/json")


def test_a_replica_further_behind_than_the_limit_is_passed_over():
    client = signed_in("admin")
    project = Project.objects.order_by("pk").first()
    old_name, new_name = project.name, f"{project.name}（复制延迟检验）"
    try:
        with replay_paused():
            # A write by a job or the console: nobody's pin, so only the lag check can protect readers.
            Project.objects.filter(pk=project.pk).update(name=new_name)
            wait_for_receipt()

            with override_settings(KEYPROJ_REPLICA_MAX_LAG=0):
                fresh = client.get(project.get_absolute_url())
                health = client.get("/healthz")
            assert fresh.status_code == 200 and new_name in fresh.content.decode()
            assert health.status_code == 200 and health.json()["status"] == "degraded"
            part = health.json()["checks"]["replicas"]
            # Behind, not down: it answered, with a lag above the limit (shown to a tenth of a second).
            assert part["ok"] is False and part["critical"] is False
            assert part["replica"]["ok"] is False and part["replica"]["lag_seconds"] is not None
            assert "error" not in part["replica"]

            # With a generous limit the same read is the replica's, and still shows the old name.
            replicas.forget()
            with override_settings(KEYPROJ_REPLICA_MAX_LAG=3600):
                stale = client.get(project.get_absolute_url())
            assert old_name in stale.content.decode() and new_name not in stale.content.decode()
    finally:
        Project.objects.filter(pk=project.pk).update(name=old_name)
        wait_for_replay()


@override_settings(KEYPROJ_REPLICA_CHECK_SECONDS=3600)
def test_a_replica_connection_lost_mid_request_is_answered_by_the_primary(caplog):
    # The replica's health stays as first asked (good) all through, so that the router sends the
    # second request to the dead connection, and only the failure itself can turn it to the primary.
    client = signed_in("admin")
    assert client.get(SUMMARY).status_code == 200
    backend = connections["replica"].connection.info.backend_pid
    assert value("replica", "SELECT pg_terminate_backend(%s)", (backend,)) is True
    wait_until(
        lambda: not value("replica", "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (backend,)),
        "ended the terminated session",
    )

    answer = client.get(SUMMARY)

    assert answer.status_code == 200
    assert answer.json()["project_count"] == 357
    assert "a read on a replica failed (OperationalError); the view runs again on the primary" in caplog.text
    assert not replicas.health("replica").ok


def stop_replica() -> None:
    pg_ctl = [f"{os.environ['KEYPROJ_PAIR_PG_BIN']}/pg_ctl", "-D", os.environ["KEYPROJ_PAIR_REPLICA_DIR"]]
    runner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*runner, *pg_ctl, "-m", "fast", "-w", "stop"], check=True, capture_output=True)


@pytest.mark.skipif("KEYPROJ_PAIR_REPLICA_DIR" not in os.environ, reason="only .ci/pg-pair may stop its replica")
def test_with_the_replica_stopped_every_page_answers_from_the_primary():
    # Last in this module: the replica stays down.
    client = signed_in("admin")
    stop_replica()

    for url in (HOME, "/projects/", SUMMARY):
        assert client.get(url).status_code == 200, url
    assert SENTENCE in client.get(HOME).content.decode()
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "degraded"
    assert health.json()["checks"]["replicas"]["replica"] == {
        "ok": False,
        "lag_seconds": None,
        "error": "OperationalError",
    }

from __future__ import annotations

import json

import pytest
from django.db import OperationalError

from keyproj.core import health
from keyproj.core.health import Part
from keyproj.core.views import health as views


@pytest.fixture
def registry(monkeypatch):
    """The registered parts, emptied for the test and restored after it (the jobs app registers its own)."""
    parts: dict[str, health.Check] = {}
    monkeypatch.setattr(health, "_checks", parts)
    return parts


def answer(client):
    response = client.get("/healthz")
    return response, json.loads(response.content)


def test_it_answers_ok_when_the_database_and_the_cache_answer(client, db, registry):
    response, body = answer(client)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True and body["checks"]["database"]["critical"] is True
    assert body["checks"]["cache"]["ok"] is True and body["checks"]["cache"]["critical"] is True


def test_it_needs_no_login(client, db):
    assert client.get("/healthz").status_code == 200


def test_it_is_never_cached(client, db):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]


def test_it_answers_503_when_the_database_does_not(client, db, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise OperationalError('connection to server at "db.internal" failed: password for "keyproj"')

    monkeypatch.setattr(views, "connection", Unreachable())

    response, body = answer(client)

    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == {"ok": False, "critical": True, "ms": body["checks"]["database"]["ms"]} | {
        "error": "OperationalError"
    }
    # The error's text names a host and a user: it goes to the log, not to whoever asks.
    assert b"db.internal" not in response.content and b"keyproj" not in response.content


def test_it_answers_503_when_the_cache_fails(client, db, monkeypatch):
    class Broken:
        def set(self, *args, **kwargs):
            raise ConnectionError("Error 111 connecting to redis.internal:6379")

    monkeypatch.setattr(views, "cache", Broken())

    response, body = answer(client)

    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["cache"]["error"] == "ConnectionError"
    assert b"redis.internal" not in response.content


def test_a_cache_that_keeps_nothing_is_a_failing_cache(client, db, monkeypatch):
    class Forgetful:
        def set(self, *args, **kwargs):
            pass

        def get(self, key):
            return None

        def delete(self, key):
            pass

    monkeypatch.setattr(views, "cache", Forgetful())

    response, body = answer(client)

    assert response.status_code == 503
    assert body["checks"]["cache"]["ok"] is False


def test_it_reports_every_registered_part_with_its_details(client, db, registry):
    registry["worker"] = lambda: Part(ok=True, detail={"last_run": "2019-09-03T08:00:00+08:00", "queued": 0})

    response, body = answer(client)

    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["checks"]["worker"]["ok"] is True
    assert body["checks"]["worker"]["critical"] is False
    assert body["checks"]["worker"]["last_run"] == "2019-09-03T08:00:00+08:00"


def test_a_failing_part_that_is_not_critical_degrades_the_answer_but_keeps_200(client, db, registry):
    registry["scheduler"] = lambda: Part(ok=False, detail={"late": ["escalate-overdue"]})

    response, body = answer(client)

    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["scheduler"] == {
        "ok": False,
        "critical": False,
        "ms": body["checks"]["scheduler"]["ms"],
        "late": ["escalate-overdue"],
    }


def test_a_failing_part_that_is_critical_makes_the_node_unavailable(client, db, registry):
    registry["storage"] = lambda: Part(ok=False, critical=True)

    response, body = answer(client)

    assert response.status_code == 503
    assert body["status"] == "unavailable"


def test_a_part_that_raises_is_reported_as_failing_without_its_message(client, db, registry):
    def worker():
        raise RuntimeError("redis://:s3cret@queue.internal:6379/1 refused")

    registry["worker"] = worker

    response, body = answer(client)

    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["worker"]["error"] == "RuntimeError"
    assert b"s3cret" not in response.content


def test_a_registered_part_cannot_hide_the_database(client, db, registry, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise OperationalError("down")

    monkeypatch.setattr(views, "connection", Unreachable())
    registry["database"] = lambda: Part(ok=True)

    response, body = answer(client)

    assert response.status_code == 503
    assert body["checks"]["database"]["ok"] is False


def test_a_detail_cannot_overrule_the_verdict(client, db, registry):
    registry["worker"] = lambda: Part(ok=False, detail={"ok": True})

    assert answer(client)[1]["checks"]["worker"]["ok"] is False


def test_it_refuses_a_post(client, db):
    assert client.post("/healthz").status_code == 405

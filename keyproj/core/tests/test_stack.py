"""The production stack end to end: two gunicorn servers, the job worker and the scheduler on one
PostgreSQL database and one Redis, driven over HTTP as a browser and an API client would.

It needs what production needs, so it runs only when KEYPROJ_DATABASE_URL names a PostgreSQL server
(it makes a database of its own there and drops it afterwards) and Redis answers on 127.0.0.1:6379
(it uses a database number of its own, flushed before and after).
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import dj_database_url
import pytest
from django.core.management import CommandError, call_command

from keyproj.core.management.commands import stack as stack_command
from keyproj.testing import process_environ

DATABASE_URL = os.environ.get("KEYPROJ_DATABASE_URL", "")
REDIS_DB = 14
PASSWORD = "stack-test-pw-7Hq2"
# The business day: August 2019 is the month being filed, July the last one that has ended.
TODAY = "2019-09-03"


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


needs_postgresql_and_redis = [
    pytest.mark.skipif(
        not DATABASE_URL.startswith(("postgres://", "postgresql://")),
        reason="the stack runs on PostgreSQL: set KEYPROJ_DATABASE_URL=postgres://…",
    ),
    # Under CI (.ci/run starts Redis) a missing Redis is a failure, not a reason to pass quietly.
    pytest.mark.skipif(
        not _redis_answers() and not os.environ.get("CI"),
        reason="the stack caches in Redis: none answers on 127.0.0.1:6379",
    ),
]

# The world the test acts in, built through the test builders and services: an office user, an owner
# filing for the one project of its organisation, that project's approved 2019 plan.
FIXTURE = f"""
from keyproj.accounts.models import Role
from keyproj.orgs.models import OrgKind
from keyproj.testing import make_plan, make_project, make_user, org

owner_org = org(OrgKind.OWNER, "栈测试业主")
project = make_project(code="STACK-0001", name="栈测试项目", owner=owner_org)
make_plan(project, ["100"] * 12)
for username, role, organisation in [("office", Role.OFFICE_ADMIN, None), ("owner", Role.OWNER, owner_org)]:
    user = make_user(username, role, organisation)
    user.set_password({PASSWORD!r})
    user.save()
"""


def _keyproj(*args: str, env: dict[str, str], timeout: float = 300) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "keyproj", *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"keyproj {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@contextlib.contextmanager
def fresh_database():
    """A database of its own on the server KEYPROJ_DATABASE_URL names, dropped at the end."""
    import psycopg

    config = dj_database_url.parse(DATABASE_URL)
    name = f"keyproj_stack_{secrets.token_hex(4)}"
    server = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**server) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        parts = urllib.parse.urlsplit(DATABASE_URL)
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(**server) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def flushed_redis():
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
    client.flushdb()
    try:
        yield f"redis://127.0.0.1:6379/{REDIS_DB}"
    finally:
        client.flushdb()


def _free_pair() -> int:
    """The first port of two free neighbours in 8150-8159 (the range kept for this test)."""
    for port in range(8150, 8159):
        try:
            for candidate in (port, port + 1):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", candidate))
        except OSError:
            continue
        return port
    pytest.fail("no two free neighbouring ports in 8150-8159")


def _listener_pids(port: int) -> set[int]:
    """The processes holding the socket that listens on 127.0.0.1:`port` (Linux's /proc)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, state, inode = fields[1], fields[3], fields[9]
        if state == "0A" and int(local.split(":")[1], 16) == port:
            inodes.add(f"socket:[{inode}]")
    pids = set()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            for fd in (proc / "fd").iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd) in inodes:
                        pids.add(int(proc.name))
    return pids


class Browser:
    """A signed-in user on one server: cookies kept, the CSRF token sent as a browser's page would."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def _cookie(self, name: str) -> str:
        return next((c.value or "" for c in self.cookies if c.name == name), "")

    def open(self, path: str, *, data: bytes | None = None, headers: dict[str, str] | None = None):
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.geturl(), response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.headers, error.read()

    def sign_in(self, username: str) -> None:
        status, _, _, page = self.open("/accounts/login/")
        assert status == 200
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "the login form carries a CSRF token"
        form = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1).decode()}
        ).encode()
        status, url, _, _ = self.open("/accounts/login/", data=form)
        assert status == 200 and "/accounts/login/" not in url, f"{username} could not sign in"
        assert self._cookie("sessionid")

    def api(self, path: str, body: dict | None = None) -> tuple[int, dict]:
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers |= {"Content-Type": "application/json", "X-CSRFToken": self._cookie("csrftoken")}
        status, _, _, content = self.open(path, data=data, headers=headers)
        return status, json.loads(content)


def _wait_ready(ports: list[int], stack: subprocess.Popen, output: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    waiting = list(ports)
    while waiting and time.monotonic() < deadline:
        assert stack.poll() is None, f"keyproj stack stopped:\n{output.read_text()[-4000:]}"
        for port in list(waiting):
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response,
            ):
                if response.status == 200:
                    waiting.remove(port)
        time.sleep(0.5)
    assert not waiting, f"no answer on {waiting} within {timeout:.0f} s:\n{output.read_text()[-4000:]}"


def _stop(stack: subprocess.Popen) -> None:
    # The stack stops its children on SIGTERM; whatever is left of its session is killed after that.
    with contextlib.suppress(ProcessLookupError):
        stack.send_signal(signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        stack.wait(timeout=60)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(stack.pid, signal.SIGKILL)
    stack.wait()


class Vendor:
    def __init__(self, vendor):
        self.vendor = vendor


def test_it_refuses_to_start_on_sqlite(monkeypatch):
    monkeypatch.setattr(stack_command, "connection", Vendor("sqlite"))

    with pytest.raises(CommandError, match=r"PostgreSQL.*KEYPROJ_DATABASE_URL"):
        call_command("stack")


def test_it_refuses_to_start_without_a_shared_redis_cache(settings, monkeypatch):
    monkeypatch.setattr(stack_command, "connection", Vendor("postgresql"))
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    with pytest.raises(CommandError, match=r"Redis.*KEYPROJ_REDIS_URL"):
        call_command("stack")


@needs_postgresql_and_redis[0]
@needs_postgresql_and_redis[1]
def test_two_servers_share_one_site_through_filing_approval_and_figures(tmp_path):
    with fresh_database() as database_url, flushed_redis() as redis_url:
        env = {
            **process_environ(),
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "keyproj.settings"),
            "KEYPROJ_DATABASE_URL": database_url,
            "KEYPROJ_REDIS_URL": redis_url,
            "KEYPROJ_VAR_DIR": str(tmp_path / "var"),
            "KEYPROJ_TODAY": TODAY,
            "KEYPROJ_STATIC_MANIFEST": "1",
        }
        _keyproj("migrate", "--noinput", env=env)
        _keyproj("shell", "-c", FIXTURE, env=env)

        port = _free_pair()
        output = tmp_path / "stack.log"
        with output.open("wb") as log:
            stack = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "keyproj",
                    "stack",
                    "--processes",
                    "2",
                    "--port",
                    str(port),
                    "--workers-per-process",
                    "1",
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            _wait_ready([port, port + 1], stack, output)
            printed = output.read_text()

            # Two separate servers: each port is held by the gunicorn master the stack reported for it.
            masters = {
                m[1]: int(m[0]) for m in re.findall(r"web [AB]: pid (\d+)\s+http://127\.0\.0\.1:(\d+)/", printed)
            }
            assert set(masters) == {str(port), str(port + 1)}, printed
            a_pid, b_pid = masters[str(port)], masters[str(port + 1)]
            assert a_pid != b_pid
            assert a_pid in _listener_pids(port) and b_pid not in _listener_pids(port)
            assert b_pid in _listener_pids(port + 1) and a_pid not in _listener_pids(port + 1)
            assert re.search(r"worker: pid \d+", printed) and re.search(r"scheduler: pid \d+", printed)

            # Static files are served, under their hashed names, by either server.
            owner_a = Browser(port)
            status, _, _, page = owner_a.open("/accounts/login/")
            css = re.search(rb'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page)
            assert css, "a deployment's stylesheets carry a content hash"
            assert Browser(port + 1).open(css.group(1).decode())[0] == 200

            # Both health answers see the shared database and Redis.
            for p in (port, port + 1):
                health = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{p}/healthz", timeout=5).read())
                assert health["checks"]["database"]["ok"] and health["checks"]["cache"]["ok"]

            office_b = Browser(port + 1)
            office_a = Browser(port)
            owner_a.sign_in("owner")
            office_b.sign_in("office")
            office_a.sign_in("office")

            def actual(browser: Browser) -> str:
                status, body = browser.api("/api/v1/summary/?period=2019-08")
                assert status == 200, body
                return body["actual_to_date"]

            before = {actual(office_a), actual(office_b)}
            assert before == {"0.00"}

            # The owner files and submits August on server A …
            status, filed = owner_a.api(
                "/api/v1/returns/",
                {
                    "project": "STACK-0001",
                    "year": 2019,
                    "month": 8,
                    "investment": "1234.50",
                    "physical_progress": "主体施工",
                    "started": True,
                    "completed": False,
                },
            )
            assert status == 201, filed
            status, submitted = owner_a.api(f"/api/v1/returns/{filed['id']}/submit/", {})
            assert status == 200 and submitted["status"] == "submitted", submitted
            # … a submitted return is not yet in the figures, on either server …
            assert {actual(office_a), actual(office_b)} == {"0.00"}

            # … the office approves it on server B, and both servers show the new figure.
            status, approved = office_b.api(f"/api/v1/returns/{filed['id']}/approve/", {})
            assert status == 200 and approved["status"] == "approved", approved
            assert actual(office_b) == "1234.50"
            assert actual(office_a) == "1234.50"

            # A session begun on one server is good on the other: sessions live in the shared database.
            owner_b = Browser(port + 1)
            owner_b.cookies = owner_a.cookies
            owner_b.opener = owner_a.opener
            owner_b.base = f"http://127.0.0.1:{port + 1}"
            status, mine = owner_b.api("/api/v1/returns/?year=2019&month=8")
            assert status == 200 and [r["status"] for r in mine["results"]] == ["approved"]
        finally:
            _stop(stack)
        assert stack.returncode is not None
        assert not _listener_pids(port) and not _listener_pids(port + 1), "the stack stopped every server"

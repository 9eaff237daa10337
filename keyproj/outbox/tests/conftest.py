"""Stand-ins for the world outside: a real SMTP server and a local HTTP endpoint for the robots, both on
127.0.0.1 in this helper's port range, each able to refuse, fail or hang on demand."""

from __future__ import annotations

import json
import socket
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller

PORTS = range(8110, 8120)


def free_port() -> int:
    """A port of this suite's range that nothing listens on."""
    for port in PORTS:
        with socket.socket() as probe:
            # As the servers bind: a port left in TIME_WAIT by the last test's connections is free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8110-8119")


class Mailbox:
    """The SMTP server's handler: keeps what it accepts; `refuse` answers 550 to every recipient instead."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse = False
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        """Listen (again: a stopped aiosmtpd controller cannot be restarted, a new one takes the port)."""
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 Message accepted"


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1, and the e-mail settings pointed at it."""
    mailbox = Mailbox()
    mailbox.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = mailbox.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2
    settings.DEFAULT_FROM_EMAIL = "督办平台 <noreply@keyproj.test>"
    yield mailbox
    mailbox.stop()


class Endpoint:
    """What the robot endpoint does (ok, http500, errcode, hang) and what it received."""

    def __init__(self) -> None:
        self.mode = "ok"
        self.requests: list[dict[str, Any]] = []
        self.port = 0

    def url(self, path: str = "/cgi-bin/webhook/send", query: str = "key=test-key-0001") -> str:
        return f"http://127.0.0.1:{self.port}{path}?{query}"


@pytest.fixture
def endpoint(settings):
    """A local HTTP server standing in for 企业微信 and 钉钉 (allowed as a robot host for the test)."""
    state = Endpoint()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length)
            parts = urlsplit(self.path)
            state.requests.append(
                {
                    "path": parts.path,
                    "query": parse_qs(parts.query),
                    "json": json.loads(raw),
                    "headers": dict(self.headers),
                }
            )
            if state.mode == "hang":
                time.sleep(1.5)
            if state.mode == "http500":
                self.send_response(500)
                self.end_headers()
                self.wfile.write(b"Internal Server Error")
                return
            answer = {"errcode": 0, "errmsg": "ok"}
            if state.mode == "errcode":
                answer = {"errcode": 310000, "errmsg": "sign not match"}
            body = json.dumps(answer).encode()
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (the hanging case)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.KEYPROJ_WEBHOOK_HOSTS = ["127.0.0.1"]
    settings.KEYPROJ_WEBHOOK_TIMEOUT = 0.5
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _site(settings):
    settings.KEYPROJ_SITE_URL = "https://dbpt.example.gov.cn"
    settings.KEYPROJ_OUTBOX_GIVE_UP_HOURS = 72

"""gunicorn's configuration for keyproj: `gunicorn -c python:keyproj.deploy.gunicorn`.

Read from the environment (the same file systemd gives the application, deploy/keyproj.env.example),
so the unit and `keyproj stack` start gunicorn the same way; a command-line option overrides a value
here (`keyproj stack` passes --bind and --workers).

Why these values (docs/deploy.md has the longer story):
- pre-forked worker processes, each with a few threads (gthread): keyproj's requests wait mostly on
  PostgreSQL, so a thread per request inside a handful of processes keeps the cores busy without a
  process per connection; the default is gunicorn's 2 × cores + 1 processes;
- `max_requests` with jitter: a worker is replaced after about a thousand requests, so a slow leak
  (a large workbook parsed, a PDF rendered) never grows without bound, and the workers do not all
  restart at once;
- `timeout` above the longest request we serve (an import of a full register, a month's notices),
  nginx's proxy_read_timeout a little above it, so that gunicorn, not nginx, ends a stuck request;
- the app is loaded in each worker, not in the master (no preload): on HUP the master starts new
  workers on the new code and lets the old ones finish their requests — an upgrade loses nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from typing import Any

from gunicorn import glogging

from keyproj.env import envint, envlist, envstr

wsgi_app = "keyproj.wsgi:application"
proc_name = "keyproj"

# 127.0.0.1:8000 behind nginx on the same machine; or a unix socket (unix:/run/keyproj/web.sock).
bind = envlist("KEYPROJ_BIND", ["127.0.0.1:8000"])
workers = envint("KEYPROJ_WEB_WORKERS", 2 * (os.cpu_count() or 1) + 1)
worker_class = "gthread"
threads = envint("KEYPROJ_WEB_THREADS", 4)
timeout = envint("KEYPROJ_WEB_TIMEOUT", 120)
graceful_timeout = envint("KEYPROJ_WEB_GRACEFUL_TIMEOUT", 30)
keepalive = 5
max_requests = envint("KEYPROJ_WEB_MAX_REQUESTS", 1000)
max_requests_jitter = max(1, max_requests // 10) if max_requests else 0
# The workers' heartbeat files in memory: a disk under load (or a read-only /tmp) would make a
# healthy worker look dead to the master.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Both logs to the standard streams, which systemd hands to the journal: the access log one JSON
# line a request (below), the error log in the same JSON as the application's (keyproj.core.logs).
accesslog = "-"
errorlog = "-"
loglevel = envstr("KEYPROJ_WEB_LOG_LEVEL", "info")
logger_class = "keyproj.deploy.gunicorn.JsonLogger"
# No control socket (gunicorn ≥ 25): signals already do what it offers (HUP reloads, TTIN/TTOU add or
# remove a worker, TERM stops), and its default path in the home directory would be shared by the
# several masters `keyproj stack` starts and is read-only under the systemd unit's hardening.
control_socket_disable = True


def _as_json() -> bool:
    return envstr("KEYPROJ_LOG_FORMAT", "json").strip().lower() != "text"


class JsonLogger(glogging.Logger):
    """gunicorn's logger, writing a JSON line a request with the request id the response carries."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        if _as_json():
            from keyproj.core.logs import JsonFormatter  # Django's settings are not needed for it

            for handler in self.error_log.handlers:
                handler.setFormatter(JsonFormatter())

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: dt.timedelta) -> None:
        if not self.access_log_enabled:
            return
        if not _as_json():
            super().access(resp, req, environ, request_time)
            return
        headers = {name.lower(): value for name, value in resp.headers}
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        # Behind nginx the connection comes from nginx; the client is in the header the proxy sets
        # (KEYPROJ_CLIENT_IP_HEADER, as the application reads it), and only when one is named.
        client_header = envstr("KEYPROJ_CLIENT_IP_HEADER", "").strip()
        client = environ.get("HTTP_" + client_header.upper().replace("-", "_")) if client_header else None
        entry = {
            # Record keeping, as the application's own lines (keyproj.core.logs): the moment, not a business date.
            "time": dt.datetime.fromtimestamp(time.time(), tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": "INFO",
            "logger": "gunicorn.access",
            # The id the application served the request under (its audit entries carry it too).
            "request_id": headers.get("x-request-id", ""),
            "client": client or environ.get("REMOTE_ADDR", ""),
            "method": environ.get("REQUEST_METHOD", ""),
            "path": environ.get("PATH_INFO", ""),
            "query": environ.get("QUERY_STRING", ""),
            "status": int(status),
            "bytes": getattr(resp, "sent", None),
            "ms": round(request_time.total_seconds() * 1000, 1),
            "user_agent": environ.get("HTTP_USER_AGENT", ""),
            "referer": environ.get("HTTP_REFERER", ""),
            "pid": os.getpid(),
        }
        try:
            self.access_log.info(json.dumps(entry, ensure_ascii=False))
        except Exception:
            self.exception("access log: could not write the line")

"""The production set-up: Django's deployment check passes, and the files in deploy/ agree with the settings."""

from __future__ import annotations

import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from keyproj.testing import process_environ

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"


def production_env(tmp_path, **extra: str) -> dict[str, str]:
    return process_environ() | {
        "DJANGO_SETTINGS_MODULE": "keyproj.settings",
        "KEYPROJ_VAR_DIR": str(tmp_path),
        "KEYPROJ_SECRET_KEY": secrets.token_urlsafe(60),
        "KEYPROJ_ALLOWED_HOSTS": "keyproj.example.gov",
        "KEYPROJ_CSRF_TRUSTED_ORIGINS": "https://keyproj.example.gov",
        "KEYPROJ_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "KEYPROJ_CLIENT_IP_HEADER": "X-Real-IP",
        "KEYPROJ_TRUST_REQUEST_ID": "1",
        "KEYPROJ_REDIS_URL": "redis://127.0.0.1:6379/0",
        **extra,
    }


def keyproj(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "keyproj", *args], env=env, capture_output=True, text=True)


def test_the_deployment_check_finds_no_issue_with_production_settings(tmp_path):
    done = keyproj("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_the_deployment_check_warns_about_a_short_key(tmp_path):
    # The check above can fail: a weak key is reported.
    done = keyproj("check", "--deploy", env=production_env(tmp_path, KEYPROJ_SECRET_KEY="short"))

    assert "security.W009" in done.stdout + done.stderr


def test_a_deployment_serves_hashed_static_names_and_caches_in_redis(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.STORAGES['staticfiles']['BACKEND']);print(s.CACHES['default']['BACKEND']);"
        "print(s.STATIC_ROOT);print(s.MEDIA_ROOT);print(s.STORAGES['default'])"
    )
    env = production_env(
        tmp_path,
        KEYPROJ_STATIC_ROOT=str(tmp_path / "static"),
        KEYPROJ_MEDIA_ROOT=str(tmp_path / "files"),
        KEYPROJ_MEDIA_STORAGE="example.storage.Bucket",
        KEYPROJ_MEDIA_OPTIONS='{"bucket_name": "keyproj"}',
    )
    lines = keyproj("shell", "-c", code, env=env).stdout.splitlines()[-5:]

    assert lines[0] == "keyproj.core.staticfiles.HashedStaticFilesStorage"
    assert lines[1] == "django.core.cache.backends.redis.RedisCache"
    assert lines[2] == str(tmp_path / "static") and lines[3] == str(tmp_path / "files")
    assert lines[4] == "{'BACKEND': 'example.storage.Bucket', 'OPTIONS': {'bucket_name': 'keyproj'}}"


def test_media_options_that_are_not_an_object_stop_the_start(tmp_path):
    done = keyproj("check", env=production_env(tmp_path, KEYPROJ_MEDIA_OPTIONS='["x"]'))

    assert done.returncode != 0 and "KEYPROJ_MEDIA_OPTIONS must be a JSON object" in done.stderr


def test_a_local_run_keeps_the_memory_cache_and_plain_static_names():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert settings.STORAGES["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedStaticFilesStorage"
    # Sessions outlive a cache flush: they stay in the database (docs/deploy.md says why).
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_gunicorn_reads_its_settings_from_the_environment(monkeypatch):
    import importlib

    from keyproj.deploy import gunicorn

    monkeypatch.setenv("KEYPROJ_BIND", "unix:/run/keyproj/web.sock")
    monkeypatch.setenv("KEYPROJ_WEB_WORKERS", "3")
    monkeypatch.setenv("KEYPROJ_WEB_MAX_REQUESTS", "500")
    try:
        config = importlib.reload(gunicorn)
        assert config.bind == ["unix:/run/keyproj/web.sock"]
        assert config.workers == 3 and config.worker_class == "gthread"
        assert config.max_requests == 500 and config.max_requests_jitter == 50
        assert config.wsgi_app == "keyproj.wsgi:application"
    finally:
        monkeypatch.undo()
        importlib.reload(gunicorn)


def test_nginx_accepts_the_uploads_the_application_accepts():
    site = (DEPLOY / "nginx" / "keyproj.conf").read_text()
    limit = re.search(r"client_max_body_size\s+(\d+)m;", site)

    # The form around a workbook adds a little to the file itself.
    assert limit and int(limit.group(1)) * 1024 * 1024 > settings.KEYPROJ_UPLOAD_MAX_BYTES


def test_nginx_sends_the_headers_the_example_environment_trusts():
    site = (DEPLOY / "nginx" / "keyproj.conf").read_text()
    env = dict(
        line.split("=", 1)
        for line in (DEPLOY / "keyproj.env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )

    assert f"proxy_set_header {env['KEYPROJ_PROXY_SSL_HEADER']} $scheme;" in site
    assert f"proxy_set_header {env['KEYPROJ_CLIENT_IP_HEADER']} $remote_addr;" in site
    assert env["KEYPROJ_TRUST_REQUEST_ID"] == "1" and "proxy_set_header X-Request-ID $request_id;" in site
    # Stored files are never served by nginx: each goes through the view that checks who may read it.
    assert "/media" not in site


def test_the_units_start_what_exists():
    from django.core.management import get_commands

    web = (DEPLOY / "systemd" / "keyproj-web.service").read_text()
    assert "python:keyproj.deploy.gunicorn" in web and "ExecReload=/bin/kill -s HUP $MAINPID" in web
    for unit, command in [("keyproj-worker.service", "worker"), ("keyproj-scheduler.service", "scheduler")]:
        text = (DEPLOY / "systemd" / unit).read_text()
        assert re.search(rf"ExecStart=\S+/keyproj {command}\b", text)
        assert command in get_commands()
    for unit in ("keyproj-web.service", "keyproj-worker.service", "keyproj-scheduler.service"):
        text = (DEPLOY / "systemd" / unit).read_text()
        assert "EnvironmentFile=/etc/keyproj/keyproj.env" in text and "User=keyproj" in text
        assert "NoNewPrivileges=true" in text and "ProtectSystem=strict" in text

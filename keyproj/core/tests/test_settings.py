"""Settings come from the environment; production refuses to run on a generated key."""

import os
import subprocess
import sys


def load_settings(tmp_path, **env):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KEYPROJ_")}
    environ.update({"KEYPROJ_VAR_DIR": str(tmp_path), **env})
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import keyproj.settings as s; print(s.DATABASES['default']['ENGINE'], s.DEBUG)",
        ],
        env=environ,
        capture_output=True,
        text=True,
    )


def test_a_local_run_needs_no_configuration_and_keeps_its_key(tmp_path):
    result = load_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    load_settings(tmp_path)
    assert (tmp_path / "secret_key").read_text() == key


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = load_settings(tmp_path, KEYPROJ_DEBUG="0")
    assert result.returncode != 0
    assert "KEYPROJ_SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_secret_key_and_a_database_url(tmp_path):
    result = load_settings(
        tmp_path,
        KEYPROJ_DEBUG="0",
        KEYPROJ_SECRET_KEY="x" * 60,
        KEYPROJ_DATABASE_URL="postgres://u@db.example:5432/keyproj",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "False"]


def test_a_malformed_boolean_is_refused(tmp_path):
    result = load_settings(tmp_path, KEYPROJ_DEBUG="maybe")
    assert "KEYPROJ_DEBUG must be a boolean" in result.stderr


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KEYPROJ_")}
    environ["KEYPROJ_VAR_DIR"] = str(tmp_path)
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='keyproj.settings'; django.setup();"
        "from django.db import connection; c=connection.cursor();"
        "mode = c.execute('PRAGMA journal_mode').fetchone()[0];"
        "print(mode, c.execute('PRAGMA busy_timeout').fetchone()[0])"
    )
    result = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000"]

"""Settings come from the environment: a local run needs nothing, a deployment refuses a generated key."""

from __future__ import annotations

import subprocess
import sys

from keyproj.testing import process_environ

SHOW = "print(s.DATABASES['default']['ENGINE'], s.DEBUG)"


def load_settings(tmp_path, show: str = SHOW, **env):
    """Import the settings in a fresh interpreter with only the given KEYPROJ_ variables set."""
    environ = process_environ(KEYPROJ_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "-c", f"import keyproj.settings as s; {show}"],
        env=environ,
        capture_output=True,
        text=True,
    )


def test_a_local_run_needs_no_configuration_and_keeps_its_key(tmp_path):
    result = load_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "False"]
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    load_settings(tmp_path)
    assert (tmp_path / "secret_key").read_text() == key


def test_debug_is_off_unless_asked_for(tmp_path):
    assert load_settings(tmp_path, show="print(s.DEBUG)").stdout.split() == ["False"]
    assert load_settings(tmp_path, show="print(s.DEBUG)", KEYPROJ_DEBUG="1").stdout.split() == ["True"]


def test_with_debug_off_and_no_hosts_named_the_site_answers_on_this_machine(tmp_path):
    result = load_settings(
        tmp_path, show="print(','.join(s.ALLOWED_HOSTS), s.SESSION_COOKIE_SECURE)", KEYPROJ_DEBUG="0"
    )
    assert result.returncode == 0, result.stderr
    # Plain http://127.0.0.1 keeps its session: the cookies are not HTTPS-only on a local run.
    assert result.stdout.split() == ["127.0.0.1,localhost", "False"]


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = load_settings(tmp_path, KEYPROJ_DEBUG="0", KEYPROJ_ALLOWED_HOSTS="keyproj.example.gov")
    assert result.returncode != 0
    assert "KEYPROJ_SECRET_KEY must be set" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_a_proxy_naming_its_public_origin_needs_a_secret_key_too(tmp_path):
    # Behind a proxy the Host may well be 127.0.0.1, but sign-in needs the public origin trusted.
    result = load_settings(tmp_path, KEYPROJ_CSRF_TRUSTED_ORIGINS="https://keyproj.example.gov")
    assert result.returncode != 0
    assert "KEYPROJ_SECRET_KEY must be set" in result.stderr


def test_a_deployment_sends_its_cookies_over_https_only(tmp_path):
    result = load_settings(
        tmp_path,
        show="print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)",
        KEYPROJ_ALLOWED_HOSTS="keyproj.example.gov",
        KEYPROJ_SECRET_KEY="x" * 60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]


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
    environ = process_environ(KEYPROJ_VAR_DIR=str(tmp_path))
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='keyproj.settings'; django.setup();"
        "from django.db import connection; c=connection.cursor();"
        "mode = c.execute('PRAGMA journal_mode').fetchone()[0];"
        "print(mode, c.execute('PRAGMA busy_timeout').fetchone()[0])"
    )
    result = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000"]


PRODUCTION = {
    "KEYPROJ_DEBUG": "0",
    "KEYPROJ_SECRET_KEY": "kq7#Vd2!pZ9xLw4@Rt6^Yb1&Nm8*Hc3(Jf5)Gs0-Ue2=Ia7+Oe9~Xr4%Tz6$Qy1",
    "KEYPROJ_ALLOWED_HOSTS": "keyproj.example.gov",
}


def run_keyproj(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environ = process_environ(KEYPROJ_VAR_DIR=str(tmp_path), **env)
    return subprocess.run([sys.executable, "-m", "keyproj", *args], env=environ, capture_output=True, text=True)


def test_production_settings_pass_the_deploy_checks_without_a_warning(tmp_path):
    result = run_keyproj(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_deployment_redirects_to_https_and_asks_browsers_to_stay_there(tmp_path):
    show = (
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    result = load_settings(tmp_path, show=show, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "31536000", "True", "True", "True", "True"]


def test_hsts_and_the_redirect_are_configurable(tmp_path):
    show = "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_PRELOAD)"
    result = load_settings(
        tmp_path,
        show=show,
        KEYPROJ_SSL_REDIRECT="0",
        KEYPROJ_HSTS_SECONDS="3600",
        KEYPROJ_HSTS_PRELOAD="0",
        **PRODUCTION,
    )

    assert result.stdout.split() == ["False", "3600", "False"]


def test_a_local_run_stays_on_plain_http(tmp_path):
    show = "print(s.LOCAL_RUN, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE)"
    result = load_settings(tmp_path, show=show, KEYPROJ_DEBUG="0")

    assert result.stdout.split() == ["True", "False", "0", "False"]


def test_the_proxy_https_header_is_read_only_when_named(tmp_path):
    show = "print(getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    assert load_settings(tmp_path, show=show, **PRODUCTION).stdout.strip() == "None"
    named = load_settings(tmp_path, show=show, KEYPROJ_PROXY_SSL_HEADER="X-Forwarded-Proto", **PRODUCTION)
    assert named.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_login_throttling_and_token_age_come_from_the_environment(tmp_path):
    show = "print(s.AXES_FAILURE_LIMIT, int(s.AXES_COOLOFF_TIME.total_seconds()), s.KEYPROJ_TOKEN_DAYS)"
    assert load_settings(tmp_path, show=show).stdout.split() == ["5", "1800", "30"]
    custom = load_settings(
        tmp_path, show=show, KEYPROJ_LOGIN_FAILURE_LIMIT="3", KEYPROJ_LOGIN_LOCKOUT_MINUTES="60", KEYPROJ_TOKEN_DAYS="7"
    )
    assert custom.stdout.split() == ["3", "3600", "7"]


def test_the_content_security_policy_allows_no_inline_script(tmp_path):
    show = "d = s.CONTENT_SECURITY_POLICY['DIRECTIVES']; print(d['default-src'], d['script-src'])"
    result = load_settings(tmp_path, show=show)

    assert result.stdout.split() == ["[\"'self'\"]", "[\"'self'\"]"]


def test_behind_a_transaction_pooler_no_server_side_cursor_and_no_kept_connection(tmp_path):
    show = "d = s.DATABASES['default']; print(d.get('DISABLE_SERVER_SIDE_CURSORS', False), d['CONN_MAX_AGE'])"
    url = "postgres://keyproj@127.0.0.1:6432/keyproj"
    plain = load_settings(tmp_path, show=show, KEYPROJ_DATABASE_URL=url)
    assert plain.stdout.split() == ["False", "60"], plain.stderr
    pooled = load_settings(tmp_path, show=show, KEYPROJ_DATABASE_URL=url, KEYPROJ_DB_POOLER="transaction")
    assert pooled.stdout.split() == ["True", "0"], pooled.stderr


def test_an_unknown_pooler_mode_is_refused_by_name(tmp_path):
    result = load_settings(tmp_path, KEYPROJ_DB_POOLER="statement")
    assert result.returncode != 0
    assert "KEYPROJ_DB_POOLER must be empty, 'session' or 'transaction', not 'statement'" in result.stderr

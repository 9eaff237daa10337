from __future__ import annotations

import datetime as dt

from rest_framework.test import APIClient

from keyproj.accounts import tokens
from keyproj.accounts.models import ApiToken
from keyproj.core import clock
from keyproj.core.models import AuditEntry

TOKEN = "/api/v1/auth/token/"
TOKENS = "/api/v1/auth/tokens/"
PASSWORD = "pw-for-tests-only"


def ask(username="owner", password=PASSWORD, **extra):
    return APIClient().post(TOKEN, {"username": username, "password": password}, format="json", **extra)


def test_a_user_exchanges_username_and_password_for_a_token_that_lets_them_in(owner_user, siming_project):
    response = ask()

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "id", "expires_at"}
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    projects = client.get("/api/v1/projects/")
    assert projects.status_code == 200
    assert [p["code"] for p in projects.json()["results"]] == [siming_project.code]


def test_a_token_expires_after_the_configured_days(owner_user, settings):
    settings.KEYPROJ_TOKEN_DAYS = 7

    response = ask()

    token = ApiToken.objects.get(pk=response.json()["id"])
    assert token.expires_at - token.created_at == dt.timedelta(days=7)


def test_the_key_itself_is_not_stored(owner_user):
    key = ask().json()["token"]

    token = ApiToken.objects.get()
    assert token.digest != key and key not in token.digest
    assert token.prefix == key[:8]


def test_asking_again_issues_a_second_token_and_the_first_still_works(owner_user):
    first = ask().json()["token"]
    second = ask().json()["token"]

    assert first != second
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert client.get("/api/v1/projects/").status_code == 200


def test_an_expired_token_gets_401_with_the_documented_body(owner_user):
    key = ask().json()["token"]
    ApiToken.objects.update(expires_at=clock.real_now() - dt.timedelta(seconds=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = client.get("/api/v1/projects/")

    assert response.status_code == 401
    assert response.json() == {"detail": "令牌已过期，请重新获取令牌"}


def test_a_revoked_token_gets_401_with_the_documented_body(owner_user):
    body = ask().json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")

    assert client.delete(f"{TOKENS}{body['id']}/").status_code == 204
    response = client.get("/api/v1/projects/")

    assert response.status_code == 401
    assert response.json() == {"detail": "令牌已撤销，请重新获取令牌"}


def test_issuing_and_revoking_are_audited_without_the_key(owner_user):
    body = ask().json()
    token = ApiToken.objects.get(pk=body["id"])
    tokens.revoke(token, user=owner_user)

    entries = AuditEntry.objects.filter(action__in=["token.issue", "token.revoke"]).order_by("pk")
    assert [e.action for e in entries] == ["token.issue", "token.revoke"]
    for entry in entries:
        assert body["token"] not in str(entry.before) + str(entry.after)
        assert "digest" not in (entry.after or {})


def test_an_owner_lists_only_their_own_tokens(owner_user, agent_user):
    tokens.issue(agent_user, name="agent's")
    client = APIClient()
    client.force_authenticate(owner_user)
    tokens.issue(owner_user, name="mine")

    rows = client.get(TOKENS).json()

    assert [(r["user"], r["name"], r["active"]) for r in rows] == [("owner", "mine", True)]
    assert all("token" not in r and "digest" not in r for r in rows)


def test_another_users_token_is_not_there_for_an_owner(owner_user, agent_user):
    theirs, _key = tokens.issue(agent_user)
    client = APIClient()
    client.force_authenticate(owner_user)

    assert client.delete(f"{TOKENS}{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_the_office_lists_and_revokes_anyones_token(admin_user, owner_user, agent_user):
    owners, _key = tokens.issue(owner_user)
    tokens.issue(agent_user)
    client = APIClient()
    client.force_authenticate(admin_user)

    assert {r["user"] for r in client.get(TOKENS).json()} == {"owner", "agent"}
    assert [r["user"] for r in client.get(TOKENS, {"user": "owner"}).json()] == ["owner"]
    assert client.delete(f"{TOKENS}{owners.pk}/").status_code == 204
    owners.refresh_from_db()
    assert owners.revoked_by == admin_user


def test_listing_tokens_needs_a_signed_in_caller(db):
    assert APIClient().get(TOKENS).status_code == 401


def test_a_wrong_password_and_an_unknown_user_get_the_same_chinese_400(owner_user):
    wrong = ask(password="nope")
    unknown = ask(username="nobody", password="nope")

    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json()
    assert wrong.json()["detail"] == "用户名或密码不正确"
    assert not ApiToken.objects.exists()


def test_a_disabled_account_gets_no_token(owner_user):
    owner_user.is_active = False
    owner_user.save()

    assert ask().status_code == 400


def test_missing_credentials_are_named(db):
    response = APIClient().post(TOKEN, {}, format="json")

    assert response.status_code == 400
    assert {p["field"] for p in response.json()["problems"]} == {"username", "password"}


def test_a_bad_token_is_not_let_in(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    response = client.get("/api/v1/returns/")

    assert response.status_code == 401
    assert response.json() == {"detail": "令牌无效，请重新获取令牌"}


def test_the_token_endpoint_locks_a_username_after_five_failures(owner_user, settings):
    settings.AXES_FAILURE_LIMIT = 5
    answers = [ask(password=f"wrong-{i}").status_code for i in range(5)]

    locked = ask()  # the right password, too late

    assert answers == [400, 400, 400, 400, 429]
    assert locked.status_code == 429
    assert "锁定" in locked.json()["detail"] and "30分钟" in locked.json()["detail"]
    assert not ApiToken.objects.exists()


def test_failures_from_one_address_lock_it_for_every_username(owner_user, agent_user):
    for i in range(5):
        ask(username=f"guess-{i}", password="nope", REMOTE_ADDR="203.0.113.7")

    assert ask(username="agent", REMOTE_ADDR="203.0.113.7").status_code == 429
    assert ask(username="agent", REMOTE_ADDR="198.51.100.2").status_code == 200


def test_a_forwarded_address_is_ignored_unless_a_proxy_header_is_configured(owner_user, settings):
    for i in range(5):
        ask(username=f"guess-{i}", password="nope", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")

    # Every failure counted against the connection's address, whatever the client claimed.
    assert ask(username="owner", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_behind_a_configured_proxy_the_last_forwarded_address_counts(owner_user, settings):
    settings.KEYPROJ_CLIENT_IP_HEADER = "X-Forwarded-For"
    for i in range(5):
        ask(
            username=f"guess-{i}",
            password="nope",
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{i}, 203.0.113.7",
        )

    assert ask(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert ask(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.2").status_code == 200


def test_the_schema_documents_the_token_endpoint_as_open(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert {"200", "400", "429"} <= operation["responses"].keys()
    assert not operation.get("security")  # no credentials needed to ask for one
    assert {"get"} <= schema["paths"]["/api/v1/auth/tokens/"].keys()
    assert {"delete"} <= schema["paths"]["/api/v1/auth/tokens/{id}/"].keys()


def test_a_token_name_over_sixty_characters_is_refused_and_nothing_issued(owner_user):
    response = APIClient().post(TOKEN, {"username": "owner", "password": PASSWORD, "name": "x" * 61}, format="json")

    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "name"
    assert not ApiToken.objects.exists()


def test_a_control_character_never_reaches_a_stored_token_name(owner_user):
    response = APIClient().post(
        TOKEN, {"username": "owner", "password": PASSWORD, "name": "a\x00b\x0bc"}, format="json"
    )

    assert response.status_code in (200, 400)
    assert not ApiToken.objects.filter(name__regex=r"[\x00-\x1f]").exists()

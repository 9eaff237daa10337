from __future__ import annotations

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

TOKEN = "/api/v1/auth/token/"


def test_a_user_exchanges_username_and_password_for_a_token_that_lets_them_in(owner_user, siming_project):
    client = APIClient()

    response = client.post(TOKEN, {"username": "owner", "password": "pw-for-tests-only"}, format="json")

    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=owner_user).key
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    projects = client.get("/api/v1/projects/")
    assert projects.status_code == 200
    assert [p["code"] for p in projects.json()["results"]] == [siming_project.code]


def test_asking_again_gives_the_same_token(owner_user):
    first = APIClient().post(TOKEN, {"username": "owner", "password": "pw-for-tests-only"}, format="json")
    second = APIClient().post(TOKEN, {"username": "owner", "password": "pw-for-tests-only"}, format="json")

    assert first.json()["token"] == second.json()["token"]


def test_a_wrong_password_and_an_unknown_user_get_the_same_chinese_400(owner_user):
    wrong = APIClient().post(TOKEN, {"username": "owner", "password": "nope"}, format="json")
    unknown = APIClient().post(TOKEN, {"username": "nobody", "password": "nope"}, format="json")

    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json()
    assert wrong.json()["detail"] == "用户名或密码不正确"
    assert not Token.objects.exists()


def test_a_disabled_account_gets_no_token(owner_user):
    owner_user.is_active = False
    owner_user.save()

    response = APIClient().post(TOKEN, {"username": "owner", "password": "pw-for-tests-only"}, format="json")

    assert response.status_code == 400


def test_missing_credentials_are_named(db):
    response = APIClient().post(TOKEN, {}, format="json")

    assert response.status_code == 400
    assert {p["field"] for p in response.json()["problems"]} == {"username", "password"}


def test_a_bad_token_is_not_let_in(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    assert client.get("/api/v1/returns/").status_code == 401


def test_the_schema_documents_the_token_endpoint_as_open(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert {"200", "400"} <= operation["responses"].keys()
    assert not operation.get("security")  # no credentials needed to ask for one

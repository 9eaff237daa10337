"""The API: the office reads the deliveries; everyone reads and sets their own notification settings."""

from __future__ import annotations

import pytest

from keyproj.outbox.models import Delivery, Mode, Preference, Robot, RobotKind, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery(unit_org):
    robot = Robot.objects.create(
        organisation=unit_org,
        name="群",
        kind=RobotKind.WECOM,
        url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdef",
    )
    return Delivery.objects.create(
        event="e", channel="wecom", robot=robot, title="消息", status=Status.RETRYING, attempts=2
    )


def test_the_office_reads_the_deliveries_filtered(client, admin_user, delivery):
    client.force_login(admin_user)
    rows = client.get("/api/v1/outbox/deliveries/?status=retrying").json()["results"]
    assert [(r["id"], r["status_display"], r["attempts"], r["robot"]) for r in rows] == [
        (delivery.pk, "重试中", 2, "市交通局 · 群")
    ]
    assert "abcdef" not in str(rows)
    assert client.get("/api/v1/outbox/deliveries/?status=sent").json()["results"] == []
    assert client.get(f"/api/v1/outbox/deliveries/{delivery.pk}/").status_code == 200


@pytest.mark.parametrize("who", ["owner_user", "siming_officer", "leader_user"])
def test_nobody_else_reads_the_deliveries(client, request, who, delivery):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/api/v1/outbox/deliveries/").status_code == 403
    assert client.get(f"/api/v1/outbox/deliveries/{delivery.pk}/").status_code in (403, 404)


def test_signed_out_callers_are_refused(client):
    assert client.get("/api/v1/outbox/deliveries/").status_code in (401, 403)
    assert client.get("/api/v1/notification-preferences/").status_code in (401, 403)


def test_a_caller_reads_and_replaces_their_own_settings(client, owner_user, siming_officer):
    client.force_login(owner_user)
    assert client.get("/api/v1/notification-preferences/").json() == {
        "email": "",
        "email_enabled": True,
        "mode": "immediate",
    }
    answer = client.put(
        "/api/v1/notification-preferences/", {"email_enabled": False, "mode": "digest"}, content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["mode"] == "digest"
    assert Preference.objects.get(user=owner_user).mode == Mode.DIGEST
    assert not Preference.objects.filter(user=siming_officer).exists()


def test_a_mode_that_is_not_offered_is_refused_in_the_one_shape(client, owner_user):
    client.force_login(owner_user)
    answer = client.put(
        "/api/v1/notification-preferences/", {"email_enabled": True, "mode": "hourly"}, content_type="application/json"
    )
    assert answer.status_code == 400
    assert answer.json()["problems"] == [
        {"field": "mode", "message": "应为 immediate（即时发送）或 digest（每日汇总）"}
    ]
    assert not Preference.objects.exists()

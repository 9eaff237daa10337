"""The pages: each user's 通知设置, the office's 外发消息 and 群机器人 (address checks, secrets never shown),
and nobody else's way in."""

from __future__ import annotations

import pytest

from keyproj.accounts.models import Role
from keyproj.core.models import AuditEntry
from keyproj.outbox.models import Delivery, Mode, Preference, Robot, RobotKind, Status
from keyproj.testing import make_user

pytestmark = pytest.mark.django_db

WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
DINGTALK = "https://oapi.dingtalk.com/robot/send?access_token=c0ffee0123456789"
SECRET = "SECd4c1b2a3e4f5061728394a5b6c7d8e9f"


@pytest.fixture
def robot(unit_org):
    return Robot.objects.create(
        organisation=unit_org, name="交通局群", kind=RobotKind.DINGTALK, url=DINGTALK, secret=SECRET
    )


@pytest.fixture
def failed(robot):
    return Delivery.objects.create(
        event="e",
        channel="dingtalk",
        robot=robot,
        title="消息",
        status=Status.FAILED,
        attempts=8,
        last_error="HTTP 500",
    )


def form(unit_org, **extra):
    values = {
        "organisation": unit_org.pk,
        "name": "交通局群",
        "kind": "wecom",
        "url": WECOM,
        "mode": "immediate",
        "enabled": "on",
    }
    values.update(extra)
    return values


def test_every_user_sets_their_own_channels(client, owner_user):
    client.force_login(owner_user)
    page = client.get("/notifications/preferences/").content.decode()
    assert "您的账号没有登记邮箱地址" in page
    answer = client.post("/notifications/preferences/", {"mode": "digest"})
    assert answer.status_code == 302
    preference = Preference.objects.get(user=owner_user)
    assert (preference.email_enabled, preference.mode) == (False, Mode.DIGEST)
    assert AuditEntry.objects.filter(action="outbox.preference", user=owner_user).count() == 1


def test_a_user_with_an_address_sees_it_and_the_groups_that_hear_them(client, unit_org, robot):
    user = make_user("unit-mail", Role.UNIT_OFFICER, unit_org, email="unit@example.cn")
    client.force_login(user)
    page = client.get("/notifications/preferences/").content.decode()
    assert "unit@example.cn" in page and "交通局群" in page
    assert "c0ffee" not in page and SECRET[:8] not in page


def test_a_mode_that_is_not_offered_is_refused(client, owner_user):
    client.force_login(owner_user)
    assert client.post("/notifications/preferences/", {"mode": "hourly"}).status_code == 400
    assert not Preference.objects.exists()


def test_the_office_adds_a_robot_and_its_key_is_never_shown_back(client, admin_user, unit_org):
    client.force_login(admin_user)
    answer = client.post("/outbox/robots/add/", form(unit_org))
    assert answer.status_code == 302, answer.content.decode()
    robot = Robot.objects.get()
    assert robot.url == WECOM
    page = client.get("/outbox/robots/").content.decode()
    assert "交通局群" in page and "693a…" in page and "693a91f6" not in page
    entry = AuditEntry.objects.get(action="robot.create")
    assert "693a91f6" not in str(entry.after)


def test_the_dingtalk_secret_is_kept_when_left_empty_and_never_shown(client, admin_user, unit_org, robot):
    client.force_login(admin_user)
    page = client.get(f"/outbox/robots/{robot.pk}/").content.decode()
    assert SECRET not in page and "c0ffee0123456789" not in page
    answer = client.post(
        f"/outbox/robots/{robot.pk}/", form(unit_org, kind="dingtalk", url="", name="交通局群二", mode="digest")
    )
    assert answer.status_code == 302
    robot.refresh_from_db()
    assert (robot.name, robot.url, robot.secret, robot.mode) == ("交通局群二", DINGTALK, SECRET, Mode.DIGEST)
    entry = AuditEntry.objects.get(action="robot.update")
    assert SECRET not in str(entry.before) + str(entry.after)


@pytest.mark.parametrize(
    ("url", "kind", "secret", "message"),
    [
        ("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "wecom", "", "地址须以 https:// 开头"),
        ("https://10.0.0.5/cgi-bin/webhook/send?key=k", "wecom", "", "主机“10.0.0.5”不在允许的机器人地址范围内"),
        ("https://qyapi.weixin.qq.com.evil.cn/send?key=k", "wecom", "", "不在允许的机器人地址范围内"),
        ("ftp://qyapi.weixin.qq.com/x", "wecom", "", "地址须以 https:// 开头"),
        ("https://u:p@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "wecom", "", "不能包含用户名或密码"),
        ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send", "wecom", "", "应带有 key= 参数"),
        ("https://oapi.dingtalk.com/robot/send", "dingtalk", "", "应带有 access_token= 参数"),
        (WECOM, "wecom", "SECabc", "企业微信群机器人不使用加签密钥"),
    ],
)
def test_a_robot_address_that_may_not_be_used_is_refused_precisely(
    client, admin_user, unit_org, url, kind, secret, message
):
    client.force_login(admin_user)
    answer = client.post("/outbox/robots/add/", form(unit_org, url=url, kind=kind, secret=secret))
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not Robot.objects.exists()


def test_the_office_stops_a_robot(client, admin_user, robot):
    client.force_login(admin_user)
    assert client.post(f"/outbox/robots/{robot.pk}/enabled/", {"enabled": "0"}).status_code == 302
    robot.refresh_from_db()
    assert not robot.enabled
    assert AuditEntry.objects.filter(action="robot.disable").count() == 1


def test_the_office_sees_the_deliveries_by_status_and_channel(client, admin_user, failed):
    client.force_login(admin_user)
    page = client.get("/outbox/?status=failed&channel=dingtalk").content.decode()
    assert "已放弃" in page and "HTTP 500" in page
    assert "没有符合条件的外发消息" in client.get("/outbox/?status=sent").content.decode()
    assert "状态" in client.get("/outbox/?status=nonsense").content.decode()


OFFICE_PAGES = ["/outbox/", "/outbox/robots/", "/outbox/robots/add/", "/outbox/robots/{robot}/"]
OFFICE_ACTIONS = ["/outbox/{failed}/retry/", "/outbox/robots/{robot}/enabled/", "/outbox/robots/add/"]


@pytest.mark.parametrize("who", ["owner_user", "siming_officer", "leader_user"])
def test_nobody_but_the_office_reaches_its_pages(client, request, who, robot, failed):
    client.force_login(request.getfixturevalue(who))
    for path in OFFICE_PAGES:
        assert client.get(path.format(robot=robot.pk)).status_code == 404, path
    for path in OFFICE_ACTIONS:
        assert client.post(path.format(robot=robot.pk, failed=failed.pk), {"enabled": "0"}).status_code == 404, path
    robot.refresh_from_db()
    failed.refresh_from_db()
    assert robot.enabled and failed.status == Status.FAILED


def test_signed_out_visitors_are_sent_to_sign_in(client, robot):
    for path in ["/notifications/preferences/", "/outbox/", "/outbox/robots/"]:
        answer = client.get(path)
        assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]

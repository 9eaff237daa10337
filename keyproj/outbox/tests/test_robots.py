"""The group robots against a local stand-in of 企业微信 and 钉钉: the JSON they are sent, the 钉钉 signature,
one message per event for a whole organisation, and every way an endpoint fails."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac

import pytest
from django.utils import timezone

from keyproj.accounts.models import Membership, Role
from keyproj.accounts.services import notify
from keyproj.outbox.delivery import backoff, deliver_due
from keyproj.outbox.models import Channel, Delivery, Mode, Robot, RobotKind, Status
from keyproj.testing import make_user

pytestmark = pytest.mark.django_db

T0 = timezone.now() + dt.timedelta(hours=1)
SECRET = "SEC0123456789abcdef"


@pytest.fixture
def unit_people(unit_org):
    return [make_user(f"unit{n}", Role.UNIT_OFFICER, unit_org) for n in (1, 2)]


def robot(organisation, endpoint, kind=RobotKind.WECOM, **extra):
    query = "key=test-key-0001" if kind == RobotKind.WECOM else "access_token=test-token-0001"
    return Robot.objects.create(
        organisation=organisation, name=f"{kind}群", kind=kind, url=endpoint.url(query=query), **extra
    )


def announce(users, key="", organisations=None):
    # Of the responsible unit's business unless told otherwise (the test people are its officers).
    if organisations is None:
        organisations = {m.organisation_id for u in users for m in u.memberships.all()}
    return notify(
        users,
        "挂牌督办：环岛路改造",
        body="办结期限：2019年10月31日",
        url="/supervision/listings/3/",
        key=key,
        organisations=organisations,
    )


def test_a_wecom_robot_is_sent_markdown_with_the_title_body_and_link(endpoint, unit_org, unit_people):
    robot(unit_org, endpoint)
    announce(unit_people)
    assert deliver_due(now=T0)["sent"] == 1
    [request] = endpoint.requests
    assert request["query"] == {"key": ["test-key-0001"]}
    assert request["json"]["msgtype"] == "markdown"
    content = request["json"]["markdown"]["content"]
    assert content.startswith("**挂牌督办：环岛路改造**")
    assert "办结期限：2019年10月31日" in content
    assert "https://dbpt.example.gov.cn/supervision/listings/3/" in content


def test_a_robot_hears_an_event_once_however_many_of_its_members_are_told(endpoint, unit_org, unit_people):
    robot(unit_org, endpoint)
    announce(unit_people[:1], key="listing.listed:3")
    announce(unit_people, key="listing.listed:3")  # the second member told later, of the same event
    assert Delivery.objects.filter(channel=Channel.WECOM).count() == 1
    deliver_due(now=T0)
    deliver_due(now=T0 + dt.timedelta(minutes=1))
    assert len(endpoint.requests) == 1


def test_a_dingtalk_robot_with_a_secret_signs_its_address(endpoint, unit_org, unit_people):
    robot(unit_org, endpoint, kind=RobotKind.DINGTALK, secret=SECRET)
    announce(unit_people)
    assert deliver_due(now=T0)["sent"] == 1
    [request] = endpoint.requests
    query = request["query"]
    assert query["access_token"] == ["test-token-0001"]
    timestamp = query["timestamp"][0]
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["sign"] == [expected]  # parse_qs undid the URL encoding of + / =
    assert abs(int(timestamp) - timezone.now().timestamp() * 1000) < 60_000
    markdown = request["json"]["markdown"]
    assert request["json"]["msgtype"] == "markdown"
    assert markdown["title"] == "挂牌督办：环岛路改造"
    assert markdown["text"].startswith("**挂牌督办：环岛路改造**")
    assert "https://dbpt.example.gov.cn/supervision/listings/3/" in markdown["text"]


def test_a_dingtalk_robot_without_a_secret_is_not_signed(endpoint, unit_org, unit_people):
    robot(unit_org, endpoint, kind=RobotKind.DINGTALK)
    announce(unit_people)
    deliver_due(now=T0)
    assert set(endpoint.requests[0]["query"]) == {"access_token"}


def test_a_stopped_robot_is_not_given_new_messages(endpoint, unit_org, unit_people):
    robot(unit_org, endpoint, enabled=False)
    announce(unit_people)
    assert not Delivery.objects.exists()


@pytest.mark.parametrize(
    ("mode", "error"),
    [("http500", "HTTP 500"), ("errcode", "errcode 310000，sign not match"), ("hang", "超时")],
)
def test_a_failing_endpoint_is_retried_backing_off_then_given_up(endpoint, unit_org, unit_people, mode, error):
    robot(unit_org, endpoint, kind=RobotKind.DINGTALK, secret=SECRET)
    endpoint.mode = mode
    announce(unit_people)
    now = T0
    for attempt in (1, 2, 3):
        assert deliver_due(now=now)["retrying"] == 1
        row = Delivery.objects.get()
        assert (row.status, row.attempts) == (Status.RETRYING, attempt)
        assert error in row.last_error
        assert row.next_attempt_at == now + backoff(attempt)
        now = row.next_attempt_at
    assert deliver_due(now=now + dt.timedelta(hours=2))["retrying"] == 1  # past any count of attempts
    assert deliver_due(now=Delivery.objects.get().created_at + dt.timedelta(hours=72))["failed"] == 1
    assert Delivery.objects.get().status == Status.FAILED
    assert len(endpoint.requests) == 5


def test_messages_wait_while_the_endpoint_is_down_and_go_once_it_is_back(endpoint, unit_org, unit_people):
    robot(unit_org, endpoint)
    endpoint.mode = "http500"
    announce(unit_people, key="a")
    announce(unit_people, key="b")
    assert deliver_due(now=T0)["retrying"] == 2
    endpoint.mode = "ok"
    assert deliver_due(now=T0 + dt.timedelta(minutes=1)) == {"sent": 2, "retrying": 0, "failed": 0}
    assert len(endpoint.requests) == 4  # two failed posts, two that went


def test_a_robot_in_digest_mode_gets_one_message_for_the_day(endpoint, unit_org, unit_people):
    from keyproj.outbox.delivery import send_digests

    robot(unit_org, endpoint, mode=Mode.DIGEST)
    announce(unit_people, key="a")
    notify(unit_people, "问题已上报至市重点办：征地未完成", key="b", organisations=[unit_org])
    assert deliver_due(now=T0)["sent"] == 0
    counts = send_digests(dt.date(2019, 9, 3), now=T0)
    assert (counts["digests"], counts["bundled"], counts["sent"]) == (1, 2, 1)
    [request] = endpoint.requests
    content = request["json"]["markdown"]["content"]
    assert "每日汇总 2019-09-03：2条消息" in content
    assert "挂牌督办：环岛路改造" in content and "问题已上报至市重点办：征地未完成" in content
    assert send_digests(dt.date(2019, 9, 3), now=T0)["digests"] == 0
    assert len(endpoint.requests) == 1


def test_an_address_outside_the_allow_list_is_never_posted_to(endpoint, unit_org, unit_people, settings):
    robot(unit_org, endpoint)
    announce(unit_people)
    settings.KEYPROJ_WEBHOOK_HOSTS = ["qyapi.weixin.qq.com"]  # the robot's host was taken off the list
    assert deliver_due(now=T0)["retrying"] == 1
    assert "不在允许的机器人地址范围内" in Delivery.objects.get().last_error
    assert endpoint.requests == []


def test_a_robot_hears_only_the_organisations_the_event_concerns(endpoint, unit_org, siming):
    """One person in a district and a unit: the district's problem is not posted to the unit's group."""
    both = make_user("both", Role.DISTRICT_OFFICER, siming)
    Membership.objects.create(user=both, organisation=unit_org, role=Role.UNIT_OFFICER)
    district_robot = robot(siming, endpoint)
    robot(unit_org, endpoint, kind=RobotKind.DINGTALK)
    notify([both], "思明区的问题", body="只给思明区", key="district-only", organisations=[siming])
    assert [d.robot for d in Delivery.objects.exclude(robot=None)] == [district_robot]
    assert deliver_due(now=T0)["sent"] == 1  # the district's group only (the person has no e-mail address)
    [request] = endpoint.requests
    assert request["query"] == {"key": ["test-key-0001"]}
    assert "只给思明区" in request["json"]["markdown"]["content"]


def test_with_no_organisation_named_no_robot_hears(endpoint, unit_org, unit_people):
    robot(unit_org, endpoint)
    announce(unit_people, organisations=[])
    assert not Delivery.objects.exclude(robot=None).exists()


def test_each_organisation_named_hears_the_text_meant_for_it_once(endpoint, unit_org, siming, unit_people):
    """Two calls of one event key, each for its own organisation: each group reads its own call's text."""
    unit_robot, district_robot = robot(unit_org, endpoint), robot(siming, endpoint, kind=RobotKind.DINGTALK)
    district_people = [make_user("d1", Role.DISTRICT_OFFICER, siming)]
    notify(unit_people, "市交通局：2个项目未报", key="chase:2019-08", organisations=[unit_org])
    notify(district_people, "思明区：5个项目未报", key="chase:2019-08", organisations=[siming])
    notify(unit_people, "市交通局：2个项目未报", key="chase:2019-08", organisations=[unit_org])  # a rerun
    robots = {d.robot: d.title for d in Delivery.objects.exclude(robot=None)}
    assert robots == {unit_robot: "市交通局：2个项目未报", district_robot: "思明区：5个项目未报"}

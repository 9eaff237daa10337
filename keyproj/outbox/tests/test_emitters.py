"""The events the other apps announce reach the outbox with their kind and event key: a return approved
(its reporters), a listing (the project's responsible unit and owner)."""

from __future__ import annotations

import datetime as dt

import pytest

from keyproj.accounts.models import Notification, Role
from keyproj.outbox.models import Channel, Delivery
from keyproj.returns.services import approve_return
from keyproj.supervision.services import ListingData, create_listing
from keyproj.testing import make_plan, make_project, make_returns, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(unit_org, owner_org):
    return make_project(responsible_unit=unit_org, owner=owner_org)


def test_an_approved_return_is_announced_to_its_reporters(settings, project, owner_org, unit_org):
    settings.KEYPROJ_TODAY = dt.date(2020, 1, 15)
    owner = make_user("owner-mail", Role.OWNER, owner_org, email="owner@example.cn")
    reviewer = make_user("reviewer", Role.UNIT_OFFICER, unit_org)
    make_plan(project)
    [ret] = make_returns(project, ["100"], approve=False)
    approve_return(ret, user=reviewer)
    message = Notification.objects.get(user=owner)
    assert message.kind == "return.approve" and message.key.startswith(f"return.approve:{ret.pk}:")
    assert "填报已审核通过" in message.title
    assert Delivery.objects.get(channel=Channel.EMAIL).user == owner


def test_a_listing_is_announced_to_the_responsible_unit_and_the_owner(admin_user, project, owner_org, unit_org, siming):
    told = [make_user("u", Role.UNIT_OFFICER, unit_org), make_user("o", Role.OWNER, owner_org)]
    bystander = make_user("s", Role.DISTRICT_OFFICER, siming)
    listing = create_listing(
        project,
        ListingData(matter="征地拆迁滞后", responsible="市交通局", target="10月底前交地", due=dt.date(2019, 10, 31)),
        user=admin_user,
    )
    messages = Notification.objects.filter(kind="listing.listed", key=f"listing.listed:{listing.pk}")
    assert sorted(m.user.username for m in messages) == sorted(u.username for u in told)
    assert not Notification.objects.filter(user=bystander).exists()
    assert "2019年10月31日" in messages[0].body


def test_a_listing_is_posted_to_the_unit_and_owner_groups_only(admin_user, project, owner_org, unit_org, siming):
    """A unit officer who is also in a district: the district's group does not hear of the unit's listing."""
    from keyproj.accounts.models import Membership
    from keyproj.outbox.models import Robot, RobotKind

    officer = make_user("u", Role.UNIT_OFFICER, unit_org)
    Membership.objects.create(user=officer, organisation=siming, role=Role.DISTRICT_OFFICER)
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-{}"
    groups = {
        org: Robot.objects.create(organisation=org, name="群", kind=RobotKind.WECOM, url=url.format(org.pk))
        for org in (unit_org, owner_org, siming)
    }
    create_listing(
        project,
        ListingData(matter="征地拆迁滞后", responsible="市交通局", target="10月底前交地", due=dt.date(2019, 10, 31)),
        user=admin_user,
    )
    heard = {d.robot for d in Delivery.objects.exclude(robot=None)}
    assert heard == {groups[unit_org], groups[owner_org]}

"""挂牌督办 through the services, and what a close does with listings: overdue → referral, proposals."""

from __future__ import annotations

import datetime as dt

import pytest

from keyproj.core.errors import Refused
from keyproj.core.period import Period
from keyproj.core.scoping import CONSOLE
from keyproj.notices.document import to_text
from keyproj.problems.models import ProblemCategory
from keyproj.problems.services import ProblemData, raise_problem
from keyproj.supervision.models import Listing, MonthClose
from keyproj.supervision.notice import notice_for
from keyproj.supervision.services import (
    ListingData,
    accept_proposal,
    close_listing,
    create_listing,
    decline_proposal,
    refer_listing,
)
from keyproj.supervision.tests.helpers import JULY, close, project_with

pytestmark = pytest.mark.django_db


def test_a_listing_needs_who_what_and_by_when():
    project = project_with("100")
    with pytest.raises(Refused) as refused:
        create_listing(project, ListingData("", "", "", None), user=CONSOLE)
    assert [p.field for p in refused.value.problems] == ["督办事项", "责任单位/责任人", "督办目标", "办结期限"]


def test_an_overdue_listing_is_marked_for_referral_at_the_close_and_named_in_the_notice():
    project = project_with("100")
    late = create_listing(
        project, ListingData("征地拆迁滞后", "思明区政府", "7月15日前交地", dt.date(2019, 7, 15)), user=CONSOLE
    )
    on_time = create_listing(
        project, ListingData("管线迁改", "市政集团", "8月底前完成", dt.date(2019, 8, 31)), user=CONSOLE
    )

    july = close().close

    late.refresh_from_db()
    on_time.refresh_from_db()
    assert late.referral == "pending"
    assert on_time.referral == ""
    text = to_text(notice_for(july))
    assert "征地拆迁滞后" in text and "逾期，拟移送效能、纪检部门" in text
    assert "其中逾期未办结1项" in text


def test_an_overdue_listing_is_referred_then_closed_with_evidence():
    project = project_with("100")
    listing = create_listing(
        project, ListingData("征地拆迁滞后", "思明区政府", "交地", dt.date(2019, 7, 15)), user=CONSOLE
    )
    refer_listing(listing, user=CONSOLE, to="discipline")
    assert listing.referral == "discipline"
    with pytest.raises(Refused):
        refer_listing(listing, user=CONSOLE, to="court")
    close_listing(listing, user=CONSOLE, evidence="交地确认书")
    assert listing.status == "closed"
    with pytest.raises(Refused):
        close_listing(listing, user=CONSOLE, evidence="again")


def test_a_proposal_is_accepted_with_a_target_or_declined_with_a_reason():
    first, second = project_with("10"), project_with("10")
    for month in (5, 6, 7):
        close(Period(2019, month))
    proposals = list(Listing.objects.filter(status="proposed").order_by("pk"))
    assert [p.project for p in proposals] == [first, second]

    accept_proposal(
        proposals[0], ListingData("追赶进度", "业主单位", "9月底前回到序时进度", dt.date(2019, 9, 30)), user=CONSOLE
    )
    assert proposals[0].status == "listed" and proposals[0].listed_on is not None
    with pytest.raises(Refused):
        decline_proposal(proposals[1], user=CONSOLE, reason="")
    decline_proposal(proposals[1], user=CONSOLE, reason="已于8月复工")
    assert proposals[1].status == "declined"


def test_long_unresolved_problems_are_proposed_for_listing_and_counted_in_the_ranking():
    project = project_with("100")
    problem = raise_problem(
        ProblemData(project=project, category=ProblemCategory.objects.order_by("pk").first(), title="管线迁改未完成"),
        user=CONSOLE,
        today=dt.date(2019, 4, 1),
    )

    july = close().close

    listing = Listing.objects.get(problem=problem)
    assert listing.status == "proposed" and listing.project == project
    assert july.snapshot["rankings"]["districts"][0]["long_unresolved"] == 1
    # closing the next month does not propose it again while the proposal is open
    close(JULY.next(), override_reason="8月月报未报")
    assert Listing.objects.filter(problem=problem).count() == 1
    assert MonthClose.objects.filter(month__in=(7, 8), status="closed").count() == 2


def test_districts_with_the_same_score_share_the_rank(siming, haicang):
    project_with("100", district=siming)
    project_with("100", district=haicang)
    rows = close().close.snapshot["rankings"]["districts"]
    assert [r["rank"] for r in rows] == [1, 1]
    assert rows[0]["score"] == rows[1]["score"]

"""The completion percentage (形象进度 %) on returns: read, refused whole, never falling without a reason."""

from __future__ import annotations

from decimal import Decimal

import pytest

from keyproj.core.errors import Refused
from keyproj.core.scoping import CONSOLE
from keyproj.returns.models import ProgressReturn, ReturnAmendment
from keyproj.returns.services import ReturnData, parse_completion, request_amendment, save_returns
from keyproj.testing import AFTER_2019, make_project

D = Decimal
pytestmark = pytest.mark.django_db


def data(project, month, completion, reason="", investment="100"):
    return ReturnData(
        project=project,
        year=2019,
        month=month,
        investment=D(investment),
        started=True,
        completion=completion,
        completion_drop_reason=reason,
    )


def save(*items, approve=False):
    return save_returns(list(items), user=CONSOLE, submit=not approve, approve=approve, today=AFTER_2019)


def refusal(*items) -> list[str]:
    with pytest.raises(Refused) as refused:
        save(*items)
    return [str(p) for p in refused.value.problems]


def test_a_percentage_is_read_from_a_number_a_string_or_full_width_digits():
    assert parse_completion(68) == D("68.00")
    assert parse_completion("68.5%") == D("68.50")
    assert parse_completion("６８") == D("68.00")
    assert parse_completion("  ") is None
    assert parse_completion(None) is None
    assert parse_completion("约七成") == "约七成"


def test_a_return_keeps_its_percentage():
    project = make_project()
    save(data(project, 6, "68"))

    assert ProgressReturn.objects.get(project=project).completion == D("68.00")


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("100.01", "不能超过100，而不是100.01"),
        ("-1", "不能为负数，而不是-1"),
        ("约七成", "“约七成”不是数字"),
        ("NaN", "“NaN”不是数字"),
    ],
)
def test_a_bad_percentage_is_refused_and_nothing_is_written(given, message):
    project = make_project()

    problems = refusal(data(project, 6, given), data(project, 5, "10"))

    assert any(message in p and "形象进度百分比(%)" in p for p in problems), problems
    assert not ProgressReturn.objects.exists()


def test_one_hundred_and_zero_are_accepted():
    project = make_project()
    save(data(project, 5, "0"), data(project, 6, "100"))

    assert sorted(ProgressReturn.objects.values_list("completion", flat=True)) == [D("0.00"), D("100.00")]


def test_a_percentage_falling_below_last_months_without_a_reason_is_refused_and_nothing_is_written():
    project = make_project()
    save(data(project, 5, "68"))

    problems = refusal(data(project, 6, "60"))

    assert problems == [f"进度回落原因: {project.code} 2019年6月: 形象进度百分比低于上月（68%→60%），请说明原因"]
    assert ProgressReturn.objects.filter(project=project).count() == 1


def test_a_falling_percentage_names_the_earlier_month_it_fell_from():
    project = make_project()
    save(data(project, 3, "68.5"))

    problems = refusal(data(project, 6, "60"))

    assert "形象进度百分比低于2019年3月（68.5%→60%），请说明原因" in problems[0]


def test_a_falling_percentage_with_a_reason_is_saved_with_it():
    project = make_project()
    save(data(project, 5, "68"))

    save(data(project, 6, "60", reason="设计变更，工程量增加"))

    ret = ProgressReturn.objects.get(project=project, month=6)
    assert (ret.completion, ret.completion_drop_reason) == (D("60.00"), "设计变更，工程量增加")


def test_a_fall_within_one_batch_is_refused_too():
    project = make_project()

    problems = refusal(data(project, 5, "68"), data(project, 6, "60"))

    assert len(problems) == 1 and "（68%→60%）" in problems[0]
    assert not ProgressReturn.objects.exists()


def test_a_draft_is_not_what_a_later_month_is_compared_with():
    project = make_project()
    save_returns([data(project, 5, "68")], user=CONSOLE, today=AFTER_2019)  # a draft, not handed in

    save(data(project, 6, "60"))

    assert ProgressReturn.objects.get(project=project, month=6).completion == D("60.00")


def test_an_amendment_carries_the_percentage_and_is_refused_when_it_falls_without_a_reason():
    project = make_project()
    save(data(project, 5, "68"), data(project, 6, "70"), approve=True)
    ret = ProgressReturn.objects.get(project=project, month=6)

    with pytest.raises(Refused) as refused:
        request_amendment(ret, data(project, 6, "65"), user=CONSOLE, reason="更正百分比")

    assert "（68%→65%）" in str(refused.value.problems[0])
    assert not ReturnAmendment.objects.exists()
    amendment = request_amendment(ret, data(project, 6, "75"), user=CONSOLE, reason="更正百分比")
    assert amendment.completion == D("75.00")

"""One way to write each number, date and code, in Chinese and in English."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from keyproj.accounts.models import User
from keyproj.core import display, money
from keyproj.core.period import Period


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_money_always_has_thousands_separators_and_two_places():
    assert money.wan(Decimal("19013.76")) == "19,013.76"
    assert money.wan(Decimal("55760")) == "55,760.00"
    assert money.wan("1234.5") == "1,234.50"
    assert money.wan(None) == "—"


def test_a_total_of_one_yi_or_more_is_written_in_yi():
    assert money.amount(Decimal("51885700.00")) == "5,188.57亿元"
    assert money.amount(Decimal("10000")) == "1.00亿元"
    assert money.amount(Decimal("9999.99")) == "9,999.99万元"
    assert money.yi_text(Decimal("51885700.00")) == "5,188.57"
    assert money.amount("51,885,700.00") == "5,188.57亿元"
    assert money.amount(Decimal("1820900"), signed=True) == "+182.09亿元"
    assert money.amount("−3,818.10", signed=True) == "−3,818.10万元"


def test_a_figure_card_writes_its_unit_small():
    html = Template("{% load fmt %}{{ a|amount_html }} {{ b|amount_html:'signed' }}").render(
        Context({"a": "51,885,700.00", "b": Decimal("-22.86")})
    )
    assert html == "5,188.57<small>亿元</small> −22.86<small>万元</small>"


def test_percentages_have_two_places_whatever_came_in():
    assert money.pct(108.2) == "108.20%"
    assert money.pct(Decimal("130.585")) == "130.59%"
    assert money.pct("65.18") == "65.18%"
    assert money.pct(None) == "—"


def test_scores_have_two_places():
    assert money.num2(90.9) == "90.90"
    assert money.num2("71.68") == "71.68"


def test_dates_months_and_quarters_read_as_chinese_on_chinese_pages():
    with translation.override("zh-hans"):
        assert display.day(dt.date(2019, 8, 5)) == "2019年8月5日"
        assert display.day("2019-08-05") == "2019年8月5日"
        assert display.month("2019-08") == "2019年8月"
        assert display.month(Period(2019, 8)) == "2019年8月"
        assert display.month(dt.date(2019, 8, 31)) == "2019年8月"
        assert display.month(2019, 8) == "2019年8月"
        assert display.quarter("2019Q3") == "2019年第三季度"
        assert display.quarter(2019, 1) == "2019年第一季度"
        assert display.period("2019Q2") == "2019年第二季度"
        assert display.period("2019-07") == "2019年7月"
        assert display.period("1-7月") == "1-7月"
        assert display.rule_version(1) == "第1版"
        assert display.moment(dt.datetime(2019, 8, 5, 14, 30)) == "2019年8月5日 14:30"


def test_dates_months_and_quarters_read_as_english_on_english_pages(english):
    assert display.day(dt.date(2019, 8, 5)) == "Aug. 5, 2019"
    assert display.chinese_day(dt.date(2019, 8, 5)) == "2019年8月5日"  # stored Chinese text stays Chinese
    assert display.month("2019-08") == "August 2019"


def test_nothing_to_show_is_an_empty_date_not_none():
    assert display.day(None) == ""
    assert display.month("") == ""
    assert display.rule_version(None) == "—"


def test_the_filters_are_the_helpers():
    html = Template(
        "{% load fmt %}{{ a|wan }} {{ a|amount }} {{ r|pct }} {{ d|day }} {{ p|month }} {{ y|month:m }} "
        "{{ q|quarter }} {{ v|rule_version }} {{ code|action_label }}"
    ).render(
        Context(
            {
                "a": Decimal("51885700"),
                "r": 108.2,
                "d": dt.date(2019, 8, 5),
                "p": "2019-08",
                "y": 2019,
                "m": 8,
                "q": "2019Q3",
                "v": 1,
                "code": "problem.raise",
            }
        )
    )
    assert html == "51,885,700.00 5,188.57亿元 108.20% 2019年8月5日 2019年8月 2019年8月 2019年第三季度 第1版 提出问题"


def test_an_empty_choice_reads_please_choose_not_dashes():
    class Pick(forms.Form):
        user = forms.ModelChoiceField(queryset=User.objects.none())

    html = str(Pick()["user"])
    assert "---------" not in html
    assert "请选择" in html


def test_a_filter_keeps_its_own_empty_word():
    class Filter(forms.Form):
        user = forms.ModelChoiceField(queryset=User.objects.none(), required=False, empty_label="全部")

    assert "全部" in str(Filter()["user"])

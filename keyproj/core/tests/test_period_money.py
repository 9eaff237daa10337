import datetime as dt
from decimal import Decimal

import pytest

from keyproj.core.money import MoneyError, parse_money, percent, yi
from keyproj.core.period import Period, PeriodError


def test_a_period_reads_and_writes_yyyy_mm():
    assert Period.parse("2019-7") == Period(2019, 7)
    assert str(Period(2019, 7)) == "2019-07"
    assert Period(2019, 7).label == "2019年7月"


@pytest.mark.parametrize("text", ["2019-13", "2019-00", "19-07", "2019/07", "", "July"])
def test_a_malformed_period_is_refused_in_chinese(text):
    with pytest.raises(PeriodError, match=r"月|期间"):
        Period.parse(text)


def test_january_is_written_without_a_range():
    assert Period(2019, 1).to_date_label == "1月"
    assert Period(2019, 7).to_date_label == "1-7月"


def test_a_month_can_be_reported_only_once_it_has_ended():
    july = Period(2019, 7)
    assert not july.has_ended(dt.date(2019, 7, 31))
    assert july.has_ended(dt.date(2019, 8, 1))


def test_periods_step_across_the_year_end():
    assert Period(2019, 12).next() == Period(2020, 1)
    assert Period(2020, 1).previous() == Period(2019, 12)


def test_rates_round_half_up_to_two_places():
    assert percent(Decimal("7774000"), Decimal("5953100")) == Decimal("130.59")
    assert percent(Decimal("1"), Decimal("8")) == Decimal("12.50")
    assert percent(Decimal("0.125"), Decimal("1")) == Decimal("12.50")
    assert percent(Decimal("1"), Decimal("0")) is None


def test_wan_become_yi_with_two_places():
    assert yi(Decimal("1820900.00")) == Decimal("182.09")
    assert yi(Decimal("5000")) == Decimal("0.50")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-1", "负数"),
        ("abc", "不是数字"),
        ("", "不能为空"),
        (None, "不能为空"),
        ("1.234", "两位小数"),
        ("nan", "不是数字"),
        (True, "不是数字"),
    ],
)
def test_bad_money_is_refused_with_the_reason(raw, message):
    with pytest.raises(MoneyError, match=message):
        parse_money(raw)


def test_money_from_a_spreadsheet_float_keeps_what_was_typed():
    assert parse_money(0.1 + 0.2 - 0.3 + 1234.56) == Decimal("1234.56")
    assert parse_money("1,234.5") == Decimal("1234.50")
    assert parse_money(12) == Decimal("12.00")


@pytest.mark.parametrize("raw", ["1E30", 1e30, "123456789012345678901234567890", "10000000000"])
def test_an_absurdly_large_amount_is_refused_not_a_crash(raw):
    with pytest.raises(MoneyError, match="金额过大"):
        parse_money(raw)

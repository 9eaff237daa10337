"""How pages write numbers, dates and codes: one filter per job, used by every template.

{% load fmt %}
{{ amount|wan }}          12,345.67            (万元, the unit in the column head)
{{ amount|yi }}           5,188.57             (万元 shown in 亿元)
{{ amount|amount }}       5,188.57亿元 / 9,999.00万元 (the unit that reads best, written)
{{ rate|pct }}            108.20%
{{ score|num2 }}          91.80
{{ day|day }}             2019年8月5日   (Aug. 5, 2019)
{{ stamp|moment }}        2019年8月5日 14:30
{{ period|month }}        2019年8月      (a Period, a date or "2019-08")
{{ "2019Q3"|quarter }}    2019年第三季度 (Q3 2019)
{{ rule.version|rule_version }}  第1版
{{ entry.action|action_label }}  提出问题  (entries themselves have entry.action_label)
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from keyproj.core import actions, display, money

register = template.Library()

register.filter("wan", money.wan)
register.filter("yi", money.yi_text)
register.filter("pct", money.pct)
register.filter("num2", money.num2)
register.filter("day", display.day)
register.filter("moment", display.moment)
register.filter("month", display.month)
register.filter("quarter", display.quarter)
register.filter("period", display.period)
register.filter("rule_version", display.rule_version)


@register.filter
def amount(value: object, arg: str = "") -> str:
    """5,188.57亿元 or 9,999.00万元; `|amount:"signed"` writes +/− before gains and shortfalls."""
    return money.amount(value, signed=arg == "signed")


@register.filter
def amount_html(value: object, arg: str = "") -> str:
    """As `amount`, the unit in a <small> as the figure cards show units: 5,188.57<small>亿元</small>."""
    text, unit = money.amount_parts(value, signed=arg == "signed")
    return format_html("{}<small>{}</small>", text, unit) if unit else text


@register.filter
def action_label(code: str) -> str:
    return actions.label(str(code or ""))

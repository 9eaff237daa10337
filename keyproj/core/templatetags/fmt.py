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

from keyproj.core import actions, display, money

register = template.Library()

register.filter("wan", money.wan)
register.filter("yi", money.yi_text)
register.filter("amount", money.amount)
register.filter("pct", money.pct)
register.filter("num2", money.num2)
register.filter("day", display.day)
register.filter("moment", display.moment)
register.filter("month", display.month)
register.filter("quarter", display.quarter)
register.filter("rule_version", display.rule_version)


@register.filter
def action_label(code: str) -> str:
    return actions.label(str(code or ""))

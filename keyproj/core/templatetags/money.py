"""Money in templates: `{{ amount|wan }}` writes 万元 as tables show it (12,345.67).

The same filters (and the date and label ones) are in the `fmt` library; this name stays for the
templates that load it.
"""

from __future__ import annotations

from django import template

from keyproj.core import money

register = template.Library()
register.filter("wan", money.wan)
register.filter("yi", money.yi_text)
register.filter("pct", money.pct)
register.filter("num2", money.num2)

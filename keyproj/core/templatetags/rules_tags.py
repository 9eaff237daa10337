"""Whether the header shows the rules: `{% if user|may_see_rules %}`."""

from __future__ import annotations

from django import template

from keyproj.core.views.rules import may_see_rules

register = template.Library()
register.filter("may_see_rules", may_see_rules)

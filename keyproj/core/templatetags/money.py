"""Money in templates: `{{ amount|wan }}` writes 万元 as tables show it (12,345.67)."""

from __future__ import annotations

from django import template

from keyproj.core import money

register = template.Library()
register.filter("wan", money.wan)

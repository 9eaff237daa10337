"""`{% section block %}`: render a registered page block (keyproj.orgs.extensions, keyproj.projects.extensions).

A block is a dict with its template (and for the page head, `head_template`) and the context its
app computed; it is rendered like `{% include %}`, with the page's context plus its own.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def section(context: template.Context, block: dict[str, Any], part: str = "template") -> SafeString | str:
    name = block.get(part)
    if not name:
        return ""
    tpl = context.template.engine.get_template(name)
    with context.push(block["context"]):
        return tpl.render(context)

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext

from keyproj.core.scoping import project_q


class UnknownProject(LookupError):
    """No project with this code is visible to the user (it may not exist, or not be theirs)."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(gettext("没有项目代码为“%(code)s”的项目") % {"code": code[:40]})


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ProjectQuerySet:
        """Projects the user may see (the one door: see keyproj.core.scoping)."""
        return self.filter(project_q(user))

    def by_code(self, user: Any, code: str) -> Any:
        """The project with this code among those `user` may see; else UnknownProject (never says which).

        The one lookup by code for pages, API, imports and commands: a code outside the user's
        scope reads exactly like a code that does not exist.
        """
        text = (code or "").strip()
        project = self.visible_to(user).filter(code=text).first() if text else None
        if project is None:
            raise UnknownProject(text)
        return project

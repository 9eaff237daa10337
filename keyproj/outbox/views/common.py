"""What the office's outbox pages share."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from keyproj.accounts.permissions import is_office


def office_only(request: HttpRequest) -> None:
    # Not the office's: the page does not exist for them, as anything out of scope.
    if not is_office(request.user):
        raise Http404

"""The base of the API's viewsets: scope applied once, in the base class, so no endpoint can forget it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins, viewsets
from rest_framework.request import Request

from keyproj.core.api import ServiceErrorsMixin
from keyproj.core.scoping import scoped


class ScopedViewSet(ServiceErrorsMixin, viewsets.GenericViewSet):
    """The base of every API viewset over a model's rows: scope is applied here, once, for every action.

    A subclass names its rows in `queryset` (joins and order, not scoped) and may narrow them by the
    request in `narrow()`. `get_queryset()` belongs to this base: as soon as the request's user is known
    (`initial`, as NetBox's BaseViewSet does) the rows become `visible_to(user)`, so every list, detail
    and action of a new endpoint inherits scope instead of remembering it; out of scope is 404.
    """

    queryset: QuerySet[Any]
    _scoped_rows: QuerySet[Any] | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "get_queryset" in vars(cls):
            # Overriding it would skip the scope; narrowing keeps it.
            raise TypeError(f"{cls.__name__}: narrow the rows in narrow(), not get_queryset(), which applies scope")

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self._scoped_rows = scoped(type(self).queryset, request.user)
        # A `.json` suffix has been read as the format by now; the actions take no `format` argument, and
        # the handler is called with this same dict (DRF keeps self.kwargs as it), so a suffix is not a 500.
        self.kwargs.pop("format", None)

    def get_queryset(self) -> QuerySet[Any]:
        rows = self._scoped_rows
        if rows is None:
            # Outside a dispatched request (the schema generator): the request's user, whoever it is.
            rows = scoped(type(self).queryset, getattr(self.request, "user", None))
        return self.narrow(rows.all())

    def narrow(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        """The request's own narrowing of rows already in scope (filters read from the query string)."""
        return rows


class ScopedReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """A scoped list and detail (the scoped ReadOnlyModelViewSet)."""

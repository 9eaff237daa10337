"""Keyset ("seek") paging and count estimates for the long lists (register, review, ledger).

Django's Paginator counts the whole filtered set and reads page N with OFFSET, so the last page
of a million rows reads a million rows. Here a page is the next `size` rows after (or before) a
cursor: the sort columns of the row at the page's edge, the last column unique (the primary
key), so every page costs one index range read wherever it is. 末页 reads the order reversed
from the end and turns the rows round, which costs the same as the first page.

A list may come in phases: a sort whose first column can be NULL (a project without a plan has
no rate) reads the rows that have a value first, then those without, in either direction, so
NULLs come last both ways and each phase walks its own index (no NULLS LAST ordering, which a
plain btree index cannot give in descending order on PostgreSQL).

Cursors travel as signed tokens bound to the list, the sort and the user: a token that was
tampered with, is malformed, belongs to another sort, list or user gives the first page with
a message, never a server error, and reveals nothing (the rows read still go through the
caller's scoped queryset).

Counting a million rows costs as much as reading them: on PostgreSQL the planner's estimate
decides, and only a set it expects to be small is counted exactly; elsewhere the count is exact.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connections
from django.db.models import F, Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext

PAGE_SIZE = 50
# Below this many rows (the planner's estimate) a list is counted exactly; above it, estimated.
EXACT_COUNT_BELOW = 10_000
# The query-string names of the pager; a list's filters keep their own names beside them.
PAGER_PARAMS = ("after", "before", "last", "page")


@dataclass
class Phase:
    """One run of a list: a queryset and the columns it is ordered by (all non-NULL, the last unique).

    The queryset may be given as a function that makes it: deciding which query reads a phase can
    cost a query of its own (the register's projects without a rate), paid only when a page reaches it.
    """

    queryset: QuerySet[Any] | Callable[[], QuerySet[Any]]
    fields: tuple[str, ...]
    _made: QuerySet[Any] | None = field(default=None, repr=False, compare=False)

    def rows(self) -> QuerySet[Any]:
        if isinstance(self.queryset, QuerySet):
            return self.queryset
        if self._made is None:
            self._made = self.queryset()
        return self._made


@dataclass
class Count:
    """How many rows a list has: exact, or the planner's estimate rounded for showing."""

    value: int
    exact: bool

    @property
    def shown(self) -> str:
        if self.exact:
            return f"{self.value:,}"
        return gettext("约 %(n)s") % {"n": f"{rounded(self.value):,}"}


@dataclass
class Window:
    """One page of a keyset-paged list: the keys of its rows (sort columns, then the primary key), in order,
    and where the links lead."""

    keys: list[tuple[Any, ...]]
    has_previous: bool
    has_next: bool
    links: dict[str, str] = field(default_factory=dict)  # first / previous / next / last → query string
    problem: str = ""

    @property
    def pks(self) -> list[Any]:
        return [key[-1] for key in self.keys]

    @property
    def is_paged(self) -> bool:
        return self.has_previous or self.has_next


class Pager:
    """Reads pages of one list in one sort for one user.

    list_name and sort go into every token's signature, and so does the user: a token is only
    ever good for the list, sort and person it was made for.
    """

    def __init__(self, list_name: str, sort: str, phases: Sequence[Phase], *, user: Any, size: int = PAGE_SIZE):
        self.sort = sort
        self.phases = list(phases)
        self.size = size
        self.signer = signing.Signer(salt=f"keyproj.paging:{list_name}:{getattr(user, 'pk', '')}")

    # ---------------------------------------------------------------- tokens

    def token(self, phase: int, key: Sequence[Any]) -> str:
        payload = {"s": self.sort, "p": phase, "v": [_dump(v) for v in key]}
        return self.signer.sign_object(payload, compress=False)

    def read_token(self, token: str) -> tuple[int, tuple[Any, ...]] | None:
        """The (phase, key) a token names, or None when it is not one of ours for this list and sort."""
        try:
            payload = self.signer.unsign_object(token[:2000])
        except (signing.BadSignature, ValueError, TypeError, UnicodeError):
            return None
        if not isinstance(payload, dict) or payload.get("s") != self.sort:
            return None
        phase, values = payload.get("p"), payload.get("v")
        if not isinstance(phase, int) or not 0 <= phase < len(self.phases) or not isinstance(values, list):
            return None
        if len(values) != len(self.phases[phase].fields):
            return None
        try:
            return phase, tuple(_load(v) for v in values)
        except (TypeError, ValueError, KeyError):
            return None

    # ---------------------------------------------------------------- pages

    def page(self, params: QueryDict, keep: QueryDict | None = None) -> Window:
        """The page the query string asks for: after=, before=, last=1, or the first page.

        The links carry `keep` (the list's valid filters and sort; by default the whole query string).
        """
        window = self._read(params)
        return self._linked(window, params if keep is None else keep)

    def _read(self, params: QueryDict) -> Window:
        problem = ""
        for direction in ("after", "before"):
            token = params.get(direction)
            if token is None:
                continue
            cursor = self.read_token(token)
            if cursor is None:
                problem = gettext("翻页链接无效或已过期，下面是第一页。")
                break
            try:
                window = self._after(*cursor) if direction == "after" else self._before(*cursor)
            except (ValidationError, ValueError, TypeError):
                problem = gettext("翻页链接无效或已过期，下面是第一页。")
                break
            if window.keys:
                return window
            # Past either end (the rows there were deleted since): the nearest end instead.
            return self._last() if direction == "after" else self._first()
        if not problem and params.get("last") == "1":
            return self._last()
        window = self._first()
        window.problem = problem
        return window

    def _first(self) -> Window:
        keys = self._forward(0, None)
        return Window(keys[: self.size], has_previous=False, has_next=len(keys) > self.size)

    def _last(self) -> Window:
        keys = self._backward(len(self.phases) - 1, None)
        return Window(keys[-self.size :], has_previous=len(keys) > self.size, has_next=False)

    def _after(self, phase: int, key: tuple[Any, ...]) -> Window:
        keys = self._forward(phase, key)
        return Window(keys[: self.size], has_previous=True, has_next=len(keys) > self.size)

    def _before(self, phase: int, key: tuple[Any, ...]) -> Window:
        keys = self._backward(phase, key)
        return Window(keys[-self.size :], has_previous=len(keys) > self.size, has_next=True)

    def _forward(self, phase: int, key: tuple[Any, ...] | None) -> list[tuple[Any, ...]]:
        """Up to size + 1 keys after `key` (from the start when None), running on into the later phases."""
        found: list[tuple[Any, ...]] = []
        while phase < len(self.phases) and len(found) <= self.size:
            rows = _seek(self.phases[phase], key, reverse=False, limit=self.size + 1 - len(found))
            found += [(phase, *row) for row in rows]
            phase, key = phase + 1, None
        return found

    def _backward(self, phase: int, key: tuple[Any, ...] | None) -> list[tuple[Any, ...]]:
        """Up to size + 1 keys before `key` (from the end when None), in the list's order."""
        found: list[tuple[Any, ...]] = []
        while phase >= 0 and len(found) <= self.size:
            rows = _seek(self.phases[phase], key, reverse=True, limit=self.size + 1 - len(found))
            found += [(phase, *row) for row in rows]
            phase, key = phase - 1, None
        found.reverse()
        return found

    def _linked(self, window: Window, params: QueryDict) -> Window:
        """Put the links in and take the phase off the keys (the caller sees the phase's own columns)."""
        keys = window.keys
        if keys:
            if window.has_previous:
                window.links["first"] = _query(params)
                window.links["previous"] = _query(params, before=self.token(keys[0][0], keys[0][1:-1]))
            if window.has_next:
                window.links["next"] = _query(params, after=self.token(keys[-1][0], keys[-1][1:-1]))
                window.links["last"] = _query(params, last="1")
        window.keys = [key[1:] for key in keys]
        return window


def _seek(phase: Phase, key: tuple[Any, ...] | None, *, reverse: bool, limit: int) -> list[tuple[Any, ...]]:
    """Up to `limit` keys of the phase after `key` in its order (before it, nearest first, when reverse)."""
    rows = phase.rows()
    fields = phase.fields
    descending = [f.startswith("-") for f in fields]
    names = [f.lstrip("-") for f in fields]
    if key is not None:
        rows = rows.filter(_beyond(names, descending, key, reverse))
    order = [F(n).asc() if desc == reverse else F(n).desc() for n, desc in zip(names, descending, strict=True)]
    # The primary key comes last, for the caller to read the rows by (a sort may end in another unique column).
    return list(rows.order_by(*order).values_list(*names, "pk")[:limit])


def _beyond(names: list[str], descending: list[bool], key: tuple[Any, ...], reverse: bool) -> Q:
    """Rows after `key` in the order (before it when reverse): (a, b, pk) > (x, y, k) spelt as ORs.

    The first column's bound (a >= x) is repeated on its own, so that the database can start its
    index range there instead of filtering from the beginning of the index.
    """
    ors = Q(pk__in=[])
    for i, name in enumerate(names):
        greater = descending[i] == reverse
        same = {names[j]: key[j] for j in range(i)}
        ors |= Q(**same, **{f"{name}__{'gt' if greater else 'lt'}": key[i]})
    leading = descending[0] == reverse
    return Q(**{f"{names[0]}__{'gte' if leading else 'lte'}": key[0]}) & ors


def _query(params: QueryDict, **pager: str) -> str:
    query = params.copy()
    for name in PAGER_PARAMS:
        query.pop(name, None)
    for name, value in pager.items():
        query[name] = value
    return query.urlencode()


def _dump(value: Any) -> Any:
    # JSON has no decimals or dates: tag them, so a cursor compares with exactly the value it read.
    if isinstance(value, Decimal):
        return {"d": str(value)}
    if isinstance(value, dt.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, dt.date):
        return {"a": value.isoformat()}
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise TypeError(f"cannot put a {type(value).__name__} in a page cursor")


def _load(value: Any) -> Any:
    if isinstance(value, dict):
        (tag, text), *rest = value.items()
        if rest or not isinstance(text, str):
            raise ValueError("malformed cursor value")
        if tag == "d":
            return Decimal(text)
        if tag == "t":
            return dt.datetime.fromisoformat(text)
        if tag == "a":
            return dt.date.fromisoformat(text)
        raise ValueError("malformed cursor value")
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise ValueError("malformed cursor value")


# ---------------------------------------------------------------- counts


def rounded(n: int) -> int:
    """An estimate to two significant figures: 123,456 → 120,000."""
    if n < 100:
        return n
    step = 10 ** (len(str(n)) - 2)
    return int(round(n / step) * step)


def exact_count_below() -> int:
    return int(getattr(settings, "KEYPROJ_EXACT_COUNT_BELOW", EXACT_COUNT_BELOW))


def planner_estimate(queryset: QuerySet[Any]) -> int | None:
    """PostgreSQL's own estimate of the rows a query returns (EXPLAIN, nothing is read); None elsewhere."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    try:
        sql, params = queryset.order_by().query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return 0  # a filter that can match nothing (a user who sees no project): Django sends no query
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def count(queryset: QuerySet[Any], window: Window | None = None) -> Count:
    """The list's size: exact where that is cheap, else the planner's estimate.

    A first page that is not full is the whole list, and says its own count without a query.
    """
    if window is not None and not window.has_previous and not window.has_next:
        return Count(len(window.keys), exact=True)
    estimate = planner_estimate(queryset)
    if estimate is None or estimate < exact_count_below():
        return Count(queryset.order_by().count(), exact=True)
    return Count(estimate, exact=False)

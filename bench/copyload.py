"""Load generated rows into PostgreSQL with COPY, ids assigned here.

COPY streams rows without building or quoting an INSERT per batch, which is what makes a
million projects (some 21 million rows with their plans and returns) a matter of minutes.
It gives no ids back, so the loader numbers the rows itself, from the table's largest id
onwards, and afterwards moves each table's identity sequence up to its largest id so that
later inserts through the ORM carry on from there.

Only table and column names from the models' `_meta` are used: a table that is partitioned
(by year, on PostgreSQL) takes COPY and TRUNCATE through its parent just the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper


class Loader:
    """COPY rows into the tables of a few models on one PostgreSQL connection."""

    def __init__(self, db: BaseDatabaseWrapper, *, stamp: dt.datetime) -> None:
        self.db = db
        self.stamp = stamp  # created_at / updated_at of every row: one load, one moment
        self._next: dict[str, int] = {}
        self.rows: dict[str, int] = {}

    def _table(self, model: type[models.Model]) -> str:
        return str(model._meta.db_table)

    def ids(self, model: type[models.Model], count: int) -> range:
        """`count` fresh ids for the model's table, above every id already there."""
        table = self._table(model)
        if table not in self._next:
            with self.db.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {self.db.ops.quote_name(table)}")
                self._next[table] = cursor.fetchone()[0]
        start = self._next[table]
        self._next[table] = start + count
        return range(start, start + count)

    def _defaults(self, model: type[models.Model], given: Sequence[str]) -> tuple[list[str], tuple[Any, ...]]:
        """The columns the rows leave out, and what each of them gets (what an INSERT would write)."""
        columns: list[str] = []
        values: list[Any] = []
        for field in model._meta.concrete_fields:
            if field.name in given or field.attname in given or getattr(field, "generated", False):
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value: Any = self.stamp
            else:
                value = field.get_default()
            columns.append(str(field.column))
            values.append(field.get_db_prep_save(value, self.db))
        return columns, tuple(values)

    def copy(self, model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """COPY rows (values for `fields`, in that order, ready for the columns) into the model's table."""
        quote = self.db.ops.quote_name
        given = [str(model._meta.get_field(name).column) for name in fields]
        rest, defaults = self._defaults(model, fields)
        columns = ", ".join(quote(c) for c in [*given, *rest])
        count = 0
        # wrap_database_errors: a clash (a duplicate code) arrives as Django's IntegrityError.
        with (
            self.db.cursor() as cursor,
            self.db.wrap_database_errors,
            cursor.cursor.copy(f"COPY {quote(self._table(model))} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row((*row, *defaults))
                count += 1
        table = self._table(model)
        self.rows[table] = self.rows.get(table, 0) + count
        return count

    def reset_sequence(self, model: type[models.Model]) -> None:
        """Move the table's id sequence to its largest id, so the ORM's next insert follows on."""
        table = self._table(model)
        with self.db.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), MAX(id)) FROM " + self.db.ops.quote_name(table),
                [table],
            )

    @contextmanager
    def without_foreign_keys(self, tables: Sequence[type[models.Model]]) -> Iterator[None]:
        """Drop the tables' foreign keys for the load and add them back after, in the same transaction.

        Django's foreign keys are deferred: every row COPY writes would queue one check per
        key until commit — tens of millions of queued events and single-row lookups at a
        million projects. Adding a key back checks the whole table in one join instead.
        """
        quote = self.db.ops.quote_name
        with self.db.cursor() as cursor:
            # Pending checks on these tables (rows written earlier in the transaction, as in the
            # tests) would forbid ALTER TABLE: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            keys: list[tuple[str, str, str]] = []
            for model in tables:
                table = self._table(model)
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                    " WHERE conrelid = %s::regclass AND contype = 'f' AND conparentid = 0",
                    [quote(table)],
                )
                keys.extend((table, name, definition) for name, definition in cursor.fetchall())
            for table, name, _ in keys:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        yield
        with self.db.cursor() as cursor:
            for table, name, definition in keys:
                cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")

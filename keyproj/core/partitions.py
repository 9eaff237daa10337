"""Tables partitioned by year on PostgreSQL (declarative RANGE partitions), and their upkeep.

Returns, the rollups and the audit log grow by a year's rows every year while a month's figures
read one year; with one partition per year the planner reads only that year's partition however
many years pile up, and an old year can be detached and archived as one table (docs/deploy.md).
SQLite keeps plain tables: every function here does nothing there.

A partitioned table is named by its parent table; its partitions are `<table>_<year>` and
`<table>_default`. The DEFAULT partition takes a row of a year without its own partition, so an
insert never fails for want of one; `ensure_year` later moves such rows into their year's new
partition. The partition key is a year number (`year` columns) or a moment (the audit log's `at`),
whose years begin on January 1 at 00:00 in settings.TIME_ZONE.

PostgreSQL requires every primary key and unique constraint of a partitioned table to include the
partition key: the primary key becomes (id, key) while `id` stays unique through its identity
sequence, and Django keeps `id` as the model's primary key. No foreign key can point at such a
table's `id` alone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, migrations, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from keyproj.core import clock

# The models whose tables are partitioned by year on PostgreSQL, by label, and their partition key
# (a field name). Labels, not classes: core sits below the apps that own most of them.
# keyproj.core.checks refuses, on every database, what PostgreSQL would refuse at `migrate`.
PARTITIONED_MODELS: dict[str, str] = {
    "returns.ProgressReturn": "year",
    "metrics.ProjectMonth": "year",
    "metrics.ScopeMonth": "year",
    "core.AuditEntry": "at",
}

# Types of a partition key that holds a year number; any other key is a date or a moment.
_YEAR_TYPES = {"smallint", "integer", "bigint"}
_LOWER_BOUND = re.compile(r"FROM \('?([^')]*)'?\) TO")


class PartitionError(Exception):
    """A table cannot be partitioned as asked (its shape does not allow it); nothing was changed."""


@dataclass(frozen=True)
class Partition:
    """One partition of a partitioned table: its year (None for the default partition) and its rows."""

    table: str
    name: str
    year: int | None
    rows: int

    @property
    def is_default(self) -> bool:
        return self.year is None


def supported(connection: BaseDatabaseWrapper | None = None) -> bool:
    """Whether the database partitions tables (PostgreSQL); SQLite keeps plain tables."""
    return (connection or connections[DEFAULT_DB_ALIAS]).vendor == "postgresql"


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def partition_name(table: str, year: int | None) -> str:
    return f"{table}_default" if year is None else f"{table}_{year}"


# --- the partition key and its bounds --------------------------------------------------------------


def _key(cursor: Any, table: str) -> tuple[str, str] | None:
    """The partition key column of a partitioned table and its type; None for a plain table."""
    cursor.execute(
        """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod)
        FROM pg_partitioned_table p
        JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
        WHERE p.partrelid = to_regclass(%s)
        """,
        [quote(table)],
    )
    row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def _bound(key_type: str, year: int) -> str:
    """The SQL literal of the first value of `year`: the number, or January 1 00:00 in the installation's zone."""
    year = int(year)  # never text: this goes into DDL, which takes no parameters
    if key_type in _YEAR_TYPES:
        return str(year)
    if key_type == "date":
        return f"'{dt.date(year, 1, 1).isoformat()}'"
    return f"'{dt.datetime(year, 1, 1, tzinfo=ZoneInfo(settings.TIME_ZONE)).isoformat()}'"


def _range(key: str, key_type: str, year: int) -> tuple[str, str]:
    """The partition bound of a year and the matching row condition."""
    lower, upper = _bound(key_type, year), _bound(key_type, year + 1)
    return f"FROM ({lower}) TO ({upper})", f"{quote(key)} >= {lower} AND {quote(key)} < {upper}"


def _year_of_bound(bound: str, key_type: str) -> int | None:
    """The year a partition holds, read from its bound (`FOR VALUES FROM (2019) TO (2020)`); None for DEFAULT."""
    found = _LOWER_BOUND.search(bound or "")
    if not found:
        return None
    lower = found.group(1)
    try:
        if key_type in _YEAR_TYPES:
            return int(lower)
        if key_type == "date":
            return dt.date.fromisoformat(lower).year
        moment = dt.datetime.fromisoformat(lower)
    except ValueError:  # MINVALUE, MAXVALUE, infinity: not a year of ours
        return None
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).year if moment.tzinfo else moment.year


def _years_in(cursor: Any, table: str, key: str, key_type: str) -> set[int]:
    """The years of the rows of a table, by the same calendar as the partitions' bounds."""
    column = quote(key)
    if key_type in _YEAR_TYPES:
        cursor.execute(f"SELECT DISTINCT {column} FROM {quote(table)} WHERE {column} IS NOT NULL")
    elif key_type == "date":
        cursor.execute(f"SELECT DISTINCT EXTRACT(YEAR FROM {column})::int FROM {quote(table)}")
    else:
        cursor.execute(
            f"SELECT DISTINCT EXTRACT(YEAR FROM {column} AT TIME ZONE %s)::int FROM {quote(table)}",
            [settings.TIME_ZONE],
        )
    return {int(row[0]) for row in cursor.fetchall() if row[0] is not None}


# --- reading the catalogue -------------------------------------------------------------------------


def partitioned_tables(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The partitioned tables of the database's schema (their parents, not partitions of partitions)."""
    connection = connections[using]
    if not supported(connection):
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid
            WHERE c.relnamespace = current_schema()::regnamespace AND NOT c.relispartition
            ORDER BY c.relname
            """
        )
        return [row[0] for row in cursor.fetchall()]


def _children(cursor: Any, table: str) -> list[tuple[str, str]]:
    cursor.execute(
        """
        SELECT c.relname, pg_get_expr(c.relpartbound, c.oid)
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = to_regclass(%s) ORDER BY c.relname
        """,
        [quote(table)],
    )
    return [(row[0], row[1]) for row in cursor.fetchall()]


def partitions(table: str, *, using: str = DEFAULT_DB_ALIAS, count: bool = True) -> list[Partition]:
    """The partitions of a table, by year, the default one last; [] for a plain table (and on SQLite).

    count: count each partition's rows (exactly: an operator's listing, not a page's).
    """
    connection = connections[using]
    if not supported(connection):
        return []
    with connection.cursor() as cursor:
        key = _key(cursor, table)
        if key is None:
            return []
        found = []
        for name, bound in _children(cursor, table):
            rows = -1
            if count:
                cursor.execute(f"SELECT COUNT(*) FROM {quote(name)}")
                rows = int(cursor.fetchone()[0])
            found.append(Partition(table, name, _year_of_bound(bound, key[1]), rows))
    return sorted(found, key=lambda p: (p.is_default, p.year or 0, p.name))


# --- a year's partition ----------------------------------------------------------------------------


def ensure_year(table: str, year: int, *, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Give `year` its own partition of `table` unless it has one; True when one was created.

    Rows of that year already in the default partition (written before the partition existed)
    move into the new one, in one transaction: the new table is filled from the default
    partition with DELETE … RETURNING and then attached, so no row is ever in neither or both.
    A transaction-level advisory lock on the table makes two processes doing this at once take
    turns; the second finds the partition there and does nothing. A plain table (and SQLite) is
    left alone.
    """
    connection = connections[using]
    if not supported(connection):
        return False
    with transaction.atomic(using=using), connection.cursor() as cursor:
        key = _key(cursor, table)
        if key is None:
            return False
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"keyproj.partitions:{table}"])
        children = _children(cursor, table)
        if any(_year_of_bound(bound, key[1]) == year for _, bound in children):
            return False
        name = partition_name(table, year)
        bound, condition = _range(key[0], key[1], year)
        default = next((child for child, bound_text in children if bound_text == "DEFAULT"), None)
        if default is None:
            cursor.execute(f"CREATE TABLE {quote(name)} PARTITION OF {quote(table)} FOR VALUES {bound}")
            return True
        # Nobody may write into the default partition between the move and the attach, which
        # checks that no row of the year is left there. The attach takes this lock anyway: taken
        # first, it is not an upgrade that could deadlock with a writer.
        cursor.execute(f"LOCK TABLE {quote(default)} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(
            f"CREATE TABLE {quote(name)} "
            f"(LIKE {quote(table)} INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING CONSTRAINTS)"
        )
        columns = ", ".join(quote(column) for column in _stored_columns(cursor, table))
        cursor.execute(
            f"WITH moved AS (DELETE FROM {quote(default)} WHERE {condition} RETURNING {columns}) "
            f"INSERT INTO {quote(name)} ({columns}) SELECT {columns} FROM moved"
        )
        cursor.execute(f"ALTER TABLE {quote(table)} ATTACH PARTITION {quote(name)} FOR VALUES {bound}")
    return True


def ensure_years(years: Iterable[int], *, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """`ensure_year` for every partitioned table and every year; the partitions created."""
    created = []
    for table in partitioned_tables(using):
        for year in sorted(set(years)):
            if ensure_year(table, year, using=using):
                created.append(partition_name(table, year))
    return created


def settle_default(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Give every year found in a default partition its own partition, moving its rows there.

    The default partition only catches rows written before their year had a partition (a year
    loaded into a fresh installation, an import of an old year); they are served from it without
    error, and this puts them where a month's figures read only their own year. The daily job and
    the demo call it; it reads only the default partitions, which are empty on a settled database.
    """
    connection = connections[using]
    if not supported(connection):
        return []
    found: list[tuple[str, int]] = []
    with connection.cursor() as cursor:
        for table in partitioned_tables(using):
            key = _key(cursor, table)
            default = partition_name(table, None)
            if key is None or not any(name == default for name, _ in _children(cursor, table)):
                continue
            found.extend((table, year) for year in sorted(_years_in(cursor, default, *key)))
    return [partition_name(table, year) for table, year in found if ensure_year(table, year, using=using)]


def _stored_columns(cursor: Any, table: str) -> list[str]:
    """The columns a row is written with (generated columns compute themselves)."""
    cursor.execute(
        """
        SELECT attname FROM pg_attribute
        WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
        ORDER BY attnum
        """,
        [quote(table)],
    )
    return [row[0] for row in cursor.fetchall()]


# --- turning a table into a partitioned one, and back ----------------------------------------------


@dataclass
class _Shape:
    """What a table is made of, as the catalogue says, to build it again."""

    columns: list[str] = field(default_factory=list)  # column definitions
    stored: list[str] = field(default_factory=list)  # the names of the columns rows are written with
    identity: str | None = None
    checks: list[str] = field(default_factory=list)  # constraint definitions
    primary: tuple[str, list[str]] | None = None
    uniques: list[tuple[str, list[str], str]] = field(default_factory=list)
    indexes: list[tuple[str, str]] = field(default_factory=list)  # (name, CREATE INDEX …)
    foreign: list[str] = field(default_factory=list)
    referenced_by: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (kind, name) of indexes and sequences


def _shape(cursor: Any, table: str) -> _Shape:
    shape = _Shape()
    cursor.execute(
        """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity, a.attgenerated,
               pg_get_expr(d.adbin, d.adrelid)
        FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
        """,
        [quote(table)],
    )
    for name, type_, not_null, identity, generated, expression in cursor.fetchall():
        text = f"{quote(name)} {type_}"
        if generated:
            text += f" GENERATED ALWAYS AS ({expression}) STORED"
        else:
            shape.stored.append(name)
            if identity:
                shape.identity = name
                text += " GENERATED " + ("ALWAYS" if identity == "a" else "BY DEFAULT") + " AS IDENTITY"
            elif expression is not None:
                text += f" DEFAULT {expression}"
        if not_null:
            text += " NOT NULL"
        shape.columns.append(text)
    cursor.execute(
        """
        SELECT c.conname, c.contype, pg_get_constraintdef(c.oid),
               ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n)
                     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.n)
        FROM pg_constraint c WHERE c.conrelid = to_regclass(%s) ORDER BY c.conname
        """,
        [quote(table)],
    )
    for name, kind, definition, columns in cursor.fetchall():
        if kind == "c":
            shape.checks.append(f"CONSTRAINT {quote(name)} {definition}")
        elif kind == "p":
            shape.primary = (name, list(columns))
        elif kind == "u":
            shape.uniques.append((name, list(columns), definition))
        elif kind == "f":
            shape.foreign.append(f"CONSTRAINT {quote(name)} {definition}")
        else:
            raise PartitionError(f"{table}: constraint {name} of kind {kind} is not supported here")
    cursor.execute(
        """
        SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = to_regclass(%s) ORDER BY c.relname
        """,
        [quote(table)],
    )
    constraint_indexes = {shape.primary[0] if shape.primary else None, *(name for name, _, _ in shape.uniques)}
    for name, definition in cursor.fetchall():
        shape.renamed.append(("INDEX", name))
        if name not in constraint_indexes:
            # An index of a partitioned parent reads `ON ONLY t`; a plain table's is built whole.
            shape.indexes.append((name, definition.replace(" ON ONLY ", " ON ", 1)))
    cursor.execute(
        """
        SELECT conrelid::regclass::text, conname FROM pg_constraint
        WHERE contype = 'f' AND confrelid = to_regclass(%s) AND conrelid <> confrelid
        """,
        [quote(table)],
    )
    shape.referenced_by = [f"{row[0]}.{row[1]}" for row in cursor.fetchall()]
    return shape


def partition_table(
    table: str, key: str, *, years: Iterable[int] = (), connection: BaseDatabaseWrapper | None = None
) -> None:
    """Rebuild a plain table as one partitioned by year on `key`, with its rows, in the running transaction.

    The new parent has the same columns, defaults, identity (its sequence continues where the
    old one was), NOT NULLs, check constraints, foreign keys and indexes; the primary key gains
    the key column, and every unique constraint must already include it. It gets a partition
    for each year of its rows and of `years`, and a DEFAULT partition. A table that is already
    partitioned is left alone; one referenced by a foreign key is refused (PostgreSQL allows no
    reference to `id` alone: make those foreign keys db_constraint=False first).
    """
    connection = connection or connections[DEFAULT_DB_ALIAS]
    if not supported(connection):
        return
    with connection.cursor() as cursor:
        if _key(cursor, table) is not None:
            return
        _rebuild(cursor, table, key, set(years))


def unpartition_table(table: str, *, connection: BaseDatabaseWrapper | None = None) -> None:
    """Rebuild a partitioned table as a plain one with the same rows (undoing `partition_table`)."""
    connection = connection or connections[DEFAULT_DB_ALIAS]
    if not supported(connection):
        return
    with connection.cursor() as cursor:
        if _key(cursor, table) is None:
            return
        _rebuild(cursor, table, None, set())


def _rebuild(cursor: Any, table: str, key: str | None, years: set[int]) -> None:
    """Build `table` anew (partitioned on `key`, or plain when None), move its rows, drop the old one."""
    cursor.execute(f"LOCK TABLE {quote(table)} IN ACCESS EXCLUSIVE MODE")
    shape = _shape(cursor, table)
    if shape.referenced_by:
        raise PartitionError(
            f"{table} is referenced by foreign keys ({', '.join(shape.referenced_by)}); "
            "a partitioned table's id cannot be referenced alone: make them db_constraint=False first"
        )
    old_key = _key(cursor, table)
    key_type = ""
    if key is not None:
        if key not in shape.stored:
            raise PartitionError(f"{table} has no column {key} to partition by")
        cursor.execute(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = to_regclass(%s) AND attname = %s",
            [quote(table), key],
        )
        key_type = cursor.fetchone()[0]
        missing = [name for name, columns, _ in shape.uniques if key not in columns]
        if missing:
            raise PartitionError(f"{table}: unique constraints {', '.join(missing)} do not include {key}")
        years |= _years_in(cursor, table, key, key_type)
    sequence = _take_sequence(cursor, table, shape)

    # The old table and everything named after it step aside under names of their own.
    cursor.execute("SELECT to_regclass(%s)::oid", [quote(table)])
    old = f"keyproj_old_{cursor.fetchone()[0]}"
    cursor.execute(f"ALTER TABLE {quote(table)} RENAME TO {quote(old)}")
    for number, (kind, name) in enumerate(shape.renamed):
        cursor.execute(f"ALTER {kind} {quote(name)} RENAME TO {quote(f'{old}_{number}')}")

    body = ",\n    ".join([*shape.columns, *shape.checks])
    tail = f" PARTITION BY RANGE ({quote(key)})" if key is not None else ""
    cursor.execute(f"CREATE TABLE {quote(table)} (\n    {body}\n){tail}")
    if key is not None:
        for year in sorted(years):
            bound, _ = _range(key, key_type, year)
            cursor.execute(
                f"CREATE TABLE {quote(partition_name(table, year))} PARTITION OF {quote(table)} FOR VALUES {bound}"
            )
        cursor.execute(f"CREATE TABLE {quote(partition_name(table, None))} PARTITION OF {quote(table)} DEFAULT")

    columns = ", ".join(quote(column) for column in shape.stored)
    cursor.execute(f"INSERT INTO {quote(table)} ({columns}) SELECT {columns} FROM {quote(old)}")
    if sequence is not None:
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s, %s)", [quote(table), *sequence])

    # Keys and indexes after the rows: built once over them rather than row by row.
    if shape.primary is not None:
        name, primary = shape.primary
        primary = [c for c in primary if c != (old_key[0] if old_key else None) or len(primary) == 1]
        if key is not None and key not in primary:
            primary.append(key)
        cursor.execute(
            f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} PRIMARY KEY ({', '.join(map(quote, primary))})"
        )
    for name, _, definition in shape.uniques:
        cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
    for _, definition in shape.indexes:
        cursor.execute(definition)
    for definition in shape.foreign:
        cursor.execute(f"ALTER TABLE {quote(table)} ADD {definition}")
    cursor.execute(f"DROP TABLE {quote(old)}")
    cursor.execute(f"ANALYZE {quote(table)}")


def _take_sequence(cursor: Any, table: str, shape: _Shape) -> tuple[str, int, bool] | None:
    """Where the identity sequence stands (column, last value, called), its name freed for the new table."""
    if shape.identity is None:
        return None
    cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [quote(table), shape.identity])
    sequence = cursor.fetchone()[0]
    if sequence is None:
        return None
    cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # a name from the catalogue
    last, called = cursor.fetchone()
    shape.renamed.append(("SEQUENCE", sequence.split(".")[-1].strip('"')))
    return shape.identity, int(last), bool(called)


# --- in migrations ---------------------------------------------------------------------------------


def business_years() -> list[int]:
    """This business year and the next (keyproj.core.clock): the partitions made ahead of their rows."""
    year = clock.today().year
    return [year, year + 1]


def by_year(app_label: str, model_name: str, key: str) -> migrations.RunPython:
    """A migration step partitioning a model's table by year on `key` (PostgreSQL; nothing on SQLite).

    Django's model state does not change: the model keeps `id` as its primary key, which stays
    unique through the identity sequence. The reverse step rebuilds the plain table.
    """

    def table(apps: Any) -> str:
        return str(apps.get_model(app_label, model_name)._meta.db_table)

    def forward(apps: Any, schema_editor: Any) -> None:
        if supported(schema_editor.connection):
            partition_table(table(apps), key, years=business_years(), connection=schema_editor.connection)

    def backward(apps: Any, schema_editor: Any) -> None:
        if supported(schema_editor.connection):
            unpartition_table(table(apps), connection=schema_editor.connection)

    return migrations.RunPython(forward, backward)

"""The Xiamen demo for tests: loaded by the fixtures of the modules that read it.

A worker loads the demo for many modules, one after another, each time into the same database
emptied by `loader.clear()`. The first load is real. It leaves behind a copy of what it wrote: the
rows, and the files it stored. A later load that starts from exactly the same database puts that
copy back instead of loading again: ~1 s rather than ~8 s on SQLite and ~14 s on PostgreSQL. The
start is compared row by row, every table, so a database that differs in anything gets a real
load. `keyproj/demo/tests/test_demo.py` loads for real, and a test of what the demo holds reads the
same rows either way.

While the demo loads for real, a notice whose HTML was rendered before in this process reuses
those PDF bytes. The renderer gives the same bytes for the same HTML (fonts subset by HarfBuzz,
the PDF identifier taken from the HTML; keyproj/notices/tests/test_pdf.py holds it to that).
Outside a demo load nothing is remembered: the notices' own tests render every time.
"""

from __future__ import annotations

import hashlib
import io
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

_rendered: dict[str, bytes] = {}


@contextmanager
def notices_rendered_once() -> Iterator[None]:
    """Within the block, a document whose HTML was rendered before in this process gets the same bytes."""
    from keyproj.notices import pdf

    render = pdf.render_pdf

    def remembered(doc: Any) -> bytes:
        html = pdf.render_html(doc)
        if html not in _rendered:
            _rendered[html] = render(doc)
        return _rendered[html]

    pdf.render_pdf = remembered
    try:
        yield
    finally:
        pdf.render_pdf = render


# -- what a database holds, table by table ---------------------------------------------------
Rows = dict[str, list[bytes]]  # table → its rows, each as bytes, sorted


def _tables() -> list[str]:
    """The tables that hold rows: not views, not the partitions of a partitioned table (the audit
    log on PostgreSQL), which are read and written through their parent."""
    with connection.cursor() as cursor:
        listed = connection.introspection.get_table_list(cursor)
    return sorted(t.name for t in listed if t.type == "t" and t.name != "sqlite_sequence")


def _rows() -> Rows:
    """Every row of every table. PostgreSQL's COPY text form is exact and reloads as it is;
    SQLite's rows are compared by their repr (its copy is the whole database, see _restore_sqlite)."""
    quote = connection.ops.quote_name
    found: Rows = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in _tables():
                columns = ", ".join(quote(c) for c in _stored_columns(table))
                with cursor.cursor.copy(f"COPY (SELECT {columns} FROM {quote(table)}) TO STDOUT") as copy:
                    data = b"".join(bytes(chunk) for chunk in copy)
                found[table] = sorted(data.splitlines(keepends=True))
    else:
        connection.ensure_connection()
        raw = connection.connection
        for table in _tables():
            found[table] = sorted(repr(row).encode() for row in raw.execute(f"SELECT * FROM {quote(table)}"))
    return found


def _stored_columns(table: str) -> list[str]:
    """A PostgreSQL table's columns in their order, without the generated ones (which COPY cannot load)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
            " AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
            [connection.ops.quote_name(table)],
        )
        return [row[0] for row in cursor.fetchall()]


def _fingerprint(rows: Rows) -> str:
    digest = hashlib.sha256()
    for table, lines in rows.items():
        digest.update(table.encode() + b"\0")
        for line in lines:
            digest.update(line + b"\0")
    return digest.hexdigest()


def _stamps() -> dict[str, tuple[int, int]]:
    """The stored files as (size, modified) by their path under MEDIA_ROOT."""
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return {}
    found = {}
    for path in root.rglob("*"):
        if path.is_file():
            stat = path.stat()
            found[str(path.relative_to(root))] = (stat.st_size, stat.st_mtime_ns)
    return found


# -- the copy a real load leaves behind ------------------------------------------------------
@dataclass
class _Copy:
    files: dict[str, bytes]  # stored files the load wrote (relative to MEDIA_ROOT)
    database: sqlite3.Connection | None = None  # SQLite: the whole database after the load
    gone: dict[str, list[str]] = field(default_factory=dict)  # PostgreSQL: table → primary keys to delete
    added: dict[str, bytes] = field(default_factory=dict)  # PostgreSQL: table → COPY text of its new rows


# By database and start: the starts a worker sees are few (emptied by clear(), or by a
# transactional test's flush), and each gets its copy.
_copies: dict[tuple[str, str, str], _Copy] = {}


def _key(start: Rows) -> tuple[str, str, str]:
    return connection.vendor, str(connection.settings_dict["NAME"]), _fingerprint(start)


def _primary_key_column(table: str) -> int:
    with connection.cursor() as cursor:
        name = connection.introspection.get_primary_key_column(cursor, table)
    columns = _stored_columns(table)
    if name not in columns:
        raise ValueError(f"{table} has no primary key to restore its rows by")
    return columns.index(name)


def _take_copy(start: Rows, files_before: dict[str, tuple[int, int]]) -> _Copy:
    root = Path(settings.MEDIA_ROOT)
    written = [name for name, stamp in _stamps().items() if files_before.get(name) != stamp]
    copy = _Copy(files={name: (root / name).read_bytes() for name in written})
    if connection.vendor == "sqlite":
        copy.database = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy.database)
        return copy
    after = _rows()
    for table, lines in after.items():
        before = set(start.get(table, ()))
        now = set(lines)
        gone = before - now
        if gone:
            index = _primary_key_column(table)
            copy.gone[table] = [line.rstrip(b"\n").split(b"\t")[index].decode() for line in gone]
        added = [line for line in lines if line not in before]
        if added:
            copy.added[table] = b"".join(added)
    return copy


def _restore(copy: _Copy) -> None:
    if copy.database is not None:
        # The whole database as the load left it: the start was identical, so nothing else changes.
        connection.ensure_connection()
        copy.database.backup(connection.connection)
    else:
        quote = connection.ops.quote_name
        # Foreign keys are checked at commit (Django makes them DEFERRABLE INITIALLY DEFERRED).
        with transaction.atomic(), connection.cursor() as cursor:
            for table, keys in copy.gone.items():
                column = str(connection.introspection.get_primary_key_column(cursor, table))
                cursor.execute(f"DELETE FROM {quote(table)} WHERE {quote(column)}::text = ANY(%s)", [keys])
            for table, data in copy.added.items():
                columns = ", ".join(quote(c) for c in _stored_columns(table))
                with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as stream:
                    stream.write(data)
            # The ids go on from the restored rows (the many-to-many tables' too).
            models = apps.get_models(include_auto_created=True)
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
    root = Path(settings.MEDIA_ROOT)
    for name, data in copy.files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    # What was cached about the last module's demo is not this one's to read.
    for alias in settings.CACHES:
        caches[alias].clear()


def copy_for(start: Rows) -> _Copy | None:
    """The copy of a load that started from exactly these rows, if this worker has one."""
    return _copies.get(_key(start))


def forget_copies() -> None:
    """Drop the copies: the next load is a real one."""
    _copies.clear()


def load_demo(*args: str, stdout: io.StringIO | None = None) -> bool:
    """`keyproj demo` with its arguments; without any, the copy of an earlier load from the same start.

    True when the demo was put back from a copy, False when it was loaded.
    """
    from keyproj.core import clock

    # A copy is taken and put back only between tests, never inside a transaction: SQLite cannot copy
    # a database a transaction holds open, and a rolled-back load must not leave a copy behind.
    start = _rows() if not args and not connection.in_atomic_block else None
    copy = copy_for(start) if start is not None else None
    if copy is not None:
        _restore(copy)
        clock.forget()
        return True
    files_before = _stamps() if start is not None else {}
    with notices_rendered_once():
        call_command("demo", *args, stdout=stdout or io.StringIO())
    if start is not None:
        _copies[_key(start)] = _take_copy(start, files_before)
    return False

"""Insert many new rows at once: COPY on PostgreSQL, bulk_create elsewhere.

A 10,000-row import writes 10,000 returns and 10,000 audit entries. Through bulk_create
on PostgreSQL most of that time went into building and quoting the statements' parameters
on the client (bench/); COPY streams the rows instead. The objects do not get their ids
back: callers that need them read the rows again by their natural key.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connections, models, router


def insert(model: type[models.Model], objects: Sequence[models.Model], *, batch_size: int = 2000) -> None:
    """Insert new objects of one model, in the current transaction."""
    if not objects:
        return
    db = connections[router.db_for_write(model) or DEFAULT_DB_ALIAS]  # the wrapper, not the proxy: cheaper per use
    if db.vendor != "postgresql":
        model._default_manager.bulk_create(objects, batch_size=batch_size)
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    quote = db.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in fields)
    statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    # wrap_database_errors: the driver's errors (a unique key clash) arrive as Django's own.
    with db.cursor() as cursor, db.wrap_database_errors, cursor.cursor.copy(statement) as copy:
        # pre_save fills what bulk_create would (auto_now_add timestamps); get_db_prep_save
        # turns each value into what the column takes, as an INSERT would.
        for obj in objects:
            copy.write_row([field.get_db_prep_save(field.pre_save(obj, True), db) for field in fields])

"""Returns, rollups and the audit log partitioned by year on PostgreSQL (keyproj.core.partitions).

The PostgreSQL tests skip on SQLite, which keeps plain tables; the PG leg of CI runs them.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from keyproj.core import clock, partitions
from keyproj.core.models import AuditEntry
from keyproj.jobs.jobs import ensure_partitions
from keyproj.metrics.models import ProjectMonth, ScopeMonth
from keyproj.returns.models import ProgressReturn, ReturnAmendment, ReturnStatus
from keyproj.testing import make_plan, make_project

postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps plain tables")

RETURNS = ProgressReturn._meta.db_table
ROLLUP = ProjectMonth._meta.db_table
SCOPES = ScopeMonth._meta.db_table
AUDIT = AuditEntry._meta.db_table
# A year no migration or job has made a partition for (they make this business year's and the next).
FAR = 2061


def partition_of(table: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {partitions.quote(table)} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def settle_foreign_keys() -> None:
    """Check the rows this test wrote now: PostgreSQL alters no table with foreign-key checks pending,
    and a row written in the test's own transaction is still pending (in production it is committed)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def a_return(year: int, **extra) -> ProgressReturn:
    values = {"investment": Decimal("123.45"), "physical_progress": "主体结构施工", "status": ReturnStatus.APPROVED}
    values.update(extra)
    return ProgressReturn.objects.create(project=make_project(), year=year, month=7, **values)


@postgres
@pytest.mark.django_db
def test_returns_the_rollups_and_the_audit_log_are_partitioned_with_a_default_partition():
    tables = partitions.partitioned_tables()
    assert {RETURNS, ROLLUP, SCOPES, AUDIT} <= set(tables)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, p.partstrat FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid"
        )
        strategies = dict(cursor.fetchall())
    for table in (RETURNS, ROLLUP, SCOPES, AUDIT):
        assert strategies[table] == "r"  # RANGE
        names = [p.name for p in partitions.partitions(table)]
        assert f"{table}_default" in names
        year = clock.today().year
        assert {f"{table}_{year}", f"{table}_{year + 1}"} <= set(names)


@postgres
@pytest.mark.django_db
def test_a_return_for_a_year_without_a_partition_lands_in_the_default_one_and_ensure_year_moves_it_intact():
    ret = a_return(FAR)
    assert partition_of(RETURNS, ret.pk) == f"{RETURNS}_default"
    before = ProgressReturn.objects.filter(pk=ret.pk).values().get()
    settle_foreign_keys()

    assert partitions.ensure_year(RETURNS, FAR) is True

    assert partition_of(RETURNS, ret.pk) == f"{RETURNS}_{FAR}"
    assert ProgressReturn.objects.filter(pk=ret.pk).values().get() == before
    by_name = {p.name: p for p in partitions.partitions(RETURNS)}
    assert by_name[f"{RETURNS}_{FAR}"].year == FAR and by_name[f"{RETURNS}_{FAR}"].rows == 1
    assert by_name[f"{RETURNS}_default"].rows == 0
    # A second time, as a second process would: nothing to do, nothing changed.
    assert partitions.ensure_year(RETURNS, FAR) is False
    # The new partition takes the next return of its year, and the identity goes on.
    later = a_return(FAR)
    assert later.pk > ret.pk
    assert partition_of(RETURNS, later.pk) == f"{RETURNS}_{FAR}"


@postgres
@pytest.mark.django_db
def test_an_audit_entry_belongs_to_the_year_of_its_moment_in_the_installations_time_zone(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    assert partitions.ensure_year(AUDIT, FAR) is True
    entry = AuditEntry.objects.create(action="test", content_type_id=1, object_id="1", object_repr="x")
    # 16:30 UTC on the last day of the year before is 00:30 on January 1 in Shanghai.
    AuditEntry.objects.filter(pk=entry.pk).update(at=dt.datetime(FAR - 1, 12, 31, 16, 30, tzinfo=dt.UTC))
    assert partition_of(AUDIT, entry.pk) == f"{AUDIT}_{FAR}"
    AuditEntry.objects.filter(pk=entry.pk).update(at=dt.datetime(FAR - 1, 12, 31, 15, 30, tzinfo=dt.UTC))
    assert partition_of(AUDIT, entry.pk) == f"{AUDIT}_default"


@postgres
@pytest.mark.django_db
def test_the_daily_job_makes_next_business_years_partitions_of_every_partitioned_table(settings):
    settings.KEYPROJ_TODAY = dt.date(FAR - 1, 12, 31)
    counts = ensure_partitions(clock.today(), clock.now())
    tables = partitions.partitioned_tables()
    assert counts["tables"] == len(tables)
    for table in tables:
        assert FAR in {p.year for p in partitions.partitions(table)}
        assert f"{table}_{FAR}" in counts["partitions"]
    assert ensure_partitions(clock.today(), clock.now())["created"] == 0


@postgres
@pytest.mark.django_db
def test_the_daily_job_gives_a_year_waiting_in_the_default_partition_its_own(settings):
    """A year loaded before its partition existed (an old year imported) is moved out by the next run."""
    ret = a_return(FAR + 5)
    settle_foreign_keys()
    assert partition_of(RETURNS, ret.pk) == f"{RETURNS}_default"

    counts = ensure_partitions(clock.today(), clock.now())

    assert f"{RETURNS}_{FAR + 5}" in counts["partitions"]
    assert partition_of(RETURNS, ret.pk) == f"{RETURNS}_{FAR + 5}"
    assert {p.name: p.rows for p in partitions.partitions(RETURNS)}[f"{RETURNS}_default"] == 0
    assert partitions.settle_default() == []


@postgres
@pytest.mark.django_db
def test_a_months_figures_read_only_their_years_partition():
    project = make_project()
    make_plan(project, year=2019)
    make_plan(project, year=2020)
    settle_foreign_keys()
    for year in (2019, 2020):
        partitions.ensure_year(ROLLUP, year)
    plan = ProjectMonth.objects.filter(year=2019, month=7).values("project_id", "actual_to_date").explain()
    assert f"{ROLLUP}_2019" in plan
    others = [p.name for p in partitions.partitions(ROLLUP, count=False) if p.year != 2019]
    assert others and not any(name in plan for name in others), plan


@postgres
@pytest.mark.django_db
def test_a_return_with_an_amendment_still_cannot_be_deleted():
    ret = a_return(2019)
    ReturnAmendment.objects.create(progress_return=ret, investment=Decimal(1), reason="更正")
    with pytest.raises(ProtectedError):
        ret.delete()
    assert ProgressReturn.objects.filter(pk=ret.pk).exists()


@postgres
@pytest.mark.django_db
def test_a_table_turned_into_a_partitioned_one_and_back_keeps_its_rows_keys_and_sequence():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE TABLE scratch_book (
                id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                year smallint NOT NULL CHECK (year > 1900),
                amount numeric(8,2) NOT NULL DEFAULT 0,
                doubled numeric GENERATED ALWAYS AS (amount * 2) STORED,
                CONSTRAINT scratch_one_per_year UNIQUE (year, amount)
            );
            CREATE INDEX scratch_amount ON scratch_book (amount);
            INSERT INTO scratch_book (year, amount) VALUES (2018, 1), (2019, 2), (2019, 3);
            """
        )
        partitions.partition_table("scratch_book", "year", years=[2030])
        assert [p.year for p in partitions.partitions("scratch_book")] == [2018, 2019, 2030, None]
        cursor.execute("INSERT INTO scratch_book (year, amount) VALUES (2019, 4) RETURNING id, doubled")
        assert cursor.fetchone() == (4, Decimal(8))
        cursor.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'scratch_book_pkey'")
        assert cursor.fetchone()[0] == "PRIMARY KEY (id, year)"
        # The unique constraint holds in every partition (the year is part of it).
        with pytest.raises(IntegrityError, match="duplicate key"), transaction.atomic(), connection.cursor() as inner:
            inner.execute("INSERT INTO scratch_book (year, amount) VALUES (2019, 4)")

        partitions.unpartition_table("scratch_book")
        assert partitions.partitions("scratch_book") == []
        cursor.execute("SELECT id, year, amount, doubled FROM scratch_book ORDER BY id")
        assert [row[:2] for row in cursor.fetchall()] == [(1, 2018), (2, 2019), (3, 2019), (4, 2019)]
        cursor.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'scratch_book_pkey'")
        assert cursor.fetchone()[0] == "PRIMARY KEY (id)"
        cursor.execute("SELECT to_regclass('scratch_amount'), to_regclass('scratch_one_per_year')")
        assert None not in cursor.fetchone()
        # The sequence goes on where it stood: the refused insert above took 5.
        cursor.execute("INSERT INTO scratch_book (year, amount) VALUES (2020, 5) RETURNING id")
        assert cursor.fetchone()[0] == 6


@postgres
@pytest.mark.django_db
def test_a_table_referenced_by_a_foreign_key_is_refused_and_left_as_it_was():
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE scratch_parent (id bigint PRIMARY KEY, year smallint NOT NULL);"
            "CREATE TABLE scratch_child (id bigint PRIMARY KEY, parent_id bigint REFERENCES scratch_parent (id));"
        )
        with pytest.raises(partitions.PartitionError, match="scratch_child"):
            partitions.partition_table("scratch_parent", "year")
        assert partitions.partitions("scratch_parent") == []


@postgres
@pytest.mark.django_db
def test_the_command_lists_each_tables_partitions_with_rows_and_makes_a_year_on_request():
    out = io.StringIO()
    call_command("partitions", "--ensure", str(FAR), stdout=out)
    text = out.getvalue()
    assert f"{FAR}年：新建 {len(partitions.partitioned_tables())} 个分区" in text
    assert f"{RETURNS}_{FAR}" in text and f"{AUDIT}_default" in text and "行" in text


@pytest.mark.django_db
def test_the_command_refuses_a_year_it_cannot_read():
    with pytest.raises(CommandError, match="--ensure 应为年份"):
        call_command("partitions", "--ensure", "20x7", stdout=io.StringIO())


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite only")
@pytest.mark.django_db
def test_on_sqlite_nothing_is_partitioned_and_ensuring_a_year_does_nothing():
    assert partitions.partitioned_tables() == []
    assert partitions.ensure_year(RETURNS, FAR) is False
    out = io.StringIO()
    call_command("partitions", stdout=out)
    assert "SQLite 数据库不分区" in out.getvalue()

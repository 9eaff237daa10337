"""keyproj backup and restore: the demo, backed up and restored into an empty database and media folder,
reads back row for row; a bad archive or a database that is not empty is refused with nothing written."""

from __future__ import annotations

import io
import json
import secrets
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.utils import ConnectionHandler
from django.test import override_settings

from keyproj.core import backup, clock
from keyproj.core.period import Period
from keyproj.core.scoping import CONSOLE
from keyproj.notices.models import sha256

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def source_media(tmp_path_factory):
    """A media folder of this module's own, so that the demo's files are the only ones in it."""
    folder = tmp_path_factory.mktemp("source-media")
    with override_settings(MEDIA_ROOT=str(folder)):
        yield folder


@pytest.fixture(scope="module")
def archive(source_media, demo_for_module, django_db_blocker, tmp_path_factory) -> Path:
    """The demo, backed up once for the module."""
    out = tmp_path_factory.mktemp("backups") / "keyproj.tar.gz"
    with django_db_blocker.unblock():
        backup.backup(out)
    return out


@contextmanager
def empty_database() -> Iterator[Any]:
    """A connection to a new, empty database of the same vendor as the test database, dropped afterwards."""
    name = f"keyproj_restore_{secrets.token_hex(4)}"
    if connection.vendor == "sqlite":
        with tempfile.TemporaryDirectory() as folder_name:
            # Named "default" in a handler of its own (a handler needs one): the code under test reads it as such.
            handler = ConnectionHandler(
                {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(Path(folder_name) / f"{name}.db")}}
            )
            target = handler["default"]
            try:
                yield target
            finally:
                target.close()
        return
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    handler = ConnectionHandler({"default": {**connection.settings_dict, "NAME": name}})
    target = handler["default"]
    try:
        yield target
    finally:
        target.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture(scope="module")
def restored(archive, django_db_blocker, tmp_path_factory):
    """The archive restored into an empty database and an empty media folder: (connection, storage, result)."""
    storage = FileSystemStorage(location=str(tmp_path_factory.mktemp("restored-media")))
    with django_db_blocker.unblock(), empty_database() as target:
        result = backup.restore(archive, connection=target, storage=storage)
        yield target, storage, result


@pytest.fixture
def empty_target(tmp_path):
    """An empty database and media folder; after the test, still empty (a refusal writes nothing)."""
    storage = FileSystemStorage(location=str(tmp_path / "media"))
    with empty_database() as target:
        yield target, storage
        assert backup._existing_tables(target) == {}
        assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*"))


def rows(conn: Any, table: str) -> list[tuple]:
    with conn.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}"')
        width = len(cursor.description)
        order = ", ".join(str(i) for i in range(1, width + 1))
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY {order}')
        return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in cursor.fetchall()]


def tables(conn: Any) -> dict[str, int]:
    with conn.cursor() as cursor:
        return backup._census(cursor, conn.vendor)[0]


@contextmanager
def reading(target: Any, storage: FileSystemStorage) -> Iterator[None]:
    """The application's code reading the restored database and media instead of the test's."""
    original = connections["default"]
    connections["default"] = target
    clock.forget()
    try:
        with override_settings(MEDIA_ROOT=storage.location):
            yield
    finally:
        connections["default"] = original
        clock.forget()


def test_the_restored_database_has_every_table_with_the_same_rows(restored):
    target, _, result = restored
    source = tables(connection)
    assert result.rows == source == tables(target)
    assert source["notices_notice"] >= 7 and source["core_auditentry"] > 0 and source["supervision_monthclose"] >= 7
    for table in source:
        assert rows(target, table) == rows(connection, table), table


def test_the_audit_log_is_the_same_entry_for_entry(restored):
    target, _, _ = restored
    assert rows(target, "core_auditentry") == rows(connection, "core_auditentry") != []


def test_every_closed_months_snapshot_is_the_same(restored):
    target, _, _ = restored

    def snapshots(conn: Any) -> dict[tuple[int, int], Any]:
        with conn.cursor() as cursor:
            cursor.execute("SELECT year, month, snapshot FROM supervision_monthclose")
            return {(y, m): json.loads(s) if isinstance(s, str) else s for y, m, s in cursor.fetchall()}

    mine = snapshots(connection)
    assert len(mine) >= 7 and all(mine.values())
    assert snapshots(target) == mine


def test_the_published_figures_of_a_closed_month_are_the_same(restored, source_media):
    from keyproj.metrics.figures import summary

    target, storage, _ = restored
    before = summary(CONSOLE, Period(2019, 7))
    with reading(target, storage):
        after = summary(CONSOLE, Period(2019, 7))
    assert before.project_count == 357
    assert (after.project_count, after.plan_to_date, after.actual_to_date, after.annual_plan) == (
        before.project_count,
        before.plan_to_date,
        before.actual_to_date,
        before.annual_plan,
    )


def test_every_stored_notice_reads_back_with_its_recorded_hash(restored, source_media):
    from keyproj.notices.models import Notice

    target, storage, _ = restored
    recorded = {n.pk: (n.docx_sha256, n.pdf_sha256) for n in Notice.objects.all()}
    with reading(target, storage):
        notices = list(Notice.objects.all())
        read = {n.pk: (sha256(n.file_bytes("docx")), sha256(n.file_bytes("pdf"))) for n in notices}
    assert len(read) >= 7 and read == recorded


def test_the_restored_media_folder_holds_the_same_files(restored, source_media):
    _, storage, result = restored
    source = sorted(p.relative_to(source_media).as_posix() for p in source_media.rglob("*") if p.is_file())
    assert sorted(result.files) == source and source
    for name in source:
        assert Path(storage.path(name)).read_bytes() == (source_media / name).read_bytes()


def test_the_manifest_says_what_the_archive_holds(archive):
    with tarfile.open(archive, "r:gz") as opened:
        names = opened.getnames()
        manifest = json.load(opened.extractfile(backup.MANIFEST))
    assert names[-1] == backup.MANIFEST and names[0] == backup.DATABASE_MEMBERS[connection.vendor]
    assert manifest["vendor"] == connection.vendor and manifest["migrations"] == backup.code_migrations()
    assert manifest["migrations"]["notices"] == "0006_notice_files_in_storage"
    assert manifest["business_day"] == clock.today().isoformat()
    assert set(manifest["members"]) == set(names) - {backup.MANIFEST}
    assert manifest["rows"]["notices_notice"] >= 7


# --- refusals: a clear message, nothing written -------------------------------------------------------


def rebuilt(archive: Path, out: Path, *, change: Any) -> Path:
    """The archive with its members passed through change(name, bytes, manifest) -> (name, bytes) | None."""
    with tarfile.open(archive, "r:gz") as opened:
        members = [(m.name, opened.extractfile(m).read()) for m in opened]
    manifest = json.loads(dict(members)[backup.MANIFEST])
    changed = []
    for name, data in members:
        if name != backup.MANIFEST:
            changed.append(change(name, data, manifest) or (name, data))
    with tarfile.open(out, "w:gz") as written:
        for name, data in [*changed, (backup.MANIFEST, json.dumps(manifest).encode())]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            written.addfile(info, io.BytesIO(data))
    return out


def refused(target: Any, storage: FileSystemStorage, path: Path) -> str:
    with pytest.raises(backup.BackupRefused) as refusal:
        backup.restore(path, connection=target, storage=storage)
    return str(refusal.value)


def test_a_database_that_is_not_empty_is_refused(archive, tmp_path):
    storage = FileSystemStorage(location=str(tmp_path / "media"))
    before = tables(connection)
    message = refused(connection, storage, archive)
    assert "不是空的" in message and "未恢复" in message
    assert tables(connection) == before and not (tmp_path / "media").exists()


def test_a_database_load_that_fails_takes_the_placed_files_back(archive, empty_target, monkeypatch):
    # The files go in first; a database that then fails to load (a full disk, a killed pg_restore) must not
    # leave them behind, or the media folder is no longer empty and the restore cannot be run again.
    def fail(*args: Any) -> None:
        raise backup.BackupRefused("恢复数据库失败：磁盘已满")

    monkeypatch.setattr(backup, "_load_database", fail)
    assert "磁盘已满" in refused(*empty_target, archive)


def test_a_truncated_archive_is_refused(archive, empty_target, tmp_path):
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    assert "不完整" in refused(*empty_target, cut)


def test_a_member_changed_after_the_backup_is_refused(archive, empty_target, tmp_path):
    def tamper(name: str, data: bytes, manifest: dict) -> tuple[str, bytes] | None:
        return (name, data[:-1] + b"!") if name.endswith(".pdf") else None

    message = refused(*empty_target, rebuilt(archive, tmp_path / "tampered.tar.gz", change=tamper))
    assert "SHA-256 与清单不符" in message and ".pdf" in message


def test_an_archive_of_another_version_says_which_migrations_differ(archive, empty_target, tmp_path):
    def older(name: str, data: bytes, manifest: dict) -> None:
        manifest["migrations"]["notices"] = "0005_numbering_rule_versions"

    message = refused(*empty_target, rebuilt(archive, tmp_path / "older.tar.gz", change=older))
    assert "notices：备份为 0005_numbering_rule_versions，本版本为 0006_notice_files_in_storage" in message
    assert "keyproj migrate" in message


def test_an_archive_of_the_other_database_vendor_is_refused(archive, empty_target, tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def move(name: str, data: bytes, manifest: dict) -> tuple[str, bytes] | None:
        if name == backup.DATABASE_MEMBERS[connection.vendor]:
            new = backup.DATABASE_MEMBERS[other]
            manifest["members"][new] = manifest["members"].pop(name)
            manifest["vendor"] = other
            return new, data
        return None

    message = refused(*empty_target, rebuilt(archive, tmp_path / "other.tar.gz", change=move))
    assert f"这是 {backup.VENDOR_NAMES[other]} 数据库的备份" in message


def test_a_file_that_is_not_an_archive_is_refused(empty_target, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a backup")
    assert "不是 keyproj 备份文件" in refused(*empty_target, path)


def test_the_restore_command_exits_with_the_reason(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a backup")
    with pytest.raises(CommandError, match="不是 keyproj 备份文件"):
        call_command("restore", str(path))


def test_the_check_option_reads_the_archive_without_restoring(archive):
    out = io.StringIO()
    before = tables(connection)
    call_command("restore", "--check", str(archive), stdout=out)
    assert "备份文件完好" in out.getvalue() and "notices_notice" in out.getvalue()
    assert tables(connection) == before


def test_the_backup_command_backs_up_the_configured_database_and_storage(restored, tmp_path):
    """The restored installation, backed up again by the command, holds the same rows and files."""
    target, storage, result = restored
    out = io.StringIO()
    with reading(target, storage):
        call_command("backup", str(tmp_path / "again.tar.gz"), stdout=out)
    assert "已备份到" in out.getvalue()
    again = backup.unpack(tmp_path / "again.tar.gz", tmp_path / "check")
    assert again.manifest["rows"] == result.rows and again.media == sorted(result.files)


def test_a_backup_that_fails_leaves_nothing_behind(restored, tmp_path, monkeypatch):
    target, storage, _ = restored

    def failing(*args: Any, **kwargs: Any) -> Iterator[str]:
        raise OSError("disk full")
        yield ""

    monkeypatch.setattr(backup, "_walk", failing)
    with pytest.raises(OSError, match="disk full"):
        backup.backup(tmp_path / "broken.tar.gz", connection=target, storage=storage)
    assert list(tmp_path.iterdir()) == []

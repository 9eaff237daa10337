"""Backing up and restoring a whole installation: the database and every stored file, in one archive.

A backup is one gzip-compressed tar file (docs/backup.md):

    database.sqlite3 | database.pgdump   the database: a copy made with SQLite's backup API, or
                                         `pg_dump -Fc` of the configured PostgreSQL database
    media/<name>                         every file of the default storage, when it is the file system
    manifest.json                        written last: the format, the database vendor, the applied
                                         migrations (each app's leaf), when it was made (the real time)
                                         and the business day, the rows of every table, and the
                                         SHA-256 of every other member

It is written to a temporary file beside its destination and renamed into place only once complete,
so a destination never holds half an archive. The database goes in before the files: a file the
copied database names was stored before its row was written (notices, attachments), so it is in
the archive too.

`restore` reads the whole archive into a staging folder and checks it before it writes anything:
every member against the manifest's SHA-256, the vendor against the configured database's, the
migrations against this code's, and that the database to restore into is empty. Only then does it
load the database (pg_restore in one transaction; for SQLite the copy replaces the empty file), and
only after that does it move the files into the storage. A refusal is a `BackupRefused` with the
reason in Chinese; nothing has been written by then.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

from keyproj.core import clock

FORMAT = "keyproj-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA = "media/"
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1024 * 1024
# What reading a truncated or foreign file raises (gzip's and tar's own errors).
BROKEN = (tarfile.ReadError, EOFError, gzip.BadGzipFile, zlib.error)


class BackupRefused(Exception):
    """A backup or restore that was refused; the message says why and what to do, in Chinese."""


@dataclass
class Restored:
    """What a restore wrote: rows per table and the files put into the storage."""

    vendor: str
    rows: dict[str, int]
    files: list[str] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)


# --- reading the database -------------------------------------------------------------------------


def vendor_of(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupRefused(f"不支持备份 {connection.vendor} 数据库：只支持 PostgreSQL 和 SQLite")
    return connection.vendor


def code_migrations() -> dict[str, str]:
    """This code's migrations: each app's leaf migration."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    return {app: name for app, name in sorted(graph.leaf_nodes())}


def _applied_leaves(applied: set[tuple[str, str]]) -> dict[str, str]:
    """Each app's last applied migration: the applied one no other applied migration of the app follows."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    leaves: dict[str, str] = {}
    for app in sorted({app for app, _ in applied}):
        mine = {node for node in applied if node[0] == app}
        followed = set()
        for node in mine:
            if node in graph.nodes:
                followed |= {parent for parent in graph.node_map[node].parents if parent.key in mine}
        last = sorted(name for a, name in mine if (a, name) not in {p.key for p in followed})
        leaves[app] = last[-1] if last else ""
    return leaves


def _tables(cursor: Any, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    else:
        cursor.execute(
            "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
    return [row[0] for row in cursor.fetchall()]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _census(cursor: Any, vendor: str) -> tuple[dict[str, int], dict[str, str]]:
    """The rows of every table and the applied migrations' leaves, as the cursor sees the database."""
    rows = {}
    for table in _tables(cursor, vendor):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # a name read from the catalogue
        rows[table] = int(cursor.fetchone()[0])
    applied: set[tuple[str, str]] = set()
    if "django_migrations" in rows:
        cursor.execute("SELECT app, name FROM django_migrations")
        applied = {(app, name) for app, name in cursor.fetchall()}
    return rows, _applied_leaves(applied)


def _pg_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The libpq environment naming the same database, user, host, port and options as the connection."""
    from django.db.backends.postgresql.client import DatabaseClient

    _, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    options = settings_dict.get("OPTIONS", {})
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": options.get("user", settings_dict.get("USER")),
        "PGDATABASE": options.get("dbname", settings_dict.get("NAME")),
    }
    return {**os.environ, **(env or {}), **{k: str(v) for k, v in values.items() if v}}


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    try:
        result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupRefused(
            f"找不到 {args[0]}：{what}需要 PostgreSQL 客户端工具（Debian/Ubuntu：apt-get install postgresql-client，"
            "版本不低于数据库服务器）"
        ) from None
    if result.returncode != 0:
        raise BackupRefused(f"{what}失败（{args[0]} 退出码 {result.returncode}）：{result.stderr.strip()[-2000:]}")


def _dump_database(connection: BaseDatabaseWrapper, target: Path) -> tuple[dict[str, int], dict[str, str]]:
    """Copy the database into `target`; the rows and migrations of exactly the copy."""
    vendor = vendor_of(connection)
    connection.ensure_connection()
    if vendor == "sqlite":
        # The backup API copies a consistent state even while others write (and works for an in-memory database).
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
            cursor = destination.cursor()
            return _census(cursor, vendor)
        finally:
            destination.close()
    # PostgreSQL: count inside one snapshot and let pg_dump dump that same snapshot, on a connection
    # of its own (the caller's may be inside a transaction, where no snapshot can be chosen any more).
    separate = connection.copy()
    try:
        separate.ensure_connection()
        raw = separate.connection
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            census = _census(cursor, vendor)
            env = _pg_environment(separate.settings_dict)
            _run(["pg_dump", "-Fc", f"--snapshot={snapshot}", "-f", str(target)], env, "导出数据库")
        raw.rollback()
        return census
    finally:
        separate.close()


# --- the media --------------------------------------------------------------------------------------


def _walk(storage: Storage, folder: str = "") -> Iterator[str]:
    directories, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for directory in sorted(directories):
        yield from _walk(storage, f"{folder}/{directory}" if folder else directory)


def is_filesystem(storage: Storage) -> bool:
    return isinstance(storage, FileSystemStorage)


# --- writing the archive -------------------------------------------------------------------------


class _Hashing:
    """A file read through, adding what it reads to a SHA-256."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle, self.hash = handle, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.hash.update(data)
        return data


def _add(archive: tarfile.TarFile, name: str, handle: IO[bytes], size: int, mtime: float) -> str:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o600
    hashing = _Hashing(handle)
    archive.addfile(info, hashing)  # type: ignore[arg-type]  # tarfile only reads from it
    return hashing.hash.hexdigest()


def backup(
    out: Path, *, connection: BaseDatabaseWrapper | None = None, storage: Storage | None = None
) -> dict[str, Any]:
    """Write the archive of the database (the default one) and the storage (the default) to `out`; its manifest."""
    storage = storage if storage is not None else storages["default"]
    connection = connection if connection is not None else connections[DEFAULT_DB_ALIAS]
    vendor = vendor_of(connection)
    out = out.resolve()
    if out.is_dir():
        raise BackupRefused(f"{out} 是一个目录：请给出备份文件的路径，例如 {out / 'keyproj.tar.gz'}")
    if not out.parent.is_dir():
        raise BackupRefused(f"目录 {out.parent} 不存在")
    handle, partial_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
    os.close(handle)
    partial = Path(partial_name)
    try:
        with tempfile.TemporaryDirectory(prefix=".keyproj-backup-", dir=out.parent) as staging:
            database = Path(staging) / DATABASE_MEMBERS[vendor]
            rows, migrations = _dump_database(connection, database)
            members: dict[str, str] = {}
            files = 0
            with tarfile.open(partial, "w:gz") as archive:
                with database.open("rb") as handle_:
                    members[database.name] = _add(
                        archive, database.name, handle_, database.stat().st_size, clock.real_now().timestamp()
                    )
                if is_filesystem(storage):
                    for name in _walk(storage):
                        try:
                            stored = storage.open(name, "rb")
                        except FileNotFoundError:
                            # Deleted since the folder was listed (a notice's files go with its row): the
                            # copied database no longer names it, or names it and will refuse to serve it.
                            continue
                        with stored:
                            members[MEDIA + name] = _add(
                                archive, MEDIA + name, stored, storage.size(name), clock.real_now().timestamp()
                            )
                        files += 1
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "vendor": vendor,
                    "migrations": migrations,
                    "created_at": clock.real_now().isoformat(),
                    "business_day": clock.today().isoformat(),
                    "rows": rows,
                    "media": {
                        "storage": f"{type(storage).__module__}.{type(storage).__qualname__}",
                        "included": is_filesystem(storage),
                        "files": files,
                    },
                    "members": members,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(clock.real_now().timestamp()), 0o600
                archive.addfile(info, _BytesReader(data))  # type: ignore[arg-type]
            with partial.open("rb") as written:
                os.fsync(written.fileno())
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.at + size
        chunk, self.at = self.data[self.at : end], min(end, len(self.data))
        return chunk


# --- reading and checking an archive -----------------------------------------------------------


@dataclass
class Unpacked:
    """An archive read into a staging folder and checked against its manifest."""

    folder: Path
    manifest: dict[str, Any]
    database: Path
    media: list[str]


def _member_path(name: str) -> PurePosixPath:
    """A member's name, refused when it could write outside the staging folder or is not ours."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupRefused(f"备份文件中有不安全的成员名 {name!r}，不是 keyproj 写出的备份，未恢复")
    if name != MANIFEST and name not in DATABASE_MEMBERS.values() and not name.startswith(MEDIA):
        raise BackupRefused(f"备份文件中有不认识的成员 {name!r}，不是 keyproj 写出的备份，未恢复")
    return path


def unpack(path: Path, folder: Path) -> Unpacked:
    """Read the archive at `path` into `folder` and check every member; BackupRefused when anything is off."""
    if not path.is_file():
        raise BackupRefused(f"备份文件 {path} 不存在")
    hashes: dict[str, str] = {}
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive:
                _member_path(member.name)
                if not member.isfile():
                    raise BackupRefused(f"备份文件中的 {member.name!r} 不是普通文件，不是 keyproj 写出的备份，未恢复")
                if member.name in hashes:
                    raise BackupRefused(f"备份文件中 {member.name!r} 出现了两次，未恢复")
                target = folder / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                source = archive.extractfile(member)
                assert source is not None
                digest = hashlib.sha256()
                with target.open("wb") as written:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        written.write(chunk)
                hashes[member.name] = digest.hexdigest()
    except BROKEN as broken:
        if not hashes and not _looks_gzip(path):
            raise BackupRefused(
                f"{path} 不是 keyproj 备份文件（应为 keyproj backup 写出的 .tar.gz 文件），未恢复"
            ) from None
        raise BackupRefused(f"备份文件 {path} 不完整或已损坏（{broken}），可能在复制时被截断；未恢复") from None
    if MANIFEST not in hashes:
        raise BackupRefused(
            f"备份文件 {path} 中没有清单 {MANIFEST}：文件不完整（清单写在最后）或不是 keyproj 备份；未恢复"
        )
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except ValueError:
        raise BackupRefused(f"备份文件 {path} 的清单 {MANIFEST} 无法读取，未恢复") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRefused(f"{path} 的清单不是 keyproj 备份清单，未恢复")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupRefused(
            f"备份格式版本为 {manifest.get('format_version')}，本版本 keyproj 只读取格式版本 {FORMAT_VERSION}；"
            "请用写出该备份的 keyproj 版本恢复"
        )
    listed: dict[str, str] = manifest.get("members") or {}
    for name, found in hashes.items():
        if name == MANIFEST:
            continue
        if name not in listed:
            raise BackupRefused(f"备份文件中的 {name} 不在清单中，文件被改动过，未恢复")
        if listed[name] != found:
            raise BackupRefused(
                f"备份文件中 {name} 的 SHA-256 与清单不符（清单 {listed[name]}，实际 {found}），"
                "文件被改动或损坏，未恢复"
            )
    missing = sorted(set(listed) - set(hashes))
    if missing:
        raise BackupRefused(f"备份文件缺少清单中的 {len(missing)} 个成员（如 {missing[0]}），文件不完整，未恢复")
    vendor = manifest.get("vendor")
    if vendor not in DATABASE_MEMBERS or DATABASE_MEMBERS[vendor] not in hashes:
        raise BackupRefused(f"备份文件中没有数据库（{vendor}），未恢复")
    media = sorted(name[len(MEDIA) :] for name in hashes if name.startswith(MEDIA))
    return Unpacked(folder, manifest, folder / DATABASE_MEMBERS[vendor], media)


def _looks_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def migration_differences(manifest: dict[str, Any]) -> list[str]:
    """How the archive's migrations differ from this code's, one line per app (empty when they match)."""
    theirs: dict[str, str] = manifest.get("migrations") or {}
    ours = code_migrations()
    lines = []
    for app in sorted(set(theirs) | set(ours)):
        if theirs.get(app) != ours.get(app):
            lines.append(f"{app}：备份为 {theirs.get(app) or '（无）'}，本版本为 {ours.get(app) or '（无）'}")
    return lines


def check_archive(path: Path, folder: Path, *, vendor: str | None = None) -> Unpacked:
    """Unpack and check an archive: members, format, migrations and (when given) the database vendor."""
    unpacked = unpack(path, folder)
    manifest = unpacked.manifest
    if vendor is not None and manifest["vendor"] != vendor:
        raise BackupRefused(
            f"这是 {VENDOR_NAMES[manifest['vendor']]} 数据库的备份，而配置的数据库是 {VENDOR_NAMES[vendor]}："
            "只能恢复到同一种数据库"
            f"（请将 KEYPROJ_DATABASE_URL 指向一个空的 {VENDOR_NAMES[manifest['vendor']]} 数据库）；未恢复"
        )
    differences = migration_differences(manifest)
    if differences:
        raise BackupRefused(
            "备份来自另一个版本的 keyproj，数据库迁移不一致：\n  "
            + "\n  ".join(differences)
            + "\n请安装与备份相同版本的 keyproj（迁移如上）恢复，再换回本版本运行 keyproj migrate；未恢复"
        )
    return unpacked


# --- restoring -------------------------------------------------------------------------------------


def _existing_tables(connection: BaseDatabaseWrapper) -> dict[str, int]:
    """The tables of the database to restore into, with their rows; {} for a database without any."""
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        if _sqlite_is_file(name) and (not Path(name).exists() or Path(name).stat().st_size == 0):
            return {}
    with connection.cursor() as cursor:
        rows, _ = _census(cursor, connection.vendor)
    return rows


def _sqlite_is_file(name: str) -> bool:
    return bool(name) and name != ":memory:" and not name.startswith("file:")


def _refuse_unless_empty(connection: BaseDatabaseWrapper) -> None:
    tables = _existing_tables(connection)
    if tables:
        filled = [table for table, count in tables.items() if count]
        example = "、".join((filled or list(tables))[:3])
        raise BackupRefused(
            f"要恢复到的数据库不是空的：已有 {len(tables)} 张表（其中 {len(filled)} 张有数据，如 {example}）。"
            "恢复只写入空数据库，以免覆盖现有数据：请新建一个空数据库（PostgreSQL：createdb；SQLite：一个不存在的文件），"
            "将 KEYPROJ_DATABASE_URL 指向它，不要先运行 migrate；未恢复"
        )


def _refuse_clashing_files(storage: Storage, names: list[str]) -> None:
    clashes = [name for name in names if storage.exists(name)]
    if clashes:
        raise BackupRefused(
            f"存储中已有 {len(clashes)} 个与备份同名的文件（如 {clashes[0]}）："
            "请恢复到空的媒体目录（MEDIA_ROOT）；未恢复"
        )


def _load_database(connection: BaseDatabaseWrapper, database: Path) -> None:
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        if not _sqlite_is_file(name):
            raise BackupRefused(f"只能恢复到文件形式的 SQLite 数据库，而配置的是 {name!r}")
        connection.close()
        target = Path(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Checked empty above; a leftover write-ahead log of that empty file must not be replayed onto the copy.
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
        staged = target.with_name(f".{target.name}.restoring")
        shutil.copyfile(database, staged)
        os.replace(staged, target)
        return
    env = _pg_environment(connection.settings_dict)
    connection.close()
    _run(
        [
            "pg_restore",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            "-d",
            env["PGDATABASE"],
            str(database),
        ],
        env,
        "恢复数据库",
    )


def _place_files(storage: Storage, staged_media: Path, names: list[str], placed: list[str]) -> list[str]:
    """Move the unpacked files into the storage, noting each in `placed` as it lands (to take back on failure)."""
    for name in names:
        source = staged_media / name
        if is_filesystem(storage):
            target = Path(storage.path(name))
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target)
        else:
            with source.open("rb") as handle:
                saved = storage.save(name, File(handle, name=name))
            if saved != name:
                raise BackupRefused(f"存储把 {name} 存成了 {saved}")
        placed.append(name)
    return placed


def _take_back(storage: Storage, names: list[str]) -> None:
    """Delete the files a failed restore placed, and on the file system the folders it made for them."""
    for name in names:
        with contextlib.suppress(OSError):
            storage.delete(name)
    if not isinstance(storage, FileSystemStorage):
        return
    root = Path(storage.location).resolve()
    folders = {Path(storage.path(name)).parent for name in names}
    # Deepest first, and only folders left empty: anything else there was not ours.
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        while folder != root and root in folder.parents:
            with contextlib.suppress(OSError):
                folder.rmdir()
            folder = folder.parent


def staging_folder(storage: Storage) -> tempfile.TemporaryDirectory[str]:
    """Where an archive is unpacked: beside MEDIA_ROOT for the file system (files then move by renaming)."""
    if isinstance(storage, FileSystemStorage):
        parent = Path(storage.location).parent
        parent.mkdir(parents=True, exist_ok=True)
        return tempfile.TemporaryDirectory(prefix=".keyproj-restore-", dir=parent)
    return tempfile.TemporaryDirectory(prefix="keyproj-restore-")


def restore(path: Path, *, connection: BaseDatabaseWrapper | None = None, storage: Storage | None = None) -> Restored:
    """Restore the archive at `path` into the empty database (the default one) and the storage; what was restored."""
    storage = storage if storage is not None else storages["default"]
    connection = connection if connection is not None else connections[DEFAULT_DB_ALIAS]
    vendor = vendor_of(connection)
    with staging_folder(storage) as folder:
        unpacked = check_archive(path, Path(folder), vendor=vendor)
        _refuse_unless_empty(connection)
        _refuse_clashing_files(storage, unpacked.media)
        # The files first, then the database, which loads all or nothing (pg_restore in one transaction,
        # SQLite by renaming a full copy into place). Should either fail, the files placed are taken back:
        # the database and the media folder are left empty, as they were, and the restore can be run again.
        placed: list[str] = []
        try:
            files = _place_files(storage, Path(folder) / MEDIA.rstrip("/"), unpacked.media, placed)
            _load_database(connection, unpacked.database)
        except BaseException:
            _take_back(storage, placed)
            raise
    with connection.cursor() as cursor:
        rows, _ = _census(cursor, vendor)
    return Restored(vendor=vendor, rows=rows, files=files, manifest=unpacked.manifest)

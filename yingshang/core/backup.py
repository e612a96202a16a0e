"""Backup and restore (``yingshang backup DIR``, ``yingshang restore DIR``): the database and the uploaded files,
with a manifest of every file's size and SHA-256.

PostgreSQL is dumped with ``pg_dump`` in its custom format and restored with ``pg_restore`` onto an empty
database; SQLite is copied with its online backup API. The uploaded files are read from the storage (the folder
``MEDIA_ROOT`` or the object storage's bucket) and written back into it.
A backup is written into ``DIR.partial`` and renamed to ``DIR`` only when whole, so an interrupted one leaves
no directory that looks complete; a restore checks every checksum before it writes anything."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from .progress import Progress

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(Exception):
    """What stops a backup or a restore, in words for the console."""


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _pg_env() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = ["-h", str(db.get("HOST") or "127.0.0.1"), "-p", str(db.get("PORT") or 5432),
            "-U", str(db.get("USER") or "postgres"), "-d", str(db["NAME"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return latest


def backup(target: str | Path, *, say: Callable[[str], None] = print, out=None) -> dict:
    """Write a backup into ``target`` (which must not exist). Returns the manifest."""
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} exists already: choose a new directory.")
    partial = target.with_name(target.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    try:
        vendor = connection.vendor
        say(f"database ({vendor}) …")
        if vendor == "postgresql":
            args, env = _pg_env()
            dump = partial / "database.dump"
            done = subprocess.run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", "-f", str(dump), *args],
                                  env=env, capture_output=True, text=True)
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()[:500]}")
        elif vendor == "sqlite":
            dump = partial / "database.sqlite3"
            source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
            copy = sqlite3.connect(str(dump))
            with copy:
                source.backup(copy)
            copy.close()
            source.close()
        else:
            raise BackupError(f"no backup for a {vendor} database")
        backup_files(partial, out=out)
        say("checksums …")
        entries = {str(p.relative_to(partial)): {"bytes": p.stat().st_size, "sha256": _sha256(p)}
                   for p in sorted(partial.rglob("*")) if p.is_file()}
        manifest = {"format": FORMAT, "made_at": timezone.now().isoformat(timespec="seconds"), "vendor": vendor,
                    "database": dump.name, "migrations": _migrations(), "files": entries}
        (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)  # interrupted or failed: nothing half-made is left
        raise
    say(f"backup written to {target}: {len(entries)} files")
    return manifest


def verify(source: str | Path) -> dict:
    """The manifest of a backup whose every file is present with its size and checksum, or BackupError."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as e:
        raise BackupError(f"{source} has no readable manifest: {e}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError("this backup was written in another format")
    for name, entry in manifest["files"].items():
        path = source / name
        if not path.is_file() or path.stat().st_size != entry["bytes"] or _sha256(path) != entry["sha256"]:
            raise BackupError(f"{name} is missing or damaged (its checksum does not match)")
    return manifest


def stored_files(folder: str = "") -> list[str]:
    """Every uploaded file's name in the storage (the local folder or the object storage's bucket)."""
    try:
        dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{f}" if folder else f for f in sorted(files)]
    for d in sorted(dirs):
        names += stored_files(f"{folder}/{d}" if folder else d)
    return names


def _database_is_empty() -> bool:
    return not [t for t in connection.introspection.table_names() if not t.startswith("sqlite_")]


def backup_files(target: Path, *, out=None) -> list[str]:
    """Every uploaded file, read from the storage into ``target/media/``."""
    files = stored_files()
    with Progress(len(files), "uploaded files", out=out) as p:
        for name in files:
            dest = Path(target) / "media" / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            with default_storage.open(name, "rb") as src, open(dest, "wb") as f:
                shutil.copyfileobj(src, f, 1 << 20)
            p.advance()
    return files


def _incoming(manifest: dict) -> list[str]:
    return [n for n in manifest["files"] if n.startswith("media/")]


def _check_files(manifest: dict) -> None:
    clashes = [n for n in _incoming(manifest) if default_storage.exists(n[len("media/"):])]
    if clashes:
        raise BackupError(f"{len(clashes)} uploaded files are in the storage already (e.g. {clashes[0]})")


def restore_files(source: Path, manifest: dict, *, out=None) -> None:
    """The uploaded files of a verified backup, written into the storage (which must hold none of them)."""
    _check_files(manifest)
    incoming = _incoming(manifest)
    with Progress(len(incoming), "uploaded files", out=out) as p:
        for name in incoming:
            with open(Path(source) / name, "rb") as f:
                saved = default_storage.save(name[len("media/"):], File(f))
            if saved != name[len("media/"):]:
                raise BackupError(f"the storage renamed {name} to {saved}")
            p.advance()


def restore(source: str | Path, *, say: Callable[[str], None] = print, out=None) -> dict:
    """Restore a backup onto the configured database, which must be empty, and its files into the storage
    (which must hold none of them already)."""
    source = Path(source)
    say("checking the backup …")
    manifest = verify(source)
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"the backup is of a {manifest['vendor']} database; this one is {connection.vendor}")
    if not _database_is_empty():
        raise BackupError("the database is not empty: restore onto a new, empty database")
    _check_files(manifest)
    say("database …")
    dump = source / manifest["database"]
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        done = subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--single-transaction", *args, str(dump)],
                              env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise BackupError(f"pg_restore failed: {done.stderr.strip()[:500]}")
    else:
        connection.close()
        backup_db = sqlite3.connect(str(dump))
        live = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
        with live:
            backup_db.backup(live)
        live.close()
        backup_db.close()
    restore_files(source, manifest, out=out)
    connection.close()
    say(f"restored from {source} (made {manifest['made_at']})")
    return manifest

"""Backup and restore from the console, as an operator runs them: the demo world (with uploaded files) backed up,
restored onto a new empty database and an empty files folder, and every table found with the same rows and
every file with the same bytes. A damaged backup, a non-empty database and an existing directory are refused."""

import hashlib
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _env(url: str, media: Path) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(media), "DEBUG": "1"}
    env.pop("PYTEST_CURRENT_TEST", None)
    return env


def _manage(env, *args, check=True):
    done = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=900)
    if check and done.returncode != 0:
        raise AssertionError(f"{args}: {done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return done


def _database(tmp_path, name):
    """A new database: on PostgreSQL (when the tests run on it) one of its own on the same server; else a file."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        db = f"yingshang_backup_{name}_{uuid.uuid4().hex[:8]}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{db}"')
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        return f"postgres://{auth}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{db}", db
    return f"sqlite:///{tmp_path / (name + '.sqlite3')}", None


def _drop(db):
    if db:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def _census(env) -> str:
    """Every table's row count and the sum of its ids, printed by the restored platform itself."""
    code = ("import hashlib\n"
            "from django.apps import apps\n"
            "for m in sorted(apps.get_models(include_auto_created=True), key=lambda m: m._meta.db_table):\n"
            "    qs = m._default_manager.all()\n"
            "    ids = list(qs.values_list('pk', flat=True))\n"
            "    digest = hashlib.sha256(','.join(sorted(map(str, ids))).encode()).hexdigest()\n"
            "    print(m._meta.db_table, len(ids), digest)\n")
    return _manage(env, "shell", "-c", code).stdout


def _files(media: Path) -> dict:
    return {str(p.relative_to(media)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(media.rglob("*")) if p.is_file()}


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_onto_an_empty_database_has_every_record_and_file(tmp_path):
    source_url, source_db = _database(tmp_path, "source")
    target_url, target_db = _database(tmp_path, "target")
    try:
        source = _env(source_url, tmp_path / "media-source")
        _manage(source, "migrate", "--noinput", "-v0")
        _manage(source, "demo", "--quiet-accounts")
        assert _files(tmp_path / "media-source"), "the demo has uploaded files (attachments, open data, reports)"
        before = _census(source)
        assert len(before.splitlines()) > 80 and " 0 " not in next(l for l in before.splitlines()
                                                                  if l.startswith("tickets_ticket "))
        out = _manage(source, "backup", str(tmp_path / "backup")).stdout
        assert "backup written" in out and not (tmp_path / "backup.partial").exists()
        assert _manage(source, "backup", str(tmp_path / "backup"), check=False).returncode != 0  # exists already

        target = _env(target_url, tmp_path / "media-target")
        # onto a database that is not empty: refused, nothing changed
        refused = _manage(source, "restore", str(tmp_path / "backup"), check=False)
        assert refused.returncode != 0 and "not empty" in refused.stderr
        _manage(target, "restore", str(tmp_path / "backup"))
        assert _census(target) == before
        assert _files(tmp_path / "media-target") == _files(tmp_path / "media-source")
        # the restored platform works: its checks pass and the demo accounts log in
        _manage(target, "check")

        # a damaged backup is refused before anything is written
        damaged = tmp_path / "backup"
        victim = next(p for p in sorted((damaged / "media").rglob("*")) if p.is_file())
        victim.write_bytes(victim.read_bytes() + b"x")
        empty_url, empty_db = _database(tmp_path, "empty")
        try:
            result = _manage(_env(empty_url, tmp_path / "media-empty"), "restore", str(damaged), check=False)
            assert result.returncode != 0 and "damaged" in result.stderr
            assert not (tmp_path / "media-empty").exists()
        finally:
            _drop(empty_db)
    finally:
        _drop(source_db)
        _drop(target_db)

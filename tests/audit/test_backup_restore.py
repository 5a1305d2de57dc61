"""Backup round trip on the real PostgreSQL server: seed, encrypted backup, restore into a new database,
same row counts and contents, `migrate --check` clean, and old generations rotated away."""

import os
import shutil
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
KEY_TABLES = [
    "cases_office",
    "cases_user",
    "cases_membership",
    "cases_client",
    "cases_employer",
    "cases_employment",
    "cases_benefitdecision",
    "cases_historicalclient",
]

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _url(dbname: str) -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"])
    return f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{dbname}"


def _fingerprint(url: str) -> dict:
    result = {}
    with psycopg.connect(url) as conn:
        for table in KEY_TABLES:
            count, digest = conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t), '')) FROM {table} t"
            ).fetchone()
            result[table] = (count, digest)
    return result


def test_backup_and_restore_round_trip(tmp_path):
    for tool in ("pg_dump", "pg_restore", "psql", "gpg"):
        assert shutil.which(tool), f"{tool} is needed (apt-get install postgresql-client gnupg)"
    call_command("seed_demo", stdout=StringIO())
    source_url = _url(connection.settings_dict["NAME"])
    restored_db = f"teichaku_restore_{uuid.uuid4().hex[:8]}"
    restored_url = _url(restored_db)
    passphrase = tmp_path / "passphrase"
    passphrase.write_text("a long test passphrase for gpg")
    env = {
        **os.environ,
        "DATABASE_URL": source_url,
        "BACKUP_DIR": str(tmp_path / "backups"),
        "BACKUP_PASSPHRASE_FILE": str(passphrase),
        "BACKUP_KEEP": "2",
        "GNUPGHOME": str(tmp_path / "gnupg"),
    }
    (tmp_path / "gnupg").mkdir(mode=0o700)
    backups = [
        subprocess.run([ROOT / "scripts/backup.sh"], env=env, check=True, capture_output=True, text=True)
        .stdout.strip()
        for _ in range(3)
    ]
    kept = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert kept == sorted(Path(b).name for b in backups[1:])  # rotated: 2 generations kept
    assert not Path(backups[-1]).read_bytes().startswith(b"PGDMP")  # encrypted, not a plain dump

    try:
        subprocess.run(
            [ROOT / "scripts/restore.sh", backups[-1], restored_url], env=env, check=True, capture_output=True
        )
        assert _fingerprint(restored_url) == _fingerprint(source_url)
        assert _fingerprint(restored_url)["cases_client"][0] > 20
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--check"],
            cwd=ROOT,
            env={**env, "DATABASE_URL": restored_url, "DEBUG": "1"},
            capture_output=True,
            text=True,
        )
        assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    finally:
        with psycopg.connect(_url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{restored_db}" WITH (FORCE)')


def test_a_wrong_passphrase_leaves_no_database_behind_and_a_retry_works(tmp_path):
    for tool in ("pg_dump", "pg_restore", "psql", "gpg"):
        assert shutil.which(tool), f"{tool} is needed (apt-get install postgresql-client gnupg)"
    restored_db = f"teichaku_restore_{uuid.uuid4().hex[:8]}"
    passphrase, wrong = tmp_path / "passphrase", tmp_path / "wrong"
    passphrase.write_text("a long test passphrase for gpg")
    wrong.write_text("not the passphrase at all")
    (tmp_path / "gnupg").mkdir(mode=0o700)
    env = {
        **os.environ,
        "DATABASE_URL": _url(connection.settings_dict["NAME"]),
        "BACKUP_DIR": str(tmp_path / "backups"),
        "BACKUP_PASSPHRASE_FILE": str(passphrase),
        "GNUPGHOME": str(tmp_path / "gnupg"),
    }
    backup = subprocess.run(
        [ROOT / "scripts/backup.sh"], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    try:
        failed = subprocess.run(
            [ROOT / "scripts/restore.sh", backup, _url(restored_db)],
            env={**env, "BACKUP_PASSPHRASE_FILE": str(wrong)}, capture_output=True, text=True,
        )
        assert failed.returncode != 0
        assert "removed again" in failed.stderr
        with psycopg.connect(_url("postgres")) as conn:
            assert conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [restored_db]).fetchone() is None
        subprocess.run([ROOT / "scripts/restore.sh", backup, _url(restored_db)], env=env, check=True, capture_output=True)
        assert _fingerprint(_url(restored_db)) == _fingerprint(env["DATABASE_URL"])
    finally:
        with psycopg.connect(_url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{restored_db}" WITH (FORCE)')

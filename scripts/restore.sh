#!/usr/bin/env bash
# Restore an encrypted backup into a NEW database (never over an existing one).
#
#   BACKUP_PASSPHRASE_FILE=/etc/teichaku/backup-passphrase \
#   scripts/restore.sh var/backups/teichaku-….dump.gpg postgres://user@host:5432/teichaku_restored
#
# The database named in the URL is created (it must not exist); then point DATABASE_URL at it and run
# `python manage.py migrate --check`. On any failure (a wrong passphrase, a damaged file) the database this
# run created is dropped again, so a retry under the same name works.
set -euo pipefail
umask 077

backup=${1:?usage: restore.sh BACKUP_FILE TARGET_DATABASE_URL}
target_url=${2:?usage: restore.sh BACKUP_FILE TARGET_DATABASE_URL}

created=""
tmp_passfile=""
cleanup() {
  local status=$?
  [[ -n "$tmp_passfile" ]] && rm -f "$tmp_passfile"
  if [[ $status -ne 0 && -n "$created" ]]; then
    psql "$maintenance_url" -qc "DROP DATABASE IF EXISTS \"$dbname\" WITH (FORCE)" >/dev/null 2>&1 || true
    echo "restore failed: the new database $dbname was removed again" >&2
  fi
  exit $status
}
trap cleanup EXIT

if [[ -n "${BACKUP_PASSPHRASE_FILE:-}" ]]; then
  passfile=$BACKUP_PASSPHRASE_FILE
elif [[ -n "${BACKUP_PASSPHRASE:-}" ]]; then
  tmp_passfile=$(mktemp); passfile=$tmp_passfile
  printf '%s' "$BACKUP_PASSPHRASE" >"$passfile"
else
  echo "set BACKUP_PASSPHRASE_FILE or BACKUP_PASSPHRASE" >&2; exit 2
fi

no_query=${target_url%%\?*}
dbname=${no_query##*/}
maintenance_url="${no_query%/*}/postgres"
if [[ ! "$dbname" =~ ^[A-Za-z0-9_]+$ ]]; then echo "unexpected database name: $dbname" >&2; exit 2; fi

psql "$maintenance_url" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$dbname\""
created=1
gpg --batch --quiet --pinentry-mode loopback --passphrase-file "$passfile" --decrypt "$backup" \
  | pg_restore --no-owner --no-privileges --exit-on-error --dbname "$target_url"
echo "restored $backup into $dbname"

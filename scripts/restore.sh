#!/usr/bin/env bash
# Restore an encrypted backup into a NEW database (never over an existing one).
#
#   BACKUP_PASSPHRASE_FILE=/etc/teichaku/backup-passphrase \
#   scripts/restore.sh var/backups/teichaku-….dump.gpg postgres://user@host:5432/teichaku_restored
#
# The database named in the URL is created (it must not exist); then point DATABASE_URL at it and run
# `python manage.py migrate --check`.
set -euo pipefail
umask 077

backup=${1:?usage: restore.sh BACKUP_FILE TARGET_DATABASE_URL}
target_url=${2:?usage: restore.sh BACKUP_FILE TARGET_DATABASE_URL}

if [[ -n "${BACKUP_PASSPHRASE_FILE:-}" ]]; then
  passfile=$BACKUP_PASSPHRASE_FILE
elif [[ -n "${BACKUP_PASSPHRASE:-}" ]]; then
  passfile=$(mktemp); trap 'rm -f "$passfile"' EXIT
  printf '%s' "$BACKUP_PASSPHRASE" >"$passfile"
else
  echo "set BACKUP_PASSPHRASE_FILE or BACKUP_PASSPHRASE" >&2; exit 2
fi

no_query=${target_url%%\?*}
dbname=${no_query##*/}
maintenance_url="${no_query%/*}/postgres"
if [[ ! "$dbname" =~ ^[A-Za-z0-9_]+$ ]]; then echo "unexpected database name: $dbname" >&2; exit 2; fi

psql "$maintenance_url" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$dbname\""
gpg --batch --quiet --pinentry-mode loopback --passphrase-file "$passfile" --decrypt "$backup" \
  | pg_restore --no-owner --no-privileges --exit-on-error --dbname "$target_url"
echo "restored $backup into $dbname"

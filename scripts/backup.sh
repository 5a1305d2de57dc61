#!/usr/bin/env bash
# Encrypted PostgreSQL backup: pg_dump -Fc | gpg --symmetric (AES256), keeping BACKUP_KEEP generations.
#
#   DATABASE_URL=postgres://user@host:5432/teichaku \
#   BACKUP_DIR=/var/backups/teichaku BACKUP_PASSPHRASE_FILE=/etc/teichaku/backup-passphrase \
#   scripts/backup.sh
#
# BACKUP_PASSPHRASE may be given instead of BACKUP_PASSPHRASE_FILE. Prints the path of the new file.
set -euo pipefail
umask 077

: "${DATABASE_URL:?set DATABASE_URL (postgres://…)}"
BACKUP_DIR=${BACKUP_DIR:-./var/backups}
BACKUP_KEEP=${BACKUP_KEEP:-14}
BACKUP_PREFIX=${BACKUP_PREFIX:-teichaku}

if [[ -n "${BACKUP_PASSPHRASE_FILE:-}" ]]; then
  passfile=$BACKUP_PASSPHRASE_FILE
elif [[ -n "${BACKUP_PASSPHRASE:-}" ]]; then
  passfile=$(mktemp); trap 'rm -f "$passfile"' EXIT
  printf '%s' "$BACKUP_PASSPHRASE" >"$passfile"
else
  echo "set BACKUP_PASSPHRASE_FILE or BACKUP_PASSPHRASE" >&2; exit 2
fi

mkdir -p "$BACKUP_DIR"
stamp=$(date -u +%Y%m%dT%H%M%S%NZ)
target="$BACKUP_DIR/$BACKUP_PREFIX-$stamp.dump.gpg"
partial="$target.partial"

pg_dump --format=custom --no-owner --no-privileges "$DATABASE_URL" \
  | gpg --batch --yes --quiet --pinentry-mode loopback --passphrase-file "$passfile" \
        --symmetric --cipher-algo AES256 --output "$partial"
mv "$partial" "$target"

# rotate: keep the newest BACKUP_KEEP files (names sort by time)
mapfile -t old < <(ls -1 "$BACKUP_DIR"/"$BACKUP_PREFIX"-*.dump.gpg | sort -r | tail -n +"$((BACKUP_KEEP + 1))")
if ((${#old[@]})); then rm -f -- "${old[@]}"; fi

echo "$target"

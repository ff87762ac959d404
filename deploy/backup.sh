#!/usr/bin/env bash
# Back up Forum Desk's PostgreSQL database: deploy/backup.sh [DIRECTORY]
#
# Writes DIRECTORY/forumdesk-<UTC time>.dump (pg_dump's custom format; default directory
# /var/backups/forumdesk, or BACKUP_DIR) and keeps the newest BACKUP_KEEP dumps (default 14).
# The database is DATABASE_URL, taken from the environment or from the file ENV_FILE (default
# /etc/forumdesk/production.env). The reach facts (table reports_reachfact) are derived from the
# attendance and are left out: deploy/restore.sh computes them again. The dump is written under
# a temporary name and renamed once complete, so a dump that is there is whole.
# Run it daily from the scheduler of your choice, e.g. forumdesk-backup.timer (deploy/).
set -euo pipefail

ENV_FILE=${ENV_FILE:-/etc/forumdesk/production.env}
if [ -z "${DATABASE_URL:-}" ] && [ -r "$ENV_FILE" ]; then
  DATABASE_URL=$(sed -n 's/^DATABASE_URL=//p' "$ENV_FILE" | tail -n 1)
fi
case "${DATABASE_URL:-}" in
  postgres://* | postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL must name a PostgreSQL database (postgres://…)." >&2; exit 2 ;;
esac

directory=${1:-${BACKUP_DIR:-/var/backups/forumdesk}}
keep=${BACKUP_KEEP:-14}
case "$keep" in '' | *[!0-9]* | 0) echo "backup.sh: BACKUP_KEEP must be a whole number above 0." >&2; exit 2 ;; esac
mkdir -p "$directory"
umask 077  # the dump holds personal data: readable by its owner only

name="forumdesk-$(date -u +%Y%m%dT%H%M%SZ).dump"
partial="$directory/.$name.partial"
trap 'rm -f "$partial"' EXIT
pg_dump --format=custom --no-owner --no-privileges \
  --exclude-table-data=reports_reachfact \
  --file="$partial" "$DATABASE_URL"
mv "$partial" "$directory/$name"
echo "$directory/$name"

# Keep the newest $keep dumps.
ls -1 "$directory"/forumdesk-*.dump 2>/dev/null | sort -r | tail -n +"$((keep + 1))" | while read -r old; do
  rm -f -- "$old"
done

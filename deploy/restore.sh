#!/usr/bin/env bash
# Restore a dump made by deploy/backup.sh: deploy/restore.sh DUMP
#
# Into DATABASE_URL (the environment, or ENV_FILE as for backup.sh), which must be an empty
# database (createdb it first): the restore refuses to write over tables. Then it brings the
# schema up to this code (`manage.py migrate`, for a dump of an older version) and computes the
# reach facts again (`manage.py reach --rebuild`), which the dump leaves out. Run it from the
# application's checkout with the web server and the workers stopped.
set -euo pipefail
cd "$(dirname "$0")/.."

dump=${1:?usage: deploy/restore.sh DUMP}
[ -r "$dump" ] || { echo "restore.sh: cannot read $dump" >&2; exit 2; }
ENV_FILE=${ENV_FILE:-/etc/forumdesk/production.env}
if [ -z "${DATABASE_URL:-}" ] && [ -r "$ENV_FILE" ]; then
  DATABASE_URL=$(sed -n 's/^DATABASE_URL=//p' "$ENV_FILE" | tail -n 1)
fi
case "${DATABASE_URL:-}" in
  postgres://* | postgresql://*) ;;
  *) echo "restore.sh: DATABASE_URL must name a PostgreSQL database (postgres://…)." >&2; exit 2 ;;
esac
export DATABASE_URL

tables=$(psql "$DATABASE_URL" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != 0 ]; then
  echo "restore.sh: the database already has $tables tables; restore into an empty one." >&2
  exit 2
fi

python=${PYTHON:-.venv/bin/python}
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$dump"
"$python" manage.py migrate --noinput
"$python" manage.py reach --rebuild

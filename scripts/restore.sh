#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into a NEW (or empty) PostgreSQL database, all or nothing.
#
#   scripts/restore.sh BACKUP.dump TARGET_DATABASE_URL
#
# The target database is created when missing; the script refuses a database that already has tables
# (restore into a new one, check it, then point DATABASE_URL at it). pg_restore runs in a single
# transaction and stops at the first error: a failed restore leaves the target empty. When the backup has
# a media archive beside it (<name>.media.tar.gz), it is unpacked into MEDIA_DIR ($GUICHET_VAR_DIR/media).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -ne 2 ] || [ ! -f "$1" ]; then
  echo "Usage : scripts/restore.sh sauvegarde.dump postgres://utilisateur@hôte:5432/nouvelle_base" >&2
  exit 2
fi
dump=$1
url=postgresql://${2#*://}
database=${url##*/}
database=${database%%\?*}
admin_url=${url%/*}/postgres

pg_restore --list "$dump" >/dev/null || { echo "Le fichier $dump n'est pas une sauvegarde lisible." >&2; exit 1; }
exists=$(psql "$admin_url" -XtAc "SELECT 1 FROM pg_database WHERE datname = '${database//\'/\'\'}'")
if [ "$exists" != 1 ]; then
  psql "$admin_url" -Xqc "CREATE DATABASE \"${database//\"/\"\"}\""
elif [ "$(psql "$url" -XtAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" != 0 ]; then
  echo "La base $database contient déjà des tables : restaurez dans une base neuve." >&2
  exit 1
fi
pg_restore --no-owner --no-privileges --single-transaction --exit-on-error --dbname="$url" "$dump"
psql "$url" -Xqc "ANALYZE"
echo "Base restaurée : $database ($(psql "$url" -XtAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") tables)"

archive="${dump%.dump}.media.tar.gz"
if [ -f "$archive" ]; then
  media=${MEDIA_DIR:-${GUICHET_VAR_DIR:-var}/media}
  mkdir -p "$media"
  tar -C "$media" -xzf "$archive"
  echo "Fichiers déposés restaurés dans $media"
fi

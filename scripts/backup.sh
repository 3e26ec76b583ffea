#!/usr/bin/env bash
# Back up the Guichet's PostgreSQL database (pg_dump custom format: compressed, restorable table by table)
# and its uploaded files (the media folder: support attachments).
#
#   scripts/backup.sh [DATABASE_URL] [OUTPUT.dump]
#
# DATABASE_URL defaults to the environment's; OUTPUT defaults to $GUICHET_VAR_DIR/backups/guichet-<UTC time>.dump
# (var/ by default). The media folder, when it holds files, goes beside it as <OUTPUT without .dump>.media.tar.gz.
# The dump is checked (pg_restore --list) before the script says it is done. Restore with scripts/restore.sh.
# Schedule it (cron or a systemd timer) and copy the files to another machine: see docs/operations.md.
set -euo pipefail
cd "$(dirname "$0")/.."

url=${1:-${DATABASE_URL:-}}
case "$url" in
  postgres://* | postgresql://*) ;;
  *) echo "Usage : scripts/backup.sh postgres://utilisateur@hôte:5432/base [fichier.dump] (ou DATABASE_URL)" >&2; exit 2 ;;
esac
url=postgresql://${url#*://} # libpq's spelling
var_dir=${GUICHET_VAR_DIR:-var}
output=${2:-$var_dir/backups/guichet-$(date -u +%Y%m%dT%H%M%SZ).dump}
mkdir -p "$(dirname "$output")"

# Written under a temporary name, renamed once complete and readable: a failed backup never looks whole.
partial="$output.partial"
trap 'rm -f "$partial" "$partial.tar.gz"' EXIT
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$partial" "$url"
pg_restore --list "$partial" >/dev/null
mv "$partial" "$output"
echo "Base sauvegardée : $output ($(du -h "$output" | cut -f1))"

media=${MEDIA_DIR:-$var_dir/media}
if [ -d "$media" ] && [ -n "$(find "$media" -type f -print -quit)" ]; then
  archive="${output%.dump}.media.tar.gz"
  tar -C "$media" -czf "$partial.tar.gz" .
  mv "$partial.tar.gz" "$archive"
  echo "Fichiers déposés sauvegardés : $archive ($(du -h "$archive" | cut -f1))"
fi

#!/usr/bin/env bash
# Initialise the metastore schema exactly once. Probe: the VERSION table in the metastore database.
#  - VERSION present: print the schema version and do nothing (upgrades are explicit, after a backup);
#  - no VERSION but other metastore tables (DBS, TBLS): a half-initialised schema; refuse;
#  - empty database: `schematool -dbType postgres -initSchema` (credentials come from hive-site.xml).
# A failed connection stops the script: it never treats "cannot connect" as "no schema".
# Usage: metastore-schema.sh <hive-home> <hadoop-home> <java-home> <conf-dir> <user> <pg-host> <pg-port> <db> <db-user>
#   (stdin: the database password)
set -euo pipefail
hive_home="$1"; hadoop_home="$2"; java="$3"; conf="$4"; user="$5"; host="$6"; port="$7"; db="$8"; dbuser="$9"
IFS= read -r PGPASSWORD || true
[ -n "$PGPASSWORD" ] || { echo "no password on stdin" >&2; exit 2; }
export PGPASSWORD
q() { psql -X -h "$host" -p "$port" -U "$dbuser" -d "$db" -v ON_ERROR_STOP=1 -tAc "$1"; }
has_version=$(q "SELECT to_regclass('public.\"VERSION\"') IS NOT NULL")
if [ "$has_version" = t ]; then
  echo "metastore schema present (version $(q 'SELECT "SCHEMA_VERSION" FROM "VERSION"')); not initialising"
  exit 0
fi
has_tables=$(q "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('DBS','TBLS','SDS')")
if [ "$has_tables" != 0 ]; then
  echo "refusing: database $db has metastore tables but no VERSION table (a half-initialised schema); inspect it, restore a backup, or drop it explicitly" >&2
  exit 1
fi
unset PGPASSWORD
runuser -u "$user" -- env JAVA_HOME="$java" HADOOP_HOME="$hadoop_home" METASTORE_CONF_DIR="$conf" HIVE_CONF_DIR="$conf" \
  "$hive_home/bin/schematool" -dbType postgres -initSchema
echo "metastore schema initialised"

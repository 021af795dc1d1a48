#!/usr/bin/env bash
# Initialise the metastore schema exactly once. Probe: the VERSION table in the metastore database.
#  - VERSION present: print the schema version and do nothing (upgrades are explicit, after a backup);
#  - no VERSION but other metastore tables (DBS, TBLS): a half-initialised schema; refuse;
#  - empty database: `schematool -dbType postgres -initSchema` (credentials come from hive-site.xml).
# A failed connection stops the script: it never treats "cannot connect" as "no schema".
# Usage: metastore-schema.sh <hive-home> <hadoop-home> <java-home> <conf-dir> <user> <pg-host> <pg-port> <db> <db-user>
#          <pg-sslmode: verify-full|disable> <pg-sslrootcert>   (stdin: the database password)
set -euo pipefail
# @prelude
# @params
case "$sslmode" in verify-full | disable) ;; *) echo "metastore-schema.sh: pg-sslmode must be verify-full or disable, not $sslmode" >&2; exit 2 ;; esac
# psql's own check runs over the same kind of connection as the metastore's JDBC URL: encrypted, and the server
# verified against the cluster CA (its address in its certificate).
export PGSSLMODE="$sslmode" PGSSLROOTCERT="$sslrootcert"
IFS= read -r password || true
[ -n "$password" ] || { echo "metastore-schema.sh: no password on stdin" >&2; exit 2; }
# psql finds the password in a private password file (0600, in a 0700 dir, removed on exit), never on a command
# line or in its environment (PostgreSQL's docs advise against PGPASSWORD: `ps` shows environments on some
# systems). printf is a builtin, so the password is no process's argv either.
pgdir=$(mktemp -d)
trap 'rm -rf -- "$pgdir"' EXIT
pgesc() { local v="${1//\\/\\\\}"; printf '%s' "${v//:/\\:}"; }
(umask 077 && printf '*:*:*:%s:%s\n' "$(pgesc "$db_user")" "$(pgesc "$password")" >"$pgdir/pgpass")
unset password
export PGPASSFILE="$pgdir/pgpass"
q() { psql -X -w -h "$pg_host" -p "$pg_port" -U "$db_user" -d "$db" -v ON_ERROR_STOP=1 -tAc "$1"; }
has_version=$(q "SELECT to_regclass('public.\"VERSION\"') IS NOT NULL") \
  || { echo "metastore-schema.sh: cannot query database $db on $pg_host:$pg_port as $db_user (psql's error is above)" >&2; exit 1; }
if [ "$has_version" = t ]; then
  echo "metastore schema present (version $(q 'SELECT "SCHEMA_VERSION" FROM "VERSION"')); not initialising"
  exit 0
fi
has_tables=$(q "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('DBS','TBLS','SDS')") \
  || { echo "metastore-schema.sh: cannot list the tables of database $db (psql's error is above)" >&2; exit 1; }
if [ "$has_tables" != 0 ]; then
  echo "refusing: database $db has metastore tables but no VERSION table (a half-initialised schema); inspect it, restore a backup, or drop it explicitly" >&2
  exit 1
fi
rm -rf -- "$pgdir"; unset PGPASSFILE
runuser -u "$user" -- env JAVA_HOME="$java_home" HADOOP_HOME="$hadoop_home" METASTORE_CONF_DIR="$conf_dir" HIVE_CONF_DIR="$conf_dir" \
  "$hive_home/bin/schematool" -dbType postgres -initSchema \
  || { echo "metastore-schema.sh: schematool -initSchema failed (its output is above)" >&2; exit 1; }
echo "metastore schema initialised"

#!/usr/bin/env bash
# Cross-engine smoke test of the lakehouse, run on one node after every service is healthy:
#   1. Trino creates an Iceberg schema under the Iceberg warehouse dir, a table, and inserts rows;
#   2. Spark reads those rows through the metastore;
#   3. Spark writes a Delta table under the Delta warehouse dir;
#   4. Trino's delta catalog reads it;
#   5. Flink's Hive catalog lists the schema and the table (when Flink has its Hive connector);
# then drops everything it made (always, also after a failure). Engines that are switched off are skipped.
# Prints one JSON line: {"status":"passed"|"failed","failedStep":...,"detail":...,"steps":[...]}; exits 0 either
# way (the result is the stack output `smokeTest`), 2 on bad arguments. Its one secret (Trino's password) comes on stdin.
# Usage: smoke-test.sh <schema> <trino-url|-> <iceberg-dir> <delta-dir> <iceberg-catalog> \
#          <spark-home|-> <spark-conf> <spark-java-home> <spark-user> \
#          <flink-home|-> <flink-conf> <flink-java-home> <flink-user> <flink-hive-conf> \
#          <hadoop-home> <hadoop-conf> <hdfs-java-home> <warehouse-owner> <run-id> <trino-ca|-> \
#          <spark-keytab|-> <flink-keytab|-> <hdfs-login|->
#   stdin: Trino's user:password (an empty line without password authentication).
#   run-id: the stack's smokeTest.run; a new value makes `pulumi up` run the test again.
#   With Kerberos: the Spark and Flink clients log in from their users' keytabs on this node, and the HDFS
#   clean-up as <hdfs-login> (user:keytab, an engine whose principal maps to the warehouse owner); "-": no Kerberos.
set -euo pipefail
# @prelude
# @params
[[ "$schema" =~ ^[a-z][a-z0-9_]{0,40}$ ]] || { echo "smoke-test.sh: bad schema name" >&2; exit 2; }

work=$(mktemp -d /tmp/lakehouse-smoke.XXXXXX)
trap 'rm -rf -- "$work"' EXIT # it holds Trino's credentials: gone however the test ends
chmod 0755 -- "$work"
steps=()
failed=""
detail=""

# Trino's credentials (one line user:password on stdin, empty without password authentication): into a file of
# root's in the work dir, never on a command line.
creds="$work/trino.cred"
(umask 077 && { IFS= read -r line || true; printf '%s\n' "${line:-}"; } >"$creds")
unset line

# A Trino statement over its HTTP protocol (POST /v1/statement, follow nextUri); prints the rows as JSON. With
# credentials, over HTTPS verified against <trino_ca>, logged in with them.
cat >"$work/trino.py" <<'PY'
import base64, json, ssl, sys, urllib.error, urllib.request
url, ca, creds, sql = sys.argv[1], sys.argv[2], sys.argv[3], sys.stdin.read()
headers = {"X-Trino-User": "lakehouse-smoke"}
with open(creds, encoding="utf-8") as f:
    user, _, password = f.readline().rstrip("\n").partition(":")
if user:
    headers = {"X-Trino-User": user, "Authorization": "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()}
context = ssl.create_default_context(cafile=ca) if ca != "-" else None
def call(req):
    try:
        return json.load(urllib.request.urlopen(req, timeout=120, context=context))
    except urllib.error.HTTPError as e:  # the status only: a body could echo what was sent
        sys.exit("trino: HTTP %d" % e.code)
r = call(urllib.request.Request(url + "/v1/statement", data=sql.encode(), headers=headers))
rows = []
while True:
    if "error" in r:
        sys.exit("trino: " + r["error"].get("message", "query failed"))
    rows += r.get("data", [])
    if "nextUri" not in r:
        break
    r = call(urllib.request.Request(r["nextUri"], headers=headers))
print(json.dumps(rows))
PY
q() { python3 "$work/trino.py" "$trino_url" "$trino_ca" "$creds" <<<"$1"; }
# With Kerberos: a ticket cache of each client user's own in the work dir (gone when the test ends), from the
# first principal of its keytab; the clients below name it in KRB5CCNAME.
cache_of() { printf '%s\n' "$work/krb5-$1/cc"; }
login() { # user keytab
  local principal
  install -d -m 0700 -o "$1" -- "$work/krb5-$1"
  principal=$(runuser -u "$1" -- klist -k -- "$2" | awk 'NR > 3 { print $2; exit }')
  [ -n "$principal" ] && runuser -u "$1" -- env KRB5CCNAME="$(cache_of "$1")" kinit -k -t "$2" -- "$principal"
}
spark_cc=""; flink_cc=""
[ "$spark_keytab" = - ] || spark_cc=$(cache_of "$spark_user")
[ "$flink_keytab" = - ] || flink_cc=$(cache_of "$flink_user")
spark_sql() {
  (cd "$work" && runuser -u "$spark_user" -- env ${spark_cc:+KRB5CCNAME="$spark_cc"} JAVA_HOME="$spark_java_home" SPARK_CONF_DIR="$spark_conf" \
    "$spark_home/bin/spark-sql" --conf spark.executor.memory=512m --conf spark.cores.max=1 -S -e "$1" 2>"$work/spark.err")
}
hdfs_as_owner() {
  if [ "$hdfs_login" = - ]; then
    hadoop_as "$owner" "$hdfs_java_home" "$hadoop_home" "$hadoop_conf" "$hadoop_home/bin/hdfs" "$@"
  else
    KRB5CCNAME=$(cache_of "${hdfs_login%%:*}") hadoop_as "${hdfs_login%%:*}" "$hdfs_java_home" "$hadoop_home" "$hadoop_conf" "$hadoop_home/bin/hdfs" "$@"
  fi
}

ice_loc="$iceberg_dir/$schema"
delta_loc="$delta_dir/${schema}_delta"

step_trino_write() {
  q "CREATE SCHEMA iceberg.$schema WITH (location = '$ice_loc')" >/dev/null || return 1
  q "CREATE TABLE iceberg.$schema.events (id bigint, engine varchar)" >/dev/null || return 1
  q "INSERT INTO iceberg.$schema.events VALUES (1, 'trino'), (2, 'trino'), (3, 'trino')" >/dev/null || return 1
}
step_spark_read() {
  local out
  out=$(spark_sql "SELECT concat('rows=', count(*), ',sum=', sum(id)) FROM $iceberg_catalog.$schema.events") || true
  grep -qx -e 'rows=3,sum=6' <<<"$out" || { echo "Spark read: ${out:-nothing}; $(tail -n 3 -- "$work/spark.err")"; return 1; }
}
step_spark_delta() {
  spark_sql "CREATE TABLE default.${schema}_delta (id bigint) USING delta LOCATION '$delta_loc'; INSERT INTO default.${schema}_delta VALUES (40), (2)" >/dev/null \
    || { tail -n 5 -- "$work/spark.err"; return 1; }
}
step_trino_delta() {
  local out
  out=$(q "SELECT sum(id) FROM delta.default.${schema}_delta") || { echo "$out"; return 1; }
  [ "$out" = "[[42]]" ] || { echo "Trino read of the Delta table: $out"; return 1; }
}
step_flink_catalog() {
  cat >"$work/flink.sql" <<SQL
CREATE CATALOG smoke_hive WITH ('type'='hive', 'hive-conf-dir'='$flink_hive_conf');
USE CATALOG smoke_hive;
SHOW DATABASES;
USE $schema;
SHOW TABLES;
SQL
  local out
  out=$(cd "$work" && runuser -u "$flink_user" -- env ${flink_cc:+KRB5CCNAME="$flink_cc"} JAVA_HOME="$flink_java_home" FLINK_CONF_DIR="$flink_conf" \
    HADOOP_CONF_DIR="$hadoop_conf" HADOOP_CLASSPATH="$(JAVA_HOME="$hdfs_java_home" "$hadoop_home/bin/hadoop" classpath)" \
    "$flink_home/bin/sql-client.sh" -f "$work/flink.sql" 2>&1) || { echo "sql-client: $(tail -n 5 <<<"$out")"; return 1; }
  if ! grep -q -e "| *$schema *|" <<<"$out" || ! grep -q -e "| *events *|" <<<"$out"; then
    echo "Flink's Hive catalog does not list $schema.events: $(grep -E -e '^\|' <<<"$out" | tr '\n' ' ' | cut -c1-400)"
    return 1
  fi
}
cleanup() {
  if [ "$trino_url" != - ]; then
    q "DROP TABLE IF EXISTS iceberg.$schema.events" >/dev/null 2>&1 || true
    q "DROP SCHEMA IF EXISTS iceberg.$schema" >/dev/null 2>&1 || true
  fi
  if [ "$spark_home" != - ]; then spark_sql "DROP TABLE IF EXISTS default.${schema}_delta" >/dev/null 2>&1 || true; fi
  hdfs_as_owner dfs -rm -r -f -skipTrash "$ice_loc" "$delta_loc" >/dev/null 2>&1 || true
}

run() { # name function [skip-reason]
  local t0=$SECONDS out
  if [ -n "$failed" ]; then steps+=("{\"step\":\"$1\",\"result\":\"not run\"}"); return; fi
  if [ -n "${3:-}" ]; then steps+=("{\"step\":\"$1\",\"result\":\"skipped: $3\"}"); return; fi
  if out=$("$2" 2>&1); then
    steps+=("{\"step\":\"$1\",\"result\":\"ok\",\"seconds\":$((SECONDS - t0))}")
  else
    failed="$1"
    # JSON-safe: no control characters, quotes or backslashes.
    detail=$(tr '\n' ' ' <<<"$out" | tr -d '\000-\037"' | tr -d '\134' | cut -c1-600)
    steps+=("{\"step\":\"$1\",\"result\":\"failed\",\"seconds\":$((SECONDS - t0))}")
  fi
}

no_trino=""; no_spark=""; no_flink=""
[ "$trino_url" != - ] || no_trino="Trino is switched off"
[ "$spark_home" != - ] || no_spark="Spark is switched off"
[ "$flink_home" != - ] || no_flink="Flink or its Hive connector is switched off"
# Kerberos logins first: without them nothing below can work, and the report says so.
for login_of in "$spark_user:$spark_keytab" "$flink_user:$flink_keytab" "$hdfs_login"; do
  if [ "$login_of" = - ] || [ "${login_of#*:}" = - ] || [ -e "$(cache_of "${login_of%%:*}")" ]; then continue; fi
  if ! login "${login_of%%:*}" "${login_of#*:}" >"$work/kinit.err" 2>&1; then
    failed=kerberos-login
    detail="kinit of ${login_of%%:*} from ${login_of#*:} failed: $(tr '\n' ' ' <"$work/kinit.err" | tr -d '\000-\037"' | tr -d '\134' | cut -c1-300)"
    steps+=("{\"step\":\"kerberos-login\",\"result\":\"failed\"}")
    break
  fi
done
[ -n "$failed" ] || cleanup # leftovers of an interrupted earlier run
run trino-writes-iceberg step_trino_write "$no_trino"
run spark-reads-iceberg step_spark_read "${no_trino:-$no_spark}"
run spark-writes-delta step_spark_delta "$no_spark"
run trino-reads-delta step_trino_delta "${no_spark:-$no_trino}"
run flink-lists-hive-catalog step_flink_catalog "${no_trino:-$no_flink}"
[ "$failed" = kerberos-login ] || cleanup
rm -rf -- "$work"

status=passed
[ -z "$failed" ] || status=failed
printf '{"run":"%s","status":"%s","failedStep":%s,"detail":"%s","steps":[%s]}\n' "$run_id" "$status" \
  "$([ -n "$failed" ] && echo "\"$failed\"" || echo null)" "$detail" "$(IFS=,; echo "${steps[*]}")"

# Spark's part of the smoke test (components/scripts/smoke-test.sh puts it in at its `# @parts` line): Spark reads
# the Iceberg rows Trino wrote (through the metastore) and writes the Delta table Trino reads.
# Parameters (services/spark/scripts.ts): spark_home ("-": Spark is switched off or not on this node),
# spark_conf, spark_java_home, spark_user, spark_keytab ("-": no Kerberos), iceberg_catalog.

spark_cc=""
[ "$spark_keytab" = - ] || spark_cc=$(cache_of "$spark_user")
smoke_login "$spark_user:$spark_keytab"
spark_sql() {
  (cd "$work" && runuser -u "$spark_user" -- env ${spark_cc:+KRB5CCNAME="$spark_cc"} JAVA_HOME="$spark_java_home" SPARK_CONF_DIR="$spark_conf" \
    "$spark_home/bin/spark-sql" --conf spark.executor.memory=512m --conf spark.cores.max=1 -S -e "$1" 2>"$work/spark.err")
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
spark_cleanup() {
  if [ "$spark_home" != - ]; then spark_sql "DROP TABLE IF EXISTS default.${schema}_delta" >/dev/null 2>&1 || true; fi
}

[ "$spark_home" != - ] || smoke_off spark "Spark is switched off"
# Trino's rows (trino-writes-iceberg): without Trino, that is the reason it is skipped.
smoke_step 20 spark-reads-iceberg step_spark_read trino spark
smoke_step 30 spark-writes-delta step_spark_delta spark
smoke_cleanup spark_cleanup

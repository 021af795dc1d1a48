# Flink's part of the smoke test (components/scripts/smoke-test.sh puts it in at its `# @parts` line): Flink's
# Hive catalog lists the schema and the table Trino made. Its SQL client runs with the node's Hadoop client
# (the HDFS part's hadoop_home, hadoop_conf and hdfs_java_home).
# Parameters (services/flink/scripts.ts): flink_home ("-": Flink or its Hive connector is switched off, or Flink
# is not on this node), flink_conf, flink_java_home, flink_user, flink_keytab ("-": no Kerberos), flink_hive_conf.

flink_cc=""
[ "$flink_keytab" = - ] || flink_cc=$(cache_of "$flink_user")
smoke_login "$flink_user:$flink_keytab"

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

[ "$flink_home" != - ] || smoke_off flink "Flink or its Hive connector is switched off"
# Trino's schema and table (trino-writes-iceberg): without Trino, that is the reason it is skipped.
smoke_step 50 flink-lists-hive-catalog step_flink_catalog trino flink

#!/usr/bin/env bash
# The HDFS delegation token of the Spark executors on this node, with Kerberos. Spark's standalone mode hands its
# executors no tokens (only YARN and Kubernetes have a token manager) and runs each executor as a plain user
# of its name, so an executor's HDFS client has no Kerberos login of its own: it reads this node's token file
# (HADOOP_TOKEN_FILE_LOCATION, set in the worker's unit and inherited by the executors it starts).
# Run as the spark user before the worker starts (ExecStartPre) and by spark-hdfs-token.timer: it renews the
# token in place while the NameNode still renews it (executors that already hold it keep working), and fetches
# a new one once the token is past its maximum lifetime (dfs.namenode.delegation.token.max-lifetime, 7 days by
# default). The NameNode lets a token lapse a day after its last renewal (renew-interval): the timer runs well inside that.
# Environment (from the unit, none of it secret): SPARK_KEYTAB, SPARK_PRINCIPAL, HADOOP_TOKEN_FILE_LOCATION,
# HADOOP_HOME, HADOOP_CONF_DIR, HDFS_JAVA_HOME (the JDK of the hdfs command; the worker's JAVA_HOME is Spark's).
set -euo pipefail
: "${SPARK_KEYTAB:?}" "${SPARK_PRINCIPAL:?}" "${HADOOP_TOKEN_FILE_LOCATION:?}" "${HADOOP_HOME:?}" "${HDFS_JAVA_HOME:?}"
export JAVA_HOME=$HDFS_JAVA_HOME
token=$HADOOP_TOKEN_FILE_LOCATION
# The hdfs command must not read the token file it is about to replace: it logs in with the ticket below.
unset HADOOP_TOKEN_FILE_LOCATION
umask 077
KRB5CCNAME=$(mktemp "${token}.krb5cc.XXXXXX")
export KRB5CCNAME
trap 'rm -f -- "$KRB5CCNAME" "$token.new" "$token.new.log"' EXIT
kinit -k -t "$SPARK_KEYTAB" -- "$SPARK_PRINCIPAL"
if [ -s "$token" ] && "$HADOOP_HOME/bin/hdfs" fetchdt --renew "$token" >/dev/null 2>&1; then
  echo "renewed the HDFS token in $token"
  exit 0
fi
# The renewer is this principal (the NameNode maps it as it maps the caller), so this script can renew it later.
# A NameNode in safe mode (just restarted, waiting for block reports) issues none: retries for about a minute
# (systemd gives ExecStartPre 90 s).
for try in 1 2 3 4 5 6 7 8; do
  if "$HADOOP_HOME/bin/hdfs" fetchdt --renewer "$SPARK_PRINCIPAL" "$token.new" >"$token.new.log" 2>&1; then break; fi
  if [ "$try" = 8 ]; then
    tail -n 5 -- "$token.new.log" >&2
    exit 1
  fi
  sleep 5
done
rm -f -- "$token.new.log"
# Hadoop writes it 0644 whatever the umask, in a directory the service group may enter: the spark user's alone.
chmod 0600 -- "$token.new"
mv -f -- "$token.new" "$token"
echo "fetched a new HDFS token into $token"

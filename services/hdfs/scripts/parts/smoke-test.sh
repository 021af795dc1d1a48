# HDFS's part of the smoke test (components/scripts/smoke-test.sh puts it in at its `# @parts` line): its
# clean-up removes the warehouse dirs the steps wrote, as the warehouse owner.
# Parameters (services/hdfs/scripts.ts): hadoop_home, hadoop_conf, hdfs_java_home (the node's Hadoop client),
# owner (the warehouse owner), hdfs_login (with Kerberos, <user>:<keytab> of a user whose principal acts on HDFS
# as the owner; "-": no Kerberos).

smoke_login "$hdfs_login"
hdfs_as_owner() {
  if [ "$hdfs_login" = - ]; then
    hadoop_as "$owner" "$hdfs_java_home" "$hadoop_home" "$hadoop_conf" "$hadoop_home/bin/hdfs" "$@"
  else
    KRB5CCNAME=$(cache_of "${hdfs_login%%:*}") hadoop_as "${hdfs_login%%:*}" "$hdfs_java_home" "$hadoop_home" "$hadoop_conf" "$hadoop_home/bin/hdfs" "$@"
  fi
}
hdfs_cleanup() { hdfs_as_owner dfs -rm -r -f -skipTrash "$ice_loc" "$delta_loc" >/dev/null 2>&1 || true; }

smoke_cleanup hdfs_cleanup

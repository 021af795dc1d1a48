#!/usr/bin/env bash
# Create the warehouse directories on HDFS once HDFS is up, owned by the warehouse owner and the service group
# so that every engine can write. Idempotent (mkdir -p, chown, chmod).
# Usage: hdfs-warehouse.sh <hadoop-home> <conf-dir> <java-home> <hdfs-user> <owner> <group> <dir>...
set -euo pipefail
home="$1"; conf="$2"; java="$3"; hdfs_user="$4"; owner="$5"; group="$6"; shift 6
hdfs() { runuser -u "$hdfs_user" -- env JAVA_HOME="$java" HADOOP_CONF_DIR="$conf" HADOOP_HOME="$home" "$home/bin/hdfs" "$@"; }
hdfs dfsadmin -safemode wait
hdfs dfs -mkdir -p "$@" /tmp
hdfs dfs -chmod 1777 /tmp
hdfs dfs -chown "$owner:$group" "$@"
hdfs dfs -chmod 0775 "$@"
hdfs dfs -ls -d "$@"

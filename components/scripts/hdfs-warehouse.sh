#!/usr/bin/env bash
# Create the warehouse directories on HDFS once HDFS is up, owned by the warehouse owner and the service group
# so that every engine can write. Idempotent (mkdir -p, chown, chmod).
# Usage: hdfs-warehouse.sh <hadoop-home> <conf-dir> <java-home> <hdfs-user> <owner> <group> <dir>...
set -euo pipefail
set -E # the ERR trap is inherited by functions: a failed step names its line and command (text, never values)
on_error() { local rc=$?; [ "$BASH_SUBSHELL" -gt 0 ] || echo "hdfs-warehouse.sh: failed (exit $rc) at line $1: $2" >&2; }
trap 'on_error "$LINENO" "$BASH_COMMAND"' ERR
home="$1"; conf="$2"; java="$3"; hdfs_user="$4"; owner="$5"; group="$6"; shift 6
hdfs() { runuser -u "$hdfs_user" -- env JAVA_HOME="$java" HADOOP_CONF_DIR="$conf" HADOOP_HOME="$home" "$home/bin/hdfs" "$@"; }
hdfs dfsadmin -safemode wait || { echo "hdfs-warehouse.sh: HDFS did not leave safe mode (dfsadmin -safemode wait failed)" >&2; exit 1; }
hdfs dfs -mkdir -p "$@" /tmp
hdfs dfs -chmod 1777 /tmp
hdfs dfs -chown "$owner:$group" "$@"
hdfs dfs -chmod 0775 "$@"
hdfs dfs -ls -d "$@"

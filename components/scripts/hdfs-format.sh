#!/usr/bin/env bash
# Format the NameNode exactly once (the guard Ambari's hdfs_namenode.py uses, made stricter):
#  - every name dir has current/VERSION and an fsimage: already formatted, do nothing;
#  - VERSION without any fsimage_*: corrupt metadata, stop and let a human look;
#  - some dirs formatted, others not, or an unformatted dir that is not empty: refuse;
#  - all dirs empty or absent: `hdfs namenode -format -nonInteractive -clusterid <id>` (never -force).
# Usage: hdfs-format.sh <hadoop-home> <conf-dir> <java-home> <user> <group> <cluster-id> <name-dir>...
set -euo pipefail
home="$1"; conf="$2"; java="$3"; user="$4"; group="$5"; cid="$6"; shift 6
formatted=0; empty=0
for d in "$@"; do
  if [ -f "$d/current/VERSION" ]; then
    if ! compgen -G "$d/current/fsimage_*" >/dev/null; then
      echo "refusing: $d/current/VERSION exists but there is no fsimage_* beside it: the NameNode metadata looks corrupt; restore it from a backup or another name dir" >&2
      exit 1
    fi
    formatted=$((formatted + 1))
  elif [ -d "$d" ] && [ -n "$(ls -A "$d" 2>/dev/null)" ]; then
    echo "refusing to format: $d is not empty but holds no NameNode metadata (current/VERSION); move its content away or fix dfs.namenode.name.dir" >&2
    exit 1
  elif [ -e "$d" ] && [ ! -r "$d" ]; then
    echo "refusing to format: $d is not readable" >&2
    exit 1
  else
    empty=$((empty + 1))
  fi
done
if [ "$formatted" -gt 0 ] && [ "$empty" -gt 0 ]; then
  echo "refusing to format: $formatted name dir(s) already hold metadata and $empty are empty; the NameNode copies metadata into new dirs itself, never format over them" >&2
  exit 1
fi
if [ "$formatted" -gt 0 ]; then
  existing=$(grep -E '^clusterID=' "$1/current/VERSION" | cut -d= -f2)
  echo "already formatted (clusterID=$existing); not formatting"
  exit 0
fi
for d in "$@"; do install -d -m 0700 -o "$user" -g "$group" "$d"; done
runuser -u "$user" -- env JAVA_HOME="$java" HADOOP_CONF_DIR="$conf" HADOOP_HOME="$home" \
  "$home/bin/hdfs" namenode -format -nonInteractive -clusterid "$cid"
test -f "$1/current/VERSION"
echo "formatted (clusterID=$cid)"

#!/usr/bin/env bash
# Format the NameNode exactly once. Fail-safe, as Apache Ambari's hdfs_namenode.py (is_namenode_formatted): when in
# doubt it does not format. Two guards, either of which stops a format:
#  - a marker OUTSIDE the name dirs, /var/lib/lakehouse-iac/hdfs-formatted (it holds the clusterID), written
#    after the format succeeded (or on the first run that finds formatted name dirs): while it exists, this
#    NameNode is formatted whatever its name dirs look like now. Name dirs that are missing, empty or unreadable
#    then mean an unmounted disk or lost metadata: refuse and let a human look. An unreadable marker counts too.
#  - the name dirs themselves (the guard Ambari uses, made stricter):
#    - every name dir has current/VERSION and an fsimage: already formatted, do nothing;
#    - VERSION without any fsimage_*: corrupt metadata, stop and let a human look;
#    - some dirs formatted, others not, an unformatted dir that is not empty, or one that cannot be read: refuse;
#    - all dirs empty or absent (and no marker): `hdfs namenode -format -nonInteractive -clusterid <id>` (never
#      -force). The empty membership files hdfs-site.xml names (dfs.hosts, dfs.hosts.exclude) are created first
#      when absent (the NameNode reads them even to format; hdfs-membership.sh fills them later). The format's
#      own output goes to /var/log/lakehouse/<user>/namenode-format.log; only its last lines are printed, on failure.
# Usage: hdfs-format.sh <hadoop-home> <conf-dir> <java-home> <user> <group> <cluster-id> <name-dir>...
set -euo pipefail
# @prelude
# @params
state=/var/lib/lakehouse-iac
marker="$state/hdfs-formatted"
log_dir="/var/log/lakehouse/$user"
log="$log_dir/namenode-format.log"
refuse() { echo "refusing to format: $*" >&2; exit 1; }

# The marker: present (even unreadable, or not a regular file) means formatted.
marked=""
if [ -e "$marker" ] || [ -L "$marker" ]; then
  marked=$(head -n 1 -- "$marker" 2>/dev/null || true)
  [ -n "$marked" ] || marked="unknown, $marker is unreadable or empty"
fi

formatted=0; empty=0
for d in "$@"; do
  if [ -f "$d/current/VERSION" ]; then
    if ! compgen -G "$d/current/fsimage_*" >/dev/null; then
      echo "refusing: $d/current/VERSION exists but there is no fsimage_* beside it: the NameNode metadata looks corrupt; restore it from a backup or another name dir" >&2
      exit 1
    fi
    formatted=$((formatted + 1))
  elif [ -e "$d" ] && { [ ! -d "$d" ] || [ ! -r "$d" ] || [ ! -x "$d" ]; }; then
    refuse "$d is not a readable directory${marked:+ (and $marker says this NameNode was formatted, clusterID=$marked)}"
  elif [ -d "$d" ]; then
    # A directory that cannot be listed (a failing disk: Input/output error) is not "empty".
    content=$(ls -A -- "$d" 2>&1) || refuse "$d cannot be listed: $content"
    [ -z "$content" ] || refuse "$d is not empty but holds no NameNode metadata (current/VERSION); move its content away or fix dfs.namenode.name.dir"
    empty=$((empty + 1))
  else
    empty=$((empty + 1))
  fi
done
if [ "$formatted" -gt 0 ] && [ "$empty" -gt 0 ]; then
  refuse "$formatted name dir(s) already hold metadata and $empty are empty or absent; the NameNode copies metadata into new dirs itself, never format over them"
fi
if [ "$formatted" -gt 0 ]; then
  existing=$(grep -E -e '^clusterID=' -- "$1/current/VERSION" | cut -d= -f2) \
    || { echo "hdfs-format.sh: cannot read the clusterID from $1/current/VERSION" >&2; exit 1; }
  if [ -z "$marked" ]; then
    install -d -m 0755 -- "$state"
    tmp=$(mktemp "$marker.XXXXXX"); printf '%s\n' "$existing" >"$tmp"; chmod 0644 -- "$tmp"; mv -f -- "$tmp" "$marker"
  elif [ "$marked" != "$existing" ]; then
    echo "note: $marker says clusterID=$marked, the name dirs hold clusterID=$existing" >&2
  fi
  echo "already formatted (clusterID=$existing); not formatting"
  exit 0
fi
if [ -n "$marked" ]; then
  refuse "$marker says this NameNode was formatted (clusterID=$marked), but no name dir holds its metadata now ($*: missing or empty). A disk may be unmounted, or the metadata lost: mount or restore the name dirs (from a backup or a checkpoint). Only to start a new, empty HDFS on purpose, delete $marker and apply again"
fi

# The membership files, empty, made as hdfs-membership.sh makes them (root, 0644), only where absent.
[ -d "$conf_dir" ] || install -d -m 0755 -- "$conf_dir"
for f in "$conf_dir/dfs.hosts" "$conf_dir/dfs.hosts.exclude"; do
  if [ ! -e "$f" ]; then
    tmp=$(mktemp "$f.XXXXXX"); chmod 0644 -- "$tmp"; mv -f -- "$tmp" "$f"
  fi
done
for d in "$@"; do install -d -m 0700 -o "$user" -g "$group" -- "$d"; done
[ -d "$log_dir" ] || install -d -m 0750 -o "$user" -g "$group" -- "$log_dir"
install -m 0640 -o "$user" -g "$group" -- /dev/null "$log"
if ! hadoop_as "$user" "$java_home" "$hadoop_home" "$conf_dir" \
  "$hadoop_home/bin/hdfs" namenode -format -nonInteractive -clusterid "$cluster_id" >>"$log" 2>&1; then
  tail -n 20 -- "$log" >&2 || true
  echo "hdfs-format.sh: formatting the NameNode failed; the last lines of $log are above" >&2
  exit 1
fi
for d in "$@"; do
  if [ ! -f "$d/current/VERSION" ]; then
    tail -n 20 -- "$log" >&2 || true
    echo "hdfs-format.sh: the format exited 0 but $d/current/VERSION is missing; the last lines of $log are above" >&2
    exit 1
  fi
done
install -d -m 0755 -- "$state"
tmp=$(mktemp "$marker.XXXXXX"); printf '%s\n' "$cluster_id" >"$tmp"; chmod 0644 -- "$tmp"; mv -f -- "$tmp" "$marker"
echo "formatted (clusterID=$cluster_id); format log: $log"

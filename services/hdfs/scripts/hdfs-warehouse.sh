#!/usr/bin/env bash
# Create the warehouse directories on HDFS once HDFS is up (out of safe mode), owned by the warehouse owner and
# the service group so that every engine can write, plus a world-writable sticky /tmp. Idempotent (MKDIRS is
# mkdir -p; owner and mode are set each time). Through the NameNode's WebHDFS REST API, as the HDFS superuser:
# no JVM to start for each step (six `hdfs dfs` calls took 60-95 s on a loaded 2-core lab).
# With Kerberos (<keytab> not "-"): as the NameNode's own principal from the HDFS user's keytab, through the HDFS
# shell (three calls, each over every directory), and the safe-mode check over HTTPS verified against <ca>.
# Usage: hdfs-warehouse.sh <namenode-http-url> <hdfs-user> <owner> <group> <timeout-s> <hadoop-home> <conf-dir>
#                          <java-home> <keytab> <ca> <dir>...
set -euo pipefail
# @prelude
# @params
curl_opts=()
if [ "$keytab" != "-" ]; then
  keytab_login "$hdfs_user" "$keytab" nn
  curl_opts=(--cacert "$ca" --negotiate -u :)
fi
fs() { hadoop_as "$hdfs_user" "$java_home" "$hadoop_home" "$conf_dir" "$hadoop_home/bin/hdfs" dfs "$@"; }

# PUT <path> <op> [query...]: one WebHDFS call; its JSON answer must not be a RemoteException.
webhdfs() {
  local p="$1" op="$2" q="" kv out; shift 2
  for kv in "$@"; do q="$q&$kv"; done
  out=$(curl -fsS --max-time 30 -X PUT -- "$namenode_url/webhdfs/v1$p?op=$op&user.name=$hdfs_user$q" 2>&1) || {
    echo "hdfs-warehouse.sh: WebHDFS $op $p failed: $out" >&2; return 1; }
  case "$out" in *RemoteException*) echo "hdfs-warehouse.sh: WebHDFS $op $p: $out" >&2; return 1 ;; esac
}

# Safe mode off (the NameNode leaves it once enough DataNodes reported their blocks).
deadline=$((SECONDS + timeout))
until curl -fsS --max-time 5 "${curl_opts[@]}" -- "$namenode_url/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo" 2>/dev/null \
    | grep -Eq '"Safemode"[[:space:]]*:[[:space:]]*""'; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "hdfs-warehouse.sh: HDFS still in safe mode (or the NameNode at $namenode_url does not answer) after ${timeout}s" >&2
    exit 1
  fi
  sleep 1
done

for d in "$@"; do
  case "$d" in /*) ;; *) echo "hdfs-warehouse.sh: not an absolute HDFS path: $d" >&2; exit 2 ;; esac
done
if [ "$keytab" = "-" ]; then
  webhdfs /tmp MKDIRS
  webhdfs /tmp SETPERMISSION permission=1777
  for d in "$@"; do
    webhdfs "$d" MKDIRS
    webhdfs "$d" SETOWNER "owner=$owner" "group=$group"
    webhdfs "$d" SETPERMISSION permission=775
  done
else
  fs -mkdir -p -- /tmp "$@"
  fs -chmod 1777 -- /tmp
  fs -chown "$owner:$group" -- "$@"
  fs -chmod 775 -- "$@"
fi
echo "warehouse ready: $* (owner $owner:$group, mode 0775)"

#!/usr/bin/env bash
# Keep the NameNode's DataNode membership (dfs.hosts, dfs.hosts.exclude) equal to the configured DataNodes,
# never losing a block on the way:
#  - NameNode not running (first apply): write the files; it reads them when it starts. Unless a DataNode is
#    being removed: only a running NameNode can decommission it, so the apply fails naming it and nothing changes.
#  - a DataNode added: include it, then `dfsadmin -refreshNodes` (the NameNode re-reads; no restart).
#  - a DataNode removed: decommission it first. It stays included and is added to the exclude file,
#    refreshNodes, then wait until the NameNode reports it "Decommissioned" (every block it held has its
#    replicas on the other DataNodes); only then is it dropped from both files. A node the NameNode does not
#    list is not done: nothing confirms its blocks' replicas. Bounded: on timeout the apply fails naming the
#    host, which stays excluded (no new blocks go there) until a later apply finishes it.
# <keytab>: with Kerberos, the HDFS user's keytab (dfsadmin runs with a ticket of the NameNode's principal); "-" without.
# Usage: hdfs-membership.sh <hadoop-home> <conf-dir> <java-home> <hdfs-user> <unit> <timeout-s> <keytab> <host...>
set -euo pipefail
# @prelude
# @params
include="$conf_dir/dfs.hosts"
exclude="$conf_dir/dfs.hosts.exclude"
install -d -m 0755 -- "$conf_dir"

lines() { grep -v -e '^[[:space:]]*$' -- "$1" 2>/dev/null | sort -u || true; }
# Atomic write, readable by the hdfs user; $2 is a newline-separated list (may be empty).
write_list() {
  local tmp
  tmp=$(mktemp "$1.XXXXXX")
  if [ -n "$2" ]; then printf '%s\n' "$2" >"$tmp"; fi
  chmod 0644 -- "$tmp"
  mv -f -- "$tmp" "$1"
}
union() { printf '%s\n%s\n' "$1" "$2" | grep -v -e '^$' | sort -u || true; }
minus() { comm -23 <(printf '%s\n' "$1" | grep -v -e '^$' | sort -u) <(printf '%s\n' "$2" | grep -v -e '^$' | sort -u) || true; }
dfsadmin() { hadoop_as "$user" "$java_home" "$hadoop_home" "$conf_dir" "$hadoop_home/bin/hdfs" dfsadmin "$@"; }
# The NameNode's "Decommission Status" of a DataNode (by address), or "unknown" when it does not list it.
status_of() {
  dfsadmin -report 2>/dev/null | awk -v h="$1:" '
    /^Name: / { cur = (index($2, h) == 1) }
    cur && /^Decommission Status :/ { sub(/^Decommission Status : */, ""); print; found = 1; exit }
    END { if (!found) print "unknown" }'
}

want=$(printf '%s\n' "$@" | grep -v -e '^$' | sort -u)
have=$(lines "$include")
excluded=$(lines "$exclude")
removed=$(minus "$have" "$want")

if ! systemctl is-active -q -- "$unit"; then
  if [ -n "$removed" ]; then
    n=$(echo "$removed" | wc -l)
    list=$(echo "$removed" | paste -sd ' ' -)
    if [ "$n" -eq 1 ]; then
      die "the NameNode (unit $unit) is not running, so DataNode $list cannot be decommissioned; start it and run the apply again; $list stays in the membership (nothing was changed)"
    fi
    die "the NameNode (unit $unit) is not running, so DataNodes $list cannot be decommissioned; start it and run the apply again; they stay in the membership (nothing was changed)"
  fi
  write_list "$include" "$want"
  write_list "$exclude" "$(minus "$excluded" "$want")"
  echo "membership written (NameNode not running): $(echo "$want" | wc -l) DataNodes"
  exit 0
fi

keytab_login "$user" "$keytab" nn

if [ -n "$removed" ]; then
  write_list "$include" "$(union "$want" "$removed")"
  write_list "$exclude" "$(union "$excluded" "$removed")"
  dfsadmin -refreshNodes >/dev/null || { echo "hdfs-membership.sh: dfsadmin -refreshNodes failed (excluding $(echo "$removed" | tr '\n' ' '))" >&2; exit 1; }
  poll=5 # seconds between two reports; never past the deadline
  deadline=$((SECONDS + timeout))
  for h in $removed; do
    echo "decommissioning DataNode $h"
    while :; do
      st=$(status_of "$h") || { echo "hdfs-membership.sh: dfsadmin -report failed while decommissioning $h; it stays excluded" >&2; exit 1; }
      if [ "$st" = Decommissioned ]; then
        echo "DataNode $h: $st"
        break
      fi
      left=$((deadline - SECONDS))
      if [ "$left" -le 0 ]; then
        if [ "$st" = unknown ]; then
          echo "hdfs-membership.sh: the NameNode does not list DataNode $h (dfsadmin -report) after ${timeout}s of decommissioning, so the replicas of its blocks could not be confirmed: it stays excluded and in the membership; re-run the apply when the NameNode lists it" >&2
        else
          echo "hdfs-membership.sh: DataNode $h is still '$st' after ${timeout}s of decommissioning: it stays excluded; re-run the apply to finish" >&2
        fi
        exit 1
      fi
      sleep "$((left < poll ? left : poll))"
    done
  done
fi

excluded=$(lines "$exclude")
if [ "$(lines "$include")" != "$want" ] || [ "$excluded" != "$(minus "$excluded" "$want")" ] || [ -n "$removed" ]; then
  write_list "$include" "$want"
  write_list "$exclude" "$(minus "$(minus "$excluded" "$removed")" "$want")"
  dfsadmin -refreshNodes >/dev/null || { echo "hdfs-membership.sh: dfsadmin -refreshNodes failed (membership files are written)" >&2; exit 1; }
  echo "membership updated: $(echo "$want" | wc -l) DataNodes${removed:+; decommissioned and removed: $(echo "$removed" | tr '\n' ' ')}"
else
  echo "membership unchanged: $(echo "$want" | wc -l) DataNodes"
fi

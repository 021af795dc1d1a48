#!/usr/bin/env bash
# Keep a managed block in /etc/hosts listing every cluster node (other lines are left alone).
# Usage: etc-hosts.sh <ip> <name> [<ip> <name> ...]
set -euo pipefail
# @prelude
# @params
begin="# BEGIN lakehouse-iac cluster nodes"
end="# END lakehouse-iac cluster nodes"
block="$begin"
while [ "$#" -ge 2 ]; do
  block+=$'\n'"$1 $2"
  shift 2
done
block+=$'\n'"$end"
tmp=$(mktemp)
if ! managed_block /etc/hosts "$begin" "$end" "$block" >"$tmp"; then rm -f -- "$tmp"; echo "unchanged"; exit 0; fi
# /etc/hosts may be a bind mount (containers): rewrite in place rather than rename over it.
cat -- "$tmp" >/etc/hosts
rm -f -- "$tmp"
echo "updated"

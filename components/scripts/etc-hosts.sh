#!/usr/bin/env bash
# Keep a managed block in /etc/hosts listing every cluster node (other lines are left alone).
# Usage: etc-hosts.sh <ip> <name> [<ip> <name> ...]
set -euo pipefail
set -E # the ERR trap is inherited by functions: a failed step names its line and command (text, never values)
on_error() { local rc=$?; [ "$BASH_SUBSHELL" -gt 0 ] || echo "etc-hosts.sh: failed (exit $rc) at line $1: $2" >&2; }
trap 'on_error "$LINENO" "$BASH_COMMAND"' ERR
begin="# BEGIN lakehouse-iac cluster nodes"
end="# END lakehouse-iac cluster nodes"
block="$begin"
while [ "$#" -ge 2 ]; do
  block+=$'\n'"$1 $2"
  shift 2
done
block+=$'\n'"$end"
current=$(sed -n "/^$begin\$/,/^$end\$/p" /etc/hosts)
if [ "$current" = "$block" ]; then echo "unchanged"; exit 0; fi
tmp=$(mktemp)
sed "/^$begin\$/,/^$end\$/d" /etc/hosts >"$tmp"
printf '%s\n' "$block" >>"$tmp"
# /etc/hosts may be a bind mount (containers): rewrite in place rather than rename over it.
cat -- "$tmp" >/etc/hosts
rm -f -- "$tmp"
echo "updated"

#!/usr/bin/env bash
# Stop and disable a service when its resource is deleted, unless a newer resource owns it (a replacement runs
# its create before the old resource's delete: stopping then would take down what was just started).
# Data, configuration and the installed unit file stay.
# Usage: service-stop.sh <unit> <owner-token>
set -euo pipefail
# @prelude
# @params
st=/var/lib/lakehouse-iac/units
current=$(cat -- "$st/$unit.owner" 2>/dev/null || true)
if [ -n "$current" ] && [ "$current" != "$owner" ]; then
  echo "$unit is owned by a newer resource; leaving it running"
  exit 0
fi
systemctl disable --now -q -- "$unit" 2>/dev/null || true
rm -f -- "$st/$unit.restart" "$st/$unit.reload" "$st/$unit.owner"
echo "$unit stopped (data kept)"

#!/usr/bin/env bash
# Converge one systemd service: enable it, start it if stopped, restart it when its configuration hash changed,
# then wait for its health check.
# Usage: service-start.sh <unit> <restart-hash> <owner-token> <health-kind> <timeout-s> <health-args...>
#   health-kind http: <url> <regex the body must match>; tcp: <host> <port>; command: <argv...>
set -euo pipefail
unit="$1"; restart_hash="$2"; owner="$3"
kind="$4"; timeout="$5"; shift 5
st=/var/lib/lakehouse-iac/units
install -d -m 0755 "$st"

healthy() {
  case "$kind" in
    http) local body; body=$(curl -fsS --max-time 5 "$1" 2>/dev/null) && grep -Eq -- "$2" <<<"$body" ;;
    tcp)
      # shellcheck disable=SC2016 # $0/$1 expand in the inner shell, on purpose
      timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null ;;
    command) "$@" >/dev/null 2>&1 ;;
    *) echo "unknown health check kind: $kind" >&2; return 2 ;;
  esac
}

systemctl enable -q "$unit"
prev_restart=$(cat "$st/$unit.restart" 2>/dev/null || true)
if ! systemctl is-active -q "$unit"; then
  systemctl start "$unit"; action=started
elif [ "$prev_restart" != "$restart_hash" ]; then
  systemctl restart "$unit"; action=restarted
else
  action=unchanged
fi

deadline=$((SECONDS + timeout))
until healthy "$@"; do
  if systemctl is-failed -q "$unit"; then
    echo "$unit failed to start; last log lines:" >&2
    journalctl -u "$unit" -n 40 --no-pager >&2 || true
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "$unit not healthy after ${timeout}s ($kind check: $*); last log lines:" >&2
    journalctl -u "$unit" -n 40 --no-pager >&2 || true
    exit 1
  fi
  sleep 2
done
printf '%s\n' "$restart_hash" >"$st/$unit.restart"
printf '%s\n' "$owner" >"$st/$unit.owner"
echo "$unit $action, healthy"

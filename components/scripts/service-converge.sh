#!/usr/bin/env bash
# Converge one systemd service, in one of three modes, then wait for its health check:
#   start   (first apply of the service's start step): enable; start it if stopped; restart it if it runs with
#           another configuration hash (a resource that replaced an older one); record hash and owner.
#   ensure  (later changes of the start step): enable; start it if stopped; never restart; record the owner.
#           A unit that already runs is not health-checked here: its configuration may just have changed (a
#           Trino worker whose coordinator moved), so only the restart step, which applies it, can make it
#           healthy. Waiting here would wait for what only the next step does.
#   restart (the rolling step, one node at a time): restart it when the recorded hash differs; record the hash.
# A fresh cluster starts every instance at once (start), a config change restarts one node at a time
# (restart, chained across the nodes of its group).
# Usage: service-converge.sh <mode> <unit> <restart-hash> <owner-token> <health-kind> <timeout-s> <health-args...>
#   health-kind http: <url> <regex the body must match> [<CA file> [<keytab>:<principal>|- [<cert>:<key>]]] (with a
#   principal, SPNEGO; with <cert>:<key>, as a client with that certificate); tcp: <host> <port>; command: <argv...>;
#   probe: <<service>-probe.sh path> <check> <args...>: the probe also gets the unit's main process start (seconds
#   since the epoch), so that it can require a registration of this very process (see <service>-probe.sh).
set -euo pipefail
# @prelude
# @params
st=/var/lib/lakehouse-iac/units
install -d -m 0755 -- "$st"

# When the unit's current main process started, seconds since the epoch; 0 when systemd does not say.
unit_started() {
  local t
  # --timestamp=unix (systemd 248+) prints @<seconds>; older ones print a local date for date(1) to parse.
  t=$(systemctl show --timestamp=unix -p ExecMainStartTimestamp --value -- "$unit" 2>/dev/null || true)
  case "$t" in @[0-9]*) echo "${t#@}"; return 0 ;; esac
  t=$(systemctl show -p ExecMainStartTimestamp --value -- "$unit" 2>/dev/null || true)
  if [ -n "$t" ] && date -d "$t" +%s 2>/dev/null; then return 0; fi
  echo 0
}

last_probe=
healthy() {
  case "$health_kind" in
    http)
      local body opts=()
      if [ -n "${3:-}" ] && [ "$3" != - ]; then opts=(--cacert "$3"); fi
      if [ -n "${5:-}" ]; then opts+=(--cert "${5%%:*}" --key "${5#*:}"); fi
      if [ -n "${4:-}" ] && [ "$4" != - ]; then
        # SPNEGO: a ticket of <principal> from <keytab> (root reads it), in a cache of this run's own.
        if [ -z "${KRB5CCNAME:-}" ]; then
          KRB5CCNAME="FILE:$(mktemp /tmp/krb5cc_converge.XXXXXX)"
          export KRB5CCNAME
          trap 'rm -f -- "${KRB5CCNAME#FILE:}"' EXIT
        fi
        klist -s 2>/dev/null || kinit -k -t "${4%%:*}" -- "${4#*:}" >/dev/null 2>&1 || return 1
        opts+=(--negotiate -u :)
      fi
      body=$(curl -fsS --max-time 5 "${opts[@]}" -- "$1" 2>/dev/null) && grep -Eq -- "$2" <<<"$body" ;;
    tcp)
      # shellcheck disable=SC2016 # $0/$1 expand in the inner shell, on purpose
      timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null ;;
    command) "$@" >/dev/null 2>&1 ;;
    probe)
      local probe="$1" rc=0; shift
      last_probe=$("$probe" "$1" "$(unit_started)" "${@:2}" 2>&1) || rc=$?
      if [ "$rc" -eq 2 ]; then echo "health probe: $last_probe" >&2; exit 2; fi
      return "$rc" ;;
    *) echo "unknown health check kind: $health_kind" >&2; return 2 ;;
  esac
}

# systemctl start|restart, saying why when the job fails (a failing ExecStartPre fails it before any health check).
run_unit() {
  if ! systemctl "$1" -- "$unit"; then
    journalctl -u "$unit" -n 15 --no-pager -o cat >&2 || true
    echo "$unit failed to $1; its last log lines are above" >&2
    exit 1
  fi
}
prev=$(cat -- "$st/$unit.restart" 2>/dev/null || true)
action=unchanged
case "$mode" in
  start|ensure)
    systemctl enable -q -- "$unit"
    if ! systemctl is-active -q -- "$unit"; then
      run_unit start; action=started
    elif [ "$mode" = start ] && [ -n "$prev" ] && [ "$prev" != "$restart_hash" ]; then
      run_unit restart; action=restarted
    fi ;;
  restart)
    if ! systemctl is-active -q -- "$unit"; then
      run_unit start; action=started
    elif [ "$prev" != "$restart_hash" ]; then
      run_unit restart; action=restarted
    fi ;;
  *) echo "unknown mode: $mode" >&2; exit 2 ;;
esac

if [ "$mode" = ensure ] && [ "$action" = unchanged ]; then
  printf '%s\n' "$owner" >"$st/$unit.owner"
  echo "$unit running (the restart step applies any change and checks its health)"
  exit 0
fi

deadline=$((SECONDS + timeout))
until healthy "$@"; do
  if systemctl is-failed -q -- "$unit"; then
    journalctl -u "$unit" -n 15 --no-pager -o cat >&2 || true
    echo "$unit failed to start ($action); its last log lines are above" >&2
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    journalctl -u "$unit" -n 15 --no-pager -o cat >&2 || true
    if [ -n "$last_probe" ]; then echo "last probe result: $last_probe" >&2; fi
    echo "$unit not healthy ${timeout}s after it was $action ($health_kind check: $*); its last log lines are above" >&2
    exit 1
  fi
  sleep 1
done
# ensure never records the hash: the restart step compares it and applies the change.
if [ "$mode" != ensure ]; then printf '%s\n' "$restart_hash" >"$st/$unit.restart"; fi
if [ "$mode" != restart ]; then printf '%s\n' "$owner" >"$st/$unit.owner"; fi
echo "$unit $action, healthy"

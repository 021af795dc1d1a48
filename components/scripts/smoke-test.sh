#!/usr/bin/env bash
# Cross-engine smoke test of the lakehouse, run on one node after every service is healthy. This is its runner;
# the steps are the services' parts (services/<name>/scripts/parts/smoke-test.sh), put in at `# @parts` in the
# registry's order (services/scripts.ts), their parameters after this script's own. Today: Trino creates an
# Iceberg schema and table under the Iceberg warehouse dir and inserts rows, Spark reads them through the
# metastore and writes a Delta table under the Delta warehouse dir, Trino reads that, Flink's Hive catalog lists
# the schema and the table; then everything it made is dropped (always, also after a failure, and before the
# steps: leftovers of an interrupted run). Steps of engines that are switched off are skipped.
# Prints one JSON line: {"run":...,"status":"passed"|"failed","failedStep":...,"detail":...,"steps":[...]}; exits
# 0 either way (the result is the stack output `smokeTest`), 2 on bad arguments. Secrets come on stdin, one line
# for each part that reads one, in the parts' order; never on a command line.
# Usage: smoke-test.sh <schema> <iceberg-dir> <delta-dir> <run-id> <the parts' parameters...>
#   iceberg-dir, delta-dir: the warehouse dirs the steps write under (see ice_loc, delta_loc below).
#   run-id: the stack's smokeTest.run; a new value makes `pulumi up` run the test again.
# A part defines its functions and registers, when it is put in:
#   smoke_step <order> <name> <function> [<service>...]  a step, run in <order> (then the parts' order); skipped,
#       with the first of those services' reasons, when one of the services it needs is off
#   smoke_off <service> <reason>    that service is off here ("Spark is switched off")
#   smoke_cleanup <function>        drops what the steps made (failures ignored): before the steps and after them
#   smoke_login <user>:<keytab>     a Kerberos login its clients need (cache_of <user> then names the ticket
#       cache); "-", or "-" as keytab: none
#   smoke_setup <name> <function>   runs before the clean-up and the steps; when it fails (printing why), the
#       test stops: <name> is the failed step, the steps are not run and nothing is cleaned up
# and may use $work (a directory of root's, mode 0755, removed however the test ends), $schema, $ice_loc,
# $delta_loc, login, cache_of and json_safe.
set -euo pipefail
# @prelude
# @params
[[ "$schema" =~ ^[a-z][a-z0-9_]{0,40}$ ]] || { echo "smoke-test.sh: bad schema name" >&2; exit 2; }

work=$(mktemp -d /tmp/lakehouse-smoke.XXXXXX)
trap 'rm -rf -- "$work"' EXIT # it holds credentials: gone however the test ends
chmod 0755 -- "$work"
steps=()
failed=""
detail=""
# Where the steps write: the Iceberg schema's location and the Delta table's.
ice_loc="$iceberg_dir/$schema"
delta_loc="$delta_dir/${schema}_delta"

# json_safe <max>: stdin as one line of at most <max> characters without control characters, quotes or
# backslashes (safe inside a JSON string).
json_safe() { tr '\n' ' ' | tr -d '\000-\037"' | tr -d '\134' | cut -c1-"$1"; }
# A ticket cache of each client user's own in the work dir (gone when the test ends), from the first principal
# of its keytab; the clients name it in KRB5CCNAME.
cache_of() { printf '%s\n' "$work/krb5-$1/cc"; }
login() { # user keytab
  local principal
  install -d -m 0700 -o "$1" -- "$work/krb5-$1"
  principal=$(runuser -u "$1" -- klist -k -- "$2" | awk 'NR > 3 { print $2; exit }')
  [ -n "$principal" ] && runuser -u "$1" -- env KRB5CCNAME="$(cache_of "$1")" kinit -k -t "$2" -- "$principal"
}

# What the parts register.
smoke_steps=()
smoke_cleanups=()
smoke_logins=()
smoke_setups=()
declare -A smoke_off_reason=()
smoke_step() { smoke_steps+=("$*"); }
smoke_off() { smoke_off_reason[$1]=$2; }
smoke_cleanup() { smoke_cleanups+=("$1"); }
smoke_login() { smoke_logins+=("$1"); }
smoke_setup() { smoke_setups+=("$1 $2"); }

# @parts

cleanup() {
  local f
  for f in "${smoke_cleanups[@]}"; do "$f"; done
}
run() { # name function [skip-reason]
  local t0=$SECONDS out
  if [ -n "$failed" ]; then steps+=("{\"step\":\"$1\",\"result\":\"not run\"}"); return; fi
  if [ -n "${3:-}" ]; then steps+=("{\"step\":\"$1\",\"result\":\"skipped: $3\"}"); return; fi
  if out=$("$2" 2>&1); then
    steps+=("{\"step\":\"$1\",\"result\":\"ok\",\"seconds\":$((SECONDS - t0))}")
  else
    failed="$1"
    detail=$(json_safe 600 <<<"$out")
    steps+=("{\"step\":\"$1\",\"result\":\"failed\",\"seconds\":$((SECONDS - t0))}")
  fi
}
# The skip reason of a step that needs these services: the first one's that is off, or nothing.
skip_reason() {
  local s
  for s in "$@"; do
    if [ -n "${smoke_off_reason[$s]:-}" ]; then printf '%s\n' "${smoke_off_reason[$s]}"; return; fi
  done
}

# Set-up first (the Kerberos logins): without it nothing below can work, and the report says so.
setup_failed=""
for s in "${smoke_setups[@]}"; do
  if ! out=$("${s#* }"); then
    failed=${s%% *}
    setup_failed=$failed
    detail=$out
    steps+=("{\"step\":\"$failed\",\"result\":\"failed\"}")
    break
  fi
done
[ -n "$setup_failed" ] || cleanup # leftovers of an interrupted earlier run
mapfile -t ordered < <(printf '%s\n' "${smoke_steps[@]}" | sort -s -n -k1,1)
for s in "${ordered[@]}"; do
  [ -n "$s" ] || continue
  read -r _ name fn needs <<<"$s"
  # shellcheck disable=SC2086 # the services a step needs: one word each
  run "$name" "$fn" "$(skip_reason $needs)"
done
[ -n "$setup_failed" ] || cleanup
rm -rf -- "$work"

status=passed
[ -z "$failed" ] || status=failed
printf '{"run":"%s","status":"%s","failedStep":%s,"detail":"%s","steps":[%s]}\n' "$run_id" "$status" \
  "$([ -n "$failed" ] && echo "\"$failed\"" || echo null)" "$detail" "$(IFS=,; echo "${steps[*]}")"

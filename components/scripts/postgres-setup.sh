#!/usr/bin/env bash
# Install PostgreSQL, listen on the network, allow the metastore user from the cluster's hosts only, and create
# the metastore role and database. The role's password arrives on stdin (never on a command line or in a log).
# Usage: postgres-setup.sh <package> <port> <database> <user> <client-host-or-cidr>...   (stdin: password)
set -euo pipefail
pkg="$1"; port="$2"; db="$3"; user="$4"; shift 4
IFS= read -r password || true
[ -n "$password" ] || { echo "no password on stdin" >&2; exit 2; }
export DEBIAN_FRONTEND=noninteractive
if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "$pkg" postgresql-client >/dev/null
fi
ver=$(find /etc/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -V | tail -n1)
confdir="/etc/postgresql/$ver/main"
[ -d "$confdir" ] || { echo "no PostgreSQL cluster config under /etc/postgresql" >&2; exit 1; }

restart=0
conf_d="$confdir/conf.d"
install -d -m 0755 -o postgres -g postgres "$conf_d"
want="# managed by lakehouse-iac
listen_addresses = '*'
port = $port
password_encryption = 'scram-sha-256'"
if [ "$(cat "$conf_d/lakehouse.conf" 2>/dev/null || true)" != "$want" ]; then
  printf '%s\n' "$want" >"$conf_d/lakehouse.conf"; chown postgres:postgres "$conf_d/lakehouse.conf"; restart=1
fi

hba="$confdir/pg_hba.conf"
begin="# BEGIN lakehouse-iac"; end="# END lakehouse-iac"
block="$begin"
for h in "$@"; do block+=$'\n'"host    $db    $user    $h    scram-sha-256"; done
block+=$'\n'"$end"
if [ "$(sed -n "/^$begin\$/,/^$end\$/p" "$hba")" != "$block" ]; then
  tmp=$(mktemp)
  sed "/^$begin\$/,/^$end\$/d" "$hba" >"$tmp"
  printf '%s\n' "$block" >>"$tmp"
  install -m 0640 -o postgres -g postgres "$tmp" "$hba"; rm -f "$tmp"
  [ "$restart" = 1 ] || restart=2
fi

systemctl enable -q postgresql
if ! systemctl is-active -q postgresql || [ "$restart" = 1 ]; then systemctl restart postgresql
elif [ "$restart" = 2 ]; then systemctl reload postgresql; fi
for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 1; done
pg_isready -h 127.0.0.1 -p "$port"

# The password reaches psql through its environment (readable by root and postgres only), then as a bound
# psql variable, and statement logging is off for this session so it never lands in the server log.
runuser -u postgres -- env LH_PW="$password" psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres \
  -v role="$user" -v db="$db" <<'SQL'
SET log_statement = 'none';
SET log_min_error_statement = 'panic';
\getenv pw LH_PW
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN PASSWORD :'pw';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
echo "postgres ready: database $db, role $user, clients: $*"

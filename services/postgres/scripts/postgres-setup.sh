#!/usr/bin/env bash
# Install PostgreSQL, listen on the network, allow the metastore user from the cluster's hosts only (over TLS
# only, with ssl "on": `hostssl` lines, the server on this node's certificate from the cluster CA, which
# tls-node.sh installed), and create the metastore role and database. The role's password arrives on stdin
# and never leaves this script's memory except into python3's stdin: python3 turns it into a SCRAM-SHA-256
# verifier, and only the verifier reaches PostgreSQL, inside SQL on psql's stdin. No command line, environment,
# journal record or server log holds the password; the verifier is not printed either.
# Usage: postgres-setup.sh <package> <port> <database> <user> <ssl: on|off> <node-cert-sha256|-> <tls-dir> <client>...
#   (stdin: password). With ssl on, the node's certificate must be the one whose SHA-256 is given (the step
#   re-runs when the certificate changes, and copies it and its key where the server reads them).
set -euo pipefail
# @prelude
# @params
case "$ssl" in on | off) ;; *) echo "postgres-setup.sh: ssl must be on or off, not $ssl" >&2; exit 2 ;; esac
IFS= read -r password || true
[ -n "$password" ] || { echo "postgres-setup.sh: no password on stdin" >&2; exit 2; }
command -v python3 >/dev/null || { echo "postgres-setup.sh: python3 is needed to compute the password verifier" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
if ! pkg_installed "$package"; then
  apt-get update -qq || { echo "postgres-setup.sh: apt-get update failed" >&2; exit 1; }
  apt-get install -y -qq --no-install-recommends -- "$package" postgresql-client >/dev/null \
    || { echo "postgres-setup.sh: installing $package failed" >&2; exit 1; }
fi
ver=$(find /etc/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -V | tail -n1)
confdir="/etc/postgresql/$ver/main"
[ -d "$confdir" ] || { echo "postgres-setup.sh: no PostgreSQL cluster config under /etc/postgresql" >&2; exit 1; }

restart=0
ssl_cert="$confdir/lakehouse-tls.crt"
ssl_key="$confdir/lakehouse-tls.key"
if [ "$ssl" = on ]; then
  # The node's certificate and key, copied where the server (running as postgres) reads them; the key 0600.
  if [ ! -s "$tls_dir/node.crt" ] || [ ! -s "$tls_dir/node.key" ]; then
    echo "postgres-setup.sh: no node certificate in $tls_dir (tls-node.sh installs it)" >&2; exit 1
  fi
  have=$(openssl x509 -in "$tls_dir/node.crt" -outform DER | sha256sum | cut -d' ' -f1)
  [ "$have" = "$cert_sha256" ] || { echo "postgres-setup.sh: the node certificate in $tls_dir is not the one this step was given (sha256 $have)" >&2; exit 1; }
  if ! cmp -s -- "$tls_dir/node.crt" "$ssl_cert" || ! cmp -s -- "$tls_dir/node.key" "$ssl_key"; then
    install -m 0644 -o postgres -g postgres -- "$tls_dir/node.crt" "$ssl_cert"
    install -m 0600 -o postgres -g postgres -- "$tls_dir/node.key" "$ssl_key"
    restart=2 # PostgreSQL re-reads its certificate on reload
  fi
fi
conf_d="$confdir/conf.d"
install -d -m 0755 -o postgres -g postgres -- "$conf_d"
want="# managed by lakehouse-iac
listen_addresses = '*'
port = $port
password_encryption = 'scram-sha-256'"
if [ "$ssl" = on ]; then
  want+="
ssl = on
ssl_cert_file = '$ssl_cert'
ssl_key_file = '$ssl_key'
ssl_min_protocol_version = 'TLSv1.2'"
fi
if [ "$(cat -- "$conf_d/lakehouse.conf" 2>/dev/null || true)" != "$want" ]; then
  printf '%s\n' "$want" >"$conf_d/lakehouse.conf"; chown -- postgres:postgres "$conf_d/lakehouse.conf"; restart=1
fi

hba="$confdir/pg_hba.conf"
begin="# BEGIN lakehouse-iac"; end="# END lakehouse-iac"
block="$begin"
conn=host
[ "$ssl" = off ] || conn=hostssl # a client that does not encrypt matches no line: refused
for h in "$@"; do block+=$'\n'"$conn    $db    $user    $h    scram-sha-256"; done
block+=$'\n'"$end"
tmp=$(mktemp)
if managed_block "$hba" "$begin" "$end" "$block" >"$tmp"; then
  install -m 0640 -o postgres -g postgres -- "$tmp" "$hba"; rm -f -- "$tmp"
  [ "$restart" = 1 ] || restart=2
fi
rm -f -- "$tmp"

systemctl enable -q postgresql
if ! systemctl is-active -q postgresql || [ "$restart" = 1 ]; then systemctl restart postgresql
elif [ "$restart" = 2 ]; then systemctl reload postgresql; fi
for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 1; done
pg_isready -h 127.0.0.1 -p "$port" || { echo "postgres-setup.sh: PostgreSQL does not accept connections on port $port" >&2; exit 1; }

# psql as the postgres superuser over the local socket; SQL only ever on stdin. Statement logging is off for
# these sessions, so not even the verifier lands in the server log (not even for a failing statement).
pg() { (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres -v role="$user" -v db="$db" "$@"); }

# The SCRAM-SHA-256 verifier, as PostgreSQL's scram_build_secret() writes it:
#   SCRAM-SHA-256$<iterations>:<base64 salt>$<base64 StoredKey>:<base64 ServerKey>
# (RFC 5802/7677: SaltedPassword = PBKDF2-HMAC-SHA-256(SASLprep(password), salt, i), ClientKey = HMAC(SaltedPassword,
# "Client Key"), StoredKey = SHA-256(ClientKey), ServerKey = HMAC(SaltedPassword, "Server Key")), with
# PostgreSQL's pg_saslprep(): ASCII as is, otherwise RFC 4013, and the raw bytes when the password is not UTF-8 or
# holds a prohibited character. stdin: the password, then the role's current verifier (may be empty). Prints
# "unchanged" when that verifier already matches the password, else a new verifier (16-byte random salt, 4096
# iterations; argv may fix salt and iterations, for tests). tests/scripts.test.ts runs this very text.
scram_py=$(cat <<'SCRAM_PY'
import base64, hashlib, hmac, os, re, stringprep as sp, sys, unicodedata

def saslprep(pw):
    if all(b < 0x80 for b in pw):
        return pw
    try:
        s = pw.decode("utf-8")
    except UnicodeDecodeError:
        return pw
    m = "".join(" " if sp.in_table_c12(c) else c for c in s if not sp.in_table_b1(c))
    bad = (sp.in_table_a1, sp.in_table_c21_c22, sp.in_table_c3, sp.in_table_c4, sp.in_table_c5,
           sp.in_table_c6, sp.in_table_c7, sp.in_table_c8, sp.in_table_c9)
    if not m or any(f(c) for c in m for f in bad):
        return pw
    if any(sp.in_table_d1(c) for c in m) and (
            any(sp.in_table_d2(c) for c in m) or not (sp.in_table_d1(m[0]) and sp.in_table_d1(m[-1]))):
        return pw
    return unicodedata.normalize("NFKC", m).encode("utf-8")

def keys(pw, salt, iterations):
    salted = hashlib.pbkdf2_hmac("sha256", pw, salt, iterations)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    return hashlib.sha256(client_key).digest(), hmac.new(salted, b"Server Key", "sha256").digest()

def b64(b):
    return base64.b64encode(b).decode("ascii")

pw = saslprep(sys.stdin.buffer.readline().rstrip(b"\n"))
current = sys.stdin.buffer.readline().strip().decode("ascii", "replace")
m = re.fullmatch(r"SCRAM-SHA-256\$([0-9]+):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)", current)
if m:
    stored_key, server_key = keys(pw, base64.b64decode(m[2]), int(m[1]))
    if hmac.compare_digest(b64(stored_key), m[3]) and hmac.compare_digest(b64(server_key), m[4]):
        print("unchanged")
        sys.exit(0)
salt = base64.b64decode(sys.argv[1]) if len(sys.argv) > 1 else os.urandom(16)
iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 4096
stored_key, server_key = keys(pw, salt, iterations)
print("SCRAM-SHA-256$%d:%s$%s:%s" % (iterations, b64(salt), b64(stored_key), b64(server_key)))
SCRAM_PY
)

# The role's current verifier (empty when the role does not exist yet or has no password).
current=$(pg -tA <<'SQL'
SELECT coalesce(rolpassword, '') FROM pg_authid WHERE rolname = :'role';
SQL
) || { echo "postgres-setup.sh: could not read role $user from PostgreSQL" >&2; exit 1; }
# printf is a shell builtin: the password goes down the pipe, never onto a command line.
verifier=$(printf '%s\n%s\n' "$password" "$current" | python3 -c "$scram_py") \
  || { echo "postgres-setup.sh: computing the password verifier failed" >&2; exit 1; }
unset password current
if [ "$verifier" = unchanged ]; then
  set_password=""; pw_state="password unchanged"
elif [[ "$verifier" =~ ^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$ ]]; then
  # No quote can occur in a verifier (base64, digits, '$', ':'), so it is a safe SQL literal as is.
  set_password="ALTER ROLE :\"role\" WITH PASSWORD '$verifier';"; pw_state="password set"
else
  echo "postgres-setup.sh: the password verifier is malformed" >&2; exit 1
fi
unset verifier
pg <<SQL || { echo "postgres-setup.sh: creating role $user / database $db failed" >&2; exit 1; }
SET log_statement = 'none';
SET log_min_error_statement = 'panic';
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN;
$set_password
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
echo "postgres ready: database $db, role $user ($pw_state), ssl $ssl, clients: $*"

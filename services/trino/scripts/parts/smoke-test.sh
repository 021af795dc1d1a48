# Trino's part of the smoke test (components/scripts/smoke-test.sh puts it in at its `# @parts` line): Trino
# writes the Iceberg rows the other engines read, and reads the Delta table Spark writes.
# Parameters (services/trino/scripts.ts): trino_url ("-": Trino is switched off), trino_ca ("-": plain HTTP).
# stdin: one line, Trino's user:password (empty without password authentication).

# Trino's credentials: into a file of root's in the work dir, never on a command line.
creds="$work/trino.cred"
(umask 077 && { IFS= read -r line || true; printf '%s\n' "${line:-}"; } >"$creds")
unset line

# A Trino statement over its HTTP protocol (POST /v1/statement, follow nextUri); prints the rows as JSON. With
# credentials, over HTTPS verified against <trino_ca>, logged in with them.
cat >"$work/trino.py" <<'PY'
import base64, json, ssl, sys, urllib.error, urllib.request
url, ca, creds, sql = sys.argv[1], sys.argv[2], sys.argv[3], sys.stdin.read()
headers = {"X-Trino-User": "lakehouse-smoke"}
with open(creds, encoding="utf-8") as f:
    user, _, password = f.readline().rstrip("\n").partition(":")
if user:
    headers = {"X-Trino-User": user, "Authorization": "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()}
context = ssl.create_default_context(cafile=ca) if ca != "-" else None
def call(req):
    try:
        return json.load(urllib.request.urlopen(req, timeout=120, context=context))
    except urllib.error.HTTPError as e:  # the status only: a body could echo what was sent
        sys.exit("trino: HTTP %d" % e.code)
r = call(urllib.request.Request(url + "/v1/statement", data=sql.encode(), headers=headers))
rows = []
while True:
    if "error" in r:
        sys.exit("trino: " + r["error"].get("message", "query failed"))
    rows += r.get("data", [])
    if "nextUri" not in r:
        break
    r = call(urllib.request.Request(r["nextUri"], headers=headers))
print(json.dumps(rows))
PY
q() { python3 "$work/trino.py" "$trino_url" "$trino_ca" "$creds" <<<"$1"; }

step_trino_write() {
  q "CREATE SCHEMA iceberg.$schema WITH (location = '$ice_loc')" >/dev/null || return 1
  q "CREATE TABLE iceberg.$schema.events (id bigint, engine varchar)" >/dev/null || return 1
  q "INSERT INTO iceberg.$schema.events VALUES (1, 'trino'), (2, 'trino'), (3, 'trino')" >/dev/null || return 1
}
step_trino_delta() {
  local out
  out=$(q "SELECT sum(id) FROM delta.default.${schema}_delta") || { echo "$out"; return 1; }
  [ "$out" = "[[42]]" ] || { echo "Trino read of the Delta table: $out"; return 1; }
}
trino_cleanup() {
  [ "$trino_url" != - ] || return 0
  q "DROP TABLE IF EXISTS iceberg.$schema.events" >/dev/null 2>&1 || true
  q "DROP SCHEMA IF EXISTS iceberg.$schema" >/dev/null 2>&1 || true
}

[ "$trino_url" != - ] || smoke_off trino "Trino is switched off"
smoke_step 10 trino-writes-iceberg step_trino_write trino
# Spark's Delta table (spark-writes-delta): without Spark, that is the reason it is skipped.
smoke_step 40 trino-reads-delta step_trino_delta spark trino
smoke_cleanup trino_cleanup

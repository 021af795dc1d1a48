#!/usr/bin/env bash
# Trino's membership probe (service-converge.sh's `probe` health kind): a worker is healthy only when the
# coordinator lists it as active. Exit 0: healthy; 1: not (yet), with one line why; 2: bad usage.
# Usage: trino-probe.sh trino-worker <since> <coordinator url> <worker url> <node id> [<ca file> <credentials file>]
#   the worker itself answers /v1/info with "starting": false, and the coordinator's system.runtime.nodes
#   (through /v1/statement) has node_id = <node id>, http_uri = <worker url>, state 'active'. With a CA
#   file and a credentials file (one line user:password, root's alone): the coordinator's certificate is
#   verified against the CA and the query logs in with those credentials (the password never on a command
#   line, never printed). <since> is not used: the worker's own /v1/info tells whether this process is up.
set -euo pipefail
# @prelude
# @params
exec python3 - "$@" <<'PY'
# @lib probe.py
import base64


def trino_worker(since, coordinator, worker, node_id, ca=None, credentials=None):
    info = get(worker.rstrip("/") + "/v1/info")
    if info.get("starting") is not False:
        return "the worker is still starting"
    sql = "SELECT http_uri, state FROM system.runtime.nodes WHERE node_id = '%s'" % node_id.replace("'", "''")
    headers = {"X-Trino-User": "lakehouse-iac-health", "X-Trino-Source": "lakehouse-iac-health"}
    context = None
    if credentials:
        with open(credentials, encoding="utf-8") as f:
            user, _, password = f.readline().rstrip("\n").partition(":")
        token = base64.b64encode(("%s:%s" % (user, password)).encode("utf-8")).decode("ascii")
        headers = {"X-Trino-User": user, "X-Trino-Source": "lakehouse-iac-health", "Authorization": "Basic " + token}
        context = ssl.create_default_context(cafile=ca)

    def call(url, data=None):
        try:
            return get(url, data=data, headers=headers, context=context)
        except urllib.error.HTTPError as e:  # the status only: a body could echo what was sent
            raise RuntimeError("HTTP %d from the coordinator" % e.code) from None

    res = call(coordinator.rstrip("/") + "/v1/statement", data=sql.encode("utf-8"))
    rows = []
    for _ in range(100):
        if res.get("error"):
            return "query failed: " + str(res["error"].get("message", ""))[:200]
        rows += res.get("data") or []
        if not res.get("nextUri"):
            break
        res = call(res["nextUri"])
    else:
        return "query did not finish"
    if any(r[0] == worker and r[1] == "active" for r in rows):
        return None
    return "the coordinator does not list node %s at %s as active (rows: %s)" % (node_id, worker, rows)


# Its argument counts after <since>.
probe({"trino-worker": (trino_worker, (3, 5))})
PY

#!/usr/bin/env bash
# Membership probes for the health checks of worker services (service-converge.sh's `probe` kind): a worker is
# healthy only when its master lists a registration of the worker's *current* process, not whatever entry the
# master still keeps from the process before a restart. Exit 0: healthy; 1: not (yet), with one line why.
# Usage: health-probe.sh <check> <since> <args...>
#   since: the unit's main process start, seconds since the epoch (0: unknown, no age condition)
#   trino-worker      <coordinator url> <worker url> <node id> [<ca file> <credentials file>]
#       the worker itself answers /v1/info with "starting": false, and the coordinator's system.runtime.nodes
#       (through /v1/statement) has node_id = <node id>, http_uri = <worker url>, state 'active'. With a CA
#       file and a credentials file (one line user:password, root's alone): the coordinator's certificate is
#       verified against the CA and the query logs in with those credentials (the password never on a command
#       line, never printed).
#   spark-worker      <master /json/ url> <host> <port>
#       the master lists a worker with state ALIVE, host and port exactly these, whose id
#       (worker-<yyyyMMddHHmmss>-<host>-<port>, the worker's local time) is not older than <since>.
#   datanode          <NameNode NameNodeInfo JMX url> <DataNode DataNodeInfo JMX url> <host:xfer port> <NameNode rpc port> [<ca file> [<keytab>:<principal>]]
#       the DataNode's own BPServiceActorInfo has an actor for the NameNode's rpc port in state RUNNING (set
#       only after this process registered), and the NameNode's LiveNodes has the entry whose xferaddr is
#       exactly <host:xfer port> with a heartbeat since <since> (lastContact + 1 <= seconds since <since>).
#       With a CA file (HDFS on HTTPS, with Kerberos): both answers over HTTPS, verified against it; with
#       <keytab>:<principal> as well, with SPNEGO as that principal (HDFS's web endpoints want Kerberos).
#   flink-taskmanager <JobManager /taskmanagers url> <host> [<ca file> <cert file> <key file>]
#       a TaskManager whose rpc address (path ...://flink@<host>:<port>/..., or id <host>:<port>-<suffix>) has
#       exactly this host, with its last heartbeat (ms since the epoch, JobManager clock) at or after <since>.
#       With the files (the REST endpoint with client certificates, with Kerberos): over HTTPS verified against
#       the CA, presenting that certificate.
# URLs may be file:// (tests feed recorded samples).
set -euo pipefail
# @prelude
# @params
exec python3 - "$@" <<'PY'
import base64, json, os, re, ssl, subprocess, sys, tempfile, time, urllib.error, urllib.request

TIMEOUT = 5


def get(url, data=None, headers=None, context=None):
    req = urllib.request.Request(url, data=data, headers=headers or {})
    with urllib.request.urlopen(req, timeout=TIMEOUT, context=context) as r:
        return json.loads(r.read().decode("utf-8"))


def jmx_bean(url, context=None):
    beans = get(url, context=context).get("beans") or []
    if not beans:
        raise LookupError("no bean at " + url)
    return beans[0]


def as_json(v):
    # JMX exposes these maps as JSON strings; accept them already parsed too.
    return json.loads(v) if isinstance(v, str) else v


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


def spark_worker(since, url, host, port):
    pat = re.compile(r"^worker-(\d{14})-(.+)-(\d+)$")
    seen = []
    for w in get(url).get("workers") or []:
        if w.get("host") != host or str(w.get("port")) != port:
            continue
        seen.append("%s %s" % (w.get("id"), w.get("state")))
        m = pat.match(str(w.get("id", "")))
        if w.get("state") != "ALIVE" or not m or m.group(2) != host or m.group(3) != port:
            continue
        registered = time.mktime(time.strptime(m.group(1), "%Y%m%d%H%M%S"))
        if registered >= int(since):
            return None
    return "no ALIVE registration of %s:%s since %d (have: %s)" % (host, port, int(since), seen or "none")


def spnego_bean(url, ca, krb):
    """The first JMX bean at url over HTTPS with SPNEGO (curl has GSS-API; urllib has not), with a ticket of
    <principal> from <keytab> (krb is <keytab>:<principal>) in a throwaway cache."""
    keytab, _, principal = krb.partition(":")
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, KRB5CCNAME="FILE:" + os.path.join(d, "cc"))
        subprocess.run(["kinit", "-k", "-t", keytab, "--", principal], env=env, check=True, capture_output=True, timeout=30)
        out = subprocess.run(["curl", "-fsS", "--max-time", str(TIMEOUT), "--negotiate", "-u", ":", "--cacert", ca, "--", url],
                             env=env, check=True, capture_output=True, timeout=TIMEOUT + 5).stdout
    beans = json.loads(out.decode("utf-8")).get("beans") or []
    if not beans:
        raise LookupError("no bean at " + url)
    return beans[0]


def datanode(since, nn_url, dn_url, xfer, nn_port, ca=None, krb=None):
    context = ssl.create_default_context(cafile=ca) if ca else None
    bean = (lambda u: spnego_bean(u, ca, krb)) if krb else (lambda u: jmx_bean(u, context))
    actors = as_json(bean(dn_url).get("BPServiceActorInfo") or "[]")
    if not any(a.get("ActorState") == "RUNNING" and str(a.get("NamenodeAddress", "")).endswith(":" + nn_port) for a in actors):
        return "the DataNode is not registered with the NameNode (actors: %s)" % [a.get("ActorState") for a in actors]
    live = as_json(bean(nn_url).get("LiveNodes") or "{}")
    # Keyed by <hostname>:<xfer port>; xferaddr is <ip>:<xfer port>. Without xferaddr, the key must be exact.
    entry = next((v for k, v in live.items() if v.get("xferaddr", k) == xfer), None)
    if entry is None:
        return "the NameNode does not list %s as live" % xfer
    age = time.time() - since
    if since > 0 and not (int(entry.get("lastContact", 1 << 30)) + 1 <= age):
        return "the NameNode's last contact with %s (%ss ago) is not after this start (%ds ago)" % (xfer, entry.get("lastContact"), age)
    return None


def tm_host(tm):
    m = re.match(r"^[a-z.]+://flink@(.+):(\d+)/", str(tm.get("path", "")))
    if m:
        return m.group(1)
    m = re.match(r"^(.+):(\d+)-[0-9a-fA-F]+$", str(tm.get("id", "")))
    return m.group(1) if m else None


def flink_taskmanager(since, url, host, ca=None, cert=None, key=None):
    context = None
    if ca:
        context = ssl.create_default_context(cafile=ca)
        context.load_cert_chain(cert, key)
    seen = 0
    for tm in get(url, context=context).get("taskmanagers") or []:
        if tm_host(tm) != host:
            continue
        seen += 1
        if int(tm.get("timeSinceLastHeartbeat") or 0) >= since * 1000:
            return None
    return "no TaskManager of %s with a heartbeat since %d (%d older)" % (host, int(since), seen)


# Each check's argument counts after <since>.
CHECKS = {"trino-worker": (trino_worker, (3, 5)), "spark-worker": (spark_worker, (3,)), "datanode": (datanode, (4, 5, 6)), "flink-taskmanager": (flink_taskmanager, (2, 5))}
if len(sys.argv) < 3 or sys.argv[1] not in CHECKS or len(sys.argv) - 3 not in CHECKS[sys.argv[1]][1]:
    print("usage: health-probe.sh <%s> <since> <args...>" % "|".join(CHECKS), file=sys.stderr)
    sys.exit(2)
fn = CHECKS[sys.argv[1]][0]
try:
    why = fn(float(sys.argv[2]), *sys.argv[3:])
except Exception as e:  # unreachable, not JSON, unexpected shape: not healthy yet
    why = "%s: %s" % (type(e).__name__, str(e)[:200])
if why:
    print(why)
    sys.exit(1)
PY

#!/usr/bin/env bash
# HDFS's membership probe (service-converge.sh's `probe` health kind): a DataNode is healthy only when the
# NameNode lists a registration of the DataNode's *current* process, not whatever entry the NameNode still keeps
# from the process before a restart. Exit 0: healthy; 1: not (yet), with one line why; 2: bad usage.
# Usage: hdfs-probe.sh datanode <since> <NameNode NameNodeInfo JMX url> <DataNode DataNodeInfo JMX url> <host:xfer port> <NameNode rpc port> [<ca file> [<keytab>:<principal>]]
#   since: the unit's main process start, seconds since the epoch (0: unknown, no age condition)
#   the DataNode's own BPServiceActorInfo has an actor for the NameNode's rpc port in state RUNNING (set
#   only after this process registered), and the NameNode's LiveNodes has the entry whose xferaddr is
#   exactly <host:xfer port> with a heartbeat since <since> (lastContact + 1 <= seconds since <since>).
#   With a CA file (HDFS on HTTPS, with Kerberos): both answers over HTTPS, verified against it; with
#   <keytab>:<principal> as well, with SPNEGO as that principal (HDFS's web endpoints want Kerberos).
set -euo pipefail
# @prelude
# @params
exec python3 - "$@" <<'PY'
# @lib probe.py
import time


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


# Its argument counts after <since>.
probe({"datanode": (datanode, (4, 5, 6))})
PY

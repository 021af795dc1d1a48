#!/usr/bin/env bash
# Flink's membership probe (service-converge.sh's `probe` health kind): a TaskManager is healthy only when its
# JobManager lists a registration of the TaskManager's *current* process, not whatever entry the JobManager still
# keeps from the process before a restart. Exit 0: healthy; 1: not (yet), with one line why; 2: bad usage.
# Usage: flink-probe.sh flink-taskmanager <since> <JobManager /taskmanagers url> <host> [<ca file> <cert file> <key file>]
#   since: the unit's main process start, seconds since the epoch (0: unknown, no age condition)
#   a TaskManager whose rpc address (path ...://flink@<host>:<port>/..., or id <host>:<port>-<suffix>) has
#   exactly this host, with its last heartbeat (ms since the epoch, JobManager clock) at or after <since>.
#   With the files (the REST endpoint with client certificates, with Kerberos): over HTTPS verified against
#   the CA, presenting that certificate.
set -euo pipefail
# @prelude
# @params
exec python3 - "$@" <<'PY'
# @lib probe.py
import re


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


# Its argument counts after <since>.
probe({"flink-taskmanager": (flink_taskmanager, (2, 5))})
PY

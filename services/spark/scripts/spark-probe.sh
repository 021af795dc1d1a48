#!/usr/bin/env bash
# Spark's membership probe (service-converge.sh's `probe` health kind): a worker is healthy only when its master
# lists a registration of the worker's *current* process, not whatever entry the master still keeps from the
# process before a restart. Exit 0: healthy; 1: not (yet), with one line why; 2: bad usage.
# Usage: spark-probe.sh spark-worker <since> <master /json/ url> <host> <port>
#   since: the unit's main process start, seconds since the epoch (0: unknown, no age condition)
#   the master lists a worker with state ALIVE, host and port exactly these, whose id
#   (worker-<yyyyMMddHHmmss>-<host>-<port>, the worker's local time) is not older than <since>.
set -euo pipefail
# @prelude
# @params
exec python3 - "$@" <<'PY'
# @lib probe.py
import re, time


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


# Its argument counts after <since>.
probe({"spark-worker": (spark_worker, (3,))})
PY

# The library every membership probe gets at its `# @lib probe.py` line when it is installed (lib/host-scripts.ts
# puts it in, with @SCRIPT@ replaced by the probe's name): the probes are services' scripts
# (services/<name>/scripts/<name>-probe.sh, service-converge.sh's `probe` health kind), each a Python program
# that ends by handing its checks to `probe`. URLs may be file:// (tests feed recorded samples).
# --- probe library (components/scripts/lib/probe.py) ---
import json, os, ssl, subprocess, sys, tempfile, urllib.error, urllib.request

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


def probe(checks):
    """Runs the check its arguments name: <check> <since> <args...>, checks mapping each check's name to its
    function and its argument counts after <since>. The function returns None when healthy, else why not. Exits
    0: healthy; 1: not (yet), with one line why; 2: bad usage."""
    if len(sys.argv) < 3 or sys.argv[1] not in checks or len(sys.argv) - 3 not in checks[sys.argv[1]][1]:
        print("usage: @SCRIPT@ <%s> <since> <args...>" % "|".join(checks), file=sys.stderr)
        sys.exit(2)
    fn = checks[sys.argv[1]][0]
    try:
        why = fn(float(sys.argv[2]), *sys.argv[3:])
    except Exception as e:  # unreachable, not JSON, unexpected shape: not healthy yet
        why = "%s: %s" % (type(e).__name__, str(e)[:200])
    if why:
        print(why)
        sys.exit(1)
# --- end of probe library ---

/**
 * A Trino query from a lab host, as a client would send it: over HTTPS verified against the cluster CA, with the
 * user's password on stdin (never on a command line). The lab suites pass their own `on` (run on host i).
 */
export type OnHost = (i: number, cmd: string, stdin?: string) => Promise<string>;

const CLIENT = [
  "import base64, json, ssl, sys, urllib.request",
  "sql = base64.b64decode(sys.argv[2]).decode()",
  "user, _, pw = sys.stdin.readline().rstrip('\\n').partition(':')",
  "h = {'X-Trino-User': user, 'Authorization': 'Basic ' + base64.b64encode((user + ':' + pw).encode()).decode()}",
  "ctx = ssl.create_default_context(cafile='/etc/lakehouse/tls/ca.crt')",
  "r = json.load(urllib.request.urlopen(urllib.request.Request(sys.argv[1] + '/v1/statement', data=sql.encode(), headers=h), timeout=120, context=ctx))",
  "rows = []",
  "while True:",
  "    if 'error' in r: sys.exit('trino: ' + r['error'].get('message', json.dumps(r['error'])))",
  "    rows += r.get('data', [])",
  "    if 'nextUri' not in r: break",
  "    r = json.load(urllib.request.urlopen(urllib.request.Request(r['nextUri'], headers=h), timeout=120, context=ctx))",
  "print(json.dumps(rows))",
].join("\n");

/** The rows of `sql`, run from host `i` against the coordinator at `url` (https://…:8443). */
export async function trinoQuery(on: OnHost, i: number, url: string, sql: string, user: string, password: string): Promise<unknown[][]> {
  const b64 = (x: string) => Buffer.from(x).toString("base64");
  const out = await on(
    i,
    `echo ${b64(CLIENT)} | base64 -d > /tmp/trino-q.py && python3 /tmp/trino-q.py ${url} ${b64(sql)}`,
    `${user}:${password}\n`,
  );
  return JSON.parse(out) as unknown[][];
}

/**
 * Kerberos on the 3-host lab through the real engine (the full tier: `npm run test:lab:full`; CI runs the core
 * tier, tests/lab/). One deployment serves every check: the whole lab stack with `kerberos.enabled` and the KDC
 * on cpu-node1 (its smoke test runs Trino, Spark and Flink with their Kerberos logins), then the realm, the
 * keytabs, the engines' logins and the admin door checked from the hosts, a second up that changes
 * nothing, the secrets looked for everywhere, a lost database refused, and last `pulumi destroy` and an up from
 * an empty state that finds the same realm and keytabs.
 *
 * Needs root (network namespaces, systemd-nspawn). Without it every test SKIPS, saying why.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { createHash } from "crypto";
import { tmpdir } from "os";
import * as path from "path";
import { Lab, labSecurityConfig, labServicesConfig, readLab } from "../../lab/config";
import { allowedMissing } from "../helpers/lab-missing";
import { ensureEngine } from "../../lab/engine";
import { ranSteps } from "../../lab/records";
import { LabStack, RunResult } from "../../lab/stack";
import { runSsh } from "../helpers/ssh";
import { flinkSqlCommand, HOST_SCAN_CLEAN, hostSecretScan, plainThriftProbe } from "../helpers/lab-clients";
import { trinoQuery } from "../helpers/trino";
import { ROOT } from "../helpers/stacks";

const LAB = path.join(ROOT, "lab/lab.sh");
const skip = process.getuid?.() !== 0 ? "needs root (network namespaces, systemd-nspawn): run as root" : undefined;
if (skip) console.log(`\n*** SKIPPED: lab Kerberos tests: ${skip} ***\n`);

const REALM = "LAB.LAKEHOUSE";
let lab: Lab;
let stateDir: string;
let stack: LabStack;
let first: RunResult;
let second: RunResult;
const outputs: Array<{ label: string; text: string }> = [];
const numbers: Record<string, unknown> = {};

/** A CA of "the user's own" (tls.caCertificate with the secret tlsCaKey), made here before the first up. */
const userCa = { key: "", crt: "" };
function stackConfig(extra?: (v: Record<string, any>) => void) {
  // The whole lab stack (Spark, Flink and the smoke test too) in Kerberos mode, on the user's own CA.
  const v = labSecurityConfig(lab, true, REALM);
  v.tls = { ...v.tls, caCertificate: userCa.crt };
  v.tlsCaKey = userCa.key;
  extra?.(v);
  return v;
}
async function configure(extra?: (v: Record<string, any>) => void) {
  await stack.configure(stackConfig(extra), ["sshPrivateKey", "kerberosAdminPassword", "tlsCaKey"]);
}
async function up(label: string): Promise<RunResult> {
  const r = await stack.up();
  outputs.push({ label, text: r.output });
  console.log(`pulumi up (${label}): ${r.ok ? "ok" : "FAILED"} in ${r.wallSeconds.toFixed(1)}s, ${ranSteps(r.steps).length} steps`);
  return r;
}
async function run(i: number, cmd: string, stdin?: string) {
  const n = lab.nodes[i];
  return runSsh({ ...n, privateKey: readFileSync(lab.privateKeyPath, "utf8") }, cmd, stdin, 300_000);
}
async function on(i: number, cmd: string, stdin?: string) {
  const r = await run(i, cmd, stdin);
  assert.equal(r.code, 0, `${lab.nodes[i].name}: ${cmd.slice(0, 300)}\n${r.stderr.slice(-2000)}`);
  return r.stdout;
}
const adminPassword = async () => String((await stack.outputs()).kerberosAdminPassword.value);

/** The keytabs the plan gives each lab node (dev roles): user -> principals' primaries. */
const EXPECTED: Record<string, Record<string, string[]>> = {
  "cpu-node1": { hdfs: ["HTTP", "dn", "nn"], hive: ["hive"], trino: ["trino"], spark: ["spark"], flink: ["flink"] },
  "cpu-node2": { hdfs: ["HTTP", "dn"], trino: ["trino"], spark: ["spark"], flink: ["flink"] },
  "worker-node3": { hdfs: ["HTTP", "dn"], trino: ["trino"], spark: ["spark"], flink: ["flink"] },
};
const JAVA17 = "/usr/lib/jvm/java-17-openjdk-amd64";
/** `hdfs` as <user>, with the ticket cache <cc> when given. */
const hdfsAs = (user: string, cc?: string) =>
  `cd /tmp && runuser -u ${user} -- env ${cc ? `KRB5CCNAME=${cc} ` : ""}JAVA_HOME=${JAVA17} HADOOP_CONF_DIR=/etc/hadoop/conf /opt/hadoop/current/bin/hdfs`;
/** A ticket for <user>'s own principal on node <i>, in a cache of its own; returns the cache's name. */
async function ticket(i: number, user: string, primary = user): Promise<string> {
  const cc = `FILE:/tmp/krb5cc_test_${user}`;
  await on(
    i,
    `runuser -u ${user} -- env KRB5CCNAME=${cc} kinit -k -t /etc/security/keytabs/${user}.keytab ${primary}/${lab.nodes[i].name}@${REALM}`,
  );
  return cc;
}
async function trino(i: number, sql: string, user = "admin"): Promise<unknown[][]> {
  const pw = ((await stack.outputs()).trinoPasswords.value as Record<string, string>)[user];
  return trinoQuery(on, i, `https://${lab.nodes[0].host}:8443`, sql, user, pw);
}

/** `principal kvno` lines of every keytab on a node (klist -k), sorted. */
async function keytabKeys(i: number): Promise<string> {
  const out = await on(
    i,
    'for f in /etc/security/keytabs/*.keytab; do klist -k -- "$f" | awk -v f="$f" \'NR>3 {print f, $2, $1}\'; done | sort -u',
  );
  return out.trim();
}

before(async () => {
  if (skip) return;
  stateDir = mkdtempSync(path.join(tmpdir(), "lakehouse-lab-kerberos-"));
  const engine = ensureEngine();
  execFileSync("bash", [path.join(ROOT, "lab/mirror.sh")], { stdio: "inherit" });
  execFileSync("bash", [LAB, "up", "--nodes", "3"], { stdio: "inherit" });
  lab = readLab();
  // Every engine or a clear failure: this suite has no opt-out's partial checks, so nothing may be missing.
  allowedMissing(labServicesConfig(lab).missing, "");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-new",
      "-newkey",
      "rsa:3072",
      "-nodes",
      "-sha256",
      "-days",
      "30",
      "-subj",
      "/CN=users own CA (lab)",
      "-addext",
      "basicConstraints=critical,CA:TRUE,pathlen:0",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
      "-keyout",
      path.join(stateDir, "user-ca.key"),
      "-out",
      path.join(stateDir, "user-ca.crt"),
    ],
    { stdio: "ignore" },
  );
  userCa.key = readFileSync(path.join(stateDir, "user-ca.key"), "utf8");
  userCa.crt = readFileSync(path.join(stateDir, "user-ca.crt"), "utf8");
  stack = await LabStack.open({ engine, stateDir, stackName: "lab-kerberos", log: (l) => console.log(`  ${l}`) });
  await configure();
  first = await up("fullApply");
  second = first.ok ? await up("noOpReapply") : first;
  numbers.fullApplySeconds = first.wallSeconds;
  numbers.noOpUpSeconds = second.wallSeconds;
  console.log(`lab kerberos numbers: ${JSON.stringify(numbers)}`);
});

after(() => {
  if (skip) return;
  console.log(`lab kerberos numbers (final): ${JSON.stringify(numbers)}`);
  spawnSync("bash", [LAB, "down"], { stdio: "inherit" });
  rmSync(stateDir, { recursive: true, force: true });
});

test("a fresh pulumi up with kerberos.enabled succeeds; a second changes nothing", { skip }, () => {
  assert.ok(first.ok, first.error);
  assert.ok(second.ok, second.error);
  assert.deepEqual(
    ranSteps(second.steps).map((s) => s.name),
    [],
    "the second up ran steps",
  );
});

test("the KDC and kadmind run on cpu-node1 over a database made once; the stack outputs the realm", { skip }, async () => {
  assert.equal((await on(0, "systemctl is-active krb5-kdc krb5-admin-server")).trim(), "active\nactive");
  const db = (await on(0, "ls -a /var/lib/krb5kdc")).split("\n");
  for (const f of ["principal", `.k5.${REALM}`]) assert.ok(db.includes(f), `${f} in /var/lib/krb5kdc: ${db.join(" ")}`);
  assert.match(await on(0, `cat /var/lib/lakehouse-iac/kerberos/${REALM}.created`), /^created \d{4}-/);
  assert.equal((await on(0, "stat -c '%a %U' /var/lib/krb5kdc")).trim(), "700 root");
  const out = await stack.outputs();
  assert.deepEqual(out.kerberos.value, { realm: REALM, kdcs: [`${lab.nodes[0].host}:88`], adminServer: `${lab.nodes[0].host}:749` });
  assert.equal((out.security.value as any).mode, "kerberos");
  // Only the KDC node runs it.
  for (const i of [1, 2]) assert.equal((await run(i, "systemctl is-active krb5-kdc")).stdout.trim() || "inactive", "inactive");
});

test("every service user has its keytab: its principals only, 0400, its own; each logs in; no other user reads it", { skip }, async () => {
  for (const [i, n] of lab.nodes.slice(0, 3).entries()) {
    assert.match(await on(i, "cat /etc/krb5.conf"), new RegExp(`default_realm = ${REALM}`));
    for (const [user, primaries] of Object.entries(EXPECTED[n.name])) {
      const kt = `/etc/security/keytabs/${user}.keytab`;
      assert.equal((await on(i, `stat -c '%a %U' ${kt}`)).trim(), `400 ${user}`, `${n.name} ${kt}`);
      const principals = (await on(i, `klist -k ${kt} | awk 'NR>3 {print $2}' | sort -u`)).trim().split("\n");
      assert.deepEqual(principals, primaries.map((p) => `${p}/${n.name}@${REALM}`).sort(), `${n.name} ${kt}`);
      // The user itself logs each principal in, into a throwaway cache; the other service users cannot read it.
      for (const p of principals)
        await on(
          i,
          `runuser -u ${user} -- env KRB5CCNAME=FILE:/tmp/kt-check-${user} kinit -k -t ${kt} ${p} && rm -f /tmp/kt-check-${user}`,
        );
      for (const other of Object.keys(EXPECTED[n.name]).filter((u) => u !== user)) {
        const r = await run(i, `runuser -u ${other} -- cat ${kt} >/dev/null`);
        assert.notEqual(r.code, 0, `${n.name}: ${other} reads ${kt}`);
      }
    }
  }
});

test(
  "HDFS with Kerberos: no ticket, no access; the engines' principals act as the warehouse owner, inside /lakehouse only",
  { skip },
  async () => {
    // Without a ticket, even the HDFS user gets nothing: simple authentication is gone.
    const anon = await run(1, `${hdfsAs("hdfs")} dfs -ls / 2>&1`);
    assert.notEqual(anon.code, 0, "hdfs dfs -ls / without a ticket succeeded");
    assert.match(anon.stdout + anon.stderr, /GSS|Kerberos|authenticate|TGT/i);
    // A claimed user name no longer matters.
    const claimed = await run(
      1,
      `cd /tmp && runuser -u trino -- env HADOOP_USER_NAME=hdfs JAVA_HOME=${JAVA17} HADOOP_CONF_DIR=/etc/hadoop/conf /opt/hadoop/current/bin/hdfs dfs -ls / 2>&1`,
    );
    assert.notEqual(claimed.code, 0, "HADOOP_USER_NAME=hdfs without a ticket was believed");
    // trino/<node> is the warehouse owner: it writes under /lakehouse and nowhere above it.
    const cc = await ticket(1, "trino");
    await on(
      1,
      `${hdfsAs("trino", cc)} dfs -touchz /lakehouse/iceberg/kerberos-probe && ${hdfsAs("trino", cc)} dfs -rm -skipTrash /lakehouse/iceberg/kerberos-probe`,
    );
    const above = await run(1, `${hdfsAs("trino", cc)} dfs -mkdir /kerberos-above 2>&1`);
    assert.notEqual(above.code, 0, "the engines' principal made a directory at the HDFS root");
    assert.match(above.stdout + above.stderr, /Permission denied: user=hive/);
    // The NameNode's principal is the HDFS superuser.
    const nn = await ticket(0, "hdfs", "nn");
    assert.match(await on(0, `${hdfsAs("hdfs", nn)} dfsadmin -report 2>/dev/null`), /Live datanodes \(3\)/);
  },
);

test(
  "HDFS's web endpoints: HTTPS only, on the CA's certificates for the nodes' names, and Kerberos (SPNEGO) for every call",
  { skip },
  async () => {
    const cc = await ticket(2, "trino");
    for (const [i, port] of [
      [0, 9870],
      [1, 9864],
    ] as const) {
      const n = lab.nodes[i];
      const url = `https://${n.name}:${port}/jmx?qry=java.lang:type=Runtime`;
      // With a ticket: the answer, over TLS verified against the CA for the node's name.
      assert.match(await on(2, `env KRB5CCNAME=${cc} curl -fsS --negotiate -u : --cacert /etc/lakehouse/tls/ca.crt '${url}'`), /"beans"/);
      // The certificate verifies for the node's address too.
      const byAddr = await run(
        2,
        `curl -sS -o /dev/null -w '%{http_code}' --cacert /etc/lakehouse/tls/ca.crt 'https://${n.host}:${port}/jmx'`,
      );
      assert.equal(byAddr.code, 0, `${n.name}: TLS by address: ${byAddr.stderr}`);
      // Without a ticket: 401, even for /jmx, and a claimed user name counts for nothing.
      // WebHDFS's namespace calls are the NameNode's (a DataNode's take only delegation tokens).
      for (const path of i === 0 ? ["/jmx", "/webhdfs/v1/?op=LISTSTATUS&user.name=hdfs"] : ["/jmx"]) {
        const anon = await run(2, `curl -sS -w '\\n%{http_code}' --cacert /etc/lakehouse/tls/ca.crt 'https://${n.name}:${port}${path}'`);
        assert.equal(anon.stdout.trim().split("\n").at(-1), "401", `${n.name}:${port}${path}: ${anon.stdout.slice(0, 200)}`);
        assert.doesNotMatch(anon.stdout, /FileStatuses|"beans"/);
      }
      const plain = await run(2, `curl -fsS --max-time 5 http://${n.host}:${port}/jmx`);
      assert.notEqual(plain.code, 0, `${n.name}:${port} answers plain HTTP`);
    }
  },
);

test("the metastore's Thrift port speaks SASL only: a plain Thrift call gets no answer", { skip }, async () => {
  // get_all_databases as TBinaryProtocol, unframed: an open metastore answers it; a SASL one drops it.
  const out = await on(2, plainThriftProbe(lab.nodes[0].host));
  assert.equal(out.trim(), "no-reply");
});

/**
 * Records the TCP traffic on <port> in node <i>'s network namespace (this machine's tcpdump, in a namespace the
 * lab made: nothing is sent) while <work> runs; returns the captured bytes.
 */
async function capture(i: number, port: number, work: () => Promise<void>): Promise<Buffer> {
  assert.ok(existsSync("/usr/bin/tcpdump"), "tcpdump is missing: apt-get install tcpdump (.ci/run installs it)");
  const file = path.join(stateDir, `capture-${port}.pcap`);
  const ns = `lab-${lab.nodes[i].name}`;
  const dump = spawn("ip", ["netns", "exec", ns, "tcpdump", "-i", "any", "-U", "-s", "0", "-w", file, "tcp", "port", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const exited = new Promise<void>((r) => dump.on("exit", () => r()));
  await new Promise<void>((resolve, reject) => {
    let err = "";
    dump.stderr!.on("data", (d) => ((err += d), /listening on/.test(err) && resolve()));
    dump.on("exit", (code) => reject(new Error(`tcpdump exited (${code}): ${err}`)));
  });
  try {
    await work();
  } finally {
    process.kill(dump.pid!, "SIGINT");
    await exited;
  }
  return readFileSync(file);
}

test(
  "the metastore's Thrift is encrypted by SASL: a capture on its node sees the Kerberos handshake, never the names a client sends",
  { skip },
  async () => {
    const tag = `wire${Date.now().toString(36)}`;
    const cc = await ticket(1, "spark");
    const spark = `cd /tmp && runuser -u spark -- env KRB5CCNAME=${cc} JAVA_HOME=${JAVA17} SPARK_CONF_DIR=/etc/spark/conf /opt/spark/current/bin/spark-sql --master 'local[1]' -S -e`;
    const bytes = await capture(0, 9083, async () => {
      // Trino (its own Thrift client, wire encryption on) and Spark (Hive 2.3.9's client) each send a new name.
      await trino(1, `CREATE SCHEMA hive.${tag}_t`);
      await on(1, `${spark} 'CREATE DATABASE ${tag}_s' 2>/tmp/wire-spark.err || { tail -n 20 /tmp/wire-spark.err; exit 1; }`);
    });
    try {
      // The capture holds these sessions: SASL's start message names its mechanism in the clear...
      assert.ok(bytes.length > 4096, `captured ${bytes.length} bytes`);
      assert.ok(bytes.includes("GSSAPI"), "no SASL GSSAPI handshake captured on port 9083");
      // ...and everything after it is wrapped: neither name appears (an open metastore sends both in the clear).
      assert.ok(!bytes.includes(`${tag}_t`), "Trino's CREATE SCHEMA crossed the wire in the clear");
      assert.ok(!bytes.includes(`${tag}_s`), "Spark's CREATE DATABASE crossed the wire in the clear");
      // They did reach the metastore.
      assert.ok(
        (await trino(2, "SHOW SCHEMAS FROM hive")).some(([x]) => x === `${tag}_s`),
        "Spark's database is in the metastore",
      );
    } finally {
      await trino(1, `DROP SCHEMA IF EXISTS hive.${tag}_t`);
      await trino(1, `DROP SCHEMA IF EXISTS hive.${tag}_s`);
    }
  },
);

test("Trino's catalogs reach the metastore and HDFS with Kerberos: a table is made, written and read", { skip }, async () => {
  await trino(1, "CREATE SCHEMA IF NOT EXISTS iceberg.krb");
  await trino(1, "CREATE TABLE IF NOT EXISTS iceberg.krb.t (id integer)");
  await trino(1, "INSERT INTO iceberg.krb.t VALUES 1, 2, 3");
  assert.deepEqual(await trino(2, "SELECT count(*), sum(id) FROM iceberg.krb.t"), [[3, 6]]);
  // The files are on HDFS, written as the warehouse owner.
  const cc = await ticket(1, "trino");
  const files = await on(1, `${hdfsAs("trino", cc)} dfs -ls -R /lakehouse 2>/dev/null`);
  const mine = files.split("\n").filter((l) => /\/krb\.db\/|\/krb\//.test(l));
  assert.ok(mine.length > 0, `no file of iceberg.krb.t under /lakehouse:\n${files}`);
  for (const l of mine) assert.match(l, /^\S+\s+\S+\s+hive\s+hadoop\s/, `written as the warehouse owner: ${l}`);
  // The other two catalogs reach the same Kerberos metastore (Trino writes Delta tables on HDFS only with
  // delta.enable-non-concurrent-writes, which the lab leaves off: Spark writes them in the core tier).
  assert.ok(
    (await trino(2, "SHOW SCHEMAS FROM delta")).some(([s]) => s === "krb"),
    "delta lists the schema",
  );
  assert.deepEqual(await trino(2, "SHOW TABLES FROM hive.krb"), [["t"]]);
});

test(
  "the cross-engine smoke test passes in Kerberos mode: Trino over HTTPS with a password, Spark and Flink from their keytabs",
  { skip },
  async () => {
    const r = (await stack.outputs()).smokeTest.value as { status: string; steps: Array<{ step: string; result: string }>; detail: string };
    assert.equal(r.status, "passed", `${r.detail}\n${JSON.stringify(r.steps)}`);
    assert.deepEqual(
      r.steps.map((s) => `${s.step}:${s.result}`),
      ["trino-writes-iceberg", "spark-reads-iceberg", "spark-writes-delta", "trino-reads-delta", "flink-lists-hive-catalog"].map(
        (s) => `${s}:ok`,
      ),
      "every step ran (none skipped)",
    );
  },
);

test("Spark's executors get their node's HDFS token: kept by a timer, renewed in place, the spark user's alone", { skip }, async () => {
  for (const i of [0, 1, 2]) {
    const n = lab.nodes[i].name;
    assert.equal((await on(i, "stat -c '%a %U' /var/lib/spark/work/hdfs.token")).trim(), "600 spark", n);
    assert.equal((await on(i, "systemctl is-active spark-hdfs-token.timer")).trim(), "active", n);
    assert.notEqual(
      (await run(i, "runuser -u flink -- cat /var/lib/spark/work/hdfs.token >/dev/null")).code,
      0,
      `${n}: flink reads the token`,
    );
  }
  // The timer's task renews the same token (executors that hold it keep working) instead of fetching another.
  const before = await on(1, "sha256sum < /var/lib/spark/work/hdfs.token");
  await on(1, "systemctl start spark-hdfs-token.service");
  assert.match(await on(1, "journalctl -u spark-hdfs-token.service -o cat --no-pager | tail -n 3"), /renewed the HDFS token/);
  assert.equal(await on(1, "sha256sum < /var/lib/spark/work/hdfs.token"), before, "the token file was replaced, not renewed");
  // Flink's processes logged in from their keytabs (Hadoop's login user is the node's flink principal).
  for (const i of [1, 2]) {
    const log = await on(i, "cat /var/log/lakehouse/flink/*taskexecutor*.log 2>/dev/null | grep -m1 -E 'auth:KERBEROS' || true");
    assert.match(log, new RegExp(`flink/${lab.nodes[i].name}@${REALM}`), `${lab.nodes[i].name}: the TaskManager's Kerberos login`);
  }
  // The spark principal is the warehouse owner too: inside /lakehouse only.
  const cc = await ticket(1, "spark");
  const above = await run(1, `${hdfsAs("spark", cc)} dfs -mkdir /spark-above 2>&1`);
  assert.notEqual(above.code, 0, "spark made a directory at the HDFS root");
  assert.match(above.stdout + above.stderr, /Permission denied/);
});

test("Flink's REST endpoint: HTTPS with a certificate of the cluster CA only; no jar upload even then", { skip }, async () => {
  const url = `https://${lab.nodes[0].host}:8081`;
  const ca = "--cacert /etc/lakehouse/tls/ca.crt";
  const mine = "--cert /etc/lakehouse/tls/node.crt --key /etc/lakehouse/tls/node.key";
  // With this node's certificate: the API answers, and lists the three TaskManagers.
  assert.match(await on(2, `curl -fsS --max-time 10 ${ca} ${mine} ${url}/overview`), /"taskmanagers":3\b/);
  // Without a client certificate, with one the CA did not sign, or over plain HTTP: no API.
  const none = await run(2, `curl -sS --max-time 10 ${ca} ${url}/overview`);
  assert.notEqual(none.code, 0, `no client certificate: ${none.stdout.slice(0, 200)}`);
  const stranger = await run(
    2,
    "d=$(mktemp -d) && openssl req -x509 -newkey rsa:2048 -nodes -keyout $d/k -out $d/c -days 1 -subj /CN=stranger 2>/dev/null && " +
      `curl -sS --max-time 10 ${ca} --cert $d/c --key $d/k ${url}/overview; rc=$?; rm -rf "$d"; exit $rc`,
  );
  assert.notEqual(stranger.code, 0, `a certificate of another CA: ${stranger.stdout.slice(0, 200)}`);
  const plain = await run(2, `curl -sS --max-time 10 http://${lab.nodes[0].host}:8081/overview`);
  assert.doesNotMatch(plain.stdout, /taskmanagers/, "plain HTTP answered the API");
  // Jar upload stays off (flink.webSubmit), for a client with a certificate too.
  const upload = await on(
    2,
    `curl -sS -o /dev/null -w '%{http_code}' --max-time 10 ${ca} ${mine} -X POST -F jarfile=@/etc/hostname ${url}/jars/upload`,
  );
  assert.match(upload.trim(), /^4\d\d$/, `jar upload answered ${upload}`);
});

test(
  "Flink's internal connections are TLS with the CA's certificates both ways: a job runs; a peer without one is refused",
  { skip },
  async () => {
    const rpc = `${lab.nodes[0].host}:6123`;
    const tls = "openssl s_client -brief -CAfile /etc/lakehouse/tls/ca.crt -verify_return_error";
    // With this node's certificate: a TLS session with the JobManager's RPC port, its certificate verified by the CA.
    const mine = await run(2, `${tls} -cert /etc/lakehouse/tls/node.crt -key /etc/lakehouse/tls/node.key -connect ${rpc} </dev/null 2>&1`);
    assert.match(mine.stdout, /CONNECTION ESTABLISHED/, mine.stdout);
    assert.match(mine.stdout, /Verification: OK/, mine.stdout);
    // Without one: refused in the handshake (Flink authenticates both ends of every internal connection).
    const none = await run(2, `${tls} -connect ${rpc} </dev/null 2>&1`);
    assert.doesNotMatch(none.stdout, /CONNECTION ESTABLISHED/, none.stdout);
    // A job over those connections: its graph and blobs to the JobManager, its tasks on TaskManagers, results back.
    const sql = [
      "SET 'sql-client.execution.result-mode' = 'tableau';",
      "SET 'execution.runtime-mode' = 'batch';",
      "SELECT CONCAT('total=', CAST(SUM(x) AS STRING)) AS r FROM (VALUES (1), (2), (39)) AS t(x);",
    ].join("\n");
    const out = await on(2, flinkSqlCommand(sql, "/tmp/tls-job.sql"));
    assert.match(out, /total=42/, out.slice(-2000));
    const jobs = await on(
      2,
      `curl -fsS --max-time 10 --cacert /etc/lakehouse/tls/ca.crt --cert /etc/lakehouse/tls/node.crt --key /etc/lakehouse/tls/node.key https://${rpc.replace(":6123", ":8081")}/jobs/overview`,
    );
    assert.match(jobs, /"state":"FINISHED"/, jobs);
  },
);

test(
  "your own CA: it is the caCertificate output; every node's certificate is its, for the node's name; its key only on the CA node",
  { skip },
  async () => {
    const out = String((await stack.outputs()).caCertificate.value);
    assert.equal(out.trim(), userCa.crt.trim(), "the stack output is the given CA");
    writeFileSync(path.join(stateDir, "ca-out.crt"), out);
    const keySha = createHash("sha256").update(userCa.key).digest("hex");
    for (const i of [0, 1, 2]) {
      const n = lab.nodes[i];
      assert.equal((await on(i, "cat /etc/lakehouse/tls/ca.crt")).trim(), userCa.crt.trim(), `${n.name}: the CA it trusts`);
      const crt = await on(i, "cat /etc/lakehouse/tls/node.crt");
      // Verified here against the output, with the node's name and address (what a client checks).
      for (const name of [`-verify_hostname ${n.name}`, `-verify_ip ${n.host}`]) {
        const v = spawnSync("bash", ["-c", `openssl verify -CAfile ${path.join(stateDir, "ca-out.crt")} ${name}`], {
          input: crt,
          encoding: "utf8",
        });
        assert.equal(v.status, 0, `${n.name} ${name}: ${v.stdout}${v.stderr}`);
      }
      const keyThere = (await on(i, "sha256sum < /etc/lakehouse/tls-ca/ca.key 2>/dev/null || true")).split(" ")[0].trim();
      assert.equal(keyThere === keySha, i === 0, `${n.name}: the CA's key ${i === 0 ? "is" : "is not"} there`);
    }
    // HTTPS doors present certificates of that CA: Trino's, checked with the output alone.
    const trinoTls = await on(
      2,
      `openssl s_client -brief -CAfile /etc/lakehouse/tls/ca.crt -verify_return_error -verify_ip ${lab.nodes[0].host} -connect ${lab.nodes[0].host}:8443 </dev/null 2>&1`,
    );
    assert.match(trinoTls, /Verification: OK/, trinoTls);
  },
);

test("the admin door: kadmin with the stack's admin password works from any node; a wrong one is refused", { skip }, async () => {
  const pw = await adminPassword();
  const list = await on(2, `kadmin -p lakehouse/admin@${REALM} -q listprincs`, `${pw}\n`);
  assert.match(list, new RegExp(`nn/cpu-node1@${REALM}`));
  const bad = await run(2, `kadmin -p lakehouse/admin@${REALM} -q listprincs`, "not-the-password\n");
  assert.notEqual(bad.code, 0);
  assert.doesNotMatch(bad.stdout, /nn\/cpu-node1/);
  // Without a ticket, nothing: kinit with a wrong password is refused by the KDC.
  const kinit = await run(1, `env KRB5CCNAME=FILE:/tmp/bad-cc kinit lakehouse/admin@${REALM}`, "wrong-password\n");
  assert.notEqual(kinit.code, 0);
  assert.match(kinit.stderr, /Password incorrect|Preauthentication failed/);
});

test(
  "no Kerberos secret (nor the CA key) in the state, the CLI's output, or on any host's command lines, journal or logs",
  { skip },
  async () => {
    const pw = await adminPassword();
    // The keytabs' bytes, as base64 (how they would appear if they travelled through Pulumi).
    const keytabs = (await on(0, 'for f in /etc/security/keytabs/*.keytab; do base64 -w0 -- "$f"; echo; done')).trim().split("\n");
    const tokens = (await on(1, "base64 -w0 -- /var/lib/spark/work/hdfs.token")).trim();
    // The user's CA key: its base64 body lines (how it would appear anywhere).
    const caKeyLines = userCa.key.split("\n").filter((l) => l.length > 40 && !l.startsWith("-----"));
    const secrets = [pw, ...keytabs, tokens, ...caKeyLines];
    const state = JSON.stringify(await stack.exportState());
    for (const s of secrets) assert.ok(!state.includes(s), "a Kerberos secret is in the exported state");
    for (const o of outputs) for (const s of secrets) assert.ok(!o.text.includes(s), `a Kerberos secret is in the output of ${o.label}`);
    const scan = hostSecretScan(["/var/log", "/var/lib/lakehouse-iac", "/tmp"]);
    for (const i of [0, 1, 2])
      assert.equal((await on(i, scan, `${[pw, ...caKeyLines].join("\n")}\n`)).trim(), HOST_SCAN_CLEAN, lab.nodes[i].name);
  },
);

test("a lost KDC database is refused, naming the marker; restored, the next up converges", { skip }, async () => {
  await on(0, "mv /var/lib/krb5kdc /var/lib/krb5kdc.moved");
  // A new admin password makes the realm step run again.
  await configure((v) => (v.kerberosAdminPassword = "a-new-admin-password-1"));
  const r = await up("lostDatabase");
  assert.ok(!r.ok, "an up over a lost KDC database succeeded");
  assert.match(r.output, /refusing to create a new realm/);
  assert.match(await on(0, "ls /var/lib/krb5kdc 2>/dev/null | wc -l"), /^0/, "no new database was made");
  await on(0, "rm -rf /var/lib/krb5kdc && mv /var/lib/krb5kdc.moved /var/lib/krb5kdc");
  const keysBefore = await keytabKeys(1);
  const again = await up("restoredDatabase");
  assert.ok(again.ok, again.error);
  assert.equal(await adminPassword(), "a-new-admin-password-1");
  await on(2, `kadmin -p lakehouse/admin@${REALM} -q listprincs >/dev/null`, "a-new-admin-password-1\n");
  assert.equal(await keytabKeys(1), keysBefore, "the keytabs were kept (same principals, same key versions)");
});

test("destroy keeps the realm: pulumi destroy, then an up from an empty state finds the same database and keytabs", { skip }, async () => {
  const marker = await on(0, `cat /var/lib/lakehouse-iac/kerberos/${REALM}.created`);
  const keys = await Promise.all([0, 1, 2].map(keytabKeys));
  const d = await stack.destroy();
  outputs.push({ label: "destroy", text: d.output });
  assert.ok(d.ok, d.error);
  assert.equal((await run(0, "systemctl is-active krb5-kdc")).stdout.trim(), "inactive");
  await on(0, "test -s /var/lib/krb5kdc/principal");
  await stack.remove();
  await configure(); // a new stack: a new generated admin password, the same database
  const r = await up("upAfterDestroy");
  assert.ok(r.ok, r.error);
  numbers.upAfterDestroySeconds = r.wallSeconds;
  assert.equal(await on(0, `cat /var/lib/lakehouse-iac/kerberos/${REALM}.created`), marker, "the same realm (not made again)");
  assert.deepEqual(await Promise.all([0, 1, 2].map(keytabKeys)), keys, "every keytab kept (same key versions)");
  await on(1, `kadmin -p lakehouse/admin@${REALM} -q listprincs >/dev/null`, `${await adminPassword()}\n`);
});

test(
  "an existing realm (kerberos.external): the same KDC, now run outside the stack, serves a new stack; the keytabs are kept and the smoke test passes",
  { skip },
  async () => {
    const pw = await adminPassword();
    const keys = await Promise.all([0, 1, 2].map(keytabKeys));
    const d = await stack.destroy();
    outputs.push({ label: "destroy2", text: d.output });
    assert.ok(d.ok, d.error);
    // The realm goes on without the stack, as one run by someone else would.
    await on(0, "systemctl start krb5-kdc krb5-admin-server && systemctl is-active krb5-kdc krb5-admin-server");
    await stack.remove();
    await configure((v) => {
      v.nodes[0].roles = v.nodes[0].roles.filter((r: string) => r !== "kdc");
      v.kerberos = { ...v.kerberos, external: { kdcs: [`${lab.nodes[0].host}:88`], adminServer: `${lab.nodes[0].host}:749` } };
      v.kerberosAdminPassword = pw;
    });
    const r = await up("externalRealm");
    assert.ok(r.ok, r.error);
    numbers.externalRealmUpSeconds = r.wallSeconds;
    assert.ok(!r.steps.some((s) => /^kdc-/.test(s.name)), "no KDC step in a stack on an external realm");
    assert.deepEqual(await Promise.all([0, 1, 2].map(keytabKeys)), keys, "every keytab kept (same key versions)");
    const o = await stack.outputs();
    assert.equal((o.security.value as { mode: string }).mode, "kerberos");
    const smoke = o.smokeTest.value as { status: string; detail: string };
    assert.equal(smoke.status, "passed", smoke.detail);
    // The stack did not take the realm over: its KDC still runs under no unit of the stack's.
    assert.equal((await on(0, "test -e /var/lib/lakehouse-iac/units/krb5-kdc.owner && echo owned || echo free")).trim(), "free");
  },
);

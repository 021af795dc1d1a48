/**
 * The whole stack on a 3-host lab through the real Pulumi engine (lab/stack.ts: Automation API, file backend,
 * passphrase secrets, the policy pack in every preview and up). One deployment serves every check: a fresh
 * `pulumi up`, then checks from the hosts (OS layer, PostgreSQL, HDFS, metastore, Trino, Spark, Flink, the
 * smoke test), then changes applied with `pulumi up` and checked again (a Trino property, Flink slots, a
 * restart of everything, a password rotation through a forced failure, moving the Trino coordinator, scale-out,
 * an unreachable host, scale-in), and last `pulumi destroy` and a `pulumi up` from an empty state onto the same
 * hosts. Numbers (wall, critical path, peak memory) are printed and saved for `npm run bench`.
 *
 * Needs root (network namespaces, systemd-nspawn). Without it every test SKIPS, saying why.
 */
import { after, before, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync, ChildProcess } from "child_process";
import { randomBytes } from "crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { Lab, labServicesConfig, readLab } from "../../lab/config";
import { ensureEngine } from "../../lab/engine";
import { applyStats, ranSteps } from "../../lab/records";
import { LabStack, RunResult, StepRecord } from "../../lab/stack";
import type { SmokeTestResult } from "../../components/smoke-test";
import { runSsh } from "../helpers/ssh";
import { flinkSqlCommand, HOST_SCAN_CLEAN, hostSecretScan, plainThriftProbe } from "../helpers/lab-clients";
import { trinoQuery } from "../helpers/trino";
import { ROOT } from "../helpers/stacks";
import { allowedMissing, assertSmokeAllOk, SkippedParts } from "../helpers/lab-missing";

const LAB = path.join(ROOT, "lab/lab.sh");
const skip = process.getuid?.() !== 0 ? "needs root (network namespaces, systemd-nspawn): run as root" : undefined;
if (skip) console.log(`\n*** SKIPPED: lab services tests: ${skip} ***\n`);

let lab: Lab;
let stateDir: string;
let stack: LabStack;
let missing: string[] = [];
/** Checks' parts that need a missing part of the lab (only with the explicit opt-out: tests/helpers/lab-missing.ts). */
const skippedParts = new SkippedParts(() => missing);
let first: RunResult;
let second: RunResult;
let noopPreview: RunResult;
/** What a format or a schema initialisation would change, read from the hosts after the first and second up. */
let identityAfterFirst: DataIdentity | undefined;
let identityAfterSecond: DataIdentity | undefined;
/** Every run's CLI output, scanned for secrets at the end. */
const outputs: Array<{ label: string; text: string }> = [];
const recorded: Record<string, { wallSeconds: number; steps: StepRecord[] }> = {};
const numbers: Record<string, unknown> = {};
/** The node (index) that runs the Trino coordinator: a test moves it. */
let coordinator = 0;

const memUsedMiB = () => {
  const m = readFileSync("/proc/meminfo", "utf8");
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(m)![1]);
  return (kb("MemTotal") - kb("MemAvailable")) / 1024;
};

/** Changes a test made to the stack that later runs keep (as a user's stack file would). */
const kept: Array<(v: Record<string, any>) => void> = [];
const secretKeys = new Set(["sshPrivateKey"]);
function stackConfig(extra?: (v: Record<string, any>) => void) {
  const cfg = labServicesConfig(lab);
  for (const patch of kept) patch(cfg.config as Record<string, any>);
  extra?.(cfg.config as Record<string, any>);
  return cfg.config;
}
async function configure(extra?: (v: Record<string, any>) => void) {
  await stack.configure(stackConfig(extra), [...secretKeys]);
}
async function up(label: string): Promise<RunResult> {
  const r = await stack.up();
  recorded[label] = { wallSeconds: r.wallSeconds, steps: r.steps };
  outputs.push({ label, text: r.output });
  console.log(`pulumi up (${label}): ${r.ok ? "ok" : "FAILED"} in ${r.wallSeconds.toFixed(1)}s, ${ranSteps(r.steps).length} steps`);
  return r;
}
async function preview(label: string, diff = false): Promise<RunResult> {
  const r = await stack.preview(diff);
  outputs.push({ label, text: r.output });
  return r;
}
const ran = (r: RunResult) => ranSteps(r.steps);
const names = (r: RunResult) => ran(r).map((s) => s.name);
const stepOf = (r: RunResult, name: string, op?: string) => {
  const s = r.steps.find((x) => x.name === name && (op ? x.op === op : x.op !== "same"));
  assert.ok(s, `${name}${op ? ` (${op})` : ""} in the run: ${names(r).join(", ")}`);
  return s;
};
/**
 * `b` started after `a` finished. The times are when this process received the engine's events; the engine
 * may send a finished step's event a moment after it already started the step that waited for it, so a
 * start up to 1.5 s before the end still counts (each step compared here takes tens of seconds).
 */
const EVENT_SLACK_MS = 1500;
const startsAfter = (a: StepRecord, b: StepRecord) => b.start >= a.end - EVENT_SLACK_MS;
const changesOtherThanSame = (r: RunResult) => Object.fromEntries(Object.entries(r.changes).filter(([k, v]) => k !== "same" && v));

async function on(i: number, cmd: string, stdin?: string) {
  const n = lab.nodes[i];
  const r = await runSsh({ ...n, privateKey: readFileSync(lab.privateKeyPath, "utf8") }, cmd, stdin, 300_000);
  assert.equal(r.code, 0, `${n.name}: ${cmd.slice(0, 300)}\n${r.stderr.slice(-2000)}`);
  return r.stdout;
}
const JAVA17 = "/usr/lib/jvm/java-17-openjdk-amd64";
const HDFS = `runuser -u hdfs -- env JAVA_HOME=${JAVA17} HADOOP_CONF_DIR=/etc/hadoop/conf /opt/hadoop/current/bin/hdfs`;
const SPARK_SQL = `cd /tmp && runuser -u spark -- env JAVA_HOME=${JAVA17} SPARK_CONF_DIR=/etc/spark/conf /opt/spark/current/bin/spark-sql --conf spark.executor.memory=512m --conf spark.cores.max=2`;

before(async () => {
  if (skip) return;
  stateDir = mkdtempSync(path.join(tmpdir(), "lakehouse-lab-services-"));
  let t = Date.now();
  const engine = ensureEngine();
  numbers.engineInstallSeconds = (Date.now() - t) / 1000;
  t = Date.now();
  execFileSync("bash", [path.join(ROOT, "lab/mirror.sh")], { stdio: "inherit" });
  numbers.mirrorSeconds = (Date.now() - t) / 1000;
  const baseline = memUsedMiB();
  t = Date.now();
  execFileSync("bash", [LAB, "up", "--nodes", "3"], { stdio: "inherit" });
  numbers.labUpSeconds = (Date.now() - t) / 1000;
  lab = readLab();
  // A lab without Trino or the Flink Hive connector fails here, naming what is missing and how to get it,
  // unless a person opted out (LAKEHOUSE_LAB_ALLOW_MISSING); the run's last lines then repeat what did not run.
  missing = allowedMissing(labServicesConfig(lab).missing);
  stack = await LabStack.open({ engine, stateDir, log: (l) => console.log(`  ${l}`) });
  await configure();
  // Peak memory while the stack comes up, sampled by a small separate process.
  const samples = path.join(stateDir, "mem.txt");
  const sampler: ChildProcess = spawn(
    "bash",
    ["-c", `while :; do awk '/MemTotal/{t=$2}/MemAvailable/{a=$2}END{print (t-a)/1024}' /proc/meminfo >>'${samples}'; sleep 2; done`],
    { stdio: "ignore" },
  );
  first = await up("fullApply");
  sampler.kill("SIGTERM");
  if (first.ok) identityAfterFirst = await dataIdentity();
  second = first.ok ? await up("noOpReapply") : first;
  if (second.ok) identityAfterSecond = await dataIdentity();
  t = Date.now();
  noopPreview = await preview("noOpPreview");
  numbers.noOpPreviewSeconds = (Date.now() - t) / 1000;
  const peak = Math.max(...readFileSync(samples, "utf8").trim().split("\n").map(Number));
  numbers.labPeakMemoryMiB = Math.round(peak - baseline);
  const stats = applyStats(first.steps);
  numbers.fullApply = {
    ...stats,
    wall: first.wallSeconds,
    ratio: Math.round((stats.wallSeconds / Math.max(stats.criticalPathSeconds, 0.001)) * 100) / 100,
  };
  numbers.noOpUpSeconds = second.wallSeconds;
  numbers.missingFromRegistry = missing;
  console.log(`lab services numbers: ${JSON.stringify(numbers, null, 2)}`);
});

/** Step records of the runs the benchmark reports (npm run bench reads them; outside the repo). */
const RECORDS = path.join(process.env.LAKEHOUSE_LAB_CACHE ?? "/var/cache/lakehouse-lab", "records", "services-latest.json");

after(() => {
  if (skip) return;
  const skippedReport = skippedParts.report();
  if (skippedReport) console.log(`\n${skippedReport}\n`);
  try {
    mkdirSync(path.dirname(RECORDS), { recursive: true });
    writeFileSync(RECORDS, JSON.stringify({ recordedAt: new Date().toISOString(), engine: "pulumi", numbers, applies: recorded }));
    console.log(`lab services records: ${RECORDS}\nlab services numbers (final): ${JSON.stringify(numbers, null, 2)}`);
  } catch (e) {
    console.log(`could not write ${RECORDS}: ${e}`);
  }
  spawnSync("bash", [LAB, "down"], { stdio: "inherit" });
  rmSync(stateDir, { recursive: true, force: true });
});

// ------------------------------------------------------------------------------------------- the fresh up
test("a fresh pulumi up on 3 hosts succeeds and the smoke test passes, every step ok", { skip }, async (t) => {
  assert.ok(first.ok, first.error);
  const out = await stack.outputs();
  const smoke = out.smokeTest.value as SmokeTestResult;
  console.log(`smoke test: ${JSON.stringify(smoke)}`);
  assertSmokeAllOk(smoke, skippedParts, t);
  const run = stepOf(first, "smoke-test-run", "create");
  const lastOther = Math.max(
    ...ran(first)
      .filter((s) => s.name !== "smoke-test-run")
      .map((s) => s.end),
  );
  assert.ok(run.start >= lastOther - 1000, "the smoke test runs after every other step");
  numbers.smokeTestSeconds = (run.end - run.start) / 1000;
});

test("a second pulumi up changes nothing, and pulumi preview shows no change", { skip }, () => {
  assert.ok(second.ok, second.error);
  assert.deepEqual(names(second), []);
  assert.deepEqual(changesOtherThanSame(second), {});
  assert.ok(noopPreview.ok, noopPreview.error);
  assert.deepEqual(changesOtherThanSame(noopPreview), {});
});

test("a fresh up prints no stack trace and no warning", { skip }, () => {
  // One warning is meant: the stack output `security` of an open cluster says so (it is the user's problem).
  const openClusterNotice = /^\s+warning\s*:\s*"OPEN CLUSTER: /;
  const bad = first.output
    .split("\n")
    .filter((l) => /^\s+at [\w$.<>]+[ (]|Exception\b|\bwarning\b|\bWARN\b|deprecat/i.test(l) && !/advisory/i.test(l))
    .filter((l) => !openClusterNotice.test(l));
  assert.deepEqual(bad, [], `lines a person would take for a problem:\n${bad.join("\n")}`);
});

test(
  "the NameNode was formatted once and the metastore schema initialised once: from the hosts, then the engine's records",
  { skip },
  () => {
    // From the hosts: a format makes a new namespaceID and block pool, an initialisation a new VERSION row and a
    // new default database; the second up left all of them as the first made them.
    assert.ok(identityAfterFirst && identityAfterSecond, "the hosts were read after both ups");
    const id = identityAfterFirst;
    assert.equal(id.nameNode.clusterID, "lakehouse-dev", "the configured clusterID (hdfs.clusterId's default)");
    assert.match(id.nameNode.namespaceID, /^-?\d+$/);
    assert.match(id.nameNode.blockpoolID, /^BP-\d+-/);
    assert.ok(id.fsimages >= 1, "the name dir holds an fsimage");
    assert.match(
      id.metastore,
      /^\d+\.\d+\.\d+\/1\/\d+\/\d+\/\d+$/,
      `schema version / VERSION rows / default db id / TBLS / DBS: ${id.metastore}`,
    );
    assert.deepEqual(identityAfterSecond, identityAfterFirst);
    for (const r of [first, second]) {
      const formats = r.steps.filter((s) => s.name === "namenode-cpu-node1-format" && s.op === "create");
      assert.equal(formats.length, r === first ? 1 : 0);
      const schemas = r.steps.filter((s) => s.name === "metastore-cpu-node1-schema" && s.op === "create");
      assert.equal(schemas.length, r === first ? 1 : 0);
    }
  },
);

test("health checks gate dependents; a fresh cluster starts its workers at once", { skip }, (t) => {
  const before = (a: string, b: string) => assert.ok(startsAfter(stepOf(first, a), stepOf(first, b)), `${a} done before ${b} starts`);
  before("namenode-cpu-node1-roll", "datanode-cpu-node2-start");
  before("datanode-worker-node3-roll", "warehouse-dirs");
  before("postgres-cpu-node1-setup", "metastore-cpu-node1-schema");
  before("warehouse-dirs", "metastore-cpu-node1-start");
  // Workers start without waiting for their head, but are healthy only once it lists them.
  const healthyAfter = (worker: string, head: string) =>
    assert.ok(stepOf(first, worker).end >= stepOf(first, head).end, `${worker} healthy only after ${head} is up`);
  healthyAfter("spark-worker-cpu-node2-start", "spark-master-cpu-node1-start");
  healthyAfter("flink-taskmanager-worker-node3-start", "flink-jobmanager-cpu-node1-start");
  if (skippedParts.has("trino", t, "Trino worker healthy only after its coordinator"))
    healthyAfter("trino-cpu-node2-start", "trino-cpu-node1-start");
  // Workers of a fresh cluster start together: their start steps overlap.
  for (const group of ["datanode", "spark-worker", "flink-taskmanager"]) {
    const starts = ["cpu-node1", "cpu-node2", "worker-node3"].map((n) => stepOf(first, `${group}-${n}-start`));
    const latestStart = Math.max(...starts.map((s) => s.start));
    const earliestEnd = Math.min(...starts.map((s) => s.end));
    assert.ok(latestStart < earliestEnd, `${group}: the three start steps overlap`);
  }
  // Engines do not wait for the metastore.
  assert.ok(stepOf(first, "spark-master-cpu-node1-start").start < stepOf(first, "metastore-cpu-node1-roll").end);
});

// ------------------------------------------------------------------------------------------- hosts and data
test(
  "each host has its JDK, service users and /etc/hosts; files holding secrets are 0600 and their user's (another engine's user cannot read them)",
  { skip },
  async () => {
    for (const i of [0, 1, 2]) {
      const out = await on(
        i,
        "java -version 2>&1 | head -1; id -nG trino; grep -c 'lakehouse-iac' /etc/hosts; getent hosts cpu-node1 | cut -d' ' -f1",
      );
      assert.match(out, /openjdk version "17/);
      assert.match(out, /hadoop/);
      assert.match(out, new RegExp(lab.nodes[0].host.replace(/\./g, "\\.")));
    }
    assert.deepEqual(
      (await on(0, "stat -c '%a %U %G' /etc/hive/conf/hive-site.xml /etc/trino/config.properties /etc/spark/conf/spark-defaults.conf"))
        .trim()
        .split("\n"),
      ["600 hive hadoop", "600 trino hadoop", "600 spark hadoop"],
    );
    assert.equal((await on(1, "stat -c '%a %U %G' /etc/trino/config.properties")).trim(), "600 trino hadoop");
    // The service group's other members (here the trino user) cannot read the metastore's password file, nor
    // Spark's authentication secret.
    for (const f of ["/etc/hive/conf/hive-site.xml", "/etc/spark/conf/spark-defaults.conf"])
      assert.equal((await on(0, `runuser -u trino -- cat ${f} >/dev/null 2>&1 && echo readable || echo refused`)).trim(), "refused", f);
  },
);

/** The metastore database password, from the stack output. */
const dbPassword = async () => String((await stack.outputs()).metastoreDbPassword.value);
const psqlAs = (pw: string, sql: string) =>
  on(0, `IFS= read -r PGPASSWORD; export PGPASSWORD; psql -X -h ${lab.nodes[0].host} -U hive -d metastore -tAc '${sql}'`, `${pw}\n`);

test("PostgreSQL: hive logs in with the generated password; a wrong password and an outside address are refused", { skip }, async () => {
  const pw = await dbPassword();
  assert.ok(pw.length >= 32);
  assert.equal((await psqlAs(pw, "select current_user")).trim(), "hive");
  await assert.rejects(psqlAs("wrong-password", "select 1"), /password authentication failed|exit|code/i);
  // TLS only (postgres.ssl): a session over the network is encrypted; one that does not encrypt is refused.
  assert.equal((await psqlAs(pw, "select ssl from pg_stat_ssl where pid = pg_backend_pid()")).trim(), "t");
  const plain = await on(
    0,
    `IFS= read -r PGPASSWORD; export PGPASSWORD PGSSLMODE=disable; psql -X -h ${lab.nodes[0].host} -U hive -d metastore -tAc 'select 1' 2>&1 && echo connected || echo refused`,
    `${pw}\n`,
  );
  assert.match(plain, /no encryption/);
  assert.match(plain, /refused\s*$/);
  // And the metastore's own JDBC connections (its pool is open while it runs) are encrypted, every one.
  const pool = await on(
    0,
    `runuser -u postgres -- psql -X -tA -d postgres -c "select count(*) filter (where s.ssl) || '/' || count(*) filter (where not s.ssl) from pg_stat_activity a join pg_stat_ssl s using (pid) where a.usename = 'hive' and a.client_addr is not null"`,
  );
  const [enc, clear] = pool.trim().split("/").map(Number);
  assert.ok(enc > 0, `the metastore holds no encrypted connection (${pool.trim()})`);
  assert.equal(clear, 0, `the metastore holds unencrypted connections (${pool.trim()})`);
  // From this machine (the lab bridge address, not a cluster node).
  const r = spawnSync("psql", ["-X", "-h", lab.nodes[0].host, "-U", "hive", "-d", "metastore", "-c", "select 1"], {
    env: { ...process.env, PGPASSWORD: pw, PGCONNECT_TIMEOUT: "5" },
    encoding: "utf8",
  });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /pg_hba\.conf|no pg_hba/);
});

test("HDFS: every DataNode live, safe mode off, warehouse dirs owned by the warehouse owner", { skip }, async () => {
  assert.match(await on(0, `${HDFS} dfsadmin -report 2>/dev/null`), /Live datanodes \(3\):/);
  assert.match(await on(0, `${HDFS} dfsadmin -safemode get 2>/dev/null`), /Safe mode is OFF/);
  const ls = await on(1, `${HDFS} dfs -ls /lakehouse 2>/dev/null`);
  for (const d of ["iceberg", "delta", "hive"]) assert.match(ls, new RegExp(`drwxrwxr-x\\s+- hive hadoop .* /lakehouse/${d}$`, "m"));
});

test("HDFS least privilege: only hdfs is a superuser; the engines' HDFS user writes under /lakehouse, not above it", { skip }, async () => {
  // The superuser group holds the HDFS user alone, on the NameNode's node (where HDFS looks groups up).
  assert.equal((await on(0, "getent group hdfsadmin | cut -d: -f4")).trim(), "hdfs");
  assert.equal((await on(0, `${HDFS} getconf -confKey dfs.permissions.superusergroup 2>/dev/null`)).trim(), "hdfsadmin");
  for (const u of ["hive", "trino", "spark", "flink"])
    assert.doesNotMatch(await on(0, `id -nG ${u}`), /\bhdfsadmin\b/, `${u} is in the HDFS superuser group`);
  // As the engines act on HDFS (the spark user, as the warehouse owner hive, spark-env's HADOOP_USER_NAME): a
  // directory inside the warehouse, yes; one at the root, no; an admin command, no.
  const asEngine = `runuser -u spark -- env HADOOP_USER_NAME=hive JAVA_HOME=${JAVA17} HADOOP_CONF_DIR=/etc/hadoop/conf /opt/hadoop/current/bin/hdfs`;
  const tried = await on(
    1,
    [
      `${asEngine} dfs -mkdir -p /lakehouse/hive/lab_probe.db >/dev/null 2>&1 && echo inside=ok || echo inside=refused`,
      `${asEngine} dfs -rm -r -f -skipTrash /lakehouse/hive/lab_probe.db >/dev/null 2>&1 || true`,
      `${asEngine} dfs -mkdir /lab_outside 2>&1 | grep -q 'Permission denied' && echo outside=refused || echo outside=allowed`,
      `${asEngine} dfsadmin -report 2>&1 | grep -q 'Superuser privilege is required' && echo admin=refused || echo admin=allowed`,
    ].join("; "),
  );
  assert.deepEqual(tried.trim().split("\n"), ["inside=ok", "outside=refused", "admin=refused"]);
  assert.match(await on(0, `${HDFS} dfs -test -e /lab_outside 2>/dev/null && echo present || echo absent`), /^absent$/m);
  // The stack output says which mode the cluster runs in, and that an open one is open.
  const sec = (await stack.outputs()).security.value as { mode: string; warning: string; weakened: string[] };
  assert.equal(sec.mode, "open");
  assert.match(sec.warning, /^OPEN CLUSTER/);
  assert.deepEqual(sec.weakened, []);
});

test("Spark: a job without the cluster's secret is refused at the master; the REST submission port is closed", { skip }, async () => {
  // The spark user's own spark-sql, with Spark's authentication switched off for this one driver: the master
  // drops it (the client gives up after its three registration attempts).
  const out = await on(
    1,
    `${SPARK_SQL} --conf spark.authenticate=false --conf spark.network.crypto.enabled=false -S -e 'SELECT count(*) FROM range(10)' 2>&1 && echo ran || echo refused`,
  );
  assert.match(out, /refused\s*$/);
  assert.match(out, /Failed to connect to master|All masters are unresponsive/);
  assert.doesNotMatch(out, /^10$/m, "the query must not have run");
  const code = (
    await on(2, `curl -s -o /dev/null -w '%{http_code}' -X POST http://${lab.nodes[0].host}:6066/v1/submissions/create || true`)
  ).trim();
  assert.equal(code, "000", "nothing listens on the REST submission port");
});

test(
  "Spark: master ALIVE with every worker; Flink: every TaskManager with its slots, REST on its address only, no jar upload",
  { skip },
  async () => {
    const spark = JSON.parse(await on(1, `curl -fsS http://${lab.nodes[0].host}:8090/json/`));
    assert.equal(spark.status, "ALIVE");
    assert.equal(spark.aliveworkers, 3);
    const flink = JSON.parse(await on(2, `curl -fsS http://${lab.nodes[0].host}:8081/overview`));
    assert.equal(flink.taskmanagers, 3);
    assert.equal(flink["slots-total"], 6);
    // Jar upload is off (web.submit.enable: false): the endpoint does not exist. And the REST port is bound to
    // the node's address, not to every address (127.0.0.1 on the JobManager's own node gets no answer).
    const code = (url: string, i: number, method = "GET") =>
      on(i, `curl -s -o /dev/null -w '%{http_code}' -X ${method} ${url} || true`).then((x) => x.trim());
    assert.equal(await code(`http://${lab.nodes[0].host}:8081/jars/upload`, 2, "POST"), "404");
    assert.equal(await code(`http://${lab.nodes[0].host}:8081/jars`, 2), "404");
    assert.equal(await code("http://127.0.0.1:8081/overview", 0), "000");
  },
);

test(
  "the metastore's Thrift port speaks TLS only, on a certificate of the cluster CA; a plain Thrift call gets no answer",
  { skip },
  async () => {
    const tls = await on(
      2,
      `openssl s_client -brief -CAfile /etc/lakehouse/tls/ca.crt -verify_return_error -connect ${lab.nodes[0].host}:9083 </dev/null 2>&1`,
    );
    assert.match(tls, /CONNECTION ESTABLISHED/, tls);
    assert.match(tls, /Verification: OK/, tls);
    // get_all_databases as TBinaryProtocol, unframed, on a plain socket: a TLS server reads it as a bad handshake.
    const out = await on(2, plainThriftProbe(lab.nodes[0].host));
    assert.equal(out.trim(), "no-reply");
    // Its clients' truststore: every user's to read, the CA its one trusted entry.
    assert.equal((await on(1, "stat -c '%a %U' /etc/lakehouse/tls/truststore.p12")).trim(), "644 root");
    assert.equal((await on(0, "stat -c '%a %U' /etc/hive/tls/metastore.p12")).trim(), "600 hive");
  },
);

test("the metastore answers real calls: Spark writes Iceberg and Delta tables on HDFS through it", { skip }, async () => {
  const sql = [
    "CREATE DATABASE IF NOT EXISTS iceberg_hive.labcheck",
    "CREATE TABLE iceberg_hive.labcheck.t (id bigint, v string) USING iceberg",
    "INSERT INTO iceberg_hive.labcheck.t VALUES (1, 'a'), (2, 'b')",
    "SELECT concat('iceberg_rows=', count(*)) FROM iceberg_hive.labcheck.t",
    `CREATE TABLE default.labcheck_delta (id bigint) USING delta LOCATION 'hdfs://${lab.nodes[0].host}:9000/lakehouse/delta/labcheck_delta'`,
    "INSERT INTO default.labcheck_delta VALUES (7)",
    "SELECT concat('delta_sum=', sum(id)) FROM default.labcheck_delta",
  ].join("; ");
  const out = await on(0, `${SPARK_SQL} -e "${sql}" 2>/dev/null`);
  assert.match(out, /^iceberg_rows=2$/m);
  assert.match(out, /^delta_sum=7$/m);
  const ls = await on(0, `${HDFS} dfs -ls -R /lakehouse/iceberg 2>/dev/null | grep -c metadata.json || true`);
  assert.ok(Number(ls.trim()) >= 1, "Iceberg metadata files under /lakehouse/iceberg");
});

/**
 * A query through Trino's HTTP protocol (POST /v1/statement, then follow nextUri), run on a lab host with its
 * python3: no CLI needed. Returns the rows; a query error fails with Trino's message.
 */
/** Trino's users' passwords (the stack output trinoPasswords). */
const trinoPasswords = async () => (await stack.outputs()).trinoPasswords.value as Record<string, string>;
/**
 * A query as a client runs one: over HTTPS to the coordinator, its certificate verified against the cluster CA
 * (for the coordinator's address), logged in as `user` with its password, which goes on stdin.
 */
async function trino(i: number, sql: string, user = "admin"): Promise<unknown[][]> {
  return trinoQuery(on, i, `https://${lab.nodes[coordinator].host}:8443`, sql, user, (await trinoPasswords())[user]);
}
/** Poll until `n` Trino nodes are active (a restarted worker re-announces itself within seconds). */
async function trinoActive(n: number): Promise<unknown[][]> {
  let active: unknown[][] = [];
  for (let i = 0; i < 60 && JSON.stringify(active) !== `[[${n}]]`; i++) {
    if (i) await new Promise((res) => setTimeout(res, 2000));
    active = await trino(1, "SELECT count(*) FROM system.runtime.nodes WHERE state = 'active'").catch(() => []);
  }
  return active;
}
const trinoSkip = () => {
  if (!missing.includes("trino")) return undefined;
  const why = "no Trino server with a JDK it runs on in this machine's registry: Trino is left out of the lab";
  console.log(`\n*** SKIPPED: ${why} ***\n`);
  return why;
};

test("Trino: coordinator and every worker registered; iceberg, delta and hive catalogs list schemas", { skip }, async (t) => {
  const why = trinoSkip();
  if (why) return t.skip(why);
  const info = JSON.parse(await on(1, `curl -fsS http://${lab.nodes[0].host}:8080/v1/info`));
  assert.equal(info.starting, false);
  assert.deepEqual(await trinoActive(3), [[3]], "coordinator + 2 workers active");
  for (const catalog of ["iceberg", "delta", "hive"]) {
    const schemas = (await trino(2, `SHOW SCHEMAS FROM ${catalog}`)).map((r) => r[0]);
    assert.ok(schemas.includes("information_schema") && schemas.includes("default"), `${catalog}: ${schemas.join(", ")}`);
  }
});

test("cross-engine: Trino reads Spark's Iceberg and Delta tables; Spark reads an Iceberg table Trino wrote", { skip }, async (t) => {
  const why = trinoSkip();
  if (why) return t.skip(why);
  assert.deepEqual(await trino(1, "SELECT count(*), sum(id) FROM iceberg.labcheck.t"), [[2, 3]]);
  assert.deepEqual(await trino(1, "SELECT sum(id) FROM delta.default.labcheck_delta"), [[7]]);
  const fs = `hdfs://${lab.nodes[0].host}:9000`;
  await trino(1, `CREATE SCHEMA IF NOT EXISTS iceberg.trinocheck WITH (location = '${fs}/lakehouse/iceberg/trinocheck')`);
  await trino(1, "CREATE TABLE IF NOT EXISTS iceberg.trinocheck.t (id bigint, v varchar)");
  await trino(1, "INSERT INTO iceberg.trinocheck.t VALUES (10, 'x'), (20, 'y'), (30, 'z')");
  const out = await on(
    0,
    `${SPARK_SQL} -e "SELECT concat('trino_rows=', count(*), ',', sum(id)) FROM iceberg_hive.trinocheck.t" 2>/dev/null`,
  );
  assert.match(out, /^trino_rows=3,60$/m);
});

test(
  "Trino's door: HTTPS with a password; none or a wrong one gets 401, plain HTTP takes no client, the certificate verifies for the coordinator's address, and a user its rules deny is refused",
  { skip },
  async (t) => {
    const why = trinoSkip();
    if (why) return t.skip(why);
    const coord = lab.nodes[coordinator].host;
    const CA = "/etc/lakehouse/tls/ca.crt";
    // From another node, as a client would: the status of a statement (nothing else is printed).
    const status = async (url: string, auth = "") =>
      (
        await on(
          2,
          `curl -s -o /dev/null -w '%{http_code}' --cacert ${CA} -H 'X-Trino-User: admin' ${auth} --data 'SELECT 1' ${url}/v1/statement || true`,
        )
      ).trim();
    assert.equal(await status(`https://${coord}:8443`), "401", "no credentials");
    assert.equal(await status(`https://${coord}:8443`, "-u admin:not-the-password"), "401", "a wrong password");
    assert.equal(await status(`https://${coord}:8443`, "-u nobody:not-the-password"), "401", "a user that does not exist");
    const http = await status(`http://${coord}:8080`, "-u admin:not-the-password");
    assert.ok(http === "401" || http === "403", `plain HTTP takes no client's credentials: ${http}`);
    assert.deepEqual(await trino(2, "SELECT 1"), [[1]], "the right password over HTTPS");
    // The coordinator's certificate verifies against the CA for its own address, and not for another.
    const verify = (ip: string) =>
      on(
        2,
        `echo | openssl s_client -connect ${coord}:8443 -CAfile ${CA} -verify_ip ${ip} -verify_return_error 2>&1 | grep -E '^(Verify return code|verify error)' || true`,
      );
    assert.match(await verify(coord), /Verify return code: 0 \(ok\)/);
    assert.doesNotMatch(await verify(lab.nodes[2].host), /Verify return code: 0 \(ok\)/);
    // Access rules: analyst may not read iceberg.labcheck (lab/config.ts), and may read the rest.
    await assert.rejects(trino(1, "SELECT count(*) FROM iceberg.labcheck.t", "analyst"), /Access Denied/);
    assert.deepEqual(await trino(1, "SELECT sum(id) FROM delta.default.labcheck_delta", "analyst"), [[7]]);
    // The password file holds bcrypt hashes, the trino user's alone; the keystore too; no password in either.
    const db = await on(coordinator, "stat -c '%a %U' /etc/trino/password.db /etc/trino/tls/trino.pem; cat /etc/trino/password.db");
    const [dbMode, pemMode, ...lines] = db.trim().split("\n");
    assert.deepEqual([dbMode, pemMode], ["600 trino", "600 trino"]);
    assert.deepEqual(
      lines.map((l) => l.split(":")[0]),
      ["admin", "analyst", "lakehouse-health"],
    );
    for (const l of lines) assert.match(l, /^[a-z-]+:\$2y\$10\$[./A-Za-z0-9]{53}$/);
    for (const pw of Object.values(await trinoPasswords())) assert.ok(!db.includes(pw), "a password in the clear");
  },
);

test("the smoke test left nothing behind", { skip }, async (t) => {
  const ls = await on(0, `${HDFS} dfs -ls /lakehouse/iceberg /lakehouse/delta 2>/dev/null || true`);
  assert.ok(!/lakehouse_smoke/.test(ls), ls);
  if (skippedParts.has("trino", t, "no smoke schema left in Trino's Iceberg catalog")) {
    const schemas = (await trino(1, "SHOW SCHEMAS FROM iceberg")).map((r) => r[0]);
    assert.ok(!schemas.includes("lakehouse_smoke"), schemas.join(","));
  }
});

// ------------------------------------------------------------------------------------------------- TLS
test(
  "TLS: every node's certificate verifies against the caCertificate output for its own address; the CA key is on its node only",
  { skip },
  async () => {
    const ca = String((await stack.outputs()).caCertificate.value);
    assert.match(ca, /^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    for (const i of [0, 1, 2]) {
      const n = lab.nodes[i];
      const out = await on(
        i,
        [
          'f=$(mktemp); cat >"$f"',
          'openssl verify -CAfile "$f" /etc/lakehouse/tls/node.crt',
          `openssl x509 -in /etc/lakehouse/tls/node.crt -noout -checkip ${n.host}`,
          "stat -c '%a %U' /etc/lakehouse/tls/node.key",
          "test -e /etc/lakehouse/tls-ca/ca.key && echo ca-key-here || echo no-ca-key",
          'cmp -s "$f" /etc/lakehouse/tls/ca.crt && echo ca-same || echo ca-differs',
          'rm -f "$f"',
        ].join("; "),
        ca,
      );
      assert.deepEqual(out.trim().split("\n"), [
        "/etc/lakehouse/tls/node.crt: OK",
        `IP ${n.host} does match certificate`,
        "600 root",
        i === 0 ? "ca-key-here" : "no-ca-key",
        "ca-same",
      ]);
    }
    // PostgreSQL presents its node's certificate: verified from another node, with the CA and the server's address.
    const pg = lab.nodes[0].host;
    const s = await on(
      1,
      `f=$(mktemp); cat >"$f"; echo | openssl s_client -starttls postgres -connect ${pg}:5432 -CAfile "$f" -verify_ip ${pg} -verify_return_error 2>&1 | grep -E '^(Verify return code|verify error)' || true; rm -f "$f"`,
      ca,
    );
    assert.match(s, /Verify return code: 0 \(ok\)/);
    // The same check against an address the certificate does not carry fails: the hostname is really checked.
    const wrong = await on(
      1,
      `f=$(mktemp); cat >"$f"; echo | openssl s_client -starttls postgres -connect ${pg}:5432 -CAfile "$f" -verify_ip ${lab.nodes[1].host} -verify_return_error 2>&1 | grep -E '^(Verify return code|verify error)' || true; rm -f "$f"`,
      ca,
    );
    assert.doesNotMatch(wrong, /Verify return code: 0 \(ok\)/);
  },
);

// ---------------------------------------------------------------------------------------------- secrets
/** Every secret the stack holds that the tests can know: the SSH key's lines, the DB password, Trino's secret. */
async function knownSecrets(t: TestContext): Promise<string[]> {
  const key = readFileSync(lab.privateKeyPath, "utf8")
    .split("\n")
    .filter((l) => l.length >= 20 && !l.startsWith("-----"));
  const trinoSecret = (await on(0, "sed -n 's/^internal-communication.shared-secret=//p' /etc/trino/config.properties")).trim();
  const sparkSecret = String((await stack.outputs()).sparkAuthSecret.value);
  const pw = await dbPassword();
  assert.ok(trinoSecret.length >= 32 && sparkSecret.length >= 32 && pw.length >= 16 && key.length >= 3);
  assert.equal((await on(1, "sed -n 's/^spark.authenticate.secret=//p' /etc/spark/conf/spark-defaults.conf")).trim(), sparkSecret);
  // Private keys made on the hosts (the CA's, a node's): a few of their lines, which must show up nowhere else.
  const keyLines = (pem: string) =>
    pem
      .split("\n")
      .filter((l) => /^[A-Za-z0-9+/]{64}$/.test(l))
      .slice(2, 6);
  const tlsKeys = [
    ...keyLines(await on(0, "cat /etc/lakehouse/tls-ca/ca.key")),
    ...keyLines(await on(1, "cat /etc/lakehouse/tls/node.key")),
  ];
  assert.equal(tlsKeys.length, 8);
  const trinoUsers = skippedParts.has("trino", t, "Trino users' passwords among the secrets looked for")
    ? Object.values(await trinoPasswords())
    : [];
  return [...key, pw, trinoSecret, sparkSecret, ...tlsKeys, ...trinoUsers];
}

test("no plaintext secret in pulumi stack export or in anything the CLI printed", { skip }, async (t) => {
  const secrets = await knownSecrets(t);
  const state = JSON.stringify(await stack.exportState());
  for (const s of secrets) assert.ok(!state.includes(s), "a secret is in the exported state");
  for (const o of outputs) for (const s of secrets) assert.ok(!o.text.includes(s), `a secret is in the output of ${o.label}`);
  // And the state does hold them, encrypted: the connection and the secret stdins are ciphertext.
  assert.match(state, /"ciphertext"/);
});

/** On every host: hits of any secret in process command lines and environments shown by ps, the journal, logs. */
async function secretHitsOnHosts(secrets: string[]): Promise<string[]> {
  const scan = hostSecretScan(["/var/log", "/var/lib/trino", "/var/lib/spark", "/var/lib/lakehouse-iac", "/tmp"]);
  const hits: string[] = [];
  for (const i of [0, 1, 2]) {
    const out = (await on(i, scan, `${secrets.join("\n")}\n`)).trim();
    if (out !== HOST_SCAN_CLEAN) hits.push(`${lab.nodes[i].name}: ${out}`);
  }
  return hits;
}

test("no secret on any host's process command lines, in its journal or its logs", { skip }, async (t) => {
  assert.deepEqual(await secretHitsOnHosts(await knownSecrets(t)), []);
});

// --------------------------------------------------------------------------------------- reviewing changes
test("pulumi preview --diff shows which file and which keys change; for a secret, the key and no value", { skip }, async () => {
  await configure((v) => {
    v.trino.overrides = { ...(v.trino.overrides ?? {}), "iceberg.properties": { "iceberg.target-max-file-size": "256MB" } };
  });
  const p = await preview("previewTrinoProperty", true);
  assert.ok(p.ok, p.error);
  assert.match(p.output, /\/etc\/trino\/catalog\/iceberg\.properties/);
  assert.match(p.output, /\+\s*"?iceberg\.target-max-file-size"?\s*:\s*"256MB"/);
  const rotated = randomBytes(18).toString("base64url");
  secretKeys.add("postgresPassword");
  await configure((v) => {
    v.postgresPassword = rotated;
  });
  const q = await preview("previewPasswordRotation", true);
  secretKeys.delete("postgresPassword");
  await configure();
  assert.ok(q.ok, q.error);
  assert.ok(!q.output.includes(rotated), "the new password is not in the preview");
  assert.ok(!q.output.includes(await dbPassword()), "nor the old one");
  assert.match(q.output, /~\s*"?javax\.jdo\.option\.ConnectionPassword"?\s*:\s*"\[secret [0-9a-f]{12}\]" => "\[secret [0-9a-f]{12}\]"/);
});

test(
  "a Trino catalog property, a catalog switched off, a worker role group and a rotated shared secret run only Trino's steps: files (the catalog's file removed), then one node at a time, each healthy before the next",
  { skip },
  async (t) => {
    const why = trinoSkip();
    if (why) return t.skip(why);
    const trinoRotated = randomBytes(40).toString("base64url");
    secretKeys.add("trinoSharedSecret");
    kept.push((v) => {
      v.trino.overrides = { ...(v.trino.overrides ?? {}), "iceberg.properties": { "iceberg.target-max-file-size": "256MB" } };
      // Switched off: its file must go (a file left behind keeps the catalog loading).
      v.trino.catalogs = { ...(v.trino.catalogs ?? {}), hive: false };
      // Trino's shared secret rotated in the same change (its own random value is then no longer needed).
      v.trinoSharedSecret = trinoRotated;
      // A worker role group: worker-node3 gets a bigger heap and an override of its own, over trino.*.
      v.trino.workerGroups = {
        big: { nodes: ["worker-node3"], heap: "1792m", overrides: { "config.properties": { "query.max-run-time": "2h" } } },
      };
    });
    await configure();
    const r = await up("trinoCatalogPropertyChange");
    assert.ok(r.ok, r.error);
    numbers.trinoPropertyChange = { steps: ran(r).length, wallSeconds: r.wallSeconds, ran: names(r) };
    console.log(`one Trino catalog property: ${ran(r).length} steps in ${r.wallSeconds}s: ${names(r).join(", ")}`);
    // Only Trino's steps, and one check: the group's bigger heap changes what worker-node3 must hold, so its host
    // preflight runs again (it reads, it changes nothing) before that node's Trino restarts.
    const others = names(r).filter((n) => !/^trino-/.test(n));
    assert.deepEqual(others, ["worker-node3-preflight"], `${others.join(", ")} ran for a Trino-only change`);
    assert.ok(
      startsAfter(stepOf(r, "worker-node3-preflight"), stepOf(r, "trino-worker-node3-roll")),
      "the node is checked before it restarts",
    );
    const rolls = ran(r)
      .filter((s) => /^trino-.*-roll$/.test(s.name))
      .sort((a, b) => a.start - b.start);
    assert.deepEqual(
      rolls.map((s) => s.name),
      ["trino-cpu-node1-roll", "trino-cpu-node2-roll", "trino-worker-node3-roll"],
      "coordinator first, then each worker",
    );
    for (let i = 1; i < rolls.length; i++)
      assert.ok(startsAfter(rolls[i - 1], rolls[i]), `one node at a time, healthy before the next: ${JSON.stringify(rolls)}`);
    for (const s of rolls) assert.match(String((await stack.resourceOutputs(s.name))?.stdout), /restarted, healthy/);
    for (const i of [0, 1, 2]) {
      assert.match(await on(i, "cat /etc/trino/catalog/iceberg.properties"), /^iceberg\.target-max-file-size=256MB$/m);
      const files = (await on(i, "ls /etc/trino/catalog")).trim().split(/\s+/);
      assert.ok(!files.includes("hive.properties") && files.includes("delta.properties"), `node ${i + 1}: ${files.join(" ")}`);
    }
    assert.deepEqual(await trinoActive(3), [[3]]);
    // Every node took the rotated shared secret, and is back (trinoActive above); the secret is on no host.
    for (const i of [0, 1, 2])
      assert.equal((await on(i, "sed -n 's/^internal-communication.shared-secret=//p' /etc/trino/config.properties")).trim(), trinoRotated);
    assert.deepEqual(await secretHitsOnHosts([trinoRotated]), []);
    // The group's node runs with the group's heap and override; the others with trino.*'s (the running JVMs).
    for (const i of [0, 1, 2]) {
      const big = i === 2;
      // The unit's main process is the JVM (the launcher execs it, named trino-server): its own command line.
      const xmx = (await on(i, "tr '\\0' '\\n' < /proc/$(systemctl show -p MainPID --value trino)/cmdline | grep -m1 -- '^-Xmx'")).trim();
      assert.equal(xmx, big ? "-Xmx1792m" : "-Xmx1536m", `${lab.nodes[i].name}: the running Trino's heap`);
      const runTime = (await on(i, "sed -n 's/^query.max-run-time=//p' /etc/trino/config.properties")).trim();
      assert.equal(runTime, big ? "2h" : "", `${lab.nodes[i].name}: the group's override only on the group's node`);
    }
    const catalogs = (await trino(1, "SHOW CATALOGS")).map((row) => row[0]);
    assert.ok(!catalogs.includes("hive"), `the switched-off catalog no longer loads: ${catalogs.join(", ")}`);
    assert.ok(catalogs.includes("iceberg") && catalogs.includes("delta"), catalogs.join(", "));
    assert.deepEqual(await trino(1, "SELECT count(*) FROM iceberg.labcheck.t"), [[2]]);
    assert.deepEqual(await trino(1, "SELECT sum(id) FROM iceberg.trinocheck.t"), [[60]]);
  },
);

test(
  "a one-property change (Flink slots) and a TaskManager role group run only Flink's steps, one TaskManager at a time",
  { skip },
  async () => {
    kept.push((v) => {
      v.flink.taskSlots = 3;
      // worker-node3 in a group of its own with 4 slots (the others take flink.taskSlots).
      v.flink.taskManagerGroups = { wide: { nodes: ["worker-node3"], taskSlots: 4 } };
    });
    await configure();
    const r = await up("flinkSlotsChange");
    assert.ok(r.ok, r.error);
    console.log(`flink.taskSlots 2 -> 3: ${ran(r).length} steps in ${r.wallSeconds}s: ${names(r).join(", ")}`);
    numbers.flinkSlotsChange = { steps: ran(r).length, wallSeconds: r.wallSeconds };
    for (const n of names(r)) assert.match(n, /flink/, `${n} ran for a Flink-only change`);
    const tm = ran(r)
      .filter((s) => /^flink-taskmanager-.*-roll$/.test(s.name))
      .sort((a, b) => a.start - b.start);
    assert.equal(tm.length, 3);
    for (let i = 1; i < tm.length; i++) assert.ok(startsAfter(tm[i - 1], tm[i]), "TaskManagers restart one at a time");
    const flink = JSON.parse(await on(2, `curl -fsS http://${lab.nodes[0].host}:8081/overview`));
    assert.equal(flink["slots-total"], 3 + 3 + 4);
    // Each TaskManager's slots, by the host in its RPC path (...tcp://flink@<host>:<port>/...).
    const tms = JSON.parse(await on(2, `curl -fsS http://${lab.nodes[0].host}:8081/taskmanagers`)).taskmanagers as Array<{
      path: string;
      slotsNumber: number;
    }>;
    const slots = Object.fromEntries(tms.map((t) => [/flink@([^:/]+):/.exec(t.path)?.[1], t.slotsNumber]));
    assert.deepEqual(
      slots,
      { [lab.nodes[0].host]: 3, [lab.nodes[1].host]: 3, [lab.nodes[2].host]: 4 },
      JSON.stringify(tms.map((t) => t.path)),
    );
  },
);

// ------------------------------------------------------------------------------------------ no data lost
const SPARK_READ = `${SPARK_SQL} -e "SELECT concat('iceberg_rows=', count(*)) FROM iceberg_hive.labcheck.t; SELECT concat('delta_sum=', sum(id)) FROM default.labcheck_delta" 2>/dev/null`;
const PSQL = `runuser -u postgres -- psql -X -tA -d metastore -c 'SELECT concat_ws(chr(47), (SELECT "SCHEMA_VERSION" FROM "VERSION"), (SELECT count(*) FROM "TBLS"), (SELECT count(*) FROM "DBS"))'`;
const clusterId = async () => (await on(0, "grep -h '^clusterID=' /var/lib/hadoop-hdfs/name/current/VERSION")).trim();
interface DataIdentity {
  nameNode: { clusterID: string; namespaceID: string; blockpoolID: string; cTime: string };
  fsimages: number;
  /** schema version / VERSION rows / the default database's DB_ID / TBLS count / DBS count */
  metastore: string;
}
/** The NameNode's VERSION fields a format makes anew, and the metastore rows an initialisation makes anew. */
async function dataIdentity(): Promise<DataIdentity> {
  const version = await on(0, "cat /var/lib/hadoop-hdfs/name/current/VERSION");
  const field = (k: string) => new RegExp(`^${k}=(.*)$`, "m").exec(version)?.[1] ?? "";
  const fsimages = Number((await on(0, "ls /var/lib/hadoop-hdfs/name/current/ | grep -c '^fsimage_[0-9]*$' || true")).trim());
  const metastore = (
    await on(
      0,
      `runuser -u postgres -- psql -X -tA -d metastore -c 'SELECT concat_ws(chr(47), (SELECT max("SCHEMA_VERSION") FROM "VERSION"), (SELECT count(*) FROM "VERSION"), (SELECT "DB_ID" FROM "DBS" WHERE "NAME" = chr(100)||chr(101)||chr(102)||chr(97)||chr(117)||chr(108)||chr(116)), (SELECT count(*) FROM "TBLS"), (SELECT count(*) FROM "DBS"))'`,
    )
  ).trim();
  return {
    nameNode: {
      clusterID: field("clusterID"),
      namespaceID: field("namespaceID"),
      blockpoolID: field("blockpoolID"),
      cTime: field("cTime"),
    },
    fsimages,
    metastore,
  };
}
let facts: { clusterId: string; metastore: string } | undefined;

async function waitHdfsAndMetastore() {
  await on(
    0,
    `for i in $(seq 1 90); do ${HDFS} dfsadmin -safemode get 2>/dev/null | grep -q OFF && (exec 3<>/dev/tcp/${lab.nodes[0].host}/9083) 2>/dev/null && exit 0; sleep 2; done; exit 1`,
  );
}

test("restarting every service loses nothing: same rows, same clusterID, same metastore schema and tables", { skip }, async (t) => {
  facts = { clusterId: await clusterId(), metastore: (await on(0, PSQL)).trim() };
  assert.match(facts.metastore, /^3\.1\.0\/\d+\/\d+$/);
  const units = [
    "hdfs-namenode",
    "hdfs-datanode",
    "hive-metastore",
    "spark-master",
    "spark-worker",
    "flink-jobmanager",
    "flink-taskmanager",
    "trino",
    "postgresql",
  ];
  for (let i = 0; i < 3; i++)
    await on(i, `for u in ${units.join(" ")}; do systemctl is-enabled -q "$u" 2>/dev/null && systemctl restart "$u"; done; true`);
  await waitHdfsAndMetastore();
  await on(
    0,
    `for i in $(seq 1 60); do curl -fsS http://${lab.nodes[0].host}:8090/json/ | grep -Eq '"aliveworkers" ?: ?3' && exit 0; sleep 2; done; exit 1`,
  );
  const out = await on(0, SPARK_READ);
  assert.match(out, /^iceberg_rows=2$/m);
  assert.match(out, /^delta_sum=7$/m);
  if (skippedParts.has("trino", t, "Trino reads every table after the restarts")) {
    assert.deepEqual(await trinoActive(3), [[3]], "every Trino node back");
    assert.deepEqual(await trino(1, "SELECT count(*), sum(id) FROM iceberg.labcheck.t"), [[2, 3]]);
    assert.deepEqual(await trino(1, "SELECT sum(id) FROM delta.default.labcheck_delta"), [[7]]);
    assert.deepEqual(await trino(1, "SELECT sum(id) FROM iceberg.trinocheck.t"), [[60]]);
  }
  if (skippedParts.has("flinkHive", t, "Flink's Hive catalog lists the tables after the restarts")) {
    const sql = [
      "CREATE CATALOG lab_hive WITH ('type'='hive', 'hive-conf-dir'='/etc/flink/hive-conf');",
      "USE CATALOG lab_hive;",
      "SHOW DATABASES;",
      "USE labcheck;",
      "SHOW TABLES;",
    ].join("\n");
    const flinkOut = await on(0, flinkSqlCommand(sql, "/tmp/lab-flink.sql"));
    assert.match(flinkOut, /\|\s+labcheck\s+\|/, "Flink's Hive catalog lists labcheck");
    assert.match(flinkOut, /\|\s+t\s+\|/, "and its table");
  }
  assert.equal(await clusterId(), facts.clusterId, "the NameNode was not reformatted");
  assert.equal((await on(0, PSQL)).trim(), facts.metastore, "schema version, table and database counts unchanged");
  const r = await up("afterRestarts");
  assert.ok(r.ok, r.error);
  assert.deepEqual(names(r), [], "an up after all that runs nothing");
});

test("with one DataNode stopped HDFS still serves every block; started again, it rejoins", { skip }, async () => {
  await on(2, "systemctl stop hdfs-datanode");
  const files = (await on(1, `${HDFS} dfs -ls -R /lakehouse 2>/dev/null | awk '$1 !~ /^d/ {print $NF}'`))
    .trim()
    .split("\n")
    .filter(Boolean);
  assert.ok(files.length >= 3, `warehouse files: ${files.length}`);
  await on(
    1,
    `for f in ${files.map((f) => `'${f}'`).join(" ")}; do ${HDFS} dfs -cat "$f" >/dev/null 2>&1 || { echo "unreadable: $f" >&2; exit 1; }; done`,
  );
  await on(2, "systemctl start hdfs-datanode");
  await on(
    0,
    `for i in $(seq 1 90); do ${HDFS} dfsadmin -report 2>/dev/null | grep -q 'Live datanodes (3)' && exit 0; sleep 2; done; exit 1`,
  );
});

// ----------------------------------------------------------------------- a failure, then a rotation
test(
  "a failed secret-carrying step prints no secret and says in a few lines what failed where; the rotation then converges",
  { skip },
  async (t) => {
    const oldPw = await dbPassword();
    const newPw = randomBytes(24).toString("base64url");
    kept.push((v) => {
      v.postgresPassword = newPw;
    });
    secretKeys.add("postgresPassword");
    await configure();
    // PostgreSQL down and unable to start while the step that sets the password runs.
    await on(0, "systemctl stop postgresql && systemctl mask --runtime postgresql.service 'postgresql@15-main.service' >/dev/null 2>&1");
    let failed: RunResult;
    try {
      failed = await up("rotationWithPostgresDown");
    } finally {
      await on(0, "systemctl unmask --runtime postgresql.service 'postgresql@15-main.service' >/dev/null 2>&1; systemctl start postgresql");
    }
    assert.ok(!failed.ok, "the up must fail");
    for (const s of [newPw, oldPw]) assert.ok(!failed.output.includes(s), "no password in what the CLI printed");
    // What the engine says about the failed step: its block under "Diagnostics:".
    const diag = failed.output.slice(failed.output.lastIndexOf("Diagnostics:"));
    const block = /command:remote:Command \(postgres-cpu-node1-setup\):\n([\s\S]*?)\n\s*\n/.exec(diag)?.[1] ?? "";
    console.log(`the failed step's error, as the engine prints it (${block.split("\n").length} lines):\n${block}`);
    assert.ok(block, `a diagnostics block for the step:\n${diag.slice(0, 3000)}`);
    assert.match(block, /\/var\/lib\/lakehouse-iac\/bin\/postgres-setup-[0-9a-f]{12}\.sh /, "the command is a call by name");
    assert.match(block, /postgres-setup\.sh: /, "the script's own last line says what failed");
    assert.ok(!/set -euo pipefail|#!\/usr\/bin\/env/.test(failed.output), "no script text anywhere in the output");
    assert.ok(block.split("\n").length <= 10, `a few lines a person reads (${block.split("\n").length})`);
    numbers.failedStepErrorLines = block.split("\n").length;
    // Back up: the rotation converges, the metastore uses the new password, every table still reads.
    const r = await up("rotationConverges");
    assert.ok(r.ok, r.error);
    console.log(`password rotation: ${ran(r).length} steps in ${r.wallSeconds}s: ${names(r).join(", ")}`);
    assert.equal(await dbPassword(), newPw);
    assert.equal((await psqlAs(newPw, "select current_user")).trim(), "hive");
    await assert.rejects(psqlAs(oldPw, "select 1"));
    await waitHdfsAndMetastore();
    if (skippedParts.has("trino", t, "Trino reads the tables after the rotation")) {
      assert.deepEqual(await trino(1, "SELECT count(*), sum(id) FROM iceberg.labcheck.t"), [[2, 3]]);
      assert.deepEqual(await trino(1, "SELECT sum(id) FROM delta.default.labcheck_delta"), [[7]]);
    }
    assert.deepEqual(await secretHitsOnHosts([newPw, oldPw]), [], "neither password on the hosts' command lines, journals or logs");
  },
);

test(
  "rotating Spark's secret (and a worker role group) rolls the master, then one worker at a time; every worker rejoins and Spark jobs read the tables",
  { skip },
  async () => {
    const sparkNew = randomBytes(40).toString("base64url");
    kept.push((v) => {
      v.sparkAuthSecret = sparkNew;
      // A worker role group in the same change: worker-node3 offers 2 cores, the others spark.workerCores (1).
      v.spark.workerGroups = { wide: { nodes: ["worker-node3"], workerCores: 2 } };
    });
    secretKeys.add("sparkAuthSecret");
    await configure();
    const r = await up("sparkSecretRotation");
    assert.ok(r.ok, r.error);
    numbers.sparkSecretRotation = { steps: ran(r).length, wallSeconds: r.wallSeconds };
    console.log(`Spark secret rotation: ${ran(r).length} steps in ${r.wallSeconds}s: ${names(r).join(", ")}`);
    // Spark's steps, and worker-node3's preflight: the group's cores change what that host must offer.
    const others = names(r).filter((n) => !/^spark-|-spark-conf-write$/.test(n));
    assert.deepEqual(others, ["worker-node3-preflight"], `${others.join(", ")} ran for a Spark secret change`);
    const rolls = ran(r)
      .filter((x) => /^spark-(master|worker)-.*-roll$/.test(x.name))
      .sort((a, b) => a.start - b.start);
    assert.deepEqual(
      rolls.map((x) => x.name),
      ["spark-master-cpu-node1-roll", "spark-worker-cpu-node1-roll", "spark-worker-cpu-node2-roll", "spark-worker-worker-node3-roll"],
      "the master first, then each worker",
    );
    for (let i = 1; i < rolls.length; i++) assert.ok(startsAfter(rolls[i - 1], rolls[i]), "one node at a time, healthy before the next");
    assert.equal((await on(2, "sed -n 's/^spark.authenticate.secret=//p' /etc/spark/conf/spark-defaults.conf")).trim(), sparkNew);
    const master = JSON.parse(await on(1, `curl -fsS http://${lab.nodes[0].host}:8090/json/`));
    assert.equal(master.aliveworkers, 3);
    // The master's view of each live worker's cores: the group's on its node, spark.workerCores elsewhere.
    const cores = Object.fromEntries(
      (master.workers as Array<{ host: string; cores: number; state: string }>)
        .filter((w) => w.state === "ALIVE")
        .map((w) => [w.host, w.cores]),
    );
    assert.deepEqual(cores, { [lab.nodes[0].host]: 1, [lab.nodes[1].host]: 1, [lab.nodes[2].host]: 2 }, JSON.stringify(cores));
    const out = await on(0, SPARK_READ);
    assert.match(out, /^iceberg_rows=2$/m, "a Spark job with the new secret runs");
    assert.match(out, /^delta_sum=7$/m);
    assert.deepEqual(await secretHitsOnHosts([sparkNew]), [], "the secret is on no host's command lines, journal or logs");
  },
);

// --------------------------------------------------------------------------------------- replacement order
test("moving the Trino coordinator to cpu-node2 (its resources are replaced) ends with every service running", { skip }, async (t) => {
  const why = trinoSkip();
  if (why) return t.skip(why);
  kept.push((v) => {
    v.nodes[0].roles = v.nodes[0].roles.filter((r: string) => r !== "trino-coordinator");
    v.nodes[1].roles = [...v.nodes[1].roles.filter((r: string) => r !== "trino-worker"), "trino-coordinator"];
  });
  await configure();
  const r = await up("moveTrinoCoordinator");
  assert.ok(r.ok, r.error);
  console.log(
    `coordinator move: ${ran(r).length} steps in ${r.wallSeconds}s: ${ran(r)
      .map((s) => `${s.op} ${s.name}`)
      .join(", ")}`,
  );
  const deleted = ran(r).filter((s) => s.op === "delete" && /^trino-.*-start$/.test(s.name));
  assert.ok(deleted.length >= 2, "the old Trino start steps of node1 and node2 were deleted at the end");
  coordinator = 1;
  for (const i of [0, 1, 2]) assert.equal((await on(i, "systemctl is-active trino")).trim(), "active", `trino on ${lab.nodes[i].name}`);
  assert.deepEqual(await trinoActive(3), [[3]]);
  assert.deepEqual(await trino(2, "SELECT node_id FROM system.runtime.nodes WHERE coordinator"), [
    [`${stackConfig().environment}-${lab.nodes[1].name}`],
  ]);
  assert.deepEqual(await trino(2, "SELECT count(*) FROM iceberg.labcheck.t"), [[2]]);
  assert.equal((await stack.outputs()).trinoUrl.value, `https://${lab.nodes[1].host}:8443`);
});

// ------------------------------------------------------------------------------------ scale out, fail, in
function node4Patch(v: Record<string, any>) {
  const n4 = lab.nodes[3];
  v.nodes.push({
    name: n4.name,
    host: n4.host,
    hostKey: n4.hostKey,
    ssh: { user: n4.user, port: n4.port },
    roles: ["datanode", "spark-worker", "flink-taskmanager", ...(missing.includes("trino") ? [] : ["trino-worker"])],
  });
}

test("scale-out: worker-node4 joins; on nodes 1-3 only what lists the members changes; nothing is reformatted", { skip }, async (t) => {
  execFileSync("bash", [LAB, "up", "--nodes", "4"], { stdio: "inherit" });
  lab = readLab();
  assert.equal(lab.nodes.length, 4);
  kept.push(node4Patch);
  await configure();
  const r = await up("scaleOut");
  assert.ok(r.ok, r.error);
  numbers.scaleOutSeconds = r.wallSeconds;
  const elsewhere = names(r).filter((n) => !n.includes("worker-node4"));
  console.log(`scale-out: ${ran(r).length} steps in ${r.wallSeconds}s; on nodes 1-3: ${elsewhere.join(", ")}`);
  assert.deepEqual(elsewhere.sort(), [
    "cpu-node1-etc-hosts",
    "cpu-node2-etc-hosts",
    "namenode-cpu-node1-members",
    "postgres-cpu-node1-setup",
    "worker-node3-etc-hosts",
  ]);
  assert.match(await on(0, `${HDFS} dfsadmin -report 2>/dev/null`), /Live datanodes \(4\):/);
  assert.equal(JSON.parse(await on(1, `curl -fsS http://${lab.nodes[0].host}:8090/json/`)).aliveworkers, 4);
  assert.equal(JSON.parse(await on(2, `curl -fsS http://${lab.nodes[0].host}:8081/overview`)).taskmanagers, 4);
  if (skippedParts.has("trino", t, "Trino: worker-node4 joined"))
    assert.deepEqual(await trinoActive(4), [[4]], "Trino: worker-node4 joined");
  if (facts) {
    assert.equal(await clusterId(), facts.clusterId);
    assert.equal((await on(0, PSQL)).trim().split("/")[0], facts.metastore.split("/")[0]);
  }
  assert.match(String((await stack.resourceOutputs("namenode-cpu-node1-members"))?.stdout), /membership updated: 4 DataNodes/);
});

test("an unreachable host fails the run quickly, naming the host; once back, the next up converges", { skip }, async () => {
  execFileSync("bash", [LAB, "stop", "2"], { stdio: "inherit" }); // worker-node3
  kept.push((v) => {
    // A change for every TaskManager, worker-node3's included: its role group (the Flink test's) goes too.
    v.flink.taskSlots = 5;
    delete v.flink.taskManagerGroups;
  });
  await configure();
  const failed = await up("unreachableHost");
  console.log(`unreachable worker-node3: the up failed after ${failed.wallSeconds}s:\n${failed.error}`);
  assert.ok(!failed.ok, "the run must fail");
  assert.match(failed.error ?? "", /worker-node3/);
  assert.ok(failed.wallSeconds < 120, `bounded: ${failed.wallSeconds}s`);
  numbers.unreachableHostFailSeconds = failed.wallSeconds;
  execFileSync("bash", [LAB, "up", "--nodes", "4"], { stdio: "inherit" }); // starts worker-node3 again
  const healed = await up("unreachableHostBack");
  assert.ok(healed.ok, healed.error);
  assert.ok(
    names(healed).some((n) => /^flink-taskmanager-worker-node3-/.test(n)),
    "the pending steps ran",
  );
  assert.equal(JSON.parse(await on(1, `curl -fsS http://${lab.nodes[0].host}:8081/overview`))["slots-total"], 4 * 5);
  await on(
    0,
    `for i in $(seq 1 90); do ${HDFS} dfsadmin -report 2>/dev/null | grep -q 'Live datanodes (4)' && exit 0; sleep 2; done; exit 1`,
  );
});

test("scale-in: removing worker-node4 decommissions its DataNode before its services stop; no block is lost", { skip }, async () => {
  const put = `head -c 24000000 /dev/urandom > /tmp/scalein.bin && sha256sum < /tmp/scalein.bin && ${HDFS} dfs -put -f /tmp/scalein.bin /lakehouse/hive/scalein.bin 2>/dev/null`;
  const written = (await on(3, put)).trim().split(" ")[0];
  const where = await on(0, `${HDFS} fsck /lakehouse/hive/scalein.bin -files -blocks -locations 2>/dev/null`);
  assert.ok(where.includes(lab.nodes[3].host), `a replica on worker-node4:\n${where}`);
  kept.splice(kept.indexOf(node4Patch), 1);
  await configure();
  // While the up runs, from cpu-node1: the moment the NameNode reports worker-node4 Decommissioned (its JMX, read
  // every half second), where the file's blocks live. Taken before the DataNode stops, or within seconds of it,
  // long before a dead node's blocks would be re-replicated (10.5 minutes): replicas elsewhere then prove the
  // decommission made them.
  const n4 = lab.nodes[3].host;
  const watcher = [
    "set -u",
    `for i in $(seq 1 1800); do`,
    `  if curl -fsS 'http://${lab.nodes[0].host}:9870/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo' 2>/dev/null | sed 's/}/}\\n/g' | grep -E 'xferaddr[^,]{1,8}${n4.replace(/\./g, "\\.")}:' | grep -qE 'adminState[^,]{1,8}Decommissioned'; then`,
    `    ${HDFS} fsck /lakehouse/hive/scalein.bin -files -blocks -locations 2>/dev/null; exit 0`,
    "  fi",
    "  sleep 0.5",
    "done",
    "echo 'never saw worker-node4 Decommissioned' >&2; exit 1",
  ].join("\n");
  const watch = runSsh({ ...lab.nodes[0], privateKey: readFileSync(lab.privateKeyPath, "utf8") }, "bash -s", watcher, 900_000);
  const r = await up("scaleIn");
  const atDecommission = await watch;
  assert.ok(r.ok, r.error);
  numbers.scaleInSeconds = r.wallSeconds;
  console.log(
    `scale-in: ${ran(r).length} steps in ${r.wallSeconds}s: ${ran(r)
      .map((s) => `${s.op} ${s.name}`)
      .join(", ")}`,
  );
  const members = stepOf(r, "namenode-cpu-node1-members");
  const membersOut = String((await stack.resourceOutputs("namenode-cpu-node1-members"))?.stdout);
  const n4re = n4.replace(/\./g, "\\.");
  // The NameNode itself said Decommissioned (hdfs-membership.sh prints that status only when it reads it).
  assert.match(membersOut, new RegExp(`^DataNode ${n4re}: Decommissioned$`, "m"), membersOut);
  assert.match(membersOut, new RegExp(`decommissioned and removed: ${n4re}`));
  // At that moment every block of the file had its replicas (hdfs.replication: 2) on other nodes.
  assert.equal(atDecommission.code, 0, `the watcher: ${atDecommission.stderr.slice(-500)}`);
  const blocks = atDecommission.stdout.split("\n").filter((l) => /blk_\d+/.test(l));
  assert.ok(blocks.length >= 1, `fsck listed the file's blocks:\n${atDecommission.stdout}`);
  for (const b of blocks) {
    const at = [...b.matchAll(/DatanodeInfoWithStorage\[(\d+\.\d+\.\d+\.\d+):/g)].map((m) => m[1]);
    assert.ok(
      at.filter((ip) => ip !== n4).length >= 2,
      `a block with fewer than 2 replicas off worker-node4 when it was decommissioned: ${b}`,
    );
  }
  const stopDn = stepOf(r, "datanode-worker-node4-start", "delete");
  assert.ok(startsAfter(members, stopDn), "decommissioned before its DataNode stopped");
  for (const s of ran(r).filter((x) => x.op === "delete"))
    assert.match(s.name, /worker-node4/, `only node4's resources are deleted: ${s.name}`);
  assert.match(await on(0, `${HDFS} dfsadmin -report 2>/dev/null`), /Live datanodes \(3\):/);
  const fsck = await on(0, `${HDFS} fsck / 2>/dev/null`);
  assert.match(fsck, /Status: HEALTHY/);
  assert.match(fsck, /Missing blocks:\s+0\b/);
  assert.equal((await on(1, `${HDFS} dfs -cat /lakehouse/hive/scalein.bin 2>/dev/null | sha256sum`)).trim().split(" ")[0], written);
  await on(0, `${HDFS} dfs -rm -skipTrash /lakehouse/hive/scalein.bin 2>/dev/null`);
});

// ------------------------------------------------------------------------------------------ destroy, up again
test("destroy keeps data: pulumi destroy, then pulumi up from an empty state finds the same cluster and tables", { skip }, async (t) => {
  const before = {
    clusterId: await clusterId(),
    schema: (await on(0, PSQL)).trim().split("/")[0],
    ca: String((await stack.outputs()).caCertificate.value),
    identity: await dataIdentity(),
  };
  const d = await stack.destroy();
  recorded.destroy = { wallSeconds: d.wallSeconds, steps: d.steps };
  outputs.push({ label: "destroy", text: d.output });
  assert.ok(d.ok, d.error);
  console.log(`destroy: ${ran(d).length} steps in ${d.wallSeconds}s`);
  // Destroy stopped the services and kept their data.
  for (const u of ["hdfs-namenode", "hive-metastore", "trino", "postgresql"]) {
    const state = (await on(0, `systemctl is-active ${u} || true`)).trim();
    assert.equal(state, u === "postgresql" ? "active" : "inactive", `${u} after destroy`);
  }
  assert.match(await on(0, "ls /var/lib/hadoop-hdfs/name/current/"), /VERSION/);
  // A new, empty stack onto the same hosts (new generated secrets too).
  await stack.remove();
  await configure();
  const r = await up("upAfterDestroy");
  assert.ok(r.ok, r.error);
  numbers.upAfterDestroySeconds = r.wallSeconds;
  assert.equal(await clusterId(), before.clusterId, "the same HDFS cluster (not reformatted)");
  assert.equal((await on(0, PSQL)).trim().split("/")[0], before.schema, "the same metastore schema version");
  assert.equal(String((await stack.outputs()).caCertificate.value), before.ca, "the same cluster CA (clients keep trusting it)");
  // Not reformatted, not re-initialised: the NameNode's namespace and block pool and the metastore's VERSION row
  // and default database are the ones the first up made (tables may have come and gone since: counts aside).
  const after = await dataIdentity();
  assert.deepEqual(after.nameNode, before.identity.nameNode, "the NameNode's VERSION (a format would make a new namespaceID)");
  assert.equal(after.metastore.split("/").slice(0, 3).join("/"), before.identity.metastore.split("/").slice(0, 3).join("/"));
  assert.match(String((await stack.resourceOutputs("namenode-cpu-node1-format"))?.stdout), /already formatted|kept/i);
  await waitHdfsAndMetastore();
  if (skippedParts.has("trino", t, "Trino reads the table after destroy and up")) {
    assert.deepEqual(await trinoActive(3), [[3]]);
    assert.deepEqual(await trino(1, "SELECT count(*), sum(id) FROM iceberg.labcheck.t"), [[2, 3]], "the table reads with its rows");
  }
  const smoke = (await stack.outputs()).smokeTest.value as SmokeTestResult;
  assert.equal(smoke.status, "passed", `${smoke.failedStep}: ${smoke.detail}`);
});

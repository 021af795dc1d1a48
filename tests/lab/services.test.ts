/**
 * The whole stack on a 3-host lab: artifacts from the lab mirror (lab/mirror.sh), every service started by its
 * systemd unit and gated on its health check, then checked from the hosts; a real metastore round trip through
 * Spark (an Iceberg and a Delta table on HDFS); a second apply that runs nothing; teardown.
 * Prints the apply's wall time, its critical path (from the engine's records), their ratio and the lab's peak
 * memory. Trino is left out, and says so, when this machine's registry lacks its server tarball or a JDK for it.
 *
 * Needs root. Without it the test SKIPS, saying why.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync, ChildProcess } from "child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { Lab, labServicesConfig, readLab } from "./lab-config";
import { ProgramResult, runProgram } from "../helpers/program";
import { StepRecord, runSsh } from "../harness/engine";
import { parseSmokeTest } from "../../components/smoke-test";
import { applyStats } from "../harness/records";
import { ROOT } from "../helpers/stacks";

const LAB = path.join(ROOT, "lab/lab.sh");
const skip = process.getuid?.() !== 0 ? "needs root (network namespaces, systemd-nspawn): run as root" : undefined;
if (skip) console.log(`\n*** SKIPPED: lab services tests: ${skip} ***\n`);

let lab: Lab;
let stateDir: string;
let missing: string[] = [];
let first: ProgramResult;
let second: ProgramResult;
const numbers: Record<string, unknown> = {};

const memUsedMiB = () => {
  const m = readFileSync("/proc/meminfo", "utf8");
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(m)![1]);
  return (kb("MemTotal") - kb("MemAvailable")) / 1024;
};

/** Changes a test made to the stack that later applies keep (as a user's stack file would). */
const kept: Array<(v: Record<string, any>) => void> = [];
function stackConfig() {
  const cfg = labServicesConfig(lab);
  for (const patch of kept) patch(cfg.config as Record<string, any>);
  return cfg;
}

async function on(i: number, cmd: string) {
  const n = lab.nodes[i];
  const r = await runSsh({ ...n, privateKey: readFileSync(lab.privateKeyPath, "utf8") }, cmd, undefined, 300_000);
  assert.equal(r.code, 0, `${n.name}: ${cmd}\n${r.stderr.slice(-2000)}`);
  return r.stdout;
}
const HDFS =
  "runuser -u hdfs -- env JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 HADOOP_CONF_DIR=/etc/hadoop/conf /opt/hadoop/current/bin/hdfs";

before(() => {
  if (skip) return;
  stateDir = mkdtempSync(path.join(tmpdir(), "lakehouse-lab-services-"));
  let t = Date.now();
  execFileSync("bash", [path.join(ROOT, "lab/mirror.sh")], { stdio: "inherit" });
  numbers.mirrorSeconds = (Date.now() - t) / 1000;
  const baseline = memUsedMiB();
  t = Date.now();
  execFileSync("bash", [LAB, "up", "--nodes", "3"], { stdio: "inherit" });
  numbers.labUpSeconds = (Date.now() - t) / 1000;
  lab = readLab();
  const cfg = labServicesConfig(lab);
  missing = cfg.missing;
  // Peak memory while the stack comes up, sampled by a small separate process (the apply blocks this one).
  const samples = path.join(stateDir, "mem.txt");
  const sampler: ChildProcess = spawn(
    "bash",
    ["-c", `while :; do awk '/MemTotal/{t=$2}/MemAvailable/{a=$2}END{print (t-a)/1024}' /proc/meminfo >>'${samples}'; sleep 2; done`],
    {
      stdio: "ignore",
    },
  );
  t = Date.now();
  first = runProgram("lab", cfg.config, ["sshPrivateKey"], { statePath: path.join(stateDir, "state.json") });
  numbers.firstApplySeconds = (Date.now() - t) / 1000;
  t = Date.now();
  second = first.error ? first : runProgram("lab", cfg.config, ["sshPrivateKey"], { statePath: path.join(stateDir, "state.json") });
  numbers.secondApplySeconds = (Date.now() - t) / 1000;
  sampler.kill("SIGTERM");
  const peak = Math.max(...readFileSync(samples, "utf8").trim().split("\n").map(Number));
  numbers.labPeakMemoryMiB = Math.round(peak - baseline);
  const stats = applyStats(first.steps ?? []);
  numbers.apply = { ...stats, ratio: Math.round((stats.wallSeconds / Math.max(stats.criticalPathSeconds, 0.001)) * 100) / 100 };
  numbers.missingFromRegistry = missing;
  console.log(`lab services numbers: ${JSON.stringify(numbers, null, 2)}`);
  writeFileSync(path.join(tmpdir(), "lakehouse-lab-services-numbers.json"), JSON.stringify(numbers, null, 2));
});

/** Step records of the applies the benchmark reports (npm run bench reads them; outside the repo). */
const RECORDS = path.join(process.env.LAKEHOUSE_LAB_CACHE ?? "/var/cache/lakehouse-lab", "records", "services-latest.json");
const recorded: Record<string, StepRecord[]> = {};

after(() => {
  if (skip) return;
  try {
    mkdirSync(path.dirname(RECORDS), { recursive: true });
    const slim = (steps: StepRecord[]) =>
      steps.map(({ urn, name, op, start, end, exitCode, dependencies }) => ({ urn, name, op, start, end, exitCode, dependencies }));
    const applies = { fullApply: first?.steps ?? [], noOpReapply: second?.steps ?? [], ...recorded };
    writeFileSync(
      RECORDS,
      JSON.stringify({
        recordedAt: new Date().toISOString(),
        numbers,
        applies: Object.fromEntries(Object.entries(applies).map(([k, v]) => [k, slim(v)])),
      }),
    );
    console.log(`lab services records: ${RECORDS}`);
  } catch (e) {
    console.log(`could not write ${RECORDS}: ${e}`);
  }
  spawnSync("bash", [LAB, "down"], { stdio: "inherit" });
  rmSync(stateDir, { recursive: true, force: true });
});

test("the full apply succeeds", { skip }, () => {
  assert.equal(first.error, undefined, first.error);
});

test("HDFS: every DataNode live, safe mode off, warehouse dirs owned by the warehouse owner", { skip }, async () => {
  const report = await on(0, `${HDFS} dfsadmin -report 2>/dev/null`);
  assert.match(report, /Live datanodes \(3\):/);
  assert.match(await on(0, `${HDFS} dfsadmin -safemode get 2>/dev/null`), /Safe mode is OFF/);
  const ls = await on(1, `${HDFS} dfs -ls /lakehouse 2>/dev/null`);
  for (const d of ["iceberg", "delta", "hive"]) assert.match(ls, new RegExp(`drwxrwxr-x\\s+- hive hadoop .* /lakehouse/${d}$`, "m"));
});

test("the NameNode was formatted once and the metastore schema initialised once", { skip }, () => {
  const steps = first.steps!;
  assert.equal(steps.filter((s) => s.name === "namenode-cpu-node1-format" && s.op === "create").length, 1);
  assert.equal(steps.filter((s) => s.name === "metastore-cpu-node1-schema" && s.op === "create").length, 1);
});

test("health checks gate dependents: each service starts after the ones it needs are healthy", { skip }, () => {
  const step = (n: string) => first.steps!.find((s) => s.name === n && s.op === "create")!;
  const before = (a: string, b: string) => assert.ok(step(a).end <= step(b).start, `${a} healthy before ${b} starts`);
  before("namenode-cpu-node1-start", "datanode-cpu-node2-start");
  before("datanode-worker-node3-start", "warehouse-dirs");
  before("postgres-cpu-node1-setup", "metastore-cpu-node1-schema");
  before("metastore-cpu-node1-start", "spark-master-cpu-node1-start");
  before("metastore-cpu-node1-start", "flink-jobmanager-cpu-node1-start");
  before("spark-master-cpu-node1-start", "spark-worker-cpu-node2-start");
  before("spark-worker-cpu-node2-start", "spark-worker-worker-node3-start");
});

test("Spark: master ALIVE with every worker; Flink: every TaskManager with its slots", { skip }, async () => {
  const spark = JSON.parse(await on(1, `curl -fsS http://${lab.nodes[0].host}:8090/json/`));
  assert.equal(spark.status, "ALIVE");
  assert.equal(spark.aliveworkers, 3);
  const flink = JSON.parse(await on(2, `curl -fsS http://${lab.nodes[0].host}:8081/overview`));
  assert.equal(flink.taskmanagers, 3);
  assert.equal(flink["slots-total"], 6);
});

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
  const out = await on(
    0,
    `cd /tmp && runuser -u spark -- env JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 SPARK_CONF_DIR=/etc/spark/conf /opt/spark/current/bin/spark-sql --conf spark.executor.memory=512m --conf spark.cores.max=2 -e "${sql}" 2>/dev/null`,
  );
  assert.match(out, /^iceberg_rows=2$/m);
  assert.match(out, /^delta_sum=7$/m);
  // The table's metadata landed in PostgreSQL through the metastore, and its files on HDFS under /lakehouse/iceberg.
  const ls = await on(0, `${HDFS} dfs -ls -R /lakehouse/iceberg 2>/dev/null | grep -c metadata.json || true`);
  assert.ok(Number(ls.trim()) >= 1, "Iceberg metadata files under /lakehouse/iceberg");
});

/**
 * A query through Trino's HTTP protocol (POST /v1/statement, then follow nextUri), run on a lab host with its
 * python3: no CLI needed. Returns the rows; a query error fails with Trino's message.
 */
async function trino(i: number, sql: string): Promise<unknown[][]> {
  const client = [
    "import base64, json, sys, urllib.request",
    "sql = base64.b64decode(sys.argv[2]).decode()",
    "req = urllib.request.Request(sys.argv[1] + '/v1/statement', data=sql.encode(), headers={'X-Trino-User': 'lakehouse-lab'})",
    "r = json.load(urllib.request.urlopen(req, timeout=120))",
    "rows = []",
    "while True:",
    "    if 'error' in r: sys.exit('trino: ' + r['error'].get('message', json.dumps(r['error'])))",
    "    rows += r.get('data', [])",
    "    if 'nextUri' not in r: break",
    "    r = json.load(urllib.request.urlopen(r['nextUri'], timeout=120))",
    "print(json.dumps(rows))",
  ].join("\n");
  const b64 = (x: string) => Buffer.from(x).toString("base64");
  const out = await on(
    i,
    `echo ${b64(client)} | base64 -d > /tmp/trino-q.py && python3 /tmp/trino-q.py http://${lab.nodes[0].host}:8080 ${b64(sql)}`,
  );
  return JSON.parse(out) as unknown[][];
}
/** Poll until `n` Trino nodes are active (a restarted worker re-announces itself within seconds). */
async function trinoActive(n: number): Promise<unknown[][]> {
  let active: unknown[][] = [];
  for (let i = 0; i < 60 && JSON.stringify(active) !== `[[${n}]]`; i++) {
    if (i) await new Promise((res) => setTimeout(res, 2000));
    active = await trino(1, "SELECT count(*) FROM system.runtime.nodes WHERE state = 'active'");
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
  const nodes = await trino(1, "SELECT count(*) FROM system.runtime.nodes WHERE state = 'active'");
  assert.equal(nodes[0][0], 3, "coordinator + 2 workers active");
  for (const catalog of ["iceberg", "delta", "hive"]) {
    const schemas = (await trino(2, `SHOW SCHEMAS FROM ${catalog}`)).map((r) => r[0]);
    assert.ok(schemas.includes("information_schema") && schemas.includes("default"), `${catalog}: ${schemas.join(", ")}`);
  }
});

test("cross-engine: Trino reads Spark's Iceberg and Delta tables; Spark reads an Iceberg table Trino wrote", { skip }, async (t) => {
  const why = trinoSkip();
  if (why) return t.skip(why);
  // Written by Spark in the metastore test above.
  assert.deepEqual(await trino(1, "SELECT count(*), sum(id) FROM iceberg.labcheck.t"), [[2, 3]]);
  assert.deepEqual(await trino(1, "SELECT sum(id) FROM delta.default.labcheck_delta"), [[7]]);
  // Trino writes an Iceberg table in its own schema under /lakehouse/iceberg ...
  const fs = `hdfs://${lab.nodes[0].host}:9000`;
  await trino(1, `CREATE SCHEMA IF NOT EXISTS iceberg.trinocheck WITH (location = '${fs}/lakehouse/iceberg/trinocheck')`);
  await trino(1, "CREATE TABLE IF NOT EXISTS iceberg.trinocheck.t (id bigint, v varchar)");
  await trino(1, "INSERT INTO iceberg.trinocheck.t VALUES (10, 'x'), (20, 'y'), (30, 'z')");
  // ... that Spark reads through the same metastore.
  const out = await on(
    0,
    `cd /tmp && runuser -u spark -- env JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 SPARK_CONF_DIR=/etc/spark/conf /opt/spark/current/bin/spark-sql --conf spark.executor.memory=512m --conf spark.cores.max=2 -e "SELECT concat('trino_rows=', count(*), ',', sum(id)) FROM iceberg_hive.trinocheck.t" 2>/dev/null`,
  );
  assert.match(out, /^trino_rows=3,60$/m);
  const ls = await on(0, `${HDFS} dfs -ls -R /lakehouse/iceberg/trinocheck 2>/dev/null | grep -c metadata.json || true`);
  assert.ok(Number(ls.trim()) >= 1, "the Trino-written table's metadata is under /lakehouse/iceberg/trinocheck");
});

test("the smoke test (opted into by the lab stack) ran last and passed every step; its data is gone", { skip }, async () => {
  const run = first.steps!.find((s) => s.name === "smoke-test-run")!;
  assert.ok(run, "the smoke test ran in the first apply");
  const last = Math.max(...first.steps!.filter((s) => s.name !== "smoke-test-run" && s.op === "create").map((s) => s.end));
  assert.ok(run.start >= last, "after every other step");
  const result = parseSmokeTest(run.stdout ?? "");
  console.log(`smoke test: ${JSON.stringify(result)}`);
  numbers.smokeTestSeconds = Math.round((run.end - run.start) / 100) / 10;
  assert.equal(result.status, "passed", `${result.failedStep}: ${result.detail}`);
  const expected = ["trino-writes-iceberg", "spark-reads-iceberg", "spark-writes-delta", "trino-reads-delta", "flink-lists-hive-catalog"];
  assert.deepEqual(
    result.steps.map((s) => s.step),
    expected,
  );
  for (const s of result.steps) {
    if (s.step === "flink-lists-hive-catalog" && missing.includes("flinkHive")) assert.match(s.result, /^skipped/);
    else if (missing.includes("trino") && s.step !== "spark-writes-delta") assert.match(s.result, /^skipped/);
    else assert.equal(s.result, "ok", s.step);
  }
  // Cleaned up: no smoke schema in the metastore, nothing left under the warehouse dirs.
  const ls = await on(0, `${HDFS} dfs -ls /lakehouse/iceberg /lakehouse/delta 2>/dev/null || true`);
  assert.ok(!/lakehouse_smoke/.test(ls), ls);
  if (!missing.includes("trino")) {
    const schemas = (await trino(1, "SHOW SCHEMAS FROM iceberg")).map((r) => r[0]);
    assert.ok(!schemas.includes("lakehouse_smoke"), schemas.join(","));
  }
});

test("a second apply runs nothing", { skip }, () => {
  assert.equal(second.error, undefined, second.error);
  const ran = second.steps!.filter((s) => s.op !== "same" && s.op !== "skipped");
  assert.deepEqual(
    ran.map((s) => `${s.op} ${s.name}`),
    [],
  );
});

// ------------------------------------------------------------------------------------------------ no data lost
const SPARK_READ = `cd /tmp && runuser -u spark -- env JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 SPARK_CONF_DIR=/etc/spark/conf /opt/spark/current/bin/spark-sql --conf spark.executor.memory=512m --conf spark.cores.max=2 -e "SELECT concat('iceberg_rows=', count(*)) FROM iceberg_hive.labcheck.t; SELECT concat('delta_sum=', sum(id)) FROM default.labcheck_delta" 2>/dev/null`;
const PSQL = `runuser -u postgres -- psql -X -tA -d metastore -c 'SELECT concat_ws(chr(47), (SELECT "SCHEMA_VERSION" FROM "VERSION"), (SELECT count(*) FROM "TBLS"), (SELECT count(*) FROM "DBS"))'`;
let facts: { clusterId: string; metastore: string } | undefined;

test(
  "a Trino catalog property change runs only Trino's steps: files, then one node at a time, each healthy before the next",
  { skip },
  async (t) => {
    const why = trinoSkip();
    if (why) return t.skip(why);
    kept.push((v) => {
      v.trino.overrides = { ...(v.trino.overrides ?? {}), "iceberg.properties": { "iceberg.target-max-file-size": "256MB" } };
    });
    const started = Date.now();
    const r = runProgram("lab", stackConfig().config, ["sshPrivateKey"], { statePath: path.join(stateDir, "state.json") });
    assert.equal(r.error, undefined, r.error);
    const ran = r.steps!.filter((s) => s.op !== "same" && s.op !== "skipped");
    recorded.trinoCatalogPropertyChange = r.steps!;
    numbers.trinoPropertyChange = { steps: ran.length, wallSeconds: (Date.now() - started) / 1000, ran: ran.map((s) => s.name) };
    console.log(
      `steps run for one Trino catalog property (${ran.length}, ${(Date.now() - started) / 1000}s): ${ran.map((s) => s.name).join(", ")}`,
    );
    for (const s of ran) assert.match(s.name, /^trino-/, `${s.name} ran for a Trino-only change`);
    const starts = ran.filter((s) => /^trino-.*-start$/.test(s.name)).sort((a, b) => a.start - b.start);
    assert.deepEqual(
      starts.map((s) => s.name),
      ["trino-cpu-node1-start", "trino-cpu-node2-start", "trino-worker-node3-start"],
      "coordinator first, then each worker",
    );
    for (let i = 1; i < starts.length; i++) assert.ok(starts[i - 1].end <= starts[i].start, "one node at a time, healthy before the next");
    for (const s of starts) assert.match(s.stdout ?? "", /restarted, healthy/);
    for (const i of [0, 1, 2])
      assert.match(await on(i, "cat /etc/trino/catalog/iceberg.properties"), /^iceberg\.target-max-file-size=256MB$/m);
    // Nothing lost: every node back, Spark's and Trino's tables read the same.
    assert.deepEqual(await trinoActive(3), [[3]]);
    assert.deepEqual(await trino(1, "SELECT count(*) FROM iceberg.labcheck.t"), [[2]]);
    assert.deepEqual(await trino(1, "SELECT sum(id) FROM iceberg.trinocheck.t"), [[60]]);
  },
);

test("a one-property change (Flink slots) runs only Flink's steps, one TaskManager at a time", { skip }, async () => {
  const cfg = stackConfig();
  (cfg.config.flink as Record<string, unknown>).taskSlots = 3;
  const r = runProgram("lab", cfg.config, ["sshPrivateKey"], { statePath: path.join(stateDir, "state.json") });
  assert.equal(r.error, undefined, r.error);
  const ran = r.steps!.filter((s) => s.op !== "same" && s.op !== "skipped").map((s) => s.name);
  console.log(`steps run for flink.taskSlots 2 -> 3 (${ran.length}): ${ran.join(", ")}`);
  numbers.propertyChange = { steps: ran.length, ran };
  recorded.flinkSlotsChange = r.steps!;
  assert.ok(ran.length > 0);
  for (const n of ran) assert.match(n, /flink/, `${n} ran for a Flink-only change`);
  const tm = r.steps!.filter((s) => /^flink-taskmanager-.*-start$/.test(s.name) && s.op === "update").sort((a, b) => a.start - b.start);
  assert.equal(tm.length, 3);
  for (let i = 1; i < tm.length; i++) assert.ok(tm[i - 1].end <= tm[i].start, "TaskManagers restart one at a time");
  const flink = JSON.parse(await on(2, `curl -fsS http://${lab.nodes[0].host}:8081/overview`));
  assert.equal(flink["slots-total"], 9);
});

test("restarting every service loses nothing: same rows, same clusterID, same metastore schema and tables", { skip }, async () => {
  const clusterId = async () => (await on(0, "grep -h '^clusterID=' /var/lib/hadoop-hdfs/name/current/VERSION")).trim();
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
  // Wait until HDFS is out of safe mode and the metastore answers, then read through Spark.
  await on(
    0,
    `for i in $(seq 1 90); do ${HDFS} dfsadmin -safemode get 2>/dev/null | grep -q OFF && (exec 3<>/dev/tcp/${lab.nodes[0].host}/9083) 2>/dev/null && exit 0; sleep 2; done; exit 1`,
  );
  await on(
    0,
    `for i in $(seq 1 60); do curl -fsS http://${lab.nodes[0].host}:8090/json/ | grep -Eq '"aliveworkers" ?: ?3' && exit 0; sleep 2; done; exit 1`,
  );
  const out = await on(0, SPARK_READ);
  assert.match(out, /^iceberg_rows=2$/m);
  assert.match(out, /^delta_sum=7$/m);
  if (!missing.includes("trino")) {
    await on(
      1,
      `for i in $(seq 1 150); do curl -fsS http://${lab.nodes[0].host}:8080/v1/info | grep -Eq '"starting" ?: ?false' && exit 0; sleep 2; done; exit 1`,
    );
    assert.deepEqual(await trinoActive(3), [[3]], "every Trino node back");
    assert.deepEqual(await trino(1, "SELECT count(*), sum(id) FROM iceberg.labcheck.t"), [[2, 3]], "Trino reads Spark's Iceberg rows");
    assert.deepEqual(await trino(1, "SELECT sum(id) FROM delta.default.labcheck_delta"), [[7]], "and its Delta table");
    assert.deepEqual(await trino(1, "SELECT sum(id) FROM iceberg.trinocheck.t"), [[60]], "and its own table");
  }
  if (!missing.includes("flinkHive")) {
    // Flink sees the same metastore: its Hive catalog lists the database and table Spark made.
    const sql = [
      "CREATE CATALOG lab_hive WITH ('type'='hive', 'hive-conf-dir'='/etc/flink/hive-conf');",
      "USE CATALOG lab_hive;",
      "SHOW DATABASES;",
      "USE labcheck;",
      "SHOW TABLES;",
    ].join("\n");
    const flinkOut = await on(
      0,
      `echo ${Buffer.from(sql).toString("base64")} | base64 -d > /tmp/lab-flink.sql && chmod 0644 /tmp/lab-flink.sql && cd /tmp && runuser -u flink -- env JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 FLINK_CONF_DIR=/etc/flink/conf HADOOP_CONF_DIR=/etc/hadoop/conf HADOOP_CLASSPATH="$(JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 /opt/hadoop/current/bin/hadoop classpath)" /opt/flink/current/bin/sql-client.sh -f /tmp/lab-flink.sql 2>&1`,
    );
    assert.match(flinkOut, /\|\s+labcheck\s+\|/, "Flink's Hive catalog lists labcheck");
    assert.match(flinkOut, /\|\s+t\s+\|/, "and its table");
  }
  assert.equal(await clusterId(), facts.clusterId, "the NameNode was not reformatted");
  assert.equal((await on(0, PSQL)).trim(), facts.metastore, "schema version, table and database counts unchanged");
  // And a re-apply after all that still runs nothing and never formats or initialises.
  const cfg = stackConfig();
  (cfg.config.flink as Record<string, unknown>).taskSlots = 3;
  const r = runProgram("lab", cfg.config, ["sshPrivateKey"], { statePath: path.join(stateDir, "state.json") });
  assert.equal(r.error, undefined, r.error);
  assert.deepEqual(
    r.steps!.filter((s) => s.op !== "same" && s.op !== "skipped").map((s) => s.name),
    [],
  );
});

test("with one DataNode stopped HDFS still serves every block; started again, it rejoins", { skip }, async () => {
  await on(2, "systemctl stop hdfs-datanode");
  // Read every file under the warehouse from another node: replication 2 keeps a copy elsewhere.
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

/** The lab's stack with worker-node4 appended (dev's settings otherwise) and `slots` Flink slots. */
function fourNodes(slots: number) {
  const cfg = stackConfig();
  (cfg.config.flink as Record<string, unknown>).taskSlots = slots;
  const n4 = lab.nodes[3];
  (cfg.config.nodes as unknown[]).push({
    name: n4.name,
    host: n4.host,
    hostKey: n4.hostKey,
    ssh: { user: n4.user, port: n4.port },
    roles: ["datanode", "spark-worker", "flink-taskmanager", ...(missing.includes("trino") ? [] : ["trino-worker"])],
  });
  return cfg;
}

test("scale-out: worker-node4 joins; on nodes 1-3 only what lists the members changes; nothing is reformatted", { skip }, async () => {
  execFileSync("bash", [LAB, "up", "--nodes", "4"], { stdio: "inherit" });
  lab = readLab();
  assert.equal(lab.nodes.length, 4);
  const cfg = fourNodes(3);
  const t = Date.now();
  const r = runProgram("lab", cfg.config, ["sshPrivateKey"], { statePath: path.join(stateDir, "state.json") });
  numbers.scaleOutSeconds = (Date.now() - t) / 1000;
  assert.equal(r.error, undefined, r.error);
  const ran = r.steps!.filter((s) => s.op !== "same" && s.op !== "skipped").map((s) => s.name);
  const elsewhere = ran.filter((n) => !n.includes("worker-node4"));
  console.log(`scale-out: ${ran.length} steps in ${numbers.scaleOutSeconds}s; on nodes 1-3: ${elsewhere.join(", ")}`);
  assert.deepEqual(elsewhere.sort(), [
    "cpu-node1-etc-hosts",
    "cpu-node2-etc-hosts",
    "namenode-cpu-node1-members",
    "postgres-cpu-node1-setup",
    "worker-node3-etc-hosts",
  ]);
  assert.match(await on(0, `${HDFS} dfsadmin -report 2>/dev/null`), /Live datanodes \(4\):/);
  const spark = JSON.parse(await on(1, `curl -fsS http://${lab.nodes[0].host}:8090/json/`));
  assert.equal(spark.aliveworkers, 4);
  const flink = JSON.parse(await on(2, `curl -fsS http://${lab.nodes[0].host}:8081/overview`));
  assert.equal(flink.taskmanagers, 4);
  if (!missing.includes("trino")) assert.deepEqual(await trinoActive(4), [[4]], "Trino: worker-node4 joined");
  if (facts) {
    assert.equal((await on(0, "grep -h '^clusterID=' /var/lib/hadoop-hdfs/name/current/VERSION")).trim(), facts.clusterId);
    assert.equal((await on(0, PSQL)).trim(), facts.metastore);
  }
  // The NameNode took the new member through refreshNodes; it was not restarted (its step did not run).
  const members = r.steps!.find((s) => s.name === "namenode-cpu-node1-members")!;
  assert.match(members.stdout ?? "", /membership updated: 4 DataNodes/);
});

test("an unreachable host fails the apply within a bounded time, naming the host; once back, the apply converges", { skip }, async () => {
  execFileSync("bash", [LAB, "stop", "2"], { stdio: "inherit" }); // worker-node3
  const state = { statePath: path.join(stateDir, "state.json") };
  let t = Date.now();
  const failed = runProgram("lab", fourNodes(4).config, ["sshPrivateKey"], state);
  const failSeconds = (Date.now() - t) / 1000;
  console.log(`unreachable worker-node3: apply failed after ${failSeconds}s: ${failed.error}`);
  assert.ok(failed.error, "the apply must fail");
  assert.match(failed.error!, /worker-node3/);
  assert.ok(failSeconds < 120, `bounded: ${failSeconds}s`);
  execFileSync("bash", [LAB, "up", "--nodes", "4"], { stdio: "inherit" }); // starts worker-node3 again
  t = Date.now();
  const healed = runProgram("lab", fourNodes(4).config, ["sshPrivateKey"], state);
  console.log(`after the host came back: converged in ${(Date.now() - t) / 1000}s`);
  assert.equal(healed.error, undefined, healed.error);
  assert.ok(
    healed.steps!.some((s) => s.name === "flink-taskmanager-worker-node3-start" && s.op !== "same"),
    "the pending steps ran",
  );
  const flink = JSON.parse(await on(1, `curl -fsS http://${lab.nodes[0].host}:8081/overview`));
  assert.equal(flink["slots-total"], 16);
  await on(
    0,
    `for i in $(seq 1 90); do ${HDFS} dfsadmin -report 2>/dev/null | grep -q 'Live datanodes (4)' && exit 0; sleep 2; done; exit 1`,
  );
});

test("scale-in: removing worker-node4 decommissions its DataNode before its services stop; no block is lost", { skip }, async () => {
  // A file written from node4 has its first replica there (HDFS places it on the writer's DataNode). Written as
  // the HDFS superuser: node4 runs no metastore, so it has no hive user.
  const put = `head -c 24000000 /dev/urandom > /tmp/scalein.bin && sha256sum < /tmp/scalein.bin && ${HDFS} dfs -put -f /tmp/scalein.bin /lakehouse/hive/scalein.bin 2>/dev/null`;
  const written = (await on(3, put)).trim().split(" ")[0];
  const where = await on(0, `${HDFS} fsck /lakehouse/hive/scalein.bin -files -blocks -locations 2>/dev/null`);
  assert.ok(where.includes(lab.nodes[3].host), `a replica on worker-node4:\n${where}`);

  const cfg = stackConfig();
  (cfg.config.flink as Record<string, unknown>).taskSlots = 4;
  const t = Date.now();
  const r = runProgram("lab", cfg.config, ["sshPrivateKey"], { statePath: path.join(stateDir, "state.json") });
  numbers.scaleInSeconds = (Date.now() - t) / 1000;
  assert.equal(r.error, undefined, r.error);
  const ran = r.steps!.filter((s) => s.op !== "same" && s.op !== "skipped");
  console.log(`scale-in: ${ran.length} steps in ${numbers.scaleInSeconds}s: ${ran.map((s) => `${s.op} ${s.name}`).join(", ")}`);
  const members = ran.find((s) => s.name === "namenode-cpu-node1-members")!;
  assert.ok(members, "the membership step ran");
  assert.match(members.stdout ?? "", new RegExp(`decommissioned and removed: ${lab.nodes[3].host.replace(/\./g, "\\.")}`));
  const stopDn = ran.find((s) => s.name === "datanode-worker-node4-start" && s.op === "delete")!;
  assert.ok(stopDn, "node4's DataNode was stopped by the delete");
  assert.ok(members.end <= stopDn.start, "decommissioned before its DataNode stopped");
  for (const s of ran.filter((x) => x.op === "delete"))
    assert.match(s.name, /worker-node4/, `only node4's resources are deleted: ${s.name}`);

  const report = await on(0, `${HDFS} dfsadmin -report 2>/dev/null`);
  assert.match(report, /Live datanodes \(3\):/);
  const fsck = await on(0, `${HDFS} fsck / 2>/dev/null`);
  assert.match(fsck, /Status: HEALTHY/);
  assert.match(fsck, /Missing blocks:\s+0\b/);
  const readBack = (await on(1, `${HDFS} dfs -cat /lakehouse/hive/scalein.bin 2>/dev/null | sha256sum`)).trim().split(" ")[0];
  assert.equal(readBack, written, "the file written through node4 reads back intact");
  if (facts) assert.equal((await on(0, "grep -h '^clusterID=' /var/lib/hadoop-hdfs/name/current/VERSION")).trim(), facts.clusterId);
  await on(0, `${HDFS} dfs -rm -skipTrash /lakehouse/hive/scalein.bin 2>/dev/null`);
});

/**
 * End to end on a lab of real hosts (lab/lab.sh: systemd-nspawn machines with their own network namespaces,
 * sshd, systemd and apt): apply the dev-shaped program to them with the test engine (tests/harness/engine.ts)
 * for the OS layer, the JDKs, PostgreSQL with the metastore database, and the secret-bearing files; then check
 * from the hosts themselves what a user would rely on, and that a second apply runs nothing.
 *
 * Needs root and a Linux kernel with network namespaces. Without them it SKIPS, saying why; CI runs as root.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "child_process";
import * as path from "path";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { Lab, labConfig, readLab } from "./lab-config";
import { ProgramResult, runProgram } from "../helpers/program";
import { runSsh } from "../harness/engine";
import { FAKE_SSH_KEY, ROOT } from "../helpers/stacks";

const LAB = path.join(ROOT, "lab/lab.sh");
const skip = process.getuid?.() !== 0 ? "needs root (network namespaces, systemd-nspawn): run as root" : undefined;
if (skip) console.log(`\n*** SKIPPED: lab end-to-end tests: ${skip} ***\n`);

/** The OS layer, PostgreSQL and the files that hold secrets; services come with the artifact mirror. */
const TARGET = "(-prep|-etc-hosts|postgres-.*-setup|metastore-.*-files-write|trino-.*-files-write)$";

let lab: Lab;
let stateDir: string;
let first: ProgramResult;
let second: ProgramResult;
const timings: Record<string, number> = {};

function sh(host: { host: string; port: number; user: string; hostKey: string }, cmd: string, stdin?: string) {
  return runSsh({ ...host, privateKey: require("fs").readFileSync(lab.privateKeyPath, "utf8") }, cmd, stdin, 120_000);
}

function apply(): ProgramResult {
  const config = labConfig(lab, "dev", (v) => {
    v.extraPackages = ["postgresql-client"]; // for the checks below, from node2
  });
  return runProgram("lab", config, ["sshPrivateKey"], { statePath: path.join(stateDir, "state.json"), target: TARGET });
}

before(() => {
  if (skip) return;
  stateDir = mkdtempSync(path.join(tmpdir(), "lakehouse-lab-state-"));
  let t = Date.now();
  execFileSync("bash", [LAB, "up", "--nodes", "3"], { stdio: "inherit" });
  timings.labUpSeconds = (Date.now() - t) / 1000;
  lab = readLab();
  t = Date.now();
  first = apply();
  timings.firstApplySeconds = (Date.now() - t) / 1000;
  t = Date.now();
  second = first.error ? first : apply();
  timings.secondApplySeconds = (Date.now() - t) / 1000;
  console.log(`lab timings: ${JSON.stringify(timings)}`);
  writeFileSync(path.join(tmpdir(), "lakehouse-lab-os-layer-timings.json"), JSON.stringify(timings));
});

after(() => {
  if (skip) return;
  spawnSync("bash", [LAB, "down"], { stdio: "inherit" });
  rmSync(stateDir, { recursive: true, force: true });
});

test("the first apply succeeds and runs the targeted steps", { skip }, () => {
  assert.equal(first.error, undefined, first.error);
  const ran = first.steps!.filter((s) => s.op === "create").map((s) => s.name);
  for (const n of [
    "cpu-node1-prep",
    "cpu-node2-prep",
    "worker-node3-prep",
    "postgres-cpu-node1-setup",
    "metastore-cpu-node1-files-write",
  ]) {
    assert.ok(ran.includes(n), `${n} ran (ran: ${ran.join(", ")})`);
  }
  // Host preparation ran in parallel across nodes: their intervals overlap.
  const preps = first.steps!.filter((s) => /-prep$/.test(s.name));
  assert.ok(preps.length === 3);
  const latestStart = Math.max(...preps.map((p) => p.start));
  const earliestEnd = Math.min(...preps.map((p) => p.end));
  assert.ok(latestStart < earliestEnd, "host preparation runs on all nodes at once");
});

test("each host has its JDK, service users and /etc/hosts", { skip }, async () => {
  for (const n of lab.nodes.slice(0, 3)) {
    const r = await sh(
      n,
      "java -version 2>&1 | head -1; id -nG trino; grep -c 'lakehouse-iac' /etc/hosts; getent hosts cpu-node1 | cut -d' ' -f1",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /openjdk version "17/);
    assert.match(r.stdout, /hadoop/);
    assert.match(r.stdout, new RegExp(lab.nodes[0].host.replace(/\./g, "\\.")));
  }
});

test("the hive role logs in to metastore from node2 with the generated password", { skip }, async () => {
  const pw = first.secrets.find((s) => s.length === 32);
  assert.ok(pw, "the generated PostgreSQL password");
  const node1 = lab.nodes[0];
  const r = await sh(
    lab.nodes[1],
    `IFS= read -r PGPASSWORD; export PGPASSWORD; psql -X -h ${node1.host} -U hive -d metastore -tAc 'select current_user'`,
    `${pw}\n`,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), "hive");
  const wrong = await sh(
    lab.nodes[1],
    `IFS= read -r PGPASSWORD; export PGPASSWORD; psql -X -h ${node1.host} -U hive -d metastore -tAc 'select 1'`,
    "wrong-password\n",
  );
  assert.notEqual(wrong.code, 0, "a wrong password is refused");
});

test("PostgreSQL refuses addresses outside the cluster", { skip }, () => {
  const pw = first.secrets.find((s) => s.length === 32)!;
  // From this machine (the lab bridge address, not a cluster node).
  const r = spawnSync("psql", ["-X", "-h", lab.nodes[0].host, "-U", "hive", "-d", "metastore", "-c", "select 1"], {
    env: { ...process.env, PGPASSWORD: pw, PGCONNECT_TIMEOUT: "5" },
    encoding: "utf8",
  });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /pg_hba\.conf|no pg_hba/);
});

test("files holding secrets are 0640 and owned by their service user", { skip }, async () => {
  const r1 = await sh(lab.nodes[0], "stat -c '%a %U %G' /etc/hive/conf/hive-site.xml /etc/trino/config.properties");
  assert.equal(r1.code, 0, r1.stderr);
  assert.deepEqual(r1.stdout.trim().split("\n"), ["640 hive hadoop", "640 trino hadoop"]);
  const r2 = await sh(lab.nodes[1], "stat -c '%a %U %G' /etc/trino/config.properties");
  assert.equal(r2.stdout.trim(), "640 trino hadoop");
});

test("no secret appears in any recorded command text or output", { skip }, () => {
  const key = require("fs").readFileSync(lab.privateKeyPath, "utf8").trim();
  const secrets = [...first.secrets, key, FAKE_SSH_KEY].filter((s) => s.length >= 8);
  for (const run of [first, second]) {
    for (const s of run.steps!) {
      const text = [s.command ?? "", s.stdout ?? "", s.stderr ?? "", s.error ?? ""].join("\n");
      for (const secret of secrets) assert.ok(!text.includes(secret), `${s.name} (${s.op}) shows a secret`);
    }
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

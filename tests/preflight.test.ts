/**
 * The host preflight: what the plan asks of each node (lib/preflight.ts, pure), the step's place in the graph
 * (before host preparation, under mocks), and host-preflight.sh itself, run as installed against faked host facts
 * (its fixed paths /etc/os-release, /proc/meminfo, /proc/1/comm and /run/systemd/system rewritten into a temp
 * dir; `df`, `findmnt` and `nproc` stubs on PATH): a host that fits passes and prints its facts; each misfit
 * fails naming the node, the fact and the keys.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { assembleScript, scriptArgs } from "../lib/host-scripts";
import { preflightParams } from "../lib/preflight";
import { runProgram } from "../lab/mock-program";
import { planFor, stackValues } from "./helpers/stacks";
import { dependsOn } from "./helpers/graph";

test("the plan's needs per node: every heap and process size with its key, the reserve, Spark's cores, the data dirs", () => {
  const plan = planFor("dev");
  const n1 = plan.nodes.find((n) => n.name === "cpu-node1")!;
  const p = preflightParams(plan, n1);
  const c = plan.config;
  // cpu-node1 in dev: NameNode, DataNode, metastore, Trino coordinator, Spark master and worker, Flink JobManager
  // and TaskManager (the stack file's roles): each of their sizes is in the sum and named in the detail.
  const mib = (s: string) => {
    const m = /^(\d+)([mg])$/i.exec(s)!;
    return Number(m[1]) * (m[2].toLowerCase() === "g" ? 1024 : 1);
  };
  const expected: Array<[string, string]> = [];
  for (const s of n1.services) {
    if (s.kind === "namenode") expected.push(["hdfs.nameNodeHeap", c.hdfs.nameNodeHeap]);
    if (s.kind === "datanode") expected.push(["hdfs.dataNodeHeap", c.hdfs.dataNodeHeap]);
    if (s.kind === "metastore") expected.push(["metastore.heap", c.metastore.heap]);
    if (s.kind === "trino") expected.push(["trino.heap", c.trino.heap]);
    if (s.kind === "spark-master") expected.push(["spark.daemonHeap", c.spark.daemonHeap]);
    if (s.kind === "spark-worker") expected.push(["spark.daemonHeap", c.spark.daemonHeap], ["spark.workerMemory", c.spark.workerMemory]);
    if (s.kind === "flink-jobmanager") expected.push(["flink.jobManagerMemory", c.flink.jobManagerMemory]);
    if (s.kind === "flink-taskmanager") expected.push(["flink.taskManagerMemory", c.flink.taskManagerMemory]);
  }
  assert.ok(expected.length >= 6, "cpu-node1 runs most services in dev");
  const total = expected.reduce((sum, [, v]) => sum + mib(v), 0) + mib(c.preflight.memoryReserve);
  assert.equal(p.memory_mib, String(total));
  for (const [k, v] of expected) assert.ok(p.memory_detail.includes(`${k} ${v} for `), `${k} in ${p.memory_detail}`);
  assert.match(p.memory_detail, /preflight\.memoryReserve 1g$/);
  assert.equal(p.cores, String(c.spark.workerCores));
  assert.equal(p.cores_detail, `spark.workerCores ${c.spark.workerCores} for spark-worker@cpu-node1`);
  assert.ok(p.dirs.includes(`hdfs.nameDirs[0]=${c.hdfs.nameDirs[0]}`), p.dirs.join(" "));
  assert.ok(p.dirs.includes(`spark.workDir=${c.spark.workDir}`), p.dirs.join(" "));
  assert.ok(!p.dirs.some((d) => d.includes("/var/log/lakehouse")), "the program's own log dirs are not data dirs");
  assert.equal(p.supported_os, "debian:12,ubuntu:22.04,ubuntu:24.04");
  assert.equal(p.min_free_mib, "1024");
});

test("a role group's sizes count on its nodes, under the group's keys; a 4 TB Spark worker needs 4 TB", () => {
  const plan = planFor("dev", (v) => {
    v.spark = { ...v.spark, workerGroups: { huge: { nodes: ["worker-node3"], workerMemory: "4096g", workerCores: 64 } } };
    v.flink = { ...v.flink, taskManagerGroups: { big: { nodes: ["worker-node3"], taskManagerMemory: "8g" } } };
    v.preflight = { memoryReserve: "2g", minFreeDiskMiB: 50 };
  });
  const n3 = preflightParams(
    plan,
    plan.nodes.find((n) => n.name === "worker-node3")!,
  );
  assert.match(n3.memory_detail, /spark\.workerGroups\.huge\.workerMemory 4096g for spark-worker@worker-node3/);
  assert.match(n3.memory_detail, /flink\.taskManagerGroups\.big\.taskManagerMemory 8g for flink-taskmanager@worker-node3/);
  assert.match(n3.memory_detail, /preflight\.memoryReserve 2g$/);
  assert.ok(Number(n3.memory_mib) > 4096 * 1024, n3.memory_mib);
  assert.equal(n3.cores_detail, "spark.workerGroups.huge.workerCores 64 for spark-worker@worker-node3");
  assert.equal(n3.min_free_mib, "50");
  // cpu-node2 is in no group: the section's keys.
  const n2 = preflightParams(
    plan,
    plan.nodes.find((n) => n.name === "cpu-node2")!,
  );
  assert.match(n2.memory_detail, /spark\.workerMemory /);
  assert.doesNotMatch(n2.memory_detail, /huge|big/);
});

test("every host runs its preflight before host preparation (so before any service step)", () => {
  const dev = runProgram("dev", stackValues("dev"), ["sshPrivateKey"]);
  assert.equal(dev.error, undefined, dev.error);
  for (const n of ["cpu-node1", "cpu-node2", "worker-node3"]) {
    assert.ok(dependsOn(dev, `${n}-prep`, `${n}-preflight`), `${n}-prep waits for ${n}-preflight`);
    assert.ok(dependsOn(dev, `datanode-${n}-start`, `${n}-preflight`), `datanode on ${n} after its preflight`);
    const pf = dev.resources.find((r) => r.name === `${n}-preflight`)!;
    assert.match(String(pf.inputs.create), /host-preflight/);
  }
});

// ----------------------------------------------------------------------------------------- the script itself
const work = mkdtempSync(path.join(tmpdir(), "lakehouse-preflight-"));
after(() => rmSync(work, { recursive: true, force: true }));

interface Facts {
  os?: string;
  memKiB?: number;
  init?: string;
  systemdDir?: boolean;
  nproc?: number;
  freeMiB?: number;
  mountOpts?: string;
}
/** Runs host-preflight.sh (as installed) against `facts`, with the parameters of the call `params`. */
function runPreflight(facts: Facts, params: Record<string, unknown>) {
  const dir = mkdtempSync(path.join(work, "host-"));
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  mkdirSync(path.join(dir, "run-systemd"));
  if (facts.systemdDir !== false) mkdirSync(path.join(dir, "run-systemd", "system"));
  writeFileSync(path.join(dir, "os-release"), facts.os ?? 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n');
  writeFileSync(path.join(dir, "meminfo"), `MemTotal:       ${facts.memKiB ?? 16 * 1024 * 1024} kB\nMemFree:  1 kB\n`);
  writeFileSync(path.join(dir, "comm"), `${facts.init ?? "systemd"}\n`);
  const stub = (name: string, body: string) => writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  stub("nproc", `echo ${facts.nproc ?? 8}`);
  stub("df", `echo 'Filesystem 1M-blocks Used Available Capacity Mounted'; echo "/dev/x 100000 1 ${facts.freeMiB ?? 50000} 1% /"`);
  stub("findmnt", `echo '${facts.mountOpts ?? "rw,relatime"}'`);
  const script = assembleScript("host-preflight.sh")
    .replaceAll("/etc/os-release", path.join(dir, "os-release"))
    .replaceAll("/proc/meminfo", path.join(dir, "meminfo"))
    .replaceAll("/proc/1/comm", path.join(dir, "comm"))
    .replaceAll("/run/systemd/system", path.join(dir, "run-systemd", "system"));
  writeFileSync(path.join(dir, "host-preflight.sh"), script, { mode: 0o755 });
  const { args } = scriptArgs("host-preflight.sh", params as never);
  const r = spawnSync("bash", [path.join(dir, "host-preflight.sh"), ...(args as string[])], {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    encoding: "utf8",
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const FITS = {
  node: "cpu-node1",
  supported_os: "debian:12,ubuntu:24.04",
  memory_mib: "9216",
  memory_detail: "hdfs.nameNodeHeap 1g for namenode@cpu-node1, trino.heap 8g for trino@cpu-node1",
  cores: "2",
  cores_detail: "spark.workerCores 2 for spark-worker@cpu-node1",
  min_free_mib: "1024",
  dirs: ["hdfs.nameDirs[0]=/var/lib/hadoop-hdfs/name", "spark.workDir=/var/lib/spark/work"],
};

test("host-preflight.sh: a host that fits passes, prints its facts and changes nothing", () => {
  const r = runPreflight({}, FITS);
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stdout,
    /^preflight cpu-node1: os=debian:12 init=systemd memory=16384MiB \(planned 9216MiB\) cores=8 \(planned 2\) dirs=\[\/var\/lib\/hadoop-hdfs\/name:50000MiB \/var\/lib\/spark\/work:50000MiB\]/,
  );
  assert.equal(r.stderr, "");
});

test("host-preflight.sh: each misfit fails naming the node, the fact and the keys", () => {
  const fails = (facts: Facts, pattern: RegExp, params: Record<string, unknown> = FITS) => {
    const r = runPreflight(facts, params);
    assert.equal(r.status, 1, `should fail (${pattern}):\n${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /^host-preflight\.sh: cpu-node1 does not fit what the plan puts on it \(nothing was changed on it\):$/m);
    assert.match(r.stderr, pattern);
  };
  fails(
    { memKiB: 8 * 1024 * 1024 },
    /- memory: the services planned here need 9216 MiB \(hdfs\.nameNodeHeap 1g for namenode@cpu-node1, trino\.heap 8g for trino@cpu-node1\), but the host has 8192 MiB/,
  );
  fails({ nproc: 1 }, /- cores: the plan promises 2 cores here \(spark\.workerCores 2 for spark-worker@cpu-node1\), but the host has 1/);
  fails(
    { freeMiB: 100 },
    /- disk: hdfs\.nameDirs\[0\] \(\/var\/lib\/hadoop-hdfs\/name\) has 100 MiB free \(at \/[^)]*\), below preflight\.minFreeDiskMiB \(1024 MiB\)/,
  );
  fails({ mountOpts: "ro,relatime" }, /- disk: spark\.workDir \(\/var\/lib\/spark\/work\) is on a read-only filesystem/);
  fails({ os: 'ID=centos\nVERSION_ID="7"\n' }, /- os: centos 7 is not a supported release \(debian:12,ubuntu:24\.04\)/);
  fails({ init: "bash", systemdDir: false }, /- systemd: PID 1 is 'bash', not systemd/);
  // Every problem at once, not the first only.
  const r = runPreflight({ memKiB: 1024 * 1024, nproc: 1, freeMiB: 1 }, FITS);
  assert.equal(r.stderr.split("\n").filter((l) => l.startsWith("  - ")).length, 4, r.stderr);
});

/**
 * Benchmark: what the Kerberos mode costs on the lab. Deploys the same stack (lab/config.ts labSecurityConfig:
 * HDFS, PostgreSQL, the metastore, Trino) twice through the real engine onto fresh lab hosts, once open and once
 * with `kerberos.enabled`, and prints for each: the fresh `pulumi up`'s wall time, steps, critical path, a no-op
 * `up`, and memory (peak during the up, and settled a minute after it, both as MemTotal - MemAvailable above the
 * lab's baseline; the KDC's and kadmind's own RSS). Needs root; brings its own lab up and takes it down.
 *
 * Usage: npm run bench:security
 */
import { execFileSync, spawn } from "child_process";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { labSecurityConfig, readLab } from "../lab/config";
import { ensureEngine } from "../lab/engine";
import { applyStats, ranSteps } from "../lab/records";
import { LabStack } from "../lab/stack";

const ROOT = path.resolve(__dirname, "..");
const LAB = path.join(ROOT, "lab/lab.sh");
const usedMiB = () => {
  const m = readFileSync("/proc/meminfo", "utf8");
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(m)![1]);
  return (kb("MemTotal") - kb("MemAvailable")) / 1024;
};
const rssMiB = (name: string) => {
  const out = execFileSync("bash", ["-c", `ps -C ${name} -o rss= | awk '{s+=$1} END {print s/1024}'`], { encoding: "utf8" });
  return Math.round(Number(out.trim()) || 0);
};

async function measure(kerberos: boolean) {
  execFileSync("bash", [LAB, "down"], { stdio: "inherit" });
  execFileSync("bash", [LAB, "up", "--nodes", "3"], { stdio: "inherit" });
  const lab = readLab();
  const stateDir = mkdtempSync(path.join(tmpdir(), "lakehouse-bench-security-"));
  try {
    const stack = await LabStack.open({ engine: ensureEngine(), stateDir, stackName: kerberos ? "bench-kerberos" : "bench-open" });
    await stack.configure(labSecurityConfig(lab, kerberos), ["sshPrivateKey"]);
    const baseline = usedMiB();
    let peak = baseline;
    const timer = setInterval(() => (peak = Math.max(peak, usedMiB())), 2000);
    const first = await stack.up();
    clearInterval(timer);
    if (!first.ok) throw new Error(`${kerberos ? "kerberos" : "open"} up failed: ${first.error}`);
    const noop = await stack.up();
    await new Promise((r) => setTimeout(r, 60_000));
    const stats = applyStats(first.steps);
    return {
      mode: kerberos ? "kerberos" : "open",
      upSeconds: Math.round(first.wallSeconds),
      steps: ranSteps(first.steps).length,
      criticalPathSeconds: Math.round(stats.criticalPathSeconds),
      noopUpSeconds: Math.round(noop.wallSeconds),
      peakMiB: Math.round(peak - baseline),
      settledMiB: Math.round(usedMiB() - baseline),
      kdcRssMiB: rssMiB("krb5kdc") + rssMiB("kadmind"),
    };
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

async function main() {
  if (process.getuid?.() !== 0) throw new Error("needs root (network namespaces, systemd-nspawn)");
  execFileSync("bash", [path.join(ROOT, "lab/mirror.sh")], { stdio: "inherit" });
  const rows = [];
  try {
    for (const k of [false, true]) rows.push(await measure(k));
  } finally {
    spawn("bash", [LAB, "down"], { stdio: "inherit" });
  }
  console.table(rows);
  const [o, k] = rows;
  console.log(
    `kerberos vs open: up ${k.upSeconds - o.upSeconds >= 0 ? "+" : ""}${k.upSeconds - o.upSeconds}s (${k.steps - o.steps} more steps), ` +
      `settled memory ${k.settledMiB - o.settledMiB >= 0 ? "+" : ""}${k.settledMiB - o.settledMiB} MiB (KDC and kadmind ${k.kdcRssMiB} MiB)`,
  );
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});

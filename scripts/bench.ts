/**
 * Benchmark: how long the program takes to evaluate under Pulumi's mocks for N configured nodes, and how many
 * resources it registers. Prints a table (median of several runs; each run is a fresh process, so the numbers
 * include Node start-up and module loading, as `pulumi preview` would see them).
 *
 * Then, from the step records that the last `npm run test:lab` saved (the lab engine's start/end of every step,
 * outside the repo): the full apply's wall time, its critical path and their ratio, the ten slowest steps, and
 * the no-op re-apply and one-property changes (steps run, wall time). Without records it says so.
 *
 * Usage: npm run bench [-- --runs 5 --nodes 3,4,10,100 --lab-records <file>]
 */
import { existsSync, readFileSync } from "fs";
import { stackValues } from "../tests/helpers/stacks";
import { runProgram } from "../tests/helpers/program";
import { applyStats } from "../tests/harness/records";
import type { StepRecord } from "../tests/harness/engine";

const LAB_RECORDS = `${process.env.LAKEHOUSE_LAB_CACHE ?? "/var/cache/lakehouse-lab"}/records/services-latest.json`;

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}

/** The dev stack with workers added until it has `n` nodes (names and addresses are never contacted). */
export function syntheticConfig(n: number): Record<string, unknown> {
  const v = stackValues("dev");
  const nodes = (v.nodes as Array<Record<string, unknown>>).slice(0, Math.min(n, 3));
  for (let i = nodes.length; i < n; i++) {
    nodes.push({
      name: `worker-node${i + 1}`,
      host: `10.${Math.floor((i + 1) / 250)}.${(i + 1) % 250}.${10 + (i % 200)}`,
      roles: ["datanode", "trino-worker", "spark-worker", "flink-taskmanager"],
    });
  }
  v.nodes = nodes;
  if (n < 2) (v.hdfs as Record<string, unknown>).replication = 1;
  return v;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  const runs = Number(arg("runs", "5"));
  const sizes = arg("nodes", "3,4,10,100").split(",").map(Number);
  const rows: Array<{ nodes: number; resources: number; commands: number; medianMs: number; minMs: number; maxMs: number }> = [];
  for (const n of sizes) {
    const times: number[] = [];
    let resources = 0;
    let commands = 0;
    for (let r = 0; r < runs; r++) {
      const t0 = process.hrtime.bigint();
      const res = runProgram("bench", syntheticConfig(n), ["sshPrivateKey"]);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (res.error) throw new Error(`${n} nodes: ${res.error}`);
      resources = res.resources.length;
      commands = res.resources.filter((x) => x.type === "command:remote:Command").length;
    }
    rows.push({ nodes: n, resources, commands, medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times) });
  }
  console.log(`Program evaluation under mocks (${runs} runs each, fresh process per run)`);
  console.log("| nodes | resources | remote commands | median ms | min ms | max ms | ms per node over the smallest |");
  console.log("|---:|---:|---:|---:|---:|---:|---:|");
  const base = rows[0];
  for (const r of rows) {
    const per = r === base ? "" : ((r.medianMs - base.medianMs) / (r.nodes - base.nodes)).toFixed(1);
    console.log(
      `| ${r.nodes} | ${r.resources} | ${r.commands} | ${r.medianMs.toFixed(0)} | ${r.minMs.toFixed(0)} | ${r.maxMs.toFixed(0)} | ${per} |`,
    );
  }
}

function labTables(file: string): void {
  console.log("");
  if (!existsSync(file)) {
    console.log(`Lab applies: no records at ${file}. Run \`npm run test:lab\` (root) first; it saves them there.`);
    return;
  }
  const rec = JSON.parse(readFileSync(file, "utf8")) as { recordedAt: string; applies: Record<string, StepRecord[]> };
  console.log(`Lab applies (3 hosts, recorded ${rec.recordedAt} by npm run test:lab, ${file})`);
  const full = applyStats(rec.applies.fullApply ?? []);
  console.log("| full apply | value |");
  console.log("|---|---:|");
  console.log(`| steps run | ${full.steps} |`);
  console.log(`| wall time, s | ${full.wallSeconds.toFixed(1)} |`);
  console.log(`| critical path (longest chain of dependent steps), s | ${full.criticalPathSeconds.toFixed(1)} |`);
  console.log(`| wall / critical path | ${(full.wallSeconds / Math.max(full.criticalPathSeconds, 0.001)).toFixed(2)} |`);
  console.log("");
  console.log("| ten slowest steps | s |");
  console.log("|---|---:|");
  for (const s of full.slowest) console.log(`| ${s.name} | ${s.seconds.toFixed(1)} |`);
  console.log("");
  console.log("| change | steps run | wall time, s |");
  console.log("|---|---:|---:|");
  for (const [key, label] of [
    ["noOpReapply", "no-op re-apply"],
    ["trinoCatalogPropertyChange", "one Trino catalog property"],
    ["flinkSlotsChange", "one Flink property (taskSlots)"],
  ] as const) {
    const steps = rec.applies[key];
    if (!steps) {
      console.log(`| ${label} | not recorded | |`);
      continue;
    }
    const ran = steps.filter((s) => s.op !== "same" && s.op !== "skipped" && s.op !== "not-run");
    const t0 = Math.min(...steps.map((s) => s.start));
    const t1 = Math.max(...steps.map((s) => s.end));
    console.log(`| ${label} | ${ran.length} | ${steps.length ? ((t1 - t0) / 1000).toFixed(1) : "0"} |`);
  }
}

main();
labTables(arg("lab-records", LAB_RECORDS));

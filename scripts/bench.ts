/**
 * Benchmark: how long the program takes to evaluate under Pulumi's mocks for N configured nodes, and how many
 * resources it registers. Prints a table (median of several runs; each run is a fresh process, so the numbers
 * include Node start-up and module loading, as `pulumi preview` would see them).
 *
 * Then `pulumi preview` of the dev and prod stacks through the real engine (a fake SSH key: preview never
 * connects), wall time per run and when the first resource event came, with the policy pack and without it
 * (what the engine and the program cost alone; the lab and CI always run the pack).
 *
 * Then, from the step records that the last `npm run test:lab` saved (from the engine's own events, outside the
 * repo): the full `pulumi up`'s wall time, its critical path and their ratio, the ten slowest steps, and the
 * no-op up and one-property changes (steps run, wall time). Without records it says so.
 *
 * Usage: npm run bench [-- --runs 5 --nodes 3,4,10,100 --preview-runs 3 --lab-records <file>]
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { ensureEngine } from "../lab/engine";
import { applyStats, ranSteps } from "../lab/records";
import { LabStack, StepRecord } from "../lab/stack";
import { stackFileValues as stackValues } from "../lib/stack-file";
import { runProgram } from "../lab/mock-program";

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
  // A secret the program needs (never used under mocks: nothing connects).
  v.sshPrivateKey = "bench-not-a-key";
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

async function previews(runs: number): Promise<void> {
  const engine = ensureEngine();
  const dir = mkdtempSync(path.join(tmpdir(), "lakehouse-bench-"));
  try {
    console.log(`\n\`pulumi preview\` through the real engine (${engine.version}; ${runs} runs each, policy pack on and off)`);
    console.log("| stack | resources | policy pack | median s | min s | max s | first resource event, median s |");
    console.log("|---|---:|---|---:|---:|---:|---:|");
    for (const name of ["dev", "prod"]) {
      const stack = await LabStack.open({ engine, stateDir: dir, stackName: name });
      await stack.configure({ ...stackValues(name), sshPrivateKey: "bench-not-a-key" }, ["sshPrivateKey"]);
      // Off: what the engine and the program cost alone (the lab and CI always run with the pack).
      for (const withPolicy of [true, false]) {
        const times: number[] = [];
        const firsts: number[] = [];
        let resources = 0;
        for (let i = 0; i < runs; i++) {
          const t0 = Date.now();
          const r = await stack.preview(false, withPolicy);
          if (!r.ok) throw new Error(`preview of ${name} failed: ${r.error}`);
          times.push(r.wallSeconds);
          firsts.push((Math.min(...r.steps.map((s) => s.start)) - t0) / 1000);
          resources = Object.values(r.changes).reduce((a, b) => a + b, 0);
        }
        console.log(
          `| ${name} | ${resources} | ${withPolicy ? "on" : "off"} | ${median(times).toFixed(1)} | ${Math.min(...times).toFixed(1)} | ${Math.max(...times).toFixed(1)} | ${median(firsts).toFixed(1)} |`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function labTables(file: string): void {
  console.log("");
  if (!existsSync(file)) {
    console.log(`Lab applies: no records at ${file}. Run \`npm run test:lab\` (root) first; it saves them there.`);
    return;
  }
  const rec = JSON.parse(readFileSync(file, "utf8")) as {
    recordedAt: string;
    engine?: string;
    applies: Record<string, { wallSeconds: number; steps: StepRecord[] }>;
  };
  if (rec.engine !== "pulumi") {
    console.log(`Lab applies: ${file} was recorded by the retired test engine; run \`npm run test:lab\` again.`);
    return;
  }
  console.log(`Lab pulumi up runs (3 hosts, recorded ${rec.recordedAt} by npm run test:lab, ${file})`);
  const full = applyStats(rec.applies.fullApply?.steps ?? []);
  console.log("| fresh pulumi up | value |");
  console.log("|---|---:|");
  console.log(`| steps run | ${full.steps} |`);
  console.log(`| wall time of the whole up (program, policy pack, steps), s | ${rec.applies.fullApply.wallSeconds.toFixed(1)} |`);
  console.log(`| first step start to last step end, s | ${full.wallSeconds.toFixed(1)} |`);
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
    ["noOpReapply", "no-op pulumi up"],
    ["trinoCatalogPropertyChange", "one Trino catalog property"],
    ["flinkSlotsChange", "one Flink property (taskSlots)"],
    ["rotationConverges", "database password rotation"],
    ["sparkSecretRotation", "Spark secret rotation"],
    ["moveTrinoCoordinator", "Trino coordinator moved to another node"],
    ["scaleOut", "scale-out to worker-node4"],
    ["scaleIn", "scale-in (decommission worker-node4)"],
    ["upAfterDestroy", "pulumi up from an empty state after destroy"],
  ] as const) {
    const run = rec.applies[key];
    if (!run) {
      console.log(`| ${label} | not recorded | |`);
      continue;
    }
    console.log(`| ${label} | ${ranSteps(run.steps).length} | ${run.wallSeconds.toFixed(1)} |`);
  }
}

main();
previews(Number(arg("preview-runs", "3")))
  .then(() => labTables(arg("lab-records", LAB_RECORDS)))
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });

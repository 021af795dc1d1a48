/**
 * Benchmark: how long the program takes to evaluate under Pulumi's mocks for N configured nodes, and how many
 * resources it registers. Prints a table (median of several runs; each run is a fresh process, so the numbers
 * include Node start-up and module loading, as `pulumi preview` would see them).
 *
 * Usage: npm run bench [-- --runs 5 --nodes 3,4,10,100]
 */
import { stackValues } from "../tests/helpers/stacks";
import { runProgram } from "../tests/helpers/program";

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

main();

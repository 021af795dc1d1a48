/** The committed topology diagrams (docs/diagrams and the README's copies) match their stack files, and show the cluster. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "child_process";
import { readFileSync } from "fs";
import * as path from "path";
import { diagramFor, diagramPath, readmeBlock, readmeFence, readmeMarkers, readmeWith, stacks } from "../scripts/diagram";
import { ROOT } from "./helpers/stacks";

const README = readFileSync(path.join(ROOT, "README.md"), "utf8");

test("there is a committed diagram for every stack", () => {
  assert.deepEqual(stacks(), ["dev", "prod"]);
});

for (const stack of stacks()) {
  test(`${stack}: docs/diagrams/${stack}.mmd is a fresh render of Pulumi.${stack}.yaml (else: npm run diagram)`, () => {
    assert.equal(readFileSync(diagramPath(stack), "utf8"), diagramFor(stack));
  });

  test(`${stack}: README.md embeds the current diagram between ${readmeMarkers(stack).join(" … ")}`, () => {
    const block = readmeBlock(README, stack);
    assert.ok(block !== undefined, `README.md has no ${readmeMarkers(stack).join(" … ")} block`);
    assert.equal(block, readmeFence(diagramFor(stack)), "README.md embeds an old diagram: npm run diagram");
  });
}

test("readmeWith replaces only the marked block, and leaves a README without markers alone", () => {
  const [start, end] = readmeMarkers("dev");
  const doc = `# T\n\n${start}\nold\n${end}\n\nafter ${start.slice(0, 4)}\n`;
  const out = readmeWith(doc, "dev", "graph TB\n");
  assert.equal(out, `# T\n\n${start}\n\n\`\`\`mermaid\ngraph TB\n\`\`\`\n\n${end}\n\nafter ${start.slice(0, 4)}\n`);
  assert.equal(readmeWith(out, "dev", "graph TB\n"), out, "idempotent");
  assert.equal(readmeWith("# T\n", "dev", "graph TB\n"), "# T\n");
});

test("npm run diagram -- --check passes on the committed files; bad arguments are refused", () => {
  const script = path.join(ROOT, "scripts/diagram.ts");
  const out = execFileSync(process.execPath, ["--import", "tsx", script, "--check"], { cwd: ROOT, encoding: "utf8" });
  assert.equal(out, "");
  const bad = spawnSync(process.execPath, ["--import", "tsx", script, "--stack", "nope", "--check"], { cwd: ROOT, encoding: "utf8" });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /usage: npm run diagram -- \[--stack dev\|prod\]/);
});

test("prod: a subgraph per node with its address, and the edges that matter", () => {
  const d = diagramFor("prod");
  assert.match(d, /^%% Generated from Pulumi\.prod\.yaml/);
  assert.match(d, /^graph TB$/m);
  assert.equal((d.match(/^ {4}subgraph /gm) ?? []).length, 4);
  assert.match(d, /subgraph worker_node4\["worker-node4<br\/>192\.168\.1\.187"\]/);
  for (const n of ["cpu_node1", "cpu_node2", "worker_node3", "worker_node4"]) {
    assert.match(d, new RegExp(`^ {4}datanode_${n} -->\\|blocks\\| namenode_cpu_node1$`, "m"), `DataNode on ${n} → NameNode`);
  }
  assert.match(d, /^ {4}metastore_cpu_node1 -->\|JDBC\| postgres_cpu_node1$/m);
  for (const engine of ["trino_cpu_node1", "spark_master_cpu_node1", "flink_jobmanager_cpu_node1"]) {
    assert.match(d, new RegExp(`^ {4}${engine} -->\\|Thrift\\| metastore_cpu_node1$`, "m"), `${engine} → metastore`);
    assert.match(d, new RegExp(`^ {4}${engine} -->\\|HDFS\\| namenode_cpu_node1$`, "m"), `${engine} → HDFS`);
  }
  assert.match(d, /^ {4}spark_worker_worker_node4 -\.->\|registers\| spark_master_cpu_node1$/m);
  assert.match(d, /^ {4}flink_taskmanager_worker_node4 -\.->\|registers\| flink_jobmanager_cpu_node1$/m);
  assert.match(d, /Spark master<br\/>7077 \/ UI 8090/);
  assert.match(d, /^ {4}classDef hdfs /m);
  assert.match(d, /^ {4}class .*namenode_cpu_node1.* hdfs$/m);
  // Every node id an edge names is declared in a subgraph.
  const declared = new Set([...d.matchAll(/^ {8}(\w+)\[/gm)].map((m) => m[1]));
  for (const m of d.matchAll(/^ {4}(\w+) -\.?->\|[^|]+\| (\w+)$/gm)) {
    assert.ok(declared.has(m[1]) && declared.has(m[2]), m[0]);
  }
});

test("dev differs from prod: the diagram follows the config", () => {
  const dev = diagramFor("dev");
  assert.notEqual(dev, diagramFor("prod"));
  assert.equal((dev.match(/^ {4}subgraph /gm) ?? []).length, 3);
});

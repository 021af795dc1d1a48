/** The committed topology diagrams (docs/diagrams and the README's copies) match their stack files. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "fs";
import * as path from "path";
import { diagramFor, readmeWith } from "../scripts/diagram";
import { ROOT } from "./helpers/stacks";

for (const stack of ["dev", "prod"]) {
  test(`${stack}: the committed diagram and the README's copy are up to date (npm run diagram)`, () => {
    const want = diagramFor(stack);
    assert.equal(readFileSync(path.join(ROOT, "docs/diagrams", `${stack}.mmd`), "utf8"), want);
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    assert.equal(readmeWith(readme, stack, want), readme, "README.md embeds an old diagram");
  });
}

test("the diagram shows every node, each DataNode → NameNode, and metastore → PostgreSQL", () => {
  const d = diagramFor("prod");
  assert.equal((d.match(/^ {4}subgraph /gm) ?? []).length, 4);
  assert.match(d, /subgraph worker_node4\["worker-node4<br\/>192\.168\.1\.187"\]/);
  for (const n of ["cpu_node1", "cpu_node2", "worker_node3", "worker_node4"]) {
    assert.match(d, new RegExp(`datanode_${n} -->\\|blocks\\| namenode_cpu_node1`));
  }
  assert.match(d, /metastore_cpu_node1 -->\|JDBC\| postgres_cpu_node1/);
  assert.match(d, /trino_cpu_node1 -->\|Thrift\| metastore_cpu_node1/);
  assert.match(d, /Spark master<br\/>7077 \/ UI 8090/);
  // A config change shows: another Spark UI port.
  assert.notEqual(diagramFor("dev"), d);
});

/**
 * The behaviour snapshot (scripts/snapshot.ts) that refactors are checked against: two snapshots of the dev stack
 * are byte-identical (nothing random or order-dependent leaks in), hold what they promise (the plan, well over a
 * hundred commands, the rendered files with their index), and copy out no secret.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "crypto";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { SNAPSHOT_STACKS, compareSnapshots, listFiles, takeSnapshot } from "../scripts/snapshot";
import { FAKE_SSH_KEY } from "./helpers/stacks";

const DEV = SNAPSHOT_STACKS.filter((s) => s.name === "dev");
let root: string;
let first: string;
let second: string;

before(async () => {
  root = mkdtempSync(path.join(tmpdir(), "lakehouse-snapshot-test-"));
  first = path.join(root, "first");
  second = path.join(root, "second");
  await Promise.all([takeSnapshot(first, DEV), takeSnapshot(second, DEV)]);
});
after(() => rmSync(root, { recursive: true, force: true }));

const read = (rel: string) => readFileSync(path.join(first, rel), "utf8");
const json = (rel: string) => JSON.parse(read(rel));

test("two snapshots of the same tree are identical", () => {
  assert.deepEqual(compareSnapshots(first, second), []);
});

test("a snapshot holds the plan, the commands, the resources and every written file", () => {
  const plan = json("dev/plan.json");
  assert.deepEqual(
    plan.nodes.map((n: { name: string }) => n.name),
    ["cpu-node1", "cpu-node2", "worker-node3"],
  );
  const commands = json("dev/commands.json") as Array<{ name: string; node?: string }>;
  assert.ok(commands.length > 100, `${commands.length} commands`);
  assert.equal(commands.find((c) => c.name === "cpu-node1-prep")?.node, "cpu-node1");
  assert.deepEqual(
    commands.map((c) => c.name),
    commands.map((c) => c.name).sort(),
  );
  assert.equal(json("dev/resources.json").lakehouse?.["lakehouse:index:Lakehouse"]?.parent, "");

  const files = json("dev/files.json") as Array<{ node: string; path: string; snapshot: string; sha256: string }>;
  const hdfsSite = files.find((f) => f.node === "cpu-node1" && f.path === "/etc/hadoop/conf/hdfs-site.xml");
  assert.ok(hdfsSite, "cpu-node1's hdfs-site.xml");
  const content = read(`dev/${hdfsSite.snapshot}`);
  assert.match(content, /dfs\.replication/);
  assert.equal(createHash("sha256").update(content).digest("hex"), hdfsSite.sha256);
  // The index lists exactly the files under files/.
  assert.deepEqual(
    files.map((f) => `dev/${f.snapshot}`).sort(),
    listFiles(first).filter((f) => f.startsWith("dev/files/")),
  );
});

test("no secret is copied out: secrets are markers, generated passwords labels", () => {
  const all = listFiles(first).map(read).join("\n");
  assert.ok(!all.includes(FAKE_SSH_KEY), "the SSH key");
  assert.match(read("dev/commands.json"), /"privateKey": "\[secret sha256:[0-9a-f]{16}\]"/);
  assert.match(read("dev/files/cpu-node1/etc/hive/conf/hive-site.xml"), /\[random:postgres-password\]/);
});

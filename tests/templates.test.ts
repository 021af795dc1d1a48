/**
 * Rendered files: goldens for the dev stack (UPDATE_GOLDEN=1 rewrites them), that every file parses back to
 * what was meant, and the behaviours that matter (overrides, coordinator vs worker, secrets, escaping).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync, statSync } from "fs";
import * as path from "path";
import { XMLParser } from "fast-xml-parser";
import { getProperties } from "properties-file";
import { parse as parseYaml } from "yaml";
import { RenderedFile, hiveSite, renderNodeFiles, renderServiceFiles, trinoConfig } from "../config-templates";
import { TRINO_435_PROPERTIES } from "../config-templates/trino-properties-435";
import { renderUnit, systemdQuote } from "../config-templates/systemd";
import { Plan } from "../lib/plan";
import { FAKE_SECRETS, ROOT, planFor } from "./helpers/stacks";

const GOLDEN = path.join(ROOT, "tests/golden");

function allFiles(plan: Plan, secrets = FAKE_SECRETS): Map<string, RenderedFile[]> {
  const out = new Map<string, RenderedFile[]>();
  for (const node of plan.nodes) {
    const files = Object.values(renderNodeFiles(plan, node, secrets)).flat();
    for (const s of node.services) files.push(...renderServiceFiles(plan, s, secrets));
    out.set(node.name, files);
  }
  return out;
}

function xmlPairs(xml: string): Record<string, string> {
  const doc = new XMLParser({ parseTagValue: false, trimValues: false }).parse(xml) as {
    configuration: { property: Array<{ name: string; value: string }> | { name: string; value: string } };
  };
  const props = doc.configuration.property;
  const list = Array.isArray(props) ? props : [props];
  return Object.fromEntries(list.map((p) => [String(p.name), String(p.value ?? "")]));
}

function* walk(dir: string): Generator<string> {
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield p;
  }
}

test("golden files: everything rendered for the dev stack", () => {
  const files = allFiles(planFor("dev"));
  const expected = new Set<string>();
  const mismatches: string[] = [];
  for (const [node, list] of files) {
    const seen = new Set<string>();
    for (const f of list) {
      assert.ok(!seen.has(f.path), `${node}: ${f.path} rendered twice`);
      seen.add(f.path);
      const g = path.join(GOLDEN, "dev", node, f.path);
      expected.add(g);
      if (process.env.UPDATE_GOLDEN) {
        mkdirSync(path.dirname(g), { recursive: true });
        writeFileSync(g, f.content);
      } else if (!existsSync(g)) mismatches.push(`missing golden ${path.relative(ROOT, g)} (run UPDATE_GOLDEN=1 npm test)`);
      else if (readFileSync(g, "utf8") !== f.content) {
        const want = readFileSync(g, "utf8").split("\n");
        const got = f.content.split("\n");
        const i = got.findIndex((l, j) => l !== want[j]);
        mismatches.push(`${node}:${f.path} differs at line ${i + 1}:\n  golden:   ${want[i]}\n  rendered: ${got[i]}`);
      }
    }
  }
  if (!process.env.UPDATE_GOLDEN) {
    for (const g of walk(path.join(GOLDEN, "dev"))) if (!expected.has(g)) mismatches.push(`stale golden ${path.relative(ROOT, g)}`);
  }
  assert.deepEqual(mismatches, []);
});

test("every rendered file parses back to what was meant", () => {
  for (const [, list] of allFiles(planFor("dev"))) {
    for (const f of list) {
      assert.ok(f.content === "" || f.content.endsWith("\n"), `${f.path} ends with a newline`);
      if (f.path.endsWith(".xml")) {
        const pairs = xmlPairs(f.content);
        assert.ok(Object.keys(pairs).length > 0, f.path);
      } else if (f.path.endsWith(".properties") || f.path.endsWith("spark-defaults.conf")) {
        const props = getProperties(f.content);
        assert.ok(Object.keys(props).length > 0, f.path);
      } else if (f.path.endsWith(".yaml")) {
        const y = parseYaml(f.content) as Record<string, unknown>;
        assert.equal(typeof y, "object", f.path);
      } else if (f.path.endsWith(".service")) {
        assert.match(f.content, /^\[Unit\]$/m);
        assert.match(f.content, /^\[Service\]$/m);
        assert.match(f.content, /^ExecStart=\/\S+/m);
        assert.match(f.content, /^\[Install\]$/m);
      }
    }
  }
});

test("Trino files hold only properties a 435 server accepts", () => {
  const plan = planFor("dev");
  for (const [node, list] of allFiles(plan)) {
    for (const f of list.filter((x) => x.path.startsWith("/etc/trino/") && x.path.endsWith(".properties"))) {
      const props = getProperties(f.content);
      const base = path.basename(f.path);
      const allowed: readonly string[] = f.path.includes("/catalog/")
        ? TRINO_435_PROPERTIES.catalog[props["connector.name"] as keyof typeof TRINO_435_PROPERTIES.catalog]
        : TRINO_435_PROPERTIES[base as "config.properties" | "node.properties" | "log.properties"];
      assert.ok(allowed, `${node}:${f.path}: no allowlist`);
      for (const k of Object.keys(props)) assert.ok(allowed.includes(k), `${node}:${f.path}: ${k} is not a Trino 435 property`);
    }
  }
});

test("coordinator and worker configs differ as they must", () => {
  const plan = planFor("dev");
  const coord = getProperties(
    trinoConfig(
      plan,
      plan.services.find((s) => s.id === "trino@cpu-node1")!,
      FAKE_SECRETS,
    ),
  );
  const worker = getProperties(
    trinoConfig(
      plan,
      plan.services.find((s) => s.id === "trino@cpu-node2")!,
      FAKE_SECRETS,
    ),
  );
  assert.equal(coord.coordinator, "true");
  assert.equal(coord["node-scheduler.include-coordinator"], "true", "node1 also runs work in the seed's layout");
  assert.equal(worker.coordinator, "false");
  assert.equal(worker["node-scheduler.include-coordinator"], undefined);
  assert.equal(worker["discovery.uri"], "http://192.168.1.184:8080");
  assert.equal(coord["internal-communication.shared-secret"], FAKE_SECRETS.trinoSharedSecret);
  assert.equal(worker["internal-communication.shared-secret"], FAKE_SECRETS.trinoSharedSecret);
  // Without trino-worker on node1, the coordinator schedules no work.
  const p2 = planFor("dev", (v) => (v.nodes[0].roles = v.nodes[0].roles.filter((r: string) => r !== "trino-worker")));
  const c2 = getProperties(
    trinoConfig(
      p2,
      p2.services.find((s) => s.id === "trino@cpu-node1")!,
      FAKE_SECRETS,
    ),
  );
  assert.equal(c2["node-scheduler.include-coordinator"], "false");
});

test("secret flags and modes: exactly the files that hold a secret", () => {
  for (const [node, list] of allFiles(planFor("dev"))) {
    for (const f of list) {
      const holds = Object.values(FAKE_SECRETS).some((s) => s && f.content.includes(s));
      assert.equal(f.secret, holds, `${node}:${f.path} secret flag`);
      if (f.secret) {
        assert.equal(f.mode, "0640", `${node}:${f.path}`);
        assert.notEqual(f.owner, "root", `${node}:${f.path} owned by its service user`);
      }
    }
  }
  const flinkHive = allFiles(planFor("dev"))
    .get("cpu-node2")!
    .find((f) => f.path === "/etc/flink/hive-conf/hive-site.xml")!;
  assert.ok(!/ConnectionPassword|ConnectionUserName/.test(flinkHive.content), "Flink's client hive-site has no credentials");
  assert.equal(xmlPairs(flinkHive.content)["hive.metastore.uris"], "thrift://192.168.1.184:9083");
});

test("overrides replace and add keys, in their own file only", () => {
  const plan = planFor("dev", (v) => {
    v.hdfs.overrides = { "hdfs-site.xml": { "dfs.replication": 1, "dfs.blocksize": "256m" } };
    v.trino = { ...v.trino, overrides: { "iceberg.properties": { "iceberg.file-format": "ORC" } } };
  });
  const n1 = allFiles(plan).get("cpu-node1")!;
  const hdfs = xmlPairs(n1.find((f) => f.path.endsWith("hdfs-site.xml"))!.content);
  assert.equal(hdfs["dfs.replication"], "1");
  assert.equal(hdfs["dfs.blocksize"], "256m");
  const core = xmlPairs(n1.find((f) => f.path.endsWith("core-site.xml"))!.content);
  assert.equal(core["dfs.blocksize"], undefined);
  const ice = getProperties(n1.find((f) => f.path.endsWith("catalog/iceberg.properties"))!.content);
  assert.equal(ice["iceberg.file-format"], "ORC");
  const delta = getProperties(n1.find((f) => f.path.endsWith("catalog/delta.properties"))!.content);
  assert.equal(delta["iceberg.file-format"], undefined);
});

test("a hostile password round-trips through XML and properties", () => {
  const nasty = `p&<x>"'=:#\\ü \${x} %n`;
  const plan = planFor("dev");
  const secrets = { ...FAKE_SECRETS, postgresPassword: nasty, trinoSharedSecret: nasty };
  assert.equal(xmlPairs(hiveSite(plan, secrets))["javax.jdo.option.ConnectionPassword"], nasty);
  const coord = plan.services.find((s) => s.id === "trino@cpu-node1")!;
  assert.equal(getProperties(trinoConfig(plan, coord, secrets))["internal-communication.shared-secret"], nasty);
});

test("HDFS files follow the config", () => {
  const plan = planFor("dev", (v) => (v.hdfs.dataDirs = ["/data/1/dn", "/data/2/dn"]));
  const n1 = allFiles(plan).get("cpu-node1")!;
  const hdfs = xmlPairs(n1.find((f) => f.path.endsWith("hdfs-site.xml"))!.content);
  assert.equal(hdfs["dfs.replication"], "2");
  assert.equal(hdfs["dfs.datanode.data.dir"], "file:///data/1/dn,file:///data/2/dn");
  assert.equal(xmlPairs(n1.find((f) => f.path.endsWith("core-site.xml"))!.content)["fs.defaultFS"], "hdfs://192.168.1.184:9000");
  const hosts = n1.find((f) => f.path.endsWith("/dfs.hosts"))!;
  assert.equal(hosts.content, "192.168.1.184\n192.168.1.185\n192.168.1.186\n");
  assert.equal(hosts.onChange, "reload", "membership changes reload the NameNode, never restart it");
  // Only the NameNode's node carries dfs.hosts.
  assert.ok(
    !allFiles(plan)
      .get("cpu-node2")!
      .some((f) => f.path.endsWith("/dfs.hosts")),
  );
});

test("systemd quoting: specifiers, variables and quotes survive", () => {
  assert.equal(systemdQuote("plain"), "plain");
  assert.equal(systemdQuote("a b"), '"a b"');
  assert.equal(systemdQuote("100%"), '"100%%"');
  assert.equal(systemdQuote("$HOME"), '"$$HOME"');
  assert.equal(systemdQuote("$HOME", "environment"), '"$HOME"');
  assert.throws(() => systemdQuote("a\nb"));
  const unit = renderUnit({ description: "x", user: "u", group: "g", exec: ["/bin/echo", "a b"], environment: { A: "1 2" } });
  assert.match(unit, /^ExecStart=\/bin\/echo "a b"$/m);
  assert.match(unit, /^Environment="A=1 2"$/m);
});

/**
 * Rendered files: goldens for the dev stack (UPDATE_GOLDEN=1 rewrites them), that every file parses back to
 * exactly what was meant, and the behaviours that matter (overrides, coordinator vs worker, secrets, escaping,
 * which files exist where).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, statSync } from "fs";
import * as path from "path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { getProperties } from "properties-file";
import { parse as parseYaml } from "yaml";
import bcrypt from "bcryptjs";
import { RenderedFile, renderNodeFiles, renderServiceFiles } from "../config-templates";
import { coreSiteEntries, dataNodeHosts, hdfsSiteEntries, sslServerEntries } from "../services/hdfs/files";
import { hiveSite, hiveSiteEntries, METASTORE_KEYSTORE, metastoreKeystorePassword } from "../services/metastore/files";
import { hiveClientEntries } from "../services/metastore/client";
import {
  trinoAccessControlEntries,
  trinoAccessRules,
  trinoCatalog,
  trinoCatalogEntries,
  trinoConfig,
  trinoConfigEntries,
  trinoJvm,
  trinoLogEntries,
  trinoNodeEntries,
  trinoPasswordAuthenticatorEntries,
  trinoPasswordHash,
} from "../services/trino/files";
import { sparkDefaultsEntries, sparkEnvEntries } from "../services/spark/files";
import { FLINK_HIVE_CONF, flinkConfigEntries } from "../services/flink/files";
import { TrinoFile, unknownTrinoKeys } from "./fixtures/trino-properties-435";
import { renderUnit, systemdQuote } from "../config-templates/systemd";
import type { Entries } from "../config-templates/writers";
import { fileEntries, formatOf, reviewView } from "../lib/review";
import { validateConfig } from "../lib/config";
import { Plan, ServicePlan, buildPlan } from "../lib/plan";
import { FAKE_SECRETS, ROOT, planFor, stackValues } from "./helpers/stacks";
import { CA_FILE, CA_TRUSTSTORE } from "../lib/model";
import { descriptorOf } from "../services";
import type { ProcessSpec } from "../config-templates/process";

const GOLDEN = path.join(ROOT, "tests/golden");

/** Every file of every node: node files then each service's files, as the program writes them. */
function allFiles(plan: Plan, secrets = FAKE_SECRETS): Map<string, RenderedFile[]> {
  const out = new Map<string, RenderedFile[]>();
  for (const node of plan.nodes) {
    const files = Object.values(renderNodeFiles(plan, node, secrets)).flat();
    for (const s of node.services) files.push(...renderServiceFiles(plan, s, secrets));
    out.set(node.name, files);
  }
  return out;
}
const get = (files: RenderedFile[], p: string): RenderedFile => {
  const f = files.find((x) => x.path === p);
  assert.ok(f, `no ${p} among ${files.map((x) => x.path).join(", ")}`);
  return f;
};
const svc = (plan: Plan, id: string): ServicePlan => {
  const s = plan.services.find((x) => x.id === id);
  assert.ok(s, `no service ${id}`);
  return s;
};

// ----------------------------------------------------------------------------------------------- parsers
function xmlPairs(xml: string): Record<string, string> {
  assert.equal(XMLValidator.validate(xml), true, "well-formed XML");
  const doc = new XMLParser({ parseTagValue: false, trimValues: false, isArray: (n) => n === "property" }).parse(xml) as {
    configuration: "" | { property?: Array<{ name: string; value: string }> };
  };
  assert.ok(doc.configuration !== undefined, "a <configuration> root");
  const list = doc.configuration === "" ? [] : (doc.configuration.property ?? []);
  const out: Record<string, string> = {};
  for (const p of list) {
    const name = String(p.name);
    assert.ok(!(name in out), `property ${name} appears twice`);
    out[name] = String(p.value ?? "");
  }
  return out;
}
const asMap = (entries: Entries): Record<string, string> => Object.fromEntries(entries.map(([k, v]) => [k, String(v)]));

/** Undo systemd's quoting of one line's words (the subset renderUnit produces: "…" with \\ \" %% $$). */
function systemdWords(line: string, where: "exec" | "environment"): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    let w = m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2];
    w = w.replace(/%%/g, "%");
    if (where === "exec") w = w.replace(/\$\$/g, "$");
    words.push(w);
  }
  return words;
}
interface ParsedUnit {
  sections: Record<string, Array<[string, string]>>;
  env: Record<string, string>;
  exec: string[];
  one(section: string, key: string): string;
}
function parseUnit(text: string): ParsedUnit {
  const sections: ParsedUnit["sections"] = {};
  let cur = "";
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const h = /^\[(\w+)\]$/.exec(line);
    if (h) {
      cur = h[1];
      sections[cur] = [];
      continue;
    }
    const i = line.indexOf("=");
    assert.ok(cur && i > 0, `unit line outside a section or without '=': ${line}`);
    sections[cur].push([line.slice(0, i), line.slice(i + 1)]);
  }
  const all = (s: string, k: string) => (sections[s] ?? []).filter(([x]) => x === k).map(([, v]) => v);
  const env: Record<string, string> = {};
  for (const v of all("Service", "Environment")) {
    const [w] = systemdWords(v, "environment");
    env[w.slice(0, w.indexOf("="))] = w.slice(w.indexOf("=") + 1);
  }
  const execs = all("Service", "ExecStart");
  assert.equal(execs.length, 1, "exactly one ExecStart");
  return {
    sections,
    env,
    exec: systemdWords(execs[0], "exec"),
    one(s, k) {
      const vs = all(s, k);
      assert.equal(vs.length, 1, `exactly one ${s}.${k}`);
      return vs[0];
    },
  };
}

/** What a key/value file is meant to hold, straight from the renderers' entry functions. */
function intended(plan: Plan, node: string, f: RenderedFile): Record<string, string> | undefined {
  const n = plan.nodes.find((x) => x.name === node)!;
  const trino = n.services.find((s) => s.kind === "trino");
  const byPath: Record<string, () => Entries> = {
    "/etc/hadoop/conf/core-site.xml": () => coreSiteEntries(plan),
    "/etc/hadoop/conf/hdfs-site.xml": () => hdfsSiteEntries(plan),
    "/etc/hive/conf/hive-site.xml": () => hiveSiteEntries(plan, FAKE_SECRETS),
    "/etc/hive/conf/metastore-site.xml": () => [],
    "/etc/hadoop/conf/ssl-server.xml": () => sslServerEntries(FAKE_SECRETS),
    [`${FLINK_HIVE_CONF}/hive-site.xml`]: () => hiveClientEntries(plan),
    "/etc/spark/conf/spark-defaults.conf": () => sparkDefaultsEntries(plan, FAKE_SECRETS),
    "/etc/flink/conf/config.yaml": () => flinkConfigEntries(plan, n, FAKE_SECRETS),
    "/etc/trino/config.properties": () => trinoConfigEntries(plan, trino!, FAKE_SECRETS),
    "/etc/trino/node.properties": () => trinoNodeEntries(plan, trino!),
    "/etc/trino/log.properties": () => trinoLogEntries(),
    "/etc/trino/access-control.properties": () => trinoAccessControlEntries(),
    "/etc/trino/password-authenticator.properties": () => trinoPasswordAuthenticatorEntries(),
    "/etc/trino/catalog/iceberg.properties": () => trinoCatalogEntries(plan, "iceberg", trino!),
    "/etc/trino/catalog/delta.properties": () => trinoCatalogEntries(plan, "delta", trino!),
    "/etc/trino/catalog/hive.properties": () => trinoCatalogEntries(plan, "hive", trino!),
  };
  const e = byPath[f.path];
  return e && asMap(e());
}

function* walk(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield p;
  }
}

/** A few lines of unified-diff-like context around the first difference. */
function firstDiff(want: string, got: string): string {
  const w = want.split("\n");
  const g = got.split("\n");
  let i = 0;
  while (i < Math.max(w.length, g.length) && w[i] === g[i]) i++;
  const from = Math.max(0, i - 2);
  const lines = [`@@ line ${i + 1} (golden ${w.length} lines, rendered ${g.length}) @@`];
  for (let j = from; j < i; j++) lines.push(`  ${w[j]}`);
  for (let j = i; j < Math.min(w.length, i + 3); j++) lines.push(`- ${w[j]}`);
  for (let j = i; j < Math.min(g.length, i + 3); j++) lines.push(`+ ${g[j]}`);
  return lines.join("\n");
}

// ----------------------------------------------------------------------------------------------- goldens
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
      else {
        const want = readFileSync(g, "utf8");
        if (want !== f.content) mismatches.push(`${node}:${f.path} differs from its golden\n${firstDiff(want, f.content)}`);
      }
    }
  }
  for (const g of walk(path.join(GOLDEN, "dev"))) {
    if (expected.has(g)) continue;
    if (process.env.UPDATE_GOLDEN) rmSync(g);
    else mismatches.push(`stale golden ${path.relative(ROOT, g)} (no longer rendered)`);
  }
  assert.ok(mismatches.length === 0, `${mismatches.length} golden mismatch(es); UPDATE_GOLDEN=1 rewrites them:\n${mismatches.join("\n")}`);
});

test("rendering is deterministic", () => {
  const a = allFiles(planFor("dev"));
  const b = allFiles(planFor("dev"));
  assert.deepEqual(a, b);
});

// ----------------------------------------------------------------------------------------------- parse back
for (const stack of ["dev", "prod"] as const) {
  test(`${stack}: every rendered file parses back to exactly what was meant`, () => {
    const plan = planFor(stack);
    for (const [node, list] of allFiles(plan)) {
      for (const f of list) {
        const where = `${stack}/${node}:${f.path}`;
        assert.ok(f.path.startsWith("/"), `${where}: absolute path`);
        assert.ok(f.content === "" || f.content.endsWith("\n"), `${where} ends with a newline`);
        assert.match(f.mode, /^0[0-7]{3}$/, where);
        const meant = intended(plan, node, f);
        // Its format as the review reads it: declared, else by its name.
        const format = f.format ?? formatOf(f.path);
        if (format === "xml") {
          assert.deepEqual(xmlPairs(f.content), meant, where);
        } else if (format === "properties") {
          assert.deepEqual({ ...getProperties(f.content) }, meant, where);
        } else if (format === "yaml") {
          const y = parseYaml(f.content) as Record<string, unknown>;
          assert.deepEqual(
            Object.fromEntries(Object.entries(y).map(([k, v]) => [k, String(v)])),
            meant,
            `${where}: flat keys, values as meant`,
          );
        } else if (f.path.endsWith("spark-env.sh")) {
          const n = plan.nodes.find((x) => x.name === node)!;
          const want = sparkEnvEntries(plan, n)
            .map(([k, v]) => `export ${k}='${String(v)}'`)
            .join("\n");
          assert.equal(f.content.replace(/^#.*\n/gm, "").trimEnd(), want, where);
          assert.equal(f.mode, "0755", `${where}: a script`);
        } else if (f.path === "/etc/systemd/system/spark-hdfs-token.service") {
          // The oneshot its timer runs: as the spark user, the installed token script, no restart policy.
          const u = parseUnit(f.content);
          assert.deepEqual(Object.keys(u.sections), ["Unit", "Service"], where);
          assert.equal(u.one("Service", "Type"), "oneshot", where);
          assert.equal(u.one("Service", "User"), plan.config.spark.user, where);
          assert.deepEqual(u.exec, ["/etc/spark/conf/hdfs-token.sh"], where);
          assert.equal(u.env.SPARK_PRINCIPAL, `spark/${node}@${plan.config.kerberos.realm}`, where);
        } else if (f.path === "/etc/spark/conf/hdfs-token.sh") {
          assert.equal(
            f.content,
            readFileSync(path.join(ROOT, "services/spark/hdfs-token.sh"), "utf8"),
            `${where}: the script as in the repo`,
          );
          assert.deepEqual([f.mode, f.owner], ["0755", "root"], where);
        } else if (f.path.endsWith(".timer")) {
          const lines = f.content.split("\n").filter((l) => l && !l.startsWith("#"));
          assert.deepEqual(
            lines.filter((l) => l.startsWith("[")),
            ["[Unit]", "[Timer]"],
            where,
          );
          assert.ok(lines.includes("Unit=spark-hdfs-token.service"), where);
          assert.ok(lines.includes(`OnUnitActiveSec=${plan.config.spark.hdfsTokenRenewSeconds}`), where);
        } else if (/\.service\.d\/lakehouse\.conf$/.test(f.path)) {
          // A drop-in for a Debian unit: ExecStart reset, then the daemon on this realm.
          const lines = f.content.split("\n").filter((l) => l && !l.startsWith("#"));
          assert.equal(lines[0], "[Service]", where);
          assert.deepEqual(
            lines.filter((l) => l.startsWith("ExecStart=")).map((l) => l.slice("ExecStart=".length) !== ""),
            [false, true],
            where,
          );
          assert.match(
            lines.find((l) => /^ExecStart=./.test(l))!,
            new RegExp(` -r ${plan.config.kerberos.realm}$`),
            where,
          );
        } else if (f.path === "/etc/krb5kdc/kdc.conf") {
          // MIT's profile format: [sections], key = value, and balanced { } blocks.
          let depth = 0;
          for (const l of f.content.split("\n").map((x) => x.trim())) {
            if (!l || l.startsWith("#") || /^\[\w+\]$/.test(l)) continue;
            if (l === "}") depth--;
            else if (/^[\w.-]+ = \{$/.test(l)) depth++;
            else assert.match(l, /^[\w.-]+ = \S.*$/, `${where}: ${l}`);
            assert.ok(depth >= 0, where);
          }
          assert.equal(depth, 0, `${where}: balanced braces`);
          assert.match(f.content, new RegExp(`^\\s+${plan.config.kerberos.realm.replace(/\./g, "\\.")} = \\{$`, "m"), where);
          assert.deepEqual([f.mode, f.owner, f.group], ["0600", "root", "root"], where);
        } else if (f.path === "/etc/krb5kdc/kadm5.acl") {
          const k = plan.config.kerberos;
          assert.deepEqual(
            f.content.split("\n").filter((l) => l && !l.startsWith("#")),
            [`${k.adminPrincipal}@${k.realm} *`],
            where,
          );
        } else if (f.path.endsWith(".service")) {
          const s = plan.nodes.find((x) => x.name === node)!.services.find((x) => f.path === `/etc/systemd/system/${x.unit}.service`);
          assert.ok(s, `${where}: a unit of a service on this node`);
          const u = parseUnit(f.content);
          assert.deepEqual(Object.keys(u.sections), ["Unit", "Service", "Install"], where);
          assert.equal(u.one("Service", "Type"), "simple", where);
          assert.equal(u.one("Service", "User"), s.user, where);
          assert.equal(u.one("Service", "Group"), plan.config.serviceGroup, where);
          assert.equal(u.one("Service", "Restart"), "on-failure", where);
          assert.equal(u.one("Service", "SuccessExitStatus"), "143", where);
          assert.equal(u.one("Unit", "After"), "network-online.target", where);
          assert.equal(u.one("Install", "WantedBy"), "multi-user.target", where);
          assert.ok(u.exec[0].startsWith("/"), `${where}: absolute ExecStart`);
          if (s.jdk) assert.equal(u.env.JAVA_HOME, s.jdk.home, `${where}: the service's JDK`);
        } else if (f.path === "/etc/trino/jvm.config") {
          const opts = f.content.split("\n").filter((l) => l && !l.startsWith("#"));
          assert.ok(
            opts.every((o) => o.startsWith("-")),
            `${where}: one JVM option per line`,
          );
          assert.equal(new Set(opts).size, opts.length, `${where}: no option twice`);
        } else if (f.path === "/etc/trino/rules.json") {
          assert.deepEqual(JSON.parse(f.content), trinoAccessRules(plan), where);
        } else if (f.path === "/etc/trino/password.db") {
          // user:bcrypt per line, $2y$ (the prefix Trino takes), each the hash of that user's password.
          const lines = f.content.trimEnd().split("\n");
          assert.deepEqual(
            lines.map((l) => l.split(":")[0]),
            Object.keys(FAKE_SECRETS.trinoPasswords).sort(),
            where,
          );
          for (const l of lines) {
            const [u, h] = [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1)];
            assert.match(h, /^\$2y\$10\$[./A-Za-z0-9]{53}$/, where);
            assert.ok(bcrypt.compareSync(FAKE_SECRETS.trinoPasswords[u], h.replace(/^\$2y\$/, "$2b$")), `${where}: ${u}'s hash`);
            assert.ok(!bcrypt.compareSync("wrong password", h.replace(/^\$2y\$/, "$2b$")), `${where}: ${u}'s hash`);
          }
        } else if (f.path === "/etc/lakehouse/trino-health.cred") {
          assert.equal(f.content, `lakehouse-health:${FAKE_SECRETS.trinoPasswords["lakehouse-health"]}\n`, where);
          assert.deepEqual([f.mode, f.owner, f.group], ["0600", "root", "root"], where);
        } else if (!f.path.endsWith("/dfs.hosts") && !f.path.endsWith("/dfs.hosts.exclude")) {
          assert.fail(`${where}: no parse check for this kind of file`);
        }
      }
    }
  });
}

// ----------------------------------------------------------------------------------------------- which files where
test("files per service and per node: exactly the documented set", () => {
  const plan = planFor("dev");
  const paths = (s: ServicePlan) => renderServiceFiles(plan, s, FAKE_SECRETS).map((f) => f.path);
  assert.deepEqual(paths(svc(plan, "postgres@cpu-node1")), []);
  assert.deepEqual(paths(svc(plan, "namenode@cpu-node1")), ["/etc/systemd/system/hdfs-namenode.service"]);
  assert.deepEqual(paths(svc(plan, "datanode@cpu-node2")), ["/etc/systemd/system/hdfs-datanode.service"]);
  assert.deepEqual(paths(svc(plan, "metastore@cpu-node1")), [
    "/etc/hive/conf/hive-site.xml",
    "/etc/hive/conf/metastore-site.xml",
    "/etc/systemd/system/hive-metastore.service",
  ]);
  assert.deepEqual(paths(svc(plan, "trino@cpu-node2")), [
    "/etc/trino/config.properties",
    "/etc/trino/node.properties",
    "/etc/trino/jvm.config",
    "/etc/trino/log.properties",
    "/etc/trino/catalog/iceberg.properties",
    "/etc/trino/catalog/delta.properties",
    "/etc/trino/catalog/hive.properties",
    "/etc/trino/access-control.properties",
    "/etc/trino/rules.json",
    "/etc/lakehouse/trino-health.cred",
    "/etc/systemd/system/trino.service",
  ]);
  // The coordinator alone authenticates clients: its password file and authenticator besides.
  assert.deepEqual(
    paths(svc(plan, "trino@cpu-node1")).filter((p) => !paths(svc(plan, "trino@cpu-node2")).includes(p)),
    ["/etc/trino/password-authenticator.properties", "/etc/trino/password.db"],
  );
  for (const k of ["spark-master@cpu-node1", "spark-worker@cpu-node2", "flink-jobmanager@cpu-node1", "flink-taskmanager@cpu-node2"])
    assert.equal(paths(svc(plan, k)).length, 1, `${k}: its unit only`);

  const nodeFiles = renderNodeFiles(plan, plan.nodes[1], FAKE_SECRETS);
  assert.deepEqual(Object.fromEntries(Object.entries(nodeFiles).map(([k, fs]) => [k, fs.map((f) => f.path)])), {
    hadoop: ["/etc/hadoop/conf/core-site.xml", "/etc/hadoop/conf/hdfs-site.xml"],
    spark: ["/etc/spark/conf/spark-defaults.conf", "/etc/spark/conf/spark-env.sh"],
    flink: ["/etc/flink/conf/config.yaml", "/etc/flink/hive-conf/hive-site.xml"],
  });
});

test("node files follow the node's artifacts; a switched-off engine renders nothing", () => {
  const plan = planFor("dev", (v) => {
    v.nodes.push({ name: "storage-node4", host: "192.168.1.190", roles: ["datanode"] });
    v.flink = { enabled: false };
    v.nodes = v.nodes.map((n: { roles: string[] }) => ({ ...n, roles: n.roles.filter((r) => !r.startsWith("flink-")) }));
  });
  const storage = plan.nodes.find((n) => n.name === "storage-node4")!;
  assert.deepEqual(Object.keys(renderNodeFiles(plan, storage, FAKE_SECRETS)), ["hadoop"]);
  for (const [node, list] of allFiles(plan))
    assert.ok(!list.some((f) => f.path.includes("flink")), `${node}: no Flink file when flink.enabled is false`);
  assert.equal(dataNodeHosts(plan).at(-1), "192.168.1.190", "a new DataNode joins the membership");
});

test("only the enabled Trino catalogs are rendered, and redirections name only those", () => {
  const plan = planFor("dev", (v) => (v.trino = { ...v.trino, catalogs: { delta: false } }));
  const files = allFiles(plan).get("cpu-node2")!;
  assert.ok(!files.some((f) => f.path === "/etc/trino/catalog/delta.properties"));
  const hive = getProperties(get(files, "/etc/trino/catalog/hive.properties").content);
  assert.equal(hive["hive.iceberg-catalog-name"], "iceberg");
  assert.equal(hive["hive.delta-lake-catalog-name"], undefined, "no redirection to a catalog that does not exist");
});

// ----------------------------------------------------------------------------------------------- Trino
test("Trino files hold only properties a 435 server accepts", () => {
  for (const stack of ["dev", "prod"] as const) {
    for (const [node, list] of allFiles(planFor(stack))) {
      for (const f of list.filter((x) => x.path.startsWith("/etc/trino/") && x.path.endsWith(".properties"))) {
        const props = getProperties(f.content);
        const kind: TrinoFile = f.path.includes("/catalog/")
          ? `catalog:${props["connector.name"] as "iceberg" | "delta_lake" | "hive"}`
          : (path.basename(f.path) as TrinoFile);
        assert.deepEqual(unknownTrinoKeys(kind, Object.keys(props)), [], `${stack}/${node}:${f.path}`);
      }
    }
  }
  // The same check catches an override's typo.
  const plan = planFor("dev", (v) => (v.trino = { ...v.trino, overrides: { "config.properties": { "query.max-memroy": "1GB" } } }));
  const keys = Object.keys(getProperties(trinoConfig(plan, svc(plan, "trino@cpu-node1"), FAKE_SECRETS)));
  assert.deepEqual(unknownTrinoKeys("config.properties", keys), ["query.max-memroy"]);
});

test("a newer Trino on a newer JDK: jvm.config without flags Java 21 removed, HDFS enabled in each catalog", () => {
  const dev = planFor("dev");
  const jvm17 = trinoJvm(dev, svc(dev, "trino@cpu-node1")).split("\n");
  assert.ok(jvm17.includes("-XX:-G1UsePreventiveGC"), "435 on Java 17 keeps its guide's flag");
  assert.equal(getProperties(trinoCatalog(planFor("dev"), "iceberg"))["fs.hadoop.enabled"], undefined, "435 has no such property");
  const plan = planFor("dev", (v) => {
    v.java = {
      "17": { package: "openjdk-17-jdk-headless", home: "/usr/lib/jvm/java-17-openjdk-amd64" },
      "25": { version: "25.0.3+9", url: "https://example.org/jdk-{version}.tar.gz", sha512: "c".repeat(128) },
    };
    v.trino = { ...v.trino, java: "25" };
    v.artifacts = { trino: { version: "476", sha512: "b".repeat(128) } };
  });
  const jvm = trinoJvm(plan, svc(plan, "trino@cpu-node2")).split("\n");
  // Java 21+ refuses to start on an unknown -XX flag.
  for (const gone of ["-XX:-G1UsePreventiveGC", "-XX:+UseAESCTRIntrinsics"]) assert.ok(!jvm.includes(gone), gone);
  assert.ok(jvm.includes("-XX:+EnableDynamicAgentLoading"));
  assert.ok(jvm.includes("-Xmx4g"));
  for (const name of ["iceberg", "delta", "hive"] as const) {
    assert.equal(getProperties(trinoCatalog(plan, name))["fs.hadoop.enabled"], "true", name);
  }
  const unit = renderServiceFiles(plan, svc(plan, "trino@cpu-node2"), FAKE_SECRETS).find((f) => f.path.endsWith("trino.service"))!;
  assert.match(unit.content, /^Environment=JAVA_HOME=\/opt\/jdk-25\/current$/m);
  assert.match(unit.content, /^Environment=PATH=\/opt\/jdk-25\/current\/bin:/m);
});

test("coordinator and worker configs differ as they must", () => {
  const plan = planFor("dev");
  const props = (p: Plan, id: string) => getProperties(trinoConfig(p, svc(p, id), FAKE_SECRETS));
  const coord = props(plan, "trino@cpu-node1");
  const worker = props(plan, "trino@cpu-node2");
  assert.equal(coord.coordinator, "true");
  assert.equal(coord["node-scheduler.include-coordinator"], "true", "node1 also runs work in the seed's layout");
  assert.equal(worker.coordinator, "false");
  assert.equal(worker["node-scheduler.include-coordinator"], undefined);
  for (const c of [coord, worker]) {
    assert.equal(c["discovery.uri"], "http://192.168.1.184:8080");
    assert.equal(c["http-server.http.port"], "8080");
    assert.equal(c["query.max-memory"], "4GB");
    assert.equal(c["query.max-memory-per-node"], "1GB");
    assert.equal(c["internal-communication.shared-secret"], FAKE_SECRETS.trinoSharedSecret);
  }
  // Without trino-worker on node1, the coordinator schedules no work.
  const p2 = planFor("dev", (v) => (v.nodes[0].roles = v.nodes[0].roles.filter((r: string) => r !== "trino-worker")));
  assert.equal(props(p2, "trino@cpu-node1")["node-scheduler.include-coordinator"], "false");

  // node.properties: one environment, a node.id of its own per node, data dir from config.
  const all = allFiles(plan);
  const nodeProps = [...all.values()].map((l) => getProperties(get(l, "/etc/trino/node.properties").content));
  assert.deepEqual(new Set(nodeProps.map((p) => p["node.environment"])), new Set(["dev"]));
  assert.equal(new Set(nodeProps.map((p) => p["node.id"])).size, nodeProps.length, "unique node.id");
  assert.ok(nodeProps.every((p) => p["node.data-dir"] === "/var/lib/trino/data"));

  // bin/launcher reads node.properties naively (split on '='): a value that needs escaping is refused.
  const bad = planFor("dev", (v) => (v.trino = { ...v.trino, overrides: { "node.properties": { "node.server-log-file": "a:b" } } }));
  assert.throws(
    () => allFiles(bad),
    /: characters that need escaping are not allowed here \(the Trino launcher reads this file naively\)$/,
  );

  const jvm = get(all.get("cpu-node2")!, "/etc/trino/jvm.config").content.split("\n");
  for (const o of [
    "-Xmx4g",
    "-DHADOOP_USER_NAME=hive",
    "-Dfile.encoding=UTF-8",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.attach.allowAttachSelf=true",
  ])
    assert.ok(jvm.includes(o), `jvm.config has ${o}`);
  const unit = parseUnit(get(all.get("cpu-node2")!, "/etc/systemd/system/trino.service").content);
  assert.deepEqual(unit.exec, ["/opt/trino/current/bin/launcher", "run", "--etc-dir=/etc/trino"]);
  assert.equal(unit.one("Service", "LimitNOFILE"), "131072");
  assert.ok(unit.env.PATH.startsWith(`${unit.env.JAVA_HOME}/bin:`), "the launcher finds the configured java first");
});

// ----------------------------------------------------------------------------------------------- secrets
test("secret flags and modes: exactly the files that hold a secret", () => {
  const plan = planFor("dev");
  let secretFiles = 0;
  for (const [node, list] of allFiles(plan)) {
    for (const f of list) {
      // A secret, or a hash of one (the password file's bcrypt lines).
      const flat = Object.values(FAKE_SECRETS).flatMap((s) => (typeof s === "object" ? Object.values(s) : [s]));
      const hashes = Object.entries(FAKE_SECRETS.trinoPasswords).map(([u, pw]) => trinoPasswordHash(FAKE_SECRETS.hashKey, u, pw));
      const holds = [...flat, ...hashes].some((s) => s && f.content.includes(s));
      assert.equal(f.secret, holds, `${node}:${f.path} secret flag`);
      if (f.secret) {
        secretFiles++;
        assert.equal(f.mode, "0600", `${node}:${f.path}: its service user only, not the group`);
        // Root's own (the health-check credentials, read by the probe as root), else the service user's.
        assert.equal(f.group, f.owner === "root" ? "root" : plan.config.serviceGroup, `${node}:${f.path}`);
      } else {
        assert.ok(f.mode === "0644" || f.mode === "0755", `${node}:${f.path}: world-readable without a secret`);
      }
    }
  }
  assert.equal(
    secretFiles,
    1 + 3 + 3 + 3 + 1,
    "hive-site.xml on the metastore node, config.properties and the health-check credentials on each Trino node, spark-defaults.conf on each Spark node, the password file on the coordinator",
  );
  const n1 = allFiles(plan).get("cpu-node1")!;
  assert.equal(get(n1, "/etc/hive/conf/hive-site.xml").owner, "hive");
  assert.equal(get(n1, "/etc/trino/config.properties").owner, "trino");

  // Flink's client hive-site carries where the metastore is, never credentials.
  const flinkHive = get(allFiles(plan).get("cpu-node2")!, `${FLINK_HIVE_CONF}/hive-site.xml`);
  assert.ok(!/ConnectionPassword|ConnectionUserName|ConnectionURL|keystore/i.test(flinkHive.content));
  assert.equal(xmlPairs(flinkHive.content)["hive.metastore.uris"], "thrift://192.168.1.184:9083");
  assert.match(get(n1, "/etc/flink/conf/config.yaml").content, new RegExp(`'hive-conf-dir'='${FLINK_HIVE_CONF}'`));
});

test("the metastore's Thrift over TLS by default: its keystore's password only in the server's file; clients trust the CA", () => {
  const plan = planFor("dev");
  const server = xmlPairs(hiveSite(plan, FAKE_SECRETS));
  assert.equal(server["hive.metastore.use.SSL"], "true");
  assert.equal(server["hive.metastore.sasl.enabled"], "false");
  assert.equal(server["hive.metastore.keystore.path"], METASTORE_KEYSTORE);
  assert.equal(server["hive.metastore.keystore.password"], metastoreKeystorePassword(FAKE_SECRETS));
  // Every client verifies it against the cluster CA: Flink's and Spark's Hive client through the public truststore,
  // Trino from the PEM file.
  const client = xmlPairs(get(allFiles(plan).get("cpu-node2")!, `${FLINK_HIVE_CONF}/hive-site.xml`).content);
  assert.equal(client["hive.metastore.use.SSL"], "true");
  assert.equal(client["hive.metastore.truststore.path"], CA_TRUSTSTORE.path);
  assert.equal(client["hive.metastore.truststore.password"], CA_TRUSTSTORE.password);
  assert.ok(!Object.values(client).includes(metastoreKeystorePassword(FAKE_SECRETS)));
  const spark = Object.fromEntries(sparkDefaultsEntries(plan, FAKE_SECRETS).map(([k, v]) => [k, String(v)]));
  assert.equal(spark["spark.hadoop.hive.metastore.use.SSL"], "true");
  assert.equal(spark["spark.hadoop.hive.metastore.truststore.path"], CA_TRUSTSTORE.path);
  for (const cat of ["iceberg", "delta", "hive"] as const) {
    const e = Object.fromEntries(trinoCatalogEntries(plan, cat).map(([k, v]) => [k, String(v)]));
    assert.equal(e["hive.metastore.thrift.client.ssl.enabled"], "true", cat);
    assert.equal(e["hive.metastore.thrift.client.ssl.trust-certificate"], CA_FILE, cat);
  }
  // Turned off: no TLS key anywhere.
  const off = buildPlan(
    validateConfig({
      values: { ...stackValues("dev"), metastore: { security: { ssl: false } } },
      secretKeys: new Set(["sshPrivateKey"]),
      stack: "dev",
    }),
  );
  const offServer = xmlPairs(hiveSite(off, FAKE_SECRETS));
  assert.equal(offServer["hive.metastore.use.SSL"], "false");
  assert.equal(offServer["hive.metastore.keystore.password"], undefined);
  assert.equal(
    xmlPairs(get(allFiles(off).get("cpu-node2")!, `${FLINK_HIVE_CONF}/hive-site.xml`).content)["hive.metastore.truststore.path"],
    undefined,
  );
  assert.equal(Object.fromEntries(trinoCatalogEntries(off, "hive"))["hive.metastore.thrift.client.ssl.enabled"], undefined);
});

test("the metastore's SASL switch (an own realm) adds its keys, and takes the place of TLS", () => {
  const values = structuredClone(stackValues("dev")) as Record<string, any>;
  values.metastore = {
    ...values.metastore,
    security: { sasl: true, kerberosPrincipal: "hive/_HOST@EXAMPLE.ORG", kerberosKeytab: "/etc/security/hive.keytab" },
  };
  const plan = buildPlan(validateConfig({ values, secretKeys: new Set(["sshPrivateKey"]), stack: "dev" }));
  const server = xmlPairs(hiveSite(plan, FAKE_SECRETS));
  assert.equal(server["hive.metastore.sasl.enabled"], "true");
  assert.equal(server["hive.metastore.kerberos.principal"], "hive/_HOST@EXAMPLE.ORG");
  assert.equal(server["hive.metastore.kerberos.keytab.file"], "/etc/security/hive.keytab");
  assert.equal(server["hive.metastore.use.SSL"], "false");
  const client = xmlPairs(get(allFiles(plan).get("cpu-node2")!, `${FLINK_HIVE_CONF}/hive-site.xml`).content);
  // A client names the server in full: its own _HOST would be the address it dials, not the metastore's name.
  assert.equal(client["hive.metastore.kerberos.principal"], "hive/cpu-node1@EXAMPLE.ORG");
  assert.equal(client["hive.metastore.keytab.file"], undefined);
});

test("a hostile password round-trips through XML and properties", () => {
  for (const nasty of [`p&<x>"'=:#\\ü`, `p&<x>"'=:#\\ü \${x} %n ]]> -- \t  trailing  `, " leading space", "#!=:\\u0041 日本"]) {
    const plan = planFor("dev");
    const secrets = { ...FAKE_SECRETS, postgresPassword: nasty, trinoSharedSecret: nasty };
    assert.equal(xmlPairs(hiveSite(plan, secrets))["javax.jdo.option.ConnectionPassword"], nasty, JSON.stringify(nasty));
    const text = trinoConfig(plan, svc(plan, "trino@cpu-node1"), secrets);
    assert.ok(!/[^\x20-\x7e\n]/.test(text), "properties are pure ASCII (\\uXXXX): Trino reads them as ISO-8859-1");
    assert.equal(getProperties(text)["internal-communication.shared-secret"], nasty, JSON.stringify(nasty));
  }
  assert.throws(() => hiveSite(planFor("dev"), { ...FAKE_SECRETS, postgresPassword: "a\u0001b" }), /XML cannot represent/);
});

// ----------------------------------------------------------------------------------------------- overrides
test("overrides replace and add keys, in their own file only", () => {
  const base = allFiles(planFor("dev"));
  const plan = planFor("dev", (v) => {
    v.hdfs.overrides = { "hdfs-site.xml": { "dfs.replication": 1, "dfs.blocksize": "256m" } };
    v.metastore = {
      ...v.metastore,
      overrides: { "hive-site.xml": { "datanucleus.connectionPool.maxActive": 7, "hive.metastore.event.db.notification.api.auth": false } },
    };
    v.trino = {
      ...v.trino,
      overrides: { "iceberg.properties": { "iceberg.file-format": "ORC" }, "config.properties": { "query.max-memory": "2GB" } },
    };
    v.spark = {
      ...v.spark,
      overrides: { "spark-defaults.conf": { "spark.sql.shuffle.partitions": 64, "spark.master": "spark://elsewhere:7077" } },
    };
    v.flink = { ...v.flink, overrides: { "config.yaml": { "parallelism.default": 4, "state.backend.type": "rocksdb" } } };
  });
  const changed = allFiles(plan);
  const expectChanged = new Set([
    "/etc/hadoop/conf/hdfs-site.xml",
    "/etc/hive/conf/hive-site.xml",
    "/etc/trino/catalog/iceberg.properties",
    "/etc/trino/config.properties",
    "/etc/spark/conf/spark-defaults.conf",
    "/etc/flink/conf/config.yaml",
  ]);
  for (const [node, list] of changed) {
    for (const f of list) {
      const before = get(base.get(node)!, f.path).content;
      assert.equal(
        f.content !== before,
        expectChanged.has(f.path),
        `${node}:${f.path} ${expectChanged.has(f.path) ? "changed" : "unchanged"}`,
      );
    }
  }
  const n1 = changed.get("cpu-node1")!;
  const hdfs = xmlPairs(get(n1, "/etc/hadoop/conf/hdfs-site.xml").content);
  assert.equal(hdfs["dfs.replication"], "1");
  assert.equal(hdfs["dfs.blocksize"], "256m");
  const hive = xmlPairs(get(n1, "/etc/hive/conf/hive-site.xml").content);
  assert.equal(hive["datanucleus.connectionPool.maxActive"], "7");
  assert.equal(hive["hive.metastore.event.db.notification.api.auth"], "false");
  assert.equal(getProperties(get(n1, "/etc/trino/catalog/iceberg.properties").content)["iceberg.file-format"], "ORC");
  assert.equal(getProperties(get(n1, "/etc/trino/config.properties").content)["query.max-memory"], "2GB");
  const spark = getProperties(get(n1, "/etc/spark/conf/spark-defaults.conf").content);
  assert.equal(spark["spark.sql.shuffle.partitions"], "64");
  assert.equal(spark["spark.master"], "spark://elsewhere:7077");
  const flink = parseYaml(get(n1, "/etc/flink/conf/config.yaml").content) as Record<string, unknown>;
  assert.equal(flink["parallelism.default"], 4);
  assert.equal(flink["state.backend.type"], "rocksdb");
  // A replaced key stays in its place; an added one comes last.
  const keys = hdfsSiteEntries(plan).map(([k]) => k);
  assert.equal(keys[0], "dfs.replication");
  assert.equal(keys.at(-1), "dfs.blocksize");
});

// ----------------------------------------------------------------------------------------------- HDFS, metastore, engines
test("HDFS files follow the config", () => {
  const plan = planFor("dev", (v) => {
    v.hdfs.dataDirs = ["/data/1/dn", "/data/2/dn"];
    v.hdfs.nameDirs = ["/data/1/nn", "/data/2/nn"];
    v.hdfs.replication = 3;
  });
  const all = allFiles(plan);
  const n1 = all.get("cpu-node1")!;
  const hdfs = xmlPairs(get(n1, "/etc/hadoop/conf/hdfs-site.xml").content);
  assert.equal(hdfs["dfs.replication"], "3");
  assert.equal(hdfs["dfs.datanode.data.dir"], "file:///data/1/dn,file:///data/2/dn");
  assert.equal(hdfs["dfs.namenode.name.dir"], "file:///data/1/nn,file:///data/2/nn");
  assert.equal(hdfs["dfs.namenode.rpc-bind-host"], "0.0.0.0");
  assert.equal(hdfs["dfs.namenode.http-address"], "192.168.1.184:9870");
  assert.equal(hdfs["dfs.datanode.address"], "0.0.0.0:9866");
  assert.equal(hdfs["dfs.hosts"], "/etc/hadoop/conf/dfs.hosts");
  // The HDFS superuser group is hdfs.adminGroup, never the service group that every engine's user is in.
  assert.equal(hdfs["dfs.permissions.superusergroup"], "hdfsadmin");
  assert.notEqual(hdfs["dfs.permissions.superusergroup"], plan.config.serviceGroup);
  assert.equal(hdfs["dfs.namenode.datanode.registration.ip-hostname-check"], "false");
  assert.equal(xmlPairs(get(n1, "/etc/hadoop/conf/core-site.xml").content)["fs.defaultFS"], "hdfs://192.168.1.184:9000");
  // Every node with Hadoop shares the same client config.
  for (const [, list] of all)
    assert.equal(get(list, "/etc/hadoop/conf/hdfs-site.xml").content, get(n1, "/etc/hadoop/conf/hdfs-site.xml").content);
  // Membership is not a rendered file (hdfs-membership.sh keeps it, decommissioning before removing).
  assert.deepEqual(dataNodeHosts(planFor("dev")), ["192.168.1.184", "192.168.1.185", "192.168.1.186"]);
  assert.ok(![...all.values()].flat().some((f) => /\/dfs\.hosts/.test(f.path)), "no node renders dfs.hosts");

  const nn = parseUnit(get(n1, "/etc/systemd/system/hdfs-namenode.service").content);
  assert.deepEqual(nn.exec, ["/opt/hadoop/current/bin/hdfs", "namenode"]);
  assert.equal(nn.env.HDFS_NAMENODE_OPTS, "-Xmx2g");
  assert.equal(nn.env.HADOOP_CONF_DIR, "/etc/hadoop/conf");
  assert.equal(nn.env.HADOOP_LOG_DIR, "/var/log/lakehouse/hdfs");
  for (const o of [
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
  ])
    assert.ok(nn.env.HADOOP_OPTS.split(" ").includes(o), `HADOOP_OPTS has ${o}`);
  assert.equal(parseUnit(get(n1, "/etc/systemd/system/hdfs-datanode.service").content).env.HDFS_DATANODE_OPTS, "-Xmx1g");
});

test("metastore: hive-site keys and the unit's environment", () => {
  const plan = planFor("dev");
  const n1 = allFiles(plan).get("cpu-node1")!;
  const hive = xmlPairs(get(n1, "/etc/hive/conf/hive-site.xml").content);
  assert.equal(
    hive["javax.jdo.option.ConnectionURL"],
    "jdbc:postgresql://192.168.1.184:5432/metastore?sslmode=verify-full&sslrootcert=/etc/lakehouse/tls/ca.crt",
  );
  assert.equal(hive["javax.jdo.option.ConnectionUserName"], "hive");
  assert.equal(hive["metastore.thrift.port"], "9083");
  assert.equal(hive["hive.metastore.uris"], hive["metastore.thrift.uris"]);
  assert.equal(hive["metastore.warehouse.dir"], "hdfs://192.168.1.184:9000/lakehouse/hive");
  assert.equal(hive["datanucleus.connectionPool.maxActive"], "25");
  assert.equal(hive["metastore.schema.verification"], "true");
  assert.deepEqual(xmlPairs(get(n1, "/etc/hive/conf/metastore-site.xml").content), {}, "neutralises the tarball's smoke-test file");
  const u = parseUnit(get(n1, "/etc/systemd/system/hive-metastore.service").content);
  assert.deepEqual(u.exec, ["/opt/hive/current/bin/start-metastore"]);
  assert.equal(u.one("Service", "User"), "hive");
  assert.equal(u.env.HADOOP_HOME, "/opt/hadoop/current");
  assert.equal(u.env.METASTORE_CONF_DIR, "/etc/hive/conf");
  assert.equal(u.env.HADOOP_HEAPSIZE, "1g", "beats bin/metastore-config.sh's 256 MB default");
  assert.equal(u.env.HADOOP_HEAPSIZE_MAX, "1g");
  assert.ok(!Object.values(u.env).some((v) => v.includes(FAKE_SECRETS.postgresPassword)), "no password on the command line or environment");
});

test("Spark: defaults, environment and units", () => {
  const plan = planFor("dev");
  const all = allFiles(plan);
  const n2 = all.get("cpu-node2")!;
  const d = getProperties(get(n2, "/etc/spark/conf/spark-defaults.conf").content);
  assert.equal(d["spark.master"], "spark://192.168.1.184:7077");
  assert.equal(d["spark.sql.catalog.spark_catalog"], "org.apache.spark.sql.delta.catalog.DeltaCatalog");
  assert.equal(d["spark.sql.catalog.iceberg_hive"], "org.apache.iceberg.spark.SparkCatalog");
  assert.equal(d["spark.sql.catalog.iceberg_hive.uri"], "thrift://192.168.1.184:9083");
  assert.equal(d["spark.sql.catalog.iceberg_hive.warehouse"], "hdfs://192.168.1.184:9000/lakehouse/iceberg");
  assert.equal(d["spark.sql.warehouse.dir"], "hdfs://192.168.1.184:9000/lakehouse/hive");
  assert.match(
    get(n2, "/etc/spark/conf/spark-env.sh").content,
    /^export SPARK_LOCAL_IP='192\.168\.1\.185'$/m,
    "each node advertises itself",
  );
  const w = parseUnit(get(n2, "/etc/systemd/system/spark-worker.service").content);
  assert.deepEqual(w.exec.slice(1), [
    "org.apache.spark.deploy.worker.Worker",
    ...["--host", "192.168.1.185", "--port", "7078", "--webui-port", "8091", "--cores", "2", "--memory", "4g"],
    ...["--work-dir", "/var/lib/spark/work", "spark://192.168.1.184:7077"],
  ]);
  assert.equal(w.env.SPARK_CONF_DIR, "/etc/spark/conf");
  const m = parseUnit(get(all.get("cpu-node1")!, "/etc/systemd/system/spark-master.service").content);
  assert.deepEqual(m.exec, [
    "/opt/spark/current/bin/spark-class",
    "org.apache.spark.deploy.master.Master",
    ...["--host", "192.168.1.184", "--port", "7077", "--webui-port", "8090"],
  ]);
  const icebergName = planFor("dev", (v) => (v.spark = { ...v.spark, icebergCatalog: "lake" }));
  assert.equal(asMap(sparkDefaultsEntries(icebergName, FAKE_SECRETS))["spark.sql.catalog.lake.type"], "hive");
});

test("Spark: authentication on by default (secret in a 0600 file of the spark user's), REST submission off", () => {
  const plan = planFor("dev");
  for (const [node, list] of allFiles(plan)) {
    const f = get(list, "/etc/spark/conf/spark-defaults.conf");
    assert.deepEqual([f.mode, f.owner, f.secret], ["0600", "spark", true], `${node}: the spark user's alone`);
    const p = getProperties(f.content);
    assert.equal(p["spark.authenticate"], "true", node);
    assert.equal(p["spark.authenticate.secret"], FAKE_SECRETS.sparkAuthSecret, node);
    assert.equal(p["spark.network.crypto.enabled"], "true", node);
    assert.equal(p["spark.master.rest.enabled"], "false", node);
  }
  // Switched off: no secret, a world-readable file, and still no REST submission server.
  const open = planFor("dev", (v) => (v.spark = { ...v.spark, authenticate: false }));
  const f = get(allFiles(open, { ...FAKE_SECRETS, sparkAuthSecret: "" }).get("cpu-node1")!, "/etc/spark/conf/spark-defaults.conf");
  assert.deepEqual([f.mode, f.owner, f.secret], ["0644", "root", false]);
  const p = getProperties(f.content);
  for (const k of ["spark.authenticate", "spark.authenticate.secret", "spark.network.crypto.enabled"]) assert.equal(p[k], undefined, k);
  assert.equal(p["spark.master.rest.enabled"], "false");
});

test("Flink: config.yaml per node, units wrap HADOOP_CLASSPATH", () => {
  const plan = planFor("dev");
  const all = allFiles(plan);
  const y2 = parseYaml(get(all.get("cpu-node2")!, "/etc/flink/conf/config.yaml").content) as Record<string, unknown>;
  assert.equal(y2["jobmanager.rpc.address"], "192.168.1.184");
  assert.equal(y2["taskmanager.host"], "192.168.1.185", "each TaskManager advertises its own host");
  assert.equal(y2["taskmanager.bind-host"], "0.0.0.0");
  assert.equal(y2["taskmanager.numberOfTaskSlots"], 2);
  assert.equal(y2["rest.port"], 8081);
  assert.match(
    String(y2["env.java.opts.all"]),
    /^--add-exports=java\.base\/sun\.net\.util=ALL-UNNAMED .*--add-opens=java\.base\/java\.util\.concurrent\.locks=ALL-UNNAMED$/,
  );
  const tm = parseUnit(get(all.get("cpu-node2")!, "/etc/systemd/system/flink-taskmanager.service").content);
  assert.deepEqual(tm.exec, [
    "/bin/bash",
    "-c",
    'export HADOOP_CLASSPATH="$(/opt/hadoop/current/bin/hadoop classpath)"; exec /opt/flink/current/bin/taskmanager.sh start-foreground',
  ]);
  assert.equal(tm.env.FLINK_CONF_DIR, "/etc/flink/conf");
  assert.equal(tm.env.HADOOP_CONF_DIR, "/etc/hadoop/conf");
  const jm = parseUnit(get(all.get("cpu-node1")!, "/etc/systemd/system/flink-jobmanager.service").content);
  assert.match(jm.exec[2], /exec \/opt\/flink\/current\/bin\/jobmanager\.sh start-foreground$/);
});

// ----------------------------------------------------------------------------------------------- systemd
test("systemd quoting: specifiers, variables and quotes survive; bad input is refused", () => {
  assert.equal(systemdQuote("plain"), "plain");
  assert.equal(systemdQuote("a b"), '"a b"');
  assert.equal(systemdQuote("100%"), '"100%%"');
  assert.equal(systemdQuote("$HOME"), '"$$HOME"');
  assert.equal(systemdQuote("$HOME", "environment"), '"$HOME"');
  assert.throws(() => systemdQuote("a\nb"));
  const spec = {
    description: "x 100%",
    user: "u",
    group: "g",
    exec: ["/bin/echo", "a b", `q"\\$%`],
    environment: { A: "1 2", B: `"\\%$` },
  };
  const unit = renderUnit(spec);
  assert.match(unit, /^Description=x 100%%$/m);
  const u = parseUnit(unit);
  assert.deepEqual(u.exec, spec.exec, "ExecStart words round-trip");
  assert.deepEqual(u.env, spec.environment, "Environment values round-trip");
  assert.throws(() => renderUnit({ ...spec, environment: { A: "x\ny" } }), /newline/);
  assert.throws(() => renderUnit({ ...spec, exec: ["echo"] }), /absolute/);
  assert.throws(() => renderUnit({ ...spec, user: "root\nExecStartPre=/bin/evil" }), /not valid/);
  assert.throws(() => renderUnit({ ...spec, environment: { "A B": "1" } }), /environment name/);
});

test("Trino worker role groups: a group's heap, per-node query memory and overrides over trino.*, on its nodes only", () => {
  const plan = planFor("dev", (v) => {
    v.trino = {
      ...v.trino,
      // The group's 8GB per node needs a cluster-wide query memory at least as large.
      queryMaxMemory: "16GB",
      overrides: {
        "config.properties": { "query.max-run-time": "1h", "task.concurrency": 8 },
        "iceberg.properties": { "iceberg.max-partitions-per-writer": 200 },
      },
      workerGroups: {
        big: {
          nodes: ["worker-node3"],
          heap: "16g",
          queryMaxMemoryPerNode: "8GB",
          // Over the cluster's: its own value of a key the cluster sets too, and a key of its own.
          overrides: {
            "config.properties": { "query.max-run-time": "2h" },
            "iceberg.properties": { "iceberg.target-max-file-size": "1GB" },
          },
        },
      },
    };
  });
  const all = allFiles(plan);
  const conf = (n: string) => getProperties(get(all.get(n)!, "/etc/trino/config.properties").content);
  const jvm = (n: string) => get(all.get(n)!, "/etc/trino/jvm.config").content.split("\n");
  const ice = (n: string) => getProperties(get(all.get(n)!, "/etc/trino/catalog/iceberg.properties").content);
  // The group's node: its heap and query memory, its override over the cluster's, the cluster's others kept.
  assert.ok(jvm("worker-node3").includes("-Xmx16g"));
  assert.equal(conf("worker-node3")["query.max-memory-per-node"], "8GB");
  assert.equal(conf("worker-node3")["query.max-run-time"], "2h");
  assert.equal(conf("worker-node3")["task.concurrency"], "8");
  assert.equal(ice("worker-node3")["iceberg.target-max-file-size"], "1GB");
  assert.equal(ice("worker-node3")["iceberg.max-partitions-per-writer"], "200");
  // Every other node: trino.* alone.
  for (const n of ["cpu-node1", "cpu-node2"]) {
    assert.ok(jvm(n).includes(`-Xmx${plan.config.trino.heap}`), n);
    assert.equal(conf(n)["query.max-memory-per-node"], plan.config.trino.queryMaxMemoryPerNode, n);
    assert.equal(conf(n)["query.max-run-time"], "1h", n);
    assert.equal(ice(n)["iceberg.target-max-file-size"], undefined, n);
  }
  assert.equal(svc(plan, "trino@worker-node3").trino!.group, "big");
  assert.equal(svc(plan, "trino@cpu-node2").trino!.group, undefined);
  // No groups: exactly what the cluster-level settings render (the goldens above hold that too).
  const plain = planFor("dev");
  assert.equal(svc(plain, "trino@worker-node3").trino!.heap, plain.config.trino.heap);
});

test("Spark worker and Flink TaskManager role groups: a group's settings and overrides over spark.* / flink.*, on its nodes only", () => {
  const plan = planFor("dev", (v) => {
    v.spark = {
      ...v.spark,
      overrides: { "spark-defaults.conf": { "spark.sql.shuffle.partitions": 16 } },
      workerGroups: {
        small: {
          nodes: ["worker-node3"],
          workerCores: 1,
          workerMemory: "1g",
          overrides: { "spark-defaults.conf": { "spark.sql.shuffle.partitions": 4 } },
        },
      },
    };
    v.flink = {
      ...v.flink,
      taskManagerGroups: {
        wide: { nodes: ["cpu-node2"], taskSlots: 5, overrides: { "config.yaml": { "taskmanager.network.memory.fraction": 0.2 } } },
      },
    };
  });
  const all = allFiles(plan);
  const env = (n: string) => get(all.get(n)!, "/etc/spark/conf/spark-env.sh").content;
  const defaults = (n: string) => getProperties(get(all.get(n)!, "/etc/spark/conf/spark-defaults.conf").content);
  const flink = (n: string) => parseYaml(get(all.get(n)!, "/etc/flink/conf/config.yaml").content) as Record<string, unknown>;
  assert.match(env("worker-node3"), /^export SPARK_WORKER_CORES='1'$/m);
  assert.match(env("worker-node3"), /^export SPARK_WORKER_MEMORY='1g'$/m);
  assert.equal(defaults("worker-node3")["spark.sql.shuffle.partitions"], "4");
  // The worker's unit passes cores and memory as flags (they win over spark-env.sh): the group's there too.
  const unit = (n: string) => get(all.get(n)!, "/etc/systemd/system/spark-worker.service").content;
  assert.match(unit("worker-node3"), /--cores 1 --memory 1g /);
  assert.match(unit("cpu-node2"), new RegExp(`--cores ${plan.config.spark.workerCores} --memory ${plan.config.spark.workerMemory} `));
  assert.equal(flink("cpu-node2")["taskmanager.numberOfTaskSlots"], 5);
  assert.equal(flink("cpu-node2")["taskmanager.network.memory.fraction"], 0.2);
  for (const n of ["cpu-node1", "cpu-node2"]) {
    assert.match(env(n), new RegExp(`^export SPARK_WORKER_CORES='${plan.config.spark.workerCores}'$`, "m"), n);
    assert.equal(defaults(n)["spark.sql.shuffle.partitions"], "16", n);
  }
  for (const n of ["cpu-node1", "worker-node3"]) {
    assert.equal(flink(n)["taskmanager.numberOfTaskSlots"], plan.config.flink.taskSlots, n);
    assert.equal(flink(n)["taskmanager.network.memory.fraction"], undefined, n);
  }
});

test("the review reads a file in its declared format, else by its name's extension: spark-defaults.conf as Java properties", () => {
  const n1 = allFiles(planFor("dev")).get("cpu-node1")!;
  const spark = get(n1, "/etc/spark/conf/spark-defaults.conf");
  assert.equal(spark.format, "properties", "a .conf name does not tell its format: the file declares it");
  assert.equal(formatOf(spark.path), undefined);
  const view = reviewView([spark], undefined, "key")[spark.path];
  assert.deepEqual(view, { mode: `${spark.mode} ${spark.owner}:${spark.group}`, entries: { ...getProperties(spark.content) } });
  // Without the declaration it would be shown line by line.
  assert.ok("lines" in reviewView([{ ...spark, format: undefined }], undefined, "key")[spark.path]);
  // By name: the Hadoop client's XML, Trino's properties.
  const core = get(n1, "/etc/hadoop/conf/core-site.xml");
  assert.equal(core.format, undefined);
  assert.deepEqual(fileEntries(core.path, core.content), xmlPairs(core.content));
  const trinoNode = get(n1, "/etc/trino/node.properties");
  assert.deepEqual(fileEntries(trinoNode.path, trinoNode.content), { ...getProperties(trinoNode.content) });
});

/** Every instance's process spec (its descriptor's `process`), for the instances that have one. */
const processes = (plan: Plan): Array<{ s: ServicePlan; spec: ProcessSpec }> =>
  plan.services.flatMap((s) => {
    const spec = descriptorOf(s.kind).process?.(plan, s);
    return spec ? [{ s, spec }] : [];
  });

test("every instance on a JDK has a process spec with its JVM, and the ports of its roles", () => {
  for (const stack of ["dev", "prod"] as const) {
    const plan = planFor(stack);
    const specs = processes(plan);
    assert.deepEqual(
      plan.services.filter((s) => s.jdk).map((s) => s.id),
      specs.filter(({ spec }) => spec.jvm).map(({ s }) => s.id),
      `${stack}: a JVM without a spec would miss an option added for every JVM`,
    );
    for (const { s, spec } of specs) {
      const unit = renderServiceFiles(plan, s, FAKE_SECRETS).find((f) => f.path === `/etc/systemd/system/${s.unit}.service`);
      assert.ok(unit, `${s.id}: its unit`);
      assert.ok(unit.content.includes(`\nDescription=${spec.description}\n`), `${s.id}: its unit renders its spec`);
      assert.equal(new Set(spec.ports.map((p) => p.port)).size, spec.ports.length, `${s.id}: each port once`);
    }
    const ports = (id: string) => specs.find(({ s }) => s.id === id)?.spec.ports;
    assert.deepEqual(
      ports("namenode@cpu-node1"),
      descriptorOf("namenode").ports(plan.config, "namenode"),
      `${stack}: the NameNode's ports`,
    );
    // A Trino coordinator that also works is one process: its worker role's port (the same one) counted once.
    const coordinator = specs.find(({ s }) => s.trino?.coordinator && s.trino.schedulesWork);
    if (coordinator)
      assert.deepEqual(
        coordinator.spec.ports,
        descriptorOf("trino").ports(plan.config, "trino-coordinator"),
        `${stack}: a working coordinator's ports`,
      );
  }
});

test("one JVM option for every JVM (Plan.jvmOptions) reaches each instance through its carrier, and nothing else changes", () => {
  const agent = "-javaagent:/opt/lakehouse/agent.jar=9404";
  const escaped = agent.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  for (const stack of ["dev", "prod", "kerberos"] as const) {
    const plan =
      stack === "kerberos"
        ? planFor("dev", (v) => {
            v.nodes[0].roles.push("kdc");
            v.kerberos = { ...(v.kerberos ?? {}), enabled: true, realm: "LAB.LAKEHOUSE" };
          })
        : planFor(stack);
    const base = allFiles(plan);
    assert.deepEqual(allFiles({ ...plan, jvmOptions: [] }), base, `${stack}: no option of the cluster's, the same files`);
    const withAgent = allFiles({ ...plan, jvmOptions: [agent] });
    const carriers = new Set<string>();
    const carriersSeen = new Set<string>();
    for (const { s, spec } of processes(plan)) {
      const jvm = spec.jvm;
      if (!jvm) continue;
      const files = withAgent.get(s.node)!;
      const where = `${stack} ${s.id}`;
      carriersSeen.add(jvm.carrier.kind);
      switch (jvm.carrier.kind) {
        case "environment": {
          const unit = get(files, `/etc/systemd/system/${s.unit}.service`);
          assert.match(unit.content, new RegExp(`^Environment="?${jvm.carrier.variable}=(.* )?${escaped}"?$`, "m"), where);
          carriers.add(`${s.node}:${unit.path}`);
          break;
        }
        case "file": {
          const carried = get(files, jvm.carrier.path);
          assert.equal(carried.content.split("\n").filter((l) => l === agent).length, 1, where);
          carriers.add(`${s.node}:${carried.path}`);
          break;
        }
        case "config": {
          const carried = get(files, jvm.carrier.file);
          assert.equal(parseYaml(carried.content)[jvm.carrier.key], agent, where);
          carriers.add(`${s.node}:${carried.path}`);
          break;
        }
      }
    }
    assert.deepEqual([...carriersSeen].sort(), ["config", "environment", "file"], `${stack}: every kind of carrier covered`);
    // The option changes the carriers' files only.
    for (const [node, files] of withAgent)
      for (const f of files) {
        const before = get(base.get(node)!, f.path);
        if (f.content !== before.content) assert.ok(carriers.has(`${node}:${f.path}`), `${stack} ${node}:${f.path} changed`);
      }
  }
});

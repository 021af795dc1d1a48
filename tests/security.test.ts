/** The stack output `security`: the mode, said loudly when open, and what the config enforces or weakens. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { securityPosture } from "../lib/security";
import { DESCRIPTORS, SERVICE_KEYS, SERVICES, type ServiceKey } from "../services";
import { planFor } from "./helpers/stacks";

test("an open cluster says so loudly; the defaults enforce every protection the program has and weaken none", () => {
  const p = securityPosture(planFor("dev"));
  assert.equal(p.mode, "open");
  assert.match(p.warning, /^OPEN CLUSTER: no Kerberos\. HDFS believes any user name/);
  assert.deepEqual(p.weakened, []);
  const all = p.enforced.join("\n");
  assert.match(all, /HDFS: only hdfs and group hdfsadmin are superusers; the engines act as hive, which owns \/lakehouse\/\*/);
  assert.match(all, /PostgreSQL: network clients over TLS only/);
  assert.match(all, /Metastore: Thrift over TLS \(its node's certificate; Trino, Spark and Flink verify it against the cluster CA\)/);
  assert.match(all, /Spark: every driver authenticates/);
  assert.match(all, /Flink: REST bound to the JobManager's address, jar upload off/);
  assert.match(all, /Trino: clients over HTTPS \(port 8443, .*\) with a password of trino\.users; file-based access control/);
});

test("each protection switched off moves from enforced to weakened, naming its key", () => {
  const p = securityPosture(
    planFor("dev", (v) => {
      v.postgres = { ...v.postgres, ssl: false };
      v.spark = { ...v.spark, authenticate: false };
      v.flink = { ...v.flink, webSubmit: true };
      v.trino = { ...v.trino, authentication: "none" };
      v.metastore = { ...v.metastore, security: { ssl: false } };
    }),
  );
  assert.equal(p.weakened.length, 5);
  assert.match(p.weakened[0], /postgres\.ssl is false/);
  assert.match(p.weakened[1], /metastore\.security\.ssl is false/);
  assert.match(p.weakened[2], /trino\.authentication is none/);
  assert.match(p.weakened[3], /spark\.authenticate is false/);
  assert.match(p.weakened[4], /flink\.webSubmit is true/);
  assert.ok(
    !p.enforced.some((e) => /TLS only|Thrift over TLS|authenticates|jar upload off|with a password/.test(e)),
    p.enforced.join("\n"),
  );
  // An engine that is switched off is neither.
  const noSpark = securityPosture(
    planFor("dev", (v) => {
      v.spark = { ...v.spark, enabled: false, authenticate: false };
      v.nodes = v.nodes.map((n: { roles: string[] }) => ({ ...n, roles: n.roles.filter((r) => !r.startsWith("spark-")) }));
    }),
  );
  assert.ok(![...noSpark.enforced, ...noSpark.weakened].some((x) => x.startsWith("Spark")));
});

test("with your own CA, the TLS line says whose CA signs the nodes", () => {
  const own = securityPosture(
    planFor(
      "dev",
      (v) => {
        v.tls = { caCertificate: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" };
        v.tlsCaKey = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";
      },
      ["sshPrivateKey", "tlsCaKey"],
    ),
  );
  assert.ok(
    own.enforced.some((e) => /^TLS: your CA \(tls\.caCertificate; its key the secret tlsCaKey, installed on cpu-node1 alone\)/.test(e)),
  );
  assert.ok(securityPosture(planFor("dev")).enforced.some((e) => /^TLS: a cluster CA \(its key on cpu-node1, never copied\)/.test(e)));
});

test("the cluster's lines come first, then each service's that is on, grouped in the registry's order; one service decides the mode", () => {
  // A service's lines start with its name; the order of the registry (services/sections.ts).
  const prefixes: Record<string, ServiceKey> = {
    Kerberos: "kerberos",
    PostgreSQL: "postgres",
    HDFS: "hdfs",
    Metastore: "metastore",
    Trino: "trino",
    Spark: "spark",
    Flink: "flink",
  };
  const weak = (v: Record<string, any>) => {
    v.postgres = { ...v.postgres, ssl: false };
    v.spark = { ...v.spark, authenticate: false };
    v.trino = { ...v.trino, authentication: "none" };
  };
  for (const plan of [planFor("dev"), planFor("prod"), planFor("dev", weak)]) {
    const p = securityPosture(plan);
    assert.match(p.enforced[0], /^TLS: /);
    assert.match(p.enforced[1], /^secret-bearing files /);
    for (const kind of ["enforced", "weakened"] as const) {
      const lines = kind === "enforced" ? p.enforced.slice(2) : p.weakened;
      const keys = lines.map((l) => prefixes[l.slice(0, l.indexOf(":"))]);
      keys.forEach((k, i) => {
        assert.ok(k, `${lines[i]}: no service's line`);
        assert.ok(SERVICES[k].security!(plan)[kind].includes(lines[i]), `${lines[i]}: not ${k}'s own`);
        if (i > 0) assert.ok(SERVICE_KEYS.indexOf(keys[i - 1]) <= SERVICE_KEYS.indexOf(k), `${lines[i]} after ${lines[i - 1]}`);
      });
    }
  }
  assert.deepEqual(
    DESCRIPTORS.filter((d) => d.securityMode).map((d) => d.section.key),
    ["kerberos"],
  );
});

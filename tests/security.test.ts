/** The stack output `security`: the mode, said loudly when open, and what the config enforces or weakens. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { securityPosture } from "../lib/security";
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
  assert.match(p.weakened[0], /metastore\.security\.ssl is false/);
  assert.match(p.weakened[1], /postgres\.ssl is false/);
  assert.match(p.weakened[2], /spark\.authenticate is false/);
  assert.match(p.weakened[3], /trino\.authentication is none/);
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

/**
 * Kerberos (services/kerberos): its config's refusals, its plan (the KDC, packages, keytabs), its files, and the
 * program under mocks (the KDC's steps and each node's keytabs, passwords on stdin only, the order that lets
 * every service find its keytab).
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { planFor, problems, stackValues } from "./helpers/stacks";
import { keytabsOf } from "../services/kerberos/client";
import { kdcConf, krb5Conf } from "../services/kerberos/files";
import { securityPosture } from "../lib/security";
import { ProgramResult, isSecretValue, runProgram } from "../lab/mock-program";
import { dependsOn, find } from "./helpers/graph";
import { FAKE_SECRETS } from "./helpers/stacks";
import { coreSiteEntries, hdfsSiteEntries, sslServerFile, HDFS_KEYSTORE } from "../services/hdfs/files";
import { hiveSiteEntries } from "../services/metastore/files";
import { hiveClientEntries } from "../services/metastore/client";
import { trinoCatalogEntries } from "../services/trino/files";
import { renderNodeFiles, renderServiceFiles } from "../config-templates";
import { flinkConfigEntries, flinkKeystorePassword } from "../services/flink/files";
import { sparkDefaultsEntries } from "../services/spark/files";
import { smokeTestCall } from "../components/stages/smoke-test";
import { ConfigError, validateConfig } from "../lib/config";

const pairs = (e: Array<[string, unknown]>) => Object.fromEntries(e.map(([k, v]) => [k, String(v)]));

/** Kerberos on, the KDC on cpu-node1, the whole dev stack (Spark and Flink included). */
const on = (v: Record<string, any>) => {
  v.kerberos = { enabled: true };
  v.nodes[0].roles.push("kdc");
};
const ADMIN_PW = "user-given-kerberos-admin-pw";

test("refused before anything is made, naming the key", () => {
  const has = (patch: (v: Record<string, any>) => void, re: RegExp, secretKeys?: string[]) => {
    const ps = problems(patch, secretKeys);
    assert.ok(
      ps.some((p) => re.test(p)),
      `expected ${re} in:\n${ps.join("\n")}`,
    );
  };
  has((v) => (v.kerberos = { enabled: true }), /^kerberos\.enabled: needs a node with the kdc role/);
  has((v) => {
    on(v);
    v.nodes[1].roles.push("kdc");
  }, /at most one node may have role "kdc"; found 2/);
  has(
    (v) => {
      on(v);
      v.kerberos.external = { kdcs: ["kdc.example.com:88"], adminServer: "kdc.example.com" };
      v.kerberosAdminPassword = ADMIN_PW;
    },
    /^kerberos\.external: .*no node may have the kdc role \(nodes\[0\]\)/,
    ["sshPrivateKey", "kerberosAdminPassword"],
  );
  has(
    (v) => (v.kerberos = { enabled: true, external: { kdcs: ["kdc.example.com"], adminServer: "kdc.example.com" } }),
    /^kerberosAdminPassword: kerberos\.external needs/,
  );
  has((v) => (on(v), (v.kerberos.realm = "lakehouse.lan")), /kerberos\.realm/);
  has((v) => (on(v), (v.kerberos.encryptionTypes = ["rc4-hmac"])), /kerberos\.encryptionTypes/);
  has((v) => (on(v), (v.kerberos.ticketLifetime = "forever")), /kerberos\.ticketLifetime/);
  has((v) => (on(v), (v.kerberos.kdcPort = 22)), /kerberos\.kdcPort.*\b22\b|\b22\b.*kerberos\.kdcPort/);
  // TLS under the metastore's SASL: Spark's Hive client cannot speak it (the Thrift is encrypted by SASL instead).
  has(
    (v) => (on(v), (v.metastore = { security: { ssl: true } })),
    /^metastore\.security\.ssl: not with kerberos\.enabled\. .*\(privacy\).*2\.3\.9/,
  );
  // A password given in plain text is refused like every other secret.
  has((v) => (on(v), (v.kerberosAdminPassword = ADMIN_PW)), /kerberosAdminPassword/);
  // And the accepted shapes pass.
  assert.throws(() => problems(on), /validated/);
  assert.throws(
    () =>
      problems(
        (v) => {
          v.kerberos = {
            enabled: true,
            external: { kdcs: ["kdc1.example.com:88", "kdc2.example.com"], adminServer: "kdc1.example.com:749" },
          };
          v.kerberosAdminPassword = ADMIN_PW;
        },
        ["sshPrivateKey", "kerberosAdminPassword"],
      ),
    /validated/,
  );
});

test("plan: the KDC first, on its node, as root from Debian's units; every node has the client tools", () => {
  const plan = planFor("dev", on);
  assert.equal(plan.services[0].id, "kdc@cpu-node1");
  assert.equal(plan.services[0].unit, "krb5-kdc");
  assert.deepEqual(plan.endpoints.kerberos, { realm: "LAKEHOUSE.LAN", kdcs: ["192.168.1.184:88"], adminServer: "192.168.1.184:749" });
  for (const n of plan.nodes) {
    assert.ok(n.packages.includes("krb5-user"), n.name);
    assert.equal(n.packages.includes("krb5-kdc"), n.name === "cpu-node1", n.name);
    assert.ok(!n.users.includes("root"), `${n.name}: root is not a service user to create`);
  }
  assert.ok(plan.nodes[0].dirs.some((d) => d.path === "/var/lib/krb5kdc" && d.mode === "0700" && d.owner === "root"));
  // Off (the default), nothing of it.
  const off = planFor("dev");
  assert.ok(!off.services.some((s) => s.kind === "kdc"));
  assert.ok(!off.nodes.some((n) => n.packages.some((p) => p.startsWith("krb5"))));
  assert.equal(off.endpoints.kerberos, undefined);
  assert.deepEqual(keytabsOf(off, off.nodes[0]), []);
});

test("keytabs: one per service user and node, with that user's principals on that node", () => {
  const plan = planFor("dev", on);
  const of = (name: string) =>
    Object.fromEntries(
      keytabsOf(
        plan,
        plan.nodes.find((n) => n.name === name)!,
      ).map((k) => [k.user, k]),
    );
  const n1 = of("cpu-node1");
  assert.deepEqual(Object.keys(n1).sort(), ["flink", "hdfs", "hive", "spark", "trino"]);
  assert.deepEqual(n1.spark.principals, ["spark/cpu-node1@LAKEHOUSE.LAN"], "master and worker: one principal");
  assert.deepEqual(n1.hdfs.principals, ["HTTP/cpu-node1@LAKEHOUSE.LAN", "dn/cpu-node1@LAKEHOUSE.LAN", "nn/cpu-node1@LAKEHOUSE.LAN"]);
  assert.equal(n1.hdfs.path, "/etc/security/keytabs/hdfs.keytab");
  const n3 = of("worker-node3");
  assert.deepEqual(n3.hdfs.principals, ["HTTP/worker-node3@LAKEHOUSE.LAN", "dn/worker-node3@LAKEHOUSE.LAN"]);
  assert.equal(n3.hive, undefined, "no metastore on worker-node3, no hive keytab");
  // A node's keytab follows its roles: Trino off, no trino keytab anywhere.
  const noTrino = planFor("dev", (v) => {
    on(v);
    v.trino = { ...(v.trino ?? {}), enabled: false };
    for (const n of v.nodes) n.roles = n.roles.filter((r: string) => !r.startsWith("trino-"));
  });
  for (const n of noTrino.nodes) assert.ok(!keytabsOf(noTrino, n).some((k) => k.user === "trino"), n.name);
});

test("files: krb5.conf names the realm's KDCs and admin server, by address, over TCP; kdc.conf keeps the database in one directory", () => {
  const plan = planFor("dev", (v) => {
    on(v);
    v.kerberos.realm = "EXAMPLE.ORG";
    v.kerberos.databaseDir = "/srv/krb5kdc";
  });
  const k = krb5Conf(plan);
  assert.match(k, /^\s+default_realm = EXAMPLE\.ORG$/m);
  assert.match(k, /^\s+EXAMPLE\.ORG = \{\n\s+kdc = 192\.168\.1\.184:88\n\s+admin_server = 192\.168\.1\.184:749\n\s+\}$/m);
  assert.match(k, /^\s+udp_preference_limit = 1$/m);
  assert.match(k, /^\s+rdns = false$/m);
  const d = kdcConf(plan);
  assert.match(d, /database_name = \/srv\/krb5kdc\/principal$/m);
  assert.match(d, /key_stash_file = \/srv\/krb5kdc\/\.k5\.EXAMPLE\.ORG$/m);
  assert.doesNotMatch(d, /des|rc4/i);
  // An external realm: its KDCs, in order, and no KDC of the stack's.
  const ext = planFor(
    "dev",
    (v) => {
      v.kerberos = { enabled: true, external: { kdcs: ["kdc1.corp:88", "kdc2.corp"], adminServer: "kdc1.corp:749" } };
      v.kerberosAdminPassword = ADMIN_PW;
    },
    ["sshPrivateKey", "kerberosAdminPassword"],
  );
  assert.match(krb5Conf(ext), /kdc = kdc1\.corp:88\n\s+kdc = kdc2\.corp\n\s+admin_server = kdc1\.corp:749/);
  assert.ok(!ext.services.some((s) => s.kind === "kdc"));
});

test("the security output says the cluster runs in Kerberos mode, and what that enforces", () => {
  const p = securityPosture(planFor("dev", on));
  assert.equal(p.mode, "kerberos");
  assert.ok(p.enforced.some((e) => /^Kerberos: realm LAKEHOUSE\.LAN \(KDC and kadmind on cpu-node1/.test(e)));
  assert.ok(p.enforced.some((e) => /^HDFS: Kerberos for every client/.test(e)));
  assert.ok(p.enforced.some((e) => /^Metastore: Thrift with SASL \(Kerberos\) only, encrypted/.test(e)));
  assert.ok(p.enforced.some((e) => /^Flink: .*internal RPC, blob and data connections TLS/.test(e)));
  assert.doesNotMatch(p.warning, /OPEN CLUSTER|Not yet/);
  assert.match(securityPosture(planFor("dev")).warning, /^OPEN CLUSTER/);
});

let krb: ProgramResult;
let ext: ProgramResult;
before(() => {
  const v = stackValues("dev") as Record<string, any>;
  on(v);
  krb = runProgram("dev", v, ["sshPrivateKey"]);
  const e = stackValues("dev") as Record<string, any>;
  e.kerberos = { enabled: true, external: { kdcs: ["kdc.corp:88"], adminServer: "kdc.corp:749" } };
  e.kerberosAdminPassword = ADMIN_PW;
  ext = runProgram("dev", e, ["sshPrivateKey", "kerberosAdminPassword"]);
  for (const r of [krb, ext]) assert.equal(r.error, undefined, r.error);
});

test("program: the realm is made once and kept on delete; passwords travel on stdin only, as secrets", () => {
  const realm = find(krb, "kdc-cpu-node1-realm");
  assert.equal(realm.retainOnDelete, true);
  assert.ok(isSecretValue(realm.inputs.stdin));
  assert.doesNotMatch(String(realm.inputs.create), /password|master/i);
  const keytabs = find(krb, "cpu-node2-kerberos-keytabs");
  assert.ok(isSecretValue(keytabs.inputs.stdin));
  assert.equal(keytabs.inputs.logging, "none");
  assert.match(String(keytabs.inputs.create), /hdfs:HTTP\/cpu-node2@LAKEHOUSE\.LAN,dn\/cpu-node2@LAKEHOUSE\.LAN/);
  // The user's admin password reaches the keytab steps, only wrapped as a secret.
  const k = find(ext, "cpu-node2-kerberos-keytabs");
  assert.ok(JSON.stringify(k.inputs.stdin).includes(ADMIN_PW));
  for (const res of ext.resources)
    for (const s of [ADMIN_PW, ...ext.secrets])
      assert.ok(
        !JSON.stringify(res.inputs)
          .replace(/"ciphertext":"[^"]*"/g, "")
          .includes(s) || isSecretValue(res.inputs.stdin),
        `${res.name}`,
      );
  assert.ok(!ext.resources.some((x) => /kdc-/.test(x.name)), "an external realm deploys no KDC");
});

test("program: keytabs after kadmind answers and the node is prepared; every service after its node's keytabs", () => {
  assert.ok(dependsOn(krb, "cpu-node2-kerberos-keytabs", "kdc-cpu-node1-kadmind-roll"));
  assert.ok(dependsOn(krb, "cpu-node2-kerberos-keytabs", "cpu-node2-prep"));
  assert.ok(dependsOn(krb, "cpu-node2-kerberos-keytabs", "cpu-node2-kerberos-krb5-write"));
  assert.ok(dependsOn(krb, "kdc-cpu-node1-kadmind-start", "kdc-cpu-node1-roll"));
  for (const s of ["datanode-cpu-node2-start", "namenode-cpu-node1-start", "metastore-cpu-node1-start"])
    assert.ok(dependsOn(krb, s, `${s.split("-").slice(1, -1).join("-")}-kerberos-keytabs`), s);
  assert.ok(!dependsOn(krb, "kdc-cpu-node1-start", "cpu-node1-kerberos-keytabs"), "the KDC must not wait for keytabs it makes");
});

test("HDFS with Kerberos: authentication, encryption, HTTPS only on the same ports, SPNEGO on every web endpoint", () => {
  const plan = planFor("dev", on);
  const core = pairs(coreSiteEntries(plan));
  assert.equal(core["hadoop.security.authentication"], "kerberos");
  assert.equal(core["hadoop.security.authorization"], "true");
  assert.equal(core["hadoop.rpc.protection"], "privacy");
  const rules = core["hadoop.security.auth_to_local"].split("\n");
  assert.ok(rules.includes("RULE:[2:$1@$0](nn@LAKEHOUSE\\.LAN)s/.*/hdfs/"), rules.join("\n"));
  assert.ok(rules.includes("RULE:[2:$1@$0](trino@LAKEHOUSE\\.LAN)s/.*/hive/"), "the engines act as warehouse.owner");
  assert.equal(rules.at(-1), "DEFAULT");
  const site = pairs(hdfsSiteEntries(plan));
  assert.equal(site["dfs.namenode.kerberos.principal"], "nn/_HOST@LAKEHOUSE.LAN");
  assert.equal(site["dfs.datanode.keytab.file"], "/etc/security/keytabs/hdfs.keytab");
  assert.equal(site["dfs.block.access.token.enable"], "true");
  assert.equal(site["dfs.data.transfer.protection"], "privacy");
  assert.equal(site["dfs.http.policy"], "HTTPS_ONLY");
  assert.equal(site["dfs.namenode.https-address"], `192.168.1.184:${plan.config.hdfs.nameNodeHttpPort}`);
  assert.equal(core["hadoop.http.authentication.type"], "kerberos", "every web endpoint, WebHDFS and /jmx too, wants SPNEGO");
  assert.equal(core["hadoop.http.authentication.simple.anonymous.allowed"], "false");
  // The keystore password file: on HDFS nodes only, the HDFS user's alone, marked secret.
  const n1 = renderNodeFiles(plan, plan.nodes[0], FAKE_SECRETS).hadoop!;
  const ssl = n1.find((f) => f.path.endsWith("/ssl-server.xml"))!;
  assert.ok(ssl, "ssl-server.xml on an HDFS node");
  assert.deepEqual([ssl.mode, ssl.owner, ssl.secret], ["0600", "hdfs", true]);
  assert.match(ssl.content, new RegExp(HDFS_KEYSTORE));
  assert.equal(sslServerFile(plan, FAKE_SECRETS).content, ssl.content);
  // The health checks: HTTPS, verified against the cluster CA.
  const nn = plan.services.find((x) => x.kind === "namenode")!;
  assert.equal(nn.health.kind, "http");
  if (nn.health.kind === "http") {
    assert.match(nn.health.url, /^https:\/\/cpu-node1:/, "by name: SPNEGO asks for HTTP/<the URL's host>");
    assert.equal(nn.health.ca, "/etc/lakehouse/tls/ca.crt");
    assert.equal(nn.health.spnego, "/etc/security/keytabs/hdfs.keytab:nn/cpu-node1@LAKEHOUSE.LAN");
  }
  // Open mode: none of it.
  const open = planFor("dev");
  assert.equal(pairs(coreSiteEntries(open))["hadoop.security.authentication"], undefined);
  assert.equal(pairs(hdfsSiteEntries(open))["dfs.http.policy"], undefined);
  assert.ok(!renderNodeFiles(open, open.nodes[0], FAKE_SECRETS).hadoop!.some((f) => f.path.endsWith("/ssl-server.xml")));
});

test("metastore and Trino with Kerberos: SASL as hive/<its node>; each catalog logs in as trino/_HOST", () => {
  const plan = planFor("dev", on);
  const server = pairs(hiveSiteEntries(plan, FAKE_SECRETS));
  assert.equal(server["hive.metastore.sasl.enabled"], "true");
  assert.equal(server["hive.metastore.kerberos.principal"], "hive/_HOST@LAKEHOUSE.LAN");
  assert.equal(server["hive.metastore.kerberos.keytab.file"], "/etc/security/keytabs/hive.keytab");
  // The metastore impersonates its clients on HDFS: from its node, as the warehouse owner only.
  const core = pairs(coreSiteEntries(plan));
  assert.equal(core["hadoop.proxyuser.hive.hosts"], "192.168.1.184");
  assert.equal(core["hadoop.proxyuser.hive.users"], "hive");
  assert.equal(core["hadoop.proxyuser.hive.groups"], undefined);
  assert.equal(pairs(hiveClientEntries(plan))["hive.metastore.kerberos.principal"], "hive/cpu-node1@LAKEHOUSE.LAN");
  for (const cat of ["iceberg", "delta", "hive"] as const) {
    const e = pairs(trinoCatalogEntries(plan, cat));
    assert.equal(e["hive.metastore.authentication.type"], "KERBEROS", cat);
    assert.equal(e["hive.metastore.service.principal"], "hive/cpu-node1@LAKEHOUSE.LAN", cat);
    assert.equal(e["hive.metastore.client.principal"], "trino/_HOST@LAKEHOUSE.LAN", cat);
    assert.equal(e["hive.hdfs.authentication.type"], "KERBEROS", cat);
    assert.equal(e["hive.hdfs.trino.keytab"], "/etc/security/keytabs/trino.keytab", cat);
    assert.equal(e["hive.hdfs.wire-encryption.enabled"], "true", cat);
  }
  assert.equal(pairs(trinoCatalogEntries(planFor("dev"), "iceberg"))["hive.metastore.authentication.type"], undefined);
  // The Thrift channel is encrypted by SASL (QOP auth-conf): the server demands it, and every client asks for it in
  // its own file (Trino's wire-encryption above, Flink's client hive-site.xml, Spark's defaults).
  assert.equal(server["hadoop.rpc.protection"], "privacy");
  assert.equal(pairs(hiveClientEntries(plan))["hadoop.rpc.protection"], "privacy");
  assert.equal(pairs(sparkDefaultsEntries(plan, FAKE_SECRETS))["spark.hadoop.hadoop.rpc.protection"], "privacy");
  const open = planFor("dev");
  assert.equal(pairs(hiveSiteEntries(open, FAKE_SECRETS))["hadoop.rpc.protection"], undefined);
  assert.equal(pairs(hiveClientEntries(open))["hadoop.rpc.protection"], undefined);
  assert.equal(pairs(sparkDefaultsEntries(open, FAKE_SECRETS))["spark.hadoop.hadoop.rpc.protection"], undefined);
});

test("program: each Flink node's REST keystore and truststore, made there once, password on stdin, before its services", () => {
  for (const n of ["cpu-node1", "cpu-node2", "worker-node3"]) {
    const ks = find(krb, `${n}-flink-tls-keystore`);
    assert.match(
      String(ks.inputs.create),
      /tls-keystore-[0-9a-f]+\.sh 'p12' '\/etc\/lakehouse\/tls' '\/etc\/flink\/tls\/flink\.p12' 'flink'/,
    );
    const ts = find(krb, `${n}-flink-tls-truststore`);
    assert.match(
      String(ts.inputs.create),
      /tls-keystore-[0-9a-f]+\.sh 'truststore' '\/etc\/lakehouse\/tls' '\/etc\/flink\/tls\/truststore\.p12' 'flink' '[0-9a-f]*' '\/usr\/lib\/jvm\//,
    );
    for (const r of [ks, ts]) {
      assert.ok(isSecretValue(r.inputs.stdin), r.name);
      assert.doesNotMatch(String(r.inputs.create), new RegExp(flinkKeystorePassword(FAKE_SECRETS)));
    }
    assert.ok(dependsOn(krb, `flink-taskmanager-${n}-start`, `${n}-flink-tls-truststore`), n);
  }
  assert.ok(dependsOn(krb, "flink-jobmanager-cpu-node1-start", "cpu-node1-flink-tls-truststore"));
  assert.equal(krb.resources.filter((r) => /-flink-tls-keystore$/.test(r.name)).length, 3, "one per node, not one per service");
});

test("program: each HDFS daemon's keystore is made on its node, with the password on stdin, before it starts", () => {
  for (const n of ["namenode-cpu-node1", "datanode-cpu-node2"]) {
    const ks = find(krb, `${n}-keystore`);
    assert.match(
      String(ks.inputs.create),
      /tls-keystore-[0-9a-f]+\.sh 'p12' '\/etc\/lakehouse\/tls' '\/etc\/hadoop\/tls\/hdfs\.p12' 'hdfs'/,
    );
    assert.ok(isSecretValue(ks.inputs.stdin), n);
    assert.ok(dependsOn(krb, `${n}-start`, `${n}-keystore`), n);
  }
  assert.match(String(find(krb, "warehouse-dirs").inputs.create), /\/etc\/security\/keytabs\/hdfs\.keytab/);
});

test("Spark and Flink with Kerberos: drivers and Flink's processes log in; executors get their node's HDFS token", () => {
  const plan = planFor("dev", on);
  const n2 = plan.nodes.find((n) => n.name === "cpu-node2")!;
  // Flink: every process on a Flink node logs in from that node's flink keytab; no delegation tokens.
  const flink = pairs(flinkConfigEntries(plan, n2, FAKE_SECRETS));
  assert.equal(flink["security.kerberos.login.keytab"], "/etc/security/keytabs/flink.keytab");
  assert.equal(flink["security.kerberos.login.principal"], "flink/cpu-node2@LAKEHOUSE.LAN");
  assert.equal(flink["security.kerberos.login.use-ticket-cache"], "false");
  assert.equal(flink["security.delegation.tokens.enabled"], "false");
  // Its REST endpoint: HTTPS with client certificates of the cluster CA only; config.yaml holds the stores' password.
  assert.equal(flink["security.ssl.rest.enabled"], "true");
  assert.equal(flink["security.ssl.rest.authentication-enabled"], "true");
  assert.equal(flink["security.ssl.rest.keystore"], "/etc/flink/tls/flink.p12");
  assert.equal(flink["security.ssl.rest.truststore"], "/etc/flink/tls/truststore.p12");
  assert.equal(flink["security.ssl.rest.keystore-password"], flinkKeystorePassword(FAKE_SECRETS));
  assert.doesNotMatch(flink["security.ssl.algorithms"], /TLS_RSA_/, "no suite the JDK disables");
  // Its internal connections (RPC, blobs, data exchange): TLS with the same stores (Flink always authenticates both ends).
  assert.equal(flink["security.ssl.internal.enabled"], "true");
  for (const k of ["keystore", "keystore-password", "key-password", "truststore", "truststore-password"])
    assert.equal(flink[`security.ssl.internal.${k}`], flink[`security.ssl.rest.${k}`], k);
  const conf = renderNodeFiles(plan, n2, FAKE_SECRETS).flink!.find((f) => f.path === "/etc/flink/conf/config.yaml")!;
  assert.deepEqual([conf.mode, conf.owner, conf.secret], ["0600", "flink", true]);
  const jm = plan.services.find((x) => x.kind === "flink-jobmanager")!;
  assert.deepEqual(jm.health.kind === "http" && [jm.health.url, jm.health.ca, jm.health.clientCert], [
    "https://192.168.1.184:8081/overview",
    "/etc/lakehouse/tls/ca.crt",
    "/etc/lakehouse/tls/node.crt:/etc/lakehouse/tls/node.key",
  ]);
  const tm = plan.services.find((x) => x.kind === "flink-taskmanager" && x.node === "cpu-node2")!;
  assert.deepEqual(tm.health.kind === "probe" && tm.health.args, [
    "https://192.168.1.184:8081/taskmanagers",
    "192.168.1.185",
    "/etc/lakehouse/tls/ca.crt",
    "/etc/lakehouse/tls/node.crt",
    "/etc/lakehouse/tls/node.key",
  ]);
  assert.equal(plan.endpoints.flinkUi, "https://192.168.1.184:8081");
  // Spark's drivers reach the metastore with SASL, naming its principal in full.
  const spark = pairs(sparkDefaultsEntries(plan, FAKE_SECRETS, n2));
  assert.equal(spark["spark.hadoop.hive.metastore.sasl.enabled"], "true");
  assert.equal(spark["spark.hadoop.hive.metastore.kerberos.principal"], "hive/cpu-node1@LAKEHOUSE.LAN");
  // A worker fetches its node's token before it starts (after HDFS), and a timer renews it.
  const worker = plan.services.find((x) => x.kind === "spark-worker" && x.node === "cpu-node2")!;
  assert.ok(worker.after.includes("namenode@cpu-node1"), worker.after.join(","));
  const files = renderServiceFiles(plan, worker, FAKE_SECRETS);
  const unit = files.find((f) => f.path === "/etc/systemd/system/spark-worker.service")!.content;
  assert.match(unit, /^ExecStartPre=\/etc\/spark\/conf\/hdfs-token\.sh$/m);
  assert.match(unit, /^Wants=network-online\.target spark-hdfs-token\.timer$/m);
  assert.match(unit, /^Environment=HADOOP_TOKEN_FILE_LOCATION=\/var\/lib\/spark\/work\/hdfs\.token$/m);
  assert.match(unit, /^Environment=SPARK_PRINCIPAL=spark\/cpu-node2@LAKEHOUSE\.LAN$/m);
  const timer = files.find((f) => f.path === "/etc/systemd/system/spark-hdfs-token.timer")!.content;
  assert.match(timer, /^OnUnitActiveSec=28800$/m);
  const oneshot = files.find((f) => f.path === "/etc/systemd/system/spark-hdfs-token.service")!.content;
  assert.match(oneshot, /^Type=oneshot$/m);
  assert.match(oneshot, /^User=spark$/m);
  const script = files.find((f) => f.path === "/etc/spark/conf/hdfs-token.sh")!;
  assert.equal(script.mode, "0755");
  assert.doesNotMatch(script.content, /password|kadmin/i, "a keytab login: no password anywhere");
  assert.match(script.content, /^set -euo pipefail$/m);
  // The smoke test's clients log in from their keytabs on its node; its clean-up as an engine mapped to the owner.
  const call = smokeTestCall(plan);
  const args = String(call.args.join(" "));
  assert.ok(args.includes("/etc/security/keytabs/spark.keytab") && args.includes("/etc/security/keytabs/flink.keytab"), args);
  assert.ok(args.includes("spark:/etc/security/keytabs/spark.keytab"), args);
  // Open mode: none of it.
  const open = planFor("dev");
  const openWorker = open.services.find((x) => x.kind === "spark-worker")!;
  assert.deepEqual(openWorker.after, []);
  assert.equal(renderServiceFiles(open, openWorker, FAKE_SECRETS).length, 1);
  assert.equal(pairs(flinkConfigEntries(open, open.nodes[1], FAKE_SECRETS))["security.kerberos.login.keytab"], undefined);
  assert.equal(pairs(flinkConfigEntries(open, open.nodes[1], FAKE_SECRETS))["security.ssl.rest.enabled"], undefined);
  assert.equal(pairs(flinkConfigEntries(open, open.nodes[1], FAKE_SECRETS))["security.ssl.internal.enabled"], undefined);
  assert.equal(renderNodeFiles(open, open.nodes[1], FAKE_SECRETS).flink!.find((f) => f.path.endsWith("/config.yaml"))!.mode, "0644");
  assert.equal(pairs(sparkDefaultsEntries(open, FAKE_SECRETS))["spark.hadoop.hive.metastore.sasl.enabled"], undefined);
  assert.ok(!smokeTestCall(open).args.some((a) => String(a).includes("keytab")));
});

test("a production stack refuses the open mode before anything is made; the stack prod is one and stays one", () => {
  const prodProblems = (patch: (v: Record<string, any>) => void): string[] => {
    const values = structuredClone(stackValues("prod")) as Record<string, any>;
    patch(values);
    try {
      validateConfig({ values, secretKeys: new Set(["sshPrivateKey"]), stack: "prod" });
      return [];
    } catch (e) {
      assert.ok(e instanceof ConfigError, String(e));
      return e.problems;
    }
  };
  // Pulumi.prod.yaml as committed runs Kerberos, and passes.
  assert.deepEqual(
    prodProblems(() => {}),
    [],
  );
  const open = prodProblems((v) => {
    delete v.kerberos;
    v.nodes[0].roles = v.nodes[0].roles.filter((r: string) => r !== "kdc");
  });
  assert.deepEqual(
    open.filter((p) => p.startsWith("kerberos.enabled:")),
    [open.find((p) => /^kerberos\.enabled: a production stack .* refuses the open security mode/.test(p))],
    open.join("\n"),
  );
  assert.ok(
    prodProblems((v) => (v.production = false)).some((p) => /^production: the stack prod is a production stack/.test(p)),
    "the prod stack turned production off",
  );
  // Any other stack opts in with production: true.
  assert.ok(problems((v) => (v.production = true)).some((p) => /^kerberos\.enabled: a production stack/.test(p)));
  assert.throws(
    () =>
      problems(
        (v) => (
          on(v),
          (v.production = true),
          v.nodes.forEach((n: any, i: number) => (n.hostKey = `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${"x".repeat(43)}${i}`))
        ),
      ),
    /validated/,
  );
  assert.equal(planFor("dev").config.production, false);
});

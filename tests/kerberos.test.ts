/**
 * Kerberos (services/kerberos): its config's refusals, its plan (the KDC, packages, keytabs), its files, and the
 * program under mocks (the KDC's steps and each node's keytabs, passwords on stdin only, the order that lets
 * every service find its keytab).
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { planFor, problems, stackValues } from "./helpers/stacks";
import { keytabsOf } from "../services/kerberos/keytabs";
import { kdcConf, krb5Conf } from "../services/kerberos/files";
import { securityPosture } from "../lib/security";
import { ProgramResult, isSecretValue, runProgram } from "../lab/mock-program";

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

test("the security output says the realm exists and that the services do not use it yet", () => {
  const p = securityPosture(planFor("dev", on));
  assert.equal(p.mode, "open");
  assert.ok(p.enforced.some((e) => /^Kerberos: realm LAKEHOUSE\.LAN \(KDC and kadmind on cpu-node1/.test(e)));
  assert.ok(p.weakened.some((w) => /do not authenticate with them yet/.test(w)));
  assert.ok(!securityPosture(planFor("dev")).enforced.some((e) => /Kerberos/.test(e)));
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

const find = (r: ProgramResult, name: string) => {
  const x = r.resources.find((y) => y.name === name);
  assert.ok(
    x,
    `no resource named ${name}: ${r.resources
      .map((y) => y.name)
      .filter((n) => /kdc|kerberos/.test(n))
      .join(", ")}`,
  );
  return x;
};
function closure(r: ProgramResult, urn: string): Set<string> {
  const deps = new Map(r.resources.map((x) => [x.urn, x.dependencies]));
  const seen = new Set<string>();
  const todo = [...(deps.get(urn) ?? [])];
  while (todo.length) {
    const u = todo.pop()!;
    if (seen.has(u)) continue;
    seen.add(u);
    todo.push(...(deps.get(u) ?? []));
  }
  return seen;
}
const dependsOn = (r: ProgramResult, a: string, b: string) => closure(r, find(r, a).urn).has(find(r, b).urn);

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

/**
 * The Pulumi program under mocks: the resource graph, the dependencies that matter, secrets, scale-out, and a
 * broken stack file. Each program run happens in a child process (lab/mock-program.ts).
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { FAKE_SSH_KEY, stackValues } from "./helpers/stacks";
import { ProgramResult, ResourceRecord, isSecretValue, runProgram } from "../lab/mock-program";
import { dependsOn, find } from "./helpers/graph";

const USER_PG_PASSWORD = "userGivenPgPassw0rd-Secret!";
let dev: ProgramResult;
let prod: ProgramResult;
let devWithPassword: ProgramResult;
let devPlusNode4: ProgramResult;

const NODE4 = { name: "worker-node4", host: "192.168.1.187", roles: ["datanode", "trino-worker", "spark-worker", "flink-taskmanager"] };

before(() => {
  dev = runProgram("dev", stackValues("dev"), ["sshPrivateKey"]);
  prod = runProgram("prod", stackValues("prod"), ["sshPrivateKey"]);
  devWithPassword = runProgram("dev", { ...stackValues("dev"), postgresPassword: USER_PG_PASSWORD }, ["sshPrivateKey", "postgresPassword"]);
  const scaled = stackValues("dev");
  (scaled.nodes as unknown[]).push(NODE4);
  devPlusNode4 = runProgram("dev", scaled, ["sshPrivateKey"]);
  for (const r of [dev, prod, devWithPassword, devPlusNode4]) assert.equal(r.error, undefined, r.error);
});

const byType = (r: ProgramResult, t: string) => r.resources.filter((x) => x.type === t);

test("resource graph: component types and counts per stack", () => {
  const counts = (r: ProgramResult) =>
    Object.fromEntries(
      [
        "lakehouse:index:Lakehouse",
        "lakehouse:index:Host",
        "lakehouse:hdfs:NameNode",
        "lakehouse:hdfs:DataNode",
        "lakehouse:hdfs:Warehouse",
        "lakehouse:postgres:MetastoreDatabase",
        "lakehouse:hive:HiveMetastore",
        "lakehouse:trino:Coordinator",
        "lakehouse:trino:Worker",
        "lakehouse:spark:Master",
        "lakehouse:spark:Worker",
        "lakehouse:flink:JobManager",
        "lakehouse:flink:TaskManager",
        "random:index/randomPassword:RandomPassword",
      ].map((t) => [t, byType(r, t).length]),
    );
  assert.deepEqual(counts(dev), {
    "lakehouse:index:Lakehouse": 1,
    "lakehouse:index:Host": 3,
    "lakehouse:hdfs:NameNode": 1,
    "lakehouse:hdfs:DataNode": 3,
    "lakehouse:hdfs:Warehouse": 1,
    "lakehouse:postgres:MetastoreDatabase": 1,
    "lakehouse:hive:HiveMetastore": 1,
    "lakehouse:trino:Coordinator": 1,
    "lakehouse:trino:Worker": 2,
    "lakehouse:spark:Master": 1,
    "lakehouse:spark:Worker": 3,
    "lakehouse:flink:JobManager": 1,
    "lakehouse:flink:TaskManager": 3,
    // PostgreSQL's, Trino's shared secret, Spark's, the file-hash key, and Trino's two logins (admin, the health check).
    "random:index/randomPassword:RandomPassword": 6,
  });
  const p = counts(prod);
  assert.equal(p["lakehouse:index:Host"], 4);
  assert.equal(p["lakehouse:hdfs:DataNode"], 4);
  assert.equal(p["lakehouse:trino:Worker"], 3);
  // A user-set password is used as is: only the other secrets, the file-hash key and Trino's logins are generated.
  assert.equal(byType(devWithPassword, "random:index/randomPassword:RandomPassword").length, 5);
});

test("per node: every node is prepared, gets /etc/hosts and only the releases its roles need", () => {
  const cmds = byType(dev, "command:remote:Command").map((c) => c.name);
  for (const n of ["cpu-node1", "cpu-node2", "worker-node3"]) {
    assert.ok(cmds.includes(`${n}-prep`), `${n}-prep`);
    assert.ok(cmds.includes(`${n}-etc-hosts`), `${n}-etc-hosts`);
    for (const a of ["hadoop", "trino", "spark", "flink"]) assert.ok(cmds.includes(`${n}-${a}-install`), `${n}-${a}-install`);
  }
  assert.ok(cmds.includes("cpu-node1-hive-install"));
  assert.ok(!cmds.includes("cpu-node2-hive-install"), "the metastore runs on node1 only");
  assert.ok(cmds.includes("cpu-node1-postgresJdbc-install"));
});

test("dependencies that matter", () => {
  // DataNodes start after the NameNode is healthy (and it after its one-time format guard).
  for (const n of ["cpu-node1", "cpu-node2", "worker-node3"]) {
    assert.ok(dependsOn(dev, `datanode-${n}-start`, "namenode-cpu-node1-start"), `datanode ${n} after namenode`);
  }
  assert.ok(dependsOn(dev, "namenode-cpu-node1-start", "namenode-cpu-node1-format"));
  assert.ok(dependsOn(dev, "namenode-cpu-node1-format", "cpu-node1-hadoop-install"));
  // The warehouse after every DataNode; the metastore after PostgreSQL, the warehouse and its schema guard.
  for (const n of ["cpu-node1", "cpu-node2", "worker-node3"]) assert.ok(dependsOn(dev, "warehouse-dirs", `datanode-${n}-start`));
  assert.ok(dependsOn(dev, "metastore-cpu-node1-start", "postgres-cpu-node1-setup"));
  assert.ok(dependsOn(dev, "metastore-cpu-node1-start", "warehouse-dirs"));
  assert.ok(dependsOn(dev, "metastore-cpu-node1-start", "metastore-cpu-node1-schema"));
  assert.ok(dependsOn(dev, "metastore-cpu-node1-schema", "postgres-cpu-node1-setup"));
  assert.ok(dependsOn(dev, "metastore-cpu-node1-schema", "metastore-cpu-node1-files-write"), "schematool reads hive-site.xml");
  // Engines start without the metastore (they reach it at query time); workers after their head.
  for (const head of ["trino-cpu-node1-start", "spark-master-cpu-node1-start", "flink-jobmanager-cpu-node1-start"]) {
    assert.ok(!dependsOn(dev, head, "metastore-cpu-node1-start"), `${head} does not wait for the metastore`);
    assert.ok(!dependsOn(dev, head, "postgres-cpu-node1-setup"), `${head} does not wait for PostgreSQL`);
  }
  // Workers start without waiting for their head: they register when it answers, and their health check
  // (which dependents wait for) proves it.
  assert.ok(!dependsOn(dev, "trino-cpu-node2-start", "trino-cpu-node1-start"));
  assert.ok(!dependsOn(dev, "spark-worker-worker-node3-start", "spark-master-cpu-node1-start"));
  assert.ok(!dependsOn(dev, "flink-taskmanager-cpu-node2-start", "flink-jobmanager-cpu-node1-start"));
  // On a change the head restarts first: the first member of each group rolls after its head's roll.
  for (const [first, head] of [
    ["trino-cpu-node2", "trino-cpu-node1"],
    ["spark-worker-cpu-node1", "spark-master-cpu-node1"],
    ["flink-taskmanager-cpu-node1", "flink-jobmanager-cpu-node1"],
    ["datanode-cpu-node1", "namenode-cpu-node1"],
  ]) {
    assert.ok(dependsOn(dev, `${first}-roll`, `${head}-roll`), `${first} rolls after its head ${head}`);
  }
  // A fresh cluster starts its workers at once; a change restarts them one node at a time: each worker's
  // rolling step after the previous one's, its start step after no sibling.
  for (const [a, b] of [
    ["trino-worker-node3", "trino-cpu-node2"],
    ["datanode-worker-node3", "datanode-cpu-node2"],
    ["spark-worker-worker-node3", "spark-worker-cpu-node2"],
    ["flink-taskmanager-worker-node3", "flink-taskmanager-cpu-node2"],
  ]) {
    assert.ok(dependsOn(dev, `${a}-roll`, `${b}-roll`), `${a} rolls after ${b}`);
    assert.ok(!dependsOn(dev, `${a}-start`, `${b}-start`), `${a} starts without waiting for ${b}`);
  }
  // Nothing forbids parallel downloads and host preparation across nodes.
  assert.ok(!dependsOn(dev, "cpu-node2-prep", "cpu-node1-prep"));
  assert.ok(!dependsOn(dev, "cpu-node2-trino-install", "cpu-node1-trino-install"));
  assert.ok(!dependsOn(dev, "namenode-cpu-node1-start", "trino-cpu-node1-start"), "HDFS does not wait for engines");
});

test("every service's start command is a health gate with a bounded timeout and a safe delete", () => {
  const starts = byType(dev, "command:remote:Command").filter((c) => c.name.endsWith("-start"));
  assert.equal(starts.length, 16); // 1 NN + 3 DN + 1 HMS + 3 Trino + 1+3 Spark + 1+3 Flink
  const owners = new Set<string>();
  for (const s of starts) {
    assert.match(String(s.inputs.create), /service-converge-[0-9a-f]{12}\.sh 'start' /);
    assert.match(String(s.inputs.update), /service-converge-[0-9a-f]{12}\.sh 'ensure' /, `${s.name}: a change never restarts here`);
    assert.match(String(s.inputs.delete), /service-stop-[0-9a-f]{12}\.sh/, `${s.name} stops its unit on delete`);
    assert.ok(s.deleteBeforeReplace, `${s.name}: a replacement must not stop what it just started`);
    assert.ok(s.customTimeouts?.create, `${s.name} has a create timeout`);
    // The owner token (4th argument) comes from the component's URN: unique per resource, and different for a
    // replacement of another type under the same name.
    const owner = / '([0-9a-f]{16})' /.exec(String(s.inputs.create))?.[1];
    assert.ok(owner, `${s.name} carries an owner token`);
    owners.add(owner);
    const roll = find(dev, s.name.replace(/-start$/, "-roll"));
    assert.match(String(roll.inputs.create), /service-converge-[0-9a-f]{12}\.sh 'restart' /);
    assert.equal(roll.inputs.delete, undefined);
  }
  assert.equal(owners.size, starts.length, "owner tokens are unique");
  const format = find(dev, "namenode-cpu-node1-format");
  assert.ok(format.retainOnDelete, "destroy never touches the NameNode format step");
  assert.equal(format.inputs.delete, undefined);
  assert.ok(find(dev, "metastore-cpu-node1-schema").retainOnDelete);
  for (const c of byType(dev, "command:remote:Command")) {
    // Every script step is stopped on its host at its limit (the engine's customTimeouts stop nothing that
    // runs), and the engine's own limit is longer, so the host's ends the step with its exit status first.
    if (!c.name.endsWith("-scripts")) {
      for (const op of ["create", "update", "delete"] as const) {
        const text = c.inputs[op];
        if (text === undefined) continue;
        const host = /^(?:sudo -n )?timeout --kill-after=30s (\d+)s \/var\/lib\/lakehouse-iac\/bin\//.exec(String(text));
        assert.ok(host, `${c.name} ${op}: a host-enforced time limit, got ${String(text).slice(0, 80)}`);
        const engine = /^(\d+)m$/.exec(String(c.customTimeouts?.[op] ?? ""));
        assert.ok(engine, `${c.name}: an engine ${op} timeout`);
        assert.ok(Number(engine[1]) * 60 > Number(host[1]) + 30, `${c.name} ${op}: engine ${engine[1]}m beyond the host's ${host[1]}s`);
      }
    }
    if (c.name.endsWith("-start")) continue;
    if (c.name.endsWith("-scripts")) assert.doesNotMatch(String(c.inputs.create), /rm /, "the script installer never removes");
    assert.equal(c.inputs.delete, undefined, `${c.name}: only service units are stopped on delete; data and files stay`);
  }
});

test("connections: bounded dialing, secret, host keys pinned in prod", () => {
  for (const r of [dev, prod]) {
    for (const c of byType(r, "command:remote:Command")) {
      assert.ok(isSecretValue(c.inputs.connection), `${c.name}: connection must be secret`);
      const conn = (c.inputs.connection as { value: Record<string, unknown> }).value;
      assert.equal(typeof conn.dialErrorLimit, "number");
      assert.ok((conn.dialErrorLimit as number) > 0 && (conn.dialErrorLimit as number) <= 10);
      assert.equal(conn.password, undefined, "no password SSH authentication");
      if (r === prod) assert.match(String(conn.hostKey), /^ssh-ed25519 /, `${c.name} pins the host key`);
    }
  }
});

test("commands that carry secrets on stdin log nothing and mark their output secret", () => {
  const withStdin = byType(dev, "command:remote:Command").filter((c) => c.inputs.stdin !== undefined && isSecretValue(c.inputs.stdin));
  const names = withStdin.map((c) => c.name).sort();
  for (const n of [
    "postgres-cpu-node1-setup",
    "metastore-cpu-node1-schema",
    "metastore-cpu-node1-files-write",
    "trino-cpu-node1-files-write",
    "cpu-node2-spark-conf-write",
  ]) {
    assert.ok(names.includes(n), `${n} takes a secret on stdin (have: ${names.join(", ")})`);
  }
  for (const c of withStdin) {
    assert.equal(c.inputs.logging, "none", c.name);
    assert.ok(c.additionalSecretOutputs.includes("stdout") && c.additionalSecretOutputs.includes("stderr"), c.name);
    assert.equal(c.inputs.addPreviousOutputInEnv, false, c.name);
  }
});

/** Every string reachable in `v` outside a secret wrapper. */
function plainStrings(v: unknown, out: string[] = []): string[] {
  if (typeof v === "string") out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => plainStrings(x, out));
  else if (v && typeof v === "object" && !isSecretValue(v)) Object.values(v).forEach((x) => plainStrings(x, out));
  return out;
}

test("no secret value appears in any command text, environment, stdin, asset or non-secret output", () => {
  for (const r of [dev, prod, devWithPassword]) {
    const secrets = [...r.secrets, FAKE_SSH_KEY, USER_PG_PASSWORD];
    assert.ok(r.secrets.length >= 1);
    for (const res of r.resources) {
      const visible = [...plainStrings(res.inputs), ...plainStrings(res.outputs)];
      for (const s of secrets) {
        const leak = visible.find((x) => x.includes(s));
        assert.equal(leak, undefined, `${res.type} ${res.name} shows a secret in plain text`);
      }
    }
  }
  // And the secrets do reach where they belong, wrapped as secrets.
  const pg = find(devWithPassword, "postgres-cpu-node1-setup");
  assert.ok(JSON.stringify(pg.inputs.stdin).includes(USER_PG_PASSWORD));
});

test("scale-out: adding worker-node4 adds its resources and changes on nodes 1-3 only what lists the members", () => {
  const before = new Map(dev.resources.map((r) => [r.urn, r]));
  const after = new Map(devPlusNode4.resources.map((r) => [r.urn, r]));
  const added = [...after.keys()].filter((u) => !before.has(u));
  const removed = [...before.keys()].filter((u) => !after.has(u));
  assert.deepEqual(removed, []);
  assert.ok(added.length > 10);
  for (const u of added) assert.match(u, /worker-node4/, `only node4's resources are new: ${u}`);
  const changed = [...before.keys()]
    .filter((u) => after.has(u))
    .filter((u) => JSON.stringify(before.get(u)!.inputs) !== JSON.stringify(after.get(u)!.inputs))
    .map((u) => after.get(u)!.name)
    .sort();
  // /etc/hosts on every node, pg_hba, and the NameNode's membership step (refreshNodes); the NameNode itself
  // is untouched (not restarted).
  assert.deepEqual(changed, [
    "cpu-node1-etc-hosts",
    "cpu-node2-etc-hosts",
    "namenode-cpu-node1-members",
    "postgres-cpu-node1-setup",
    "worker-node3-etc-hosts",
  ]);
  assert.match(String(find(devPlusNode4, "namenode-cpu-node1-members").inputs.create), /'192\.168\.1\.186' '192\.168\.1\.187'/);
  // node4's DataNode starts only after the NameNode admitted it.
  assert.ok(dependsOn(devPlusNode4, "datanode-worker-node4-start", "namenode-cpu-node1-members"));
});

test("scale-in: a removed DataNode is decommissioned by an update, before the deletes stop its services", () => {
  // From the 4-node stack back to dev: node4's resources go; the membership step is the one update on
  // HDFS. pulumi (and the lab engine) run creates and updates first and deletes last, so the NameNode has
  // re-replicated node4's blocks (hdfs-membership.sh waits for "Decommissioned") before its DataNode stops.
  const before = new Map(devPlusNode4.resources.map((r) => [r.urn, r]));
  const after = new Map(dev.resources.map((r) => [r.urn, r]));
  const removed = [...before.keys()].filter((u) => !after.has(u)).map((u) => before.get(u)!.name);
  assert.ok(removed.includes("datanode-worker-node4-start"));
  for (const n of removed) assert.match(n, /worker-node4/);
  const members = find(dev, "namenode-cpu-node1-members");
  assert.notEqual(JSON.stringify(members.inputs), JSON.stringify(before.get(members.urn)!.inputs), "membership changes");
  assert.ok(!String(members.inputs.create).includes("192.168.1.187"));
  // The NameNode's start step does not change: it is neither restarted nor waits on anything of node4.
  const nn = find(dev, "namenode-cpu-node1-start");
  assert.equal(JSON.stringify(nn.inputs), JSON.stringify(before.get(nn.urn)!.inputs));
  // The membership step's timeout is the decommission bound (+5 minutes), from config.
  const bounded = runProgram(
    "dev",
    { ...stackValues("dev"), hdfs: { ...(stackValues("dev").hdfs as object), decommissionTimeoutMinutes: 7 } },
    ["sshPrivateKey"],
  );
  assert.match(String(find(bounded, "namenode-cpu-node1-members").inputs.create), /'420'/);
});

test("a broken stack file fails before anything is registered, naming every bad key", () => {
  const bad = stackValues("dev");
  (bad.nodes as any[])[1].host = "not a host!";
  (bad.hdfs as any).replication = 5;
  const r = runProgram("dev", bad, ["sshPrivateKey"]);
  assert.ok(r.error, "the program must fail");
  assert.match(r.error!, /nodes\[1\]\.host: expected an IPv4 address/);
  assert.match(r.error!, /hdfs\.replication: 5 is more than the 3 DataNodes/);
  assert.match(r.error!, /nothing was changed/);
  assert.equal(r.resources.length, 0, "no resource may be registered");
});

test("a config key under a misspelt namespace fails before anything is registered; providers' keys do not", () => {
  const r = runProgram("dev", { ...stackValues("dev"), "lakehose:trino": { heap: "4g" }, "command:dummy": "x" }, ["sshPrivateKey"]);
  assert.ok(r.error, "the program must fail");
  assert.match(r.error!, /lakehose:trino: unknown config namespace "lakehose"; did you mean lakehouse:trino\?/);
  assert.doesNotMatch(r.error!, /command:dummy/);
  assert.equal(r.resources.length, 0, "no resource may be registered");
});

test("a JDK archive is downloaded on the nodes that run its service, and the service waits for it", () => {
  const v = stackValues("dev") as Record<string, any>;
  v.java = {
    "17": { package: "openjdk-17-jdk-headless", home: "/usr/lib/jvm/java-17-openjdk-amd64" },
    "25": { version: "25.0.3+9", url: "https://example.org/jdk-{version}.tar.gz", sha512: "c".repeat(128) },
  };
  v.trino = { java: "25" };
  v.artifacts = { trino: { version: "476", sha512: "b".repeat(128) } };
  v.nodes[2].roles = v.nodes[2].roles.filter((r: string) => r !== "trino-worker");
  const r = runProgram("dev", v, ["sshPrivateKey"]);
  assert.equal(r.error, undefined, r.error);
  assert.ok(dependsOn(r, "trino-cpu-node2-start", "cpu-node2-jdk-25-install"), "Trino waits for its JDK");
  assert.ok(!dependsOn(r, "spark-worker-cpu-node2-start", "cpu-node2-jdk-25-install"), "Spark (Java 17) does not");
  assert.ok(!r.resources.some((x) => x.name === "worker-node3-jdk-25-install"), "no Java 25 where no Trino runs");
  const install = find(r, "cpu-node2-jdk-25-install");
  assert.match(String(install.inputs.create), /install-artifact/);
  assert.match(JSON.stringify(install.inputs), /jdk-25/);
});

test("a service waits only for its own release, jars and the Hadoop client, not for other downloads", () => {
  assert.ok(dependsOn(dev, "datanode-cpu-node2-start", "cpu-node2-hadoop-install"));
  assert.ok(!dependsOn(dev, "datanode-cpu-node2-start", "cpu-node2-trino-install"), "a DataNode does not wait for Trino's download");
  assert.ok(dependsOn(dev, "spark-worker-cpu-node2-start", "cpu-node2-icebergSpark-install"), "Spark waits for its jars");
  assert.ok(!dependsOn(dev, "spark-worker-cpu-node2-start", "cpu-node2-flinkHive-install"));
});

test("the smoke test is opt-in, runs after every service is healthy, gets Trino's password on stdin only, and reports per step", () => {
  assert.ok(!dev.resources.some((r) => r.name.startsWith("smoke-test")), "off unless smokeTest.enabled");
  const v: Record<string, unknown> = { ...stackValues("dev"), smokeTest: { enabled: true, run: "2026-11-26" } };
  const r = runProgram("dev", v, ["sshPrivateKey"]);
  assert.equal(r.error, undefined, r.error);
  const run = find(r, "smoke-test-run");
  assert.match(String(run.inputs.create), /smoke-test-[0-9a-f]{12}\.sh/);
  assert.match(String(run.inputs.create), /'2026-11-26'/, "the run id is an input: a new value runs it again");
  assert.equal(JSON.stringify(run.inputs.connection).includes("192.168.1.184"), true, "on the Spark master's node");
  const services = r.resources.filter((x) => /-roll$/.test(x.name) && x.type === "command:remote:Command");
  assert.ok(services.length >= 10);
  for (const s of services) assert.ok(dependsOn(r, "smoke-test-run", s.name), `after ${s.name}`);
  // Trino's login (the first of trino.users) on stdin, as a secret; never in the command text.
  assert.ok(isSecretValue(run.inputs.stdin), "Trino's credentials: a secret stdin");
  assert.match(
    String(run.inputs.create),
    /'https:\/\/192\.168\.1\.184:8443' '\/etc\/lakehouse\/tls\/ca\.crt' .* 'spark' '-' .* 'flink' '-' .* 'hive' '-'$/,
    "HTTPS, verified against the cluster CA; no Kerberos (no keytab for any engine's client)",
  );
  assert.equal(run.inputs.logging, "none");
  // The same stack without Flink's Hive connector skips that step ("-" for Flink's home).
  const noHive = runProgram("dev", { ...v, flink: { ...(v.flink as object), hiveConnector: false } }, ["sshPrivateKey"]);
  assert.match(
    String(find(noHive, "smoke-test-run").inputs.create),
    /'lakehouse_smoke' .* 'https:\/\/192\.168\.1\.184:8443' .* '-' '\/etc\/flink\/conf'/,
  );
  // A bad node name is a config error naming the key.
  const bad = runProgram("dev", { ...v, smokeTest: { enabled: true, node: "nope" } }, ["sshPrivateKey"]);
  assert.match(bad.error ?? "", /smokeTest\.node: no node named "nope"/);
});

test("the preview shows a reviewer each file's keys and values; a secret value only as a keyed tag", () => {
  const review = (r: ProgramResult, name: string) => {
    const res = find(r, name);
    assert.equal(res.type, "command:local:Command");
    assert.equal(res.inputs.create, undefined, "a review step runs nothing");
    assert.ok(!isSecretValue(res.inputs.stdin), `${name}: the manifest is not secret`);
    return JSON.parse(String(res.inputs.stdin)) as Record<string, { mode: string; entries?: Record<string, string>; lines?: string[] }>;
  };
  const trino = review(dev, "trino-cpu-node1-files-review");
  const conf = trino["/etc/trino/config.properties"];
  assert.equal(conf.mode, "0600 trino:hadoop");
  assert.equal(conf.entries!["http-server.http.port"], "8080");
  assert.match(conf.entries!["internal-communication.shared-secret"], /^\[secret [0-9a-f]{12}\]$/);
  assert.equal(trino["/etc/trino/catalog/iceberg.properties"].entries!["connector.name"], "iceberg");
  const hive = review(dev, "metastore-cpu-node1-files-review")["/etc/hive/conf/hive-site.xml"].entries!;
  assert.match(hive["javax.jdo.option.ConnectionPassword"], /^\[secret [0-9a-f]{12}\]$/);
  assert.equal(hive["metastore.thrift.port"], "9083");
  // A user-set password changes the tag of that key and of no other.
  const other = review(devWithPassword, "metastore-cpu-node1-files-review")["/etc/hive/conf/hive-site.xml"].entries!;
  const changed = Object.keys(hive).filter((k) => hive[k] !== other[k]);
  assert.deepEqual(changed, ["javax.jdo.option.ConnectionPassword"]);
  // Units are shown line by line.
  const unit = review(dev, "trino-cpu-node1-files-review")["/etc/systemd/system/trino.service"];
  assert.ok(unit.lines!.some((l) => l.startsWith("ExecStart=")));
});

test("start order follows dependencies, not kinds: a Trino coordinator on a node listed after its workers", () => {
  const v = stackValues("dev") as Record<string, any>;
  v.nodes[0].roles = v.nodes[0].roles.filter((r: string) => r !== "trino-coordinator");
  if (!v.nodes[0].roles.includes("trino-worker")) v.nodes[0].roles.push("trino-worker");
  v.nodes[2].roles = [...v.nodes[2].roles.filter((r: string) => r !== "trino-worker"), "trino-coordinator"];
  const r = runProgram("dev", v, ["sshPrivateKey"]);
  assert.equal(r.error, undefined, r.error);
  assert.equal(find(r, "trino-worker-node3").type, "lakehouse:trino:Coordinator");
  assert.equal(find(r, "trino-cpu-node1").type, "lakehouse:trino:Worker");
});

test("worker health gates run the installed membership probe against their master, not a regex on themselves", () => {
  const probe = /'probe' '\d+' '\/var\/lib\/lakehouse-iac\/bin\/(hdfs|trino|spark|flink)-probe-[0-9a-f]{12}\.sh' /;
  for (const [name, rest] of [
    ["datanode-worker-node3", /'datanode' 'http:\/\/192\.168\.1\.184:9870\/jmx\?qry=Hadoop:service=NameNode,name=NameNodeInfo' /],
    // Over HTTPS to the coordinator, logged in as the health-check user (its credentials in a file on the node).
    [
      "trino-worker-node3",
      /'trino-worker' 'https:\/\/192\.168\.1\.184:8443' 'http:\/\/192\.168\.1\.186:8080' 'dev-worker-node3' '\/etc\/lakehouse\/tls\/ca\.crt' '\/etc\/lakehouse\/trino-health\.cred'$/,
    ],
    ["spark-worker-worker-node3", /'spark-worker' 'http:\/\/192\.168\.1\.184:8090\/json\/' '192\.168\.1\.186' '7078'$/],
    ["flink-taskmanager-worker-node3", /'flink-taskmanager' 'http:\/\/192\.168\.1\.184:8081\/taskmanagers' '192\.168\.1\.186'$/],
  ] as const) {
    for (const step of ["-start", "-roll"]) {
      const cmd = String(find(dev, name + step).inputs.create);
      assert.match(cmd, probe, `${name}${step}`);
      assert.match(cmd, rest, `${name}${step}`);
    }
  }
  // Everything else keeps its own check.
  assert.doesNotMatch(String(find(dev, "trino-cpu-node1-roll").inputs.create), /'probe'/);
});

test("TLS: one CA on its node (kept on delete), each node's key made on the node and signed on the CA's node", () => {
  const host = (r: ResourceRecord) => ((r.inputs.connection as { value: { host: string } }).value ?? {}).host;
  const ca = find(dev, "tls-ca-init");
  assert.equal(host(ca), "192.168.1.184", "the CA lives on the first node");
  assert.equal(ca.retainOnDelete, true, "destroy keeps the CA");
  assert.match(String(ca.inputs.create), /\/tls-ca-[0-9a-f]{12}\.sh 'init' '\/etc\/lakehouse\/tls-ca' 'lakehouse-iac CA dev' '3650'$/);
  assert.equal(ca.inputs.stdin, undefined, "nothing travels into the CA's step");
  assert.equal(byType(dev, "lakehouse:tls:ClusterCa").length, 1);
  const nodes = [
    ["cpu-node1", "192.168.1.184"],
    ["cpu-node2", "192.168.1.185"],
    ["worker-node3", "192.168.1.186"],
  ];
  for (const [n, ip] of nodes) {
    const csr = find(dev, `${n}-tls-csr`);
    const sign = find(dev, `${n}-tls-sign`);
    const install = find(dev, `${n}-tls-install`);
    assert.equal(host(csr), ip, `${n}: its key is made on the node itself`);
    assert.equal(host(sign), "192.168.1.184", `${n}: signed on the CA's node`);
    assert.equal(host(install), ip);
    // Signed for exactly the node's name and address, whatever the request asks.
    assert.match(
      String(sign.inputs.create),
      new RegExp(`'sign' '/etc/lakehouse/tls-ca' '825' '${n}' '${ip.replace(/\./g, "\\.")}' '${n}'$`),
    );
    assert.ok(dependsOn(dev, `${n}-tls-sign`, `${n}-tls-csr`) && dependsOn(dev, `${n}-tls-sign`, "tls-ca-init"));
    assert.ok(dependsOn(dev, `${n}-tls-install`, `${n}-tls-sign`));
  }
  // PostgreSQL presents its node's certificate (and re-runs when it changes: its hash is an argument); the
  // metastore verifies it with the CA certificate installed on its own node.
  assert.ok(dependsOn(dev, "postgres-cpu-node1-setup", "cpu-node1-tls-install"));
  assert.match(String(find(dev, "postgres-cpu-node1-setup").inputs.create), / 'on' '[0-9a-f]{64}' /);
  assert.ok(dependsOn(dev, "metastore-cpu-node1-start", "cpu-node1-tls-install"));
  assert.match(String(find(dev, "metastore-cpu-node1-schema").inputs.create), / 'verify-full' '\/etc\/lakehouse\/tls\/ca\.crt'$/);
  // Scale-out: node4 gets its own certificate; nothing of the others' TLS changes.
  assert.ok(find(devPlusNode4, "worker-node4-tls-sign"));
});

test("your own CA: installed on its node from stdin (a secret), never made; a new one re-signs every node", () => {
  const crt = "-----BEGIN CERTIFICATE-----\nMIIBownCA\n-----END CERTIFICATE-----\n";
  const key = "-----BEGIN PRIVATE KEY-----\nMIIEownKey\n-----END PRIVATE KEY-----\n";
  const own = runProgram("dev", { ...stackValues("dev"), tls: { caCertificate: crt }, tlsCaKey: key }, ["sshPrivateKey", "tlsCaKey"]);
  assert.equal(own.error, undefined, own.error);
  assert.ok(!own.resources.some((r) => r.name === "tls-ca-init"), "no CA is made");
  const imp = find(own, "tls-ca-import");
  assert.match(String(imp.inputs.create), /\/tls-ca-import-[0-9a-f]{12}\.sh '\/etc\/lakehouse\/tls-ca'$/);
  assert.ok(isSecretValue(imp.inputs.stdin), "the key travels as a secret, on stdin");
  assert.equal(imp.retainOnDelete, true, "destroy keeps the CA");
  const sign = find(own, "cpu-node2-tls-sign");
  assert.ok(dependsOn(own, "cpu-node2-tls-sign", "tls-ca-import"));
  assert.equal((sign.inputs.triggers as string[]).length, 1, "re-signed when the CA changes");
  assert.equal(find(dev, "cpu-node2-tls-sign").inputs.triggers, undefined, "the stack's own CA: no trigger (made once)");
  assert.ok(!JSON.stringify(own.resources.map((r) => r.inputs.create)).includes("MIIEownKey"));
});

test("the metastore's TLS: its keystore made on its node (password on stdin) before it starts; each engine node's CA truststore first", () => {
  const ks = find(dev, "metastore-cpu-node1-keystore");
  assert.match(
    String(ks.inputs.create),
    /tls-keystore-[0-9a-f]+\.sh 'p12' '\/etc\/lakehouse\/tls' '\/etc\/hive\/tls\/metastore\.p12' 'hive' '[0-9a-f]{64}'$/,
  );
  assert.ok(isSecretValue(ks.inputs.stdin), "the keystore's password travels as a secret, on stdin");
  assert.ok(dependsOn(dev, "metastore-cpu-node1-keystore", "cpu-node1-tls-install"));
  assert.ok(dependsOn(dev, "metastore-cpu-node1-start", "metastore-cpu-node1-keystore"));
  // Every node with Spark or Flink: one public truststore of the CA (root's, 0644), before those services.
  for (const n of ["cpu-node1", "cpu-node2", "worker-node3"]) {
    const t = find(dev, `${n}-ca-truststore`);
    assert.match(
      String(t.inputs.create),
      /tls-keystore-[0-9a-f]+\.sh 'cacerts' '\/etc\/lakehouse\/tls' '\/etc\/lakehouse\/tls\/truststore\.p12' 'root' /,
    );
    assert.ok(dependsOn(dev, `spark-worker-${n}-start`, `${n}-ca-truststore`), n);
    assert.ok(dependsOn(dev, `flink-taskmanager-${n}-start`, `${n}-ca-truststore`) || n === "cpu-node1", n);
  }
  assert.ok(dependsOn(dev, "flink-jobmanager-cpu-node1-start", "cpu-node1-ca-truststore"));
  assert.equal(dev.resources.filter((r) => /-ca-truststore$/.test(r.name)).length, 3, "one per node");
});

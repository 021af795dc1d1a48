/**
 * The policy pack's rules over the resources the real program registers (dev and prod under mocks): they
 * pass where the program is right, and fire on tampered copies. Messages never carry a secret value.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as rules from "../policy/rules";
import { ProgramResult, runProgram } from "./helpers/program";
import { FAKE_SSH_KEY, stackValues } from "./helpers/stacks";
import { unwrap } from "./harness/engine";

let dev: rules.PolicyResource[];
let prod: rules.PolicyResource[];
let devRun: ProgramResult;

function asPolicy(r: ProgramResult): rules.PolicyResource[] {
  return r.resources.map((x) => ({
    type: x.type,
    name: x.name,
    props: (unwrap(x.custom ? x.inputs : (x.outputs ?? {})) ?? {}) as Record<string, unknown>,
    opts: { additionalSecretOutputs: x.additionalSecretOutputs },
  }));
}

before(() => {
  devRun = runProgram("dev", stackValues("dev"), ["sshPrivateKey"]);
  dev = asPolicy(devRun);
  prod = asPolicy(runProgram("prod", stackValues("prod"), ["sshPrivateKey"]));
});

const all = (rs: rules.PolicyResource[], check: (r: rules.PolicyResource) => string[]) => rs.flatMap(check);
const commands = (rs: rules.PolicyResource[]) => rs.filter((r) => r.type === "command:remote:Command");
const clone = <T>(x: T): T => structuredClone(x);

test("ssh-host-key-pinned: passes on prod, fires on dev (no keys pinned) and on a removed key", () => {
  assert.deepEqual(all(prod, rules.hostKeyPinned), []);
  const devViolations = all(dev, rules.hostKeyPinned);
  assert.equal(devViolations.length, commands(dev).length, "every dev command lacks a pinned key (advisory there)");
  const c = clone(commands(prod)[0]);
  delete (c.props.connection as Record<string, unknown>).hostKey;
  assert.match(rules.hostKeyPinned(c)[0], /does not pin the host key/);
});

test("ssh-no-password: passes on the program, fires on a password connection", () => {
  assert.deepEqual(all(prod, rules.noPasswordAuth), []);
  const c = clone(commands(prod)[0]);
  (c.props.connection as Record<string, unknown>).password = "hunter2hunter2";
  const v = rules.noPasswordAuth(c);
  assert.equal(v.length, 1);
  assert.ok(!v[0].includes("hunter2"), "never echo the value");
});

test("stdin-commands-are-silent: passes on the program, fires on a logging or unsecret stdin command", () => {
  assert.deepEqual(all(dev, rules.silentStdin), []);
  const withStdin = commands(dev).filter((r) => r.props.stdin !== undefined && r.name.includes("postgres"))[0];
  assert.ok(withStdin);
  const loud = clone(withStdin);
  loud.props.logging = "stdoutAndStderr";
  assert.match(rules.silentStdin(loud)[0], /logging is not "none"/);
  const plain = clone(withStdin);
  plain.opts = { additionalSecretOutputs: [] };
  assert.match(rules.silentStdin(plain)[0], /does not mark stdout and stderr/);
});

test("no-credentials-in-command-text: passes on every command the program makes, fires on literals", () => {
  assert.deepEqual(all(dev, rules.noCredentialLiterals), []);
  assert.deepEqual(all(prod, rules.noCredentialLiterals), []);
  const c = clone(commands(dev)[0]);
  for (const bad of [
    "PGPASSWORD=s3cretvalue psql -c 'select 1'",
    "mysql -pS3cretValue",
    "echo password=s3cretvalue",
    `cat <<K\n-----BEGIN ${"OPENSSH PRIVATE"} KEY-----\nK`,
  ]) {
    c.props.create = bad;
    const v = rules.noCredentialLiterals(c);
    assert.equal(v.length >= 1, true, bad);
    assert.ok(
      v.every((m) => !m.includes("s3cret") && !m.includes("S3cret")),
      "never echo the value",
    );
  }
  c.props.create = `service-start.sh 'trino' '${"a".repeat(64)}'`;
  assert.deepEqual(rules.noCredentialLiterals(c), [], "hashes are not credentials");
});

test("no-data-loss-on-delete: the program's deletes keep data; destructive deletes fire unless purging is allowed", () => {
  assert.deepEqual(
    all(dev, (r) => rules.noDataLossOnDelete(r, false)),
    [],
  );
  const c = clone(commands(dev)[0]);
  for (const bad of [
    "rm -rf /var/lib/hadoop-hdfs/name",
    "dropdb metastore",
    "runuser -u hdfs -- hdfs dfs -rm -r /lakehouse",
    "rm -rf /var/lib/postgresql/15/main",
    "psql -c 'DROP DATABASE metastore'",
  ]) {
    c.props.delete = bad;
    assert.equal(rules.noDataLossOnDelete(c, false).length, 1, bad);
    assert.deepEqual(rules.noDataLossOnDelete(c, true), [], `${bad} with allowPurge`);
  }
});

test("hdfs-and-metastore-shape: passes on both stacks, fires on two NameNodes, no metastore, or replication above DataNodes", () => {
  assert.deepEqual(rules.clusterShape(dev), []);
  assert.deepEqual(rules.clusterShape(prod), []);
  const nn = dev.find((r) => r.type === "lakehouse:hdfs:NameNode")!;
  assert.equal(nn.props.replication, 2);
  assert.match(rules.clusterShape([...dev, clone(nn)]).join("\n"), /2 NameNodes/);
  assert.match(rules.clusterShape(dev.filter((r) => r.type !== "lakehouse:hive:HiveMetastore")).join("\n"), /0 metastores/);
  const high = dev.map((r) => (r === nn ? { ...clone(r), props: { ...r.props, replication: 5 } } : r));
  assert.match(rules.clusterShape(high).join("\n"), /dfs\.replication 5 is more than the 3 DataNodes/);
});

test("no policy message carries a secret value", () => {
  const secrets = [...devRun.secrets, FAKE_SSH_KEY];
  const tampered = commands(dev).map((r) => ({ ...clone(r), props: { ...r.props, logging: "stdoutAndStderr" } }));
  const messages = [...all(dev, rules.hostKeyPinned), ...all(tampered, rules.silentStdin)];
  assert.ok(messages.length > 0);
  for (const m of messages) for (const s of secrets) assert.ok(!m.includes(s));
});

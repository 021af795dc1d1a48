/**
 * Prod's own mode in the core tier (CI): the stack named `prod` (a production stack: host keys pinned, the open
 * mode refused) in the Kerberos mode with its KDC on cpu-node1, on the 3-host lab through the real engine and the
 * policy pack (whose strict rules apply to a stack named prod). One fresh up serves every check: it succeeds; the
 * security output says what prod runs; the smoke test passes with every step ok (Trino, Spark and Flink logging
 * in from their keytabs); no secret is in the state, the CLI's output, or any host's command lines, journal or
 * logs. The deeper Kerberos proofs (keytabs, tickets, captures, a lost KDC database, an external realm, destroy)
 * stay in the full tier (tests/lab-full/kerberos.test.ts).
 *
 * Needs root (network namespaces, systemd-nspawn). Without it every test SKIPS, saying why.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { ChildProcess, execFileSync, spawn, spawnSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { Lab, labSecurityConfig, labServicesConfig, readLab } from "../../lab/config";
import { ensureEngine } from "../../lab/engine";
import { ranSteps } from "../../lab/records";
import { LabStack, RunResult } from "../../lab/stack";
import type { SmokeTestResult } from "../../components/smoke-test";
import { runSsh } from "../helpers/ssh";
import { HOST_SCAN_CLEAN, hostSecretScan } from "../helpers/lab-clients";
import { allowedMissing, assertSmokeAllOk, SkippedParts } from "../helpers/lab-missing";
import { ROOT } from "../helpers/stacks";

const LAB = path.join(ROOT, "lab/lab.sh");
const skip = process.getuid?.() !== 0 ? "needs root (network namespaces, systemd-nspawn): run as root" : undefined;
if (skip) console.log(`\n*** SKIPPED: lab prod-mode tests: ${skip} ***\n`);

let lab: Lab;
let stateDir: string;
let stack: LabStack;
let first: RunResult;
const numbers: Record<string, unknown> = {};
let missing: string[] = [];
const skippedParts = new SkippedParts(() => missing);

const memUsedMiB = () => {
  const m = readFileSync("/proc/meminfo", "utf8");
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(m)![1]);
  return (kb("MemTotal") - kb("MemAvailable")) / 1024;
};
async function on(i: number, cmd: string, stdin?: string) {
  const n = lab.nodes[i];
  const r = await runSsh({ ...n, privateKey: readFileSync(lab.privateKeyPath, "utf8") }, cmd, stdin, 300_000);
  assert.equal(r.code, 0, `${n.name}: ${cmd.slice(0, 300)}\n${r.stderr.slice(-2000)}`);
  return r.stdout;
}

before(async () => {
  if (skip) return;
  stateDir = mkdtempSync(path.join(tmpdir(), "lakehouse-lab-prod-mode-"));
  const engine = ensureEngine();
  execFileSync("bash", [path.join(ROOT, "lab/mirror.sh")], { stdio: "inherit" });
  const baseline = memUsedMiB();
  execFileSync("bash", [LAB, "up", "--nodes", "3"], { stdio: "inherit" });
  lab = readLab();
  // Prod's mode needs every engine: a lab without one fails here unless a person opted out.
  missing = allowedMissing(labServicesConfig(lab).missing);
  const v = labSecurityConfig(lab, true);
  // Said explicitly, though the stack named prod is a production stack whatever the file says.
  v.production = true;
  stack = await LabStack.open({ engine, stateDir, stackName: "prod", log: (l) => console.log(`  ${l}`) });
  await stack.configure(v, ["sshPrivateKey"]);
  const samples = path.join(stateDir, "mem.txt");
  const sampler: ChildProcess = spawn(
    "bash",
    ["-c", `while :; do awk '/MemTotal/{t=$2}/MemAvailable/{a=$2}END{print (t-a)/1024}' /proc/meminfo >>'${samples}'; sleep 2; done`],
    { stdio: "ignore" },
  );
  first = await stack.up();
  sampler.kill("SIGTERM");
  numbers.fullApplySeconds = first.wallSeconds;
  numbers.fullApplySteps = ranSteps(first.steps).length;
  numbers.labPeakMemoryMiB = Math.round(Math.max(...readFileSync(samples, "utf8").trim().split("\n").map(Number)) - baseline);
  console.log(`pulumi up (prod mode): ${first.ok ? "ok" : "FAILED"} in ${first.wallSeconds.toFixed(1)}s; ${JSON.stringify(numbers)}`);
});

after(() => {
  if (skip) return;
  console.log(`lab prod-mode numbers (final): ${JSON.stringify(numbers)}`);
  const skippedReport = skippedParts.report();
  if (skippedReport) console.log(`\n${skippedReport}\n`);
  spawnSync("bash", [LAB, "down"], { stdio: "inherit" });
  rmSync(stateDir, { recursive: true, force: true });
});

test("prod's mode: a fresh up of the production stack in the Kerberos mode succeeds, every host preflighted first", { skip }, async () => {
  assert.ok(first.ok, first.error);
  const security = (await stack.outputs()).security.value as { mode: string; weakened?: unknown[] };
  assert.equal(security.mode, "kerberos");
  // Each host's preflight ran before its preparation, and said what it found.
  for (const n of lab.nodes.slice(0, 3)) {
    const pf = first.steps.find((s) => s.name === `${n.name}-preflight` && s.op === "create");
    const prep = first.steps.find((s) => s.name === `${n.name}-prep` && s.op === "create");
    assert.ok(pf && prep, `${n.name}: preflight and prep in the run`);
    assert.ok(prep.start >= pf.end - 1500, `${n.name}: prep after its preflight`);
    const out = String((await stack.resourceOutputs(`${n.name}-preflight`))?.stdout);
    assert.match(out, new RegExp(`^preflight ${n.name}: os=debian:12 init=systemd memory=\\d+MiB \\(planned \\d+MiB\\)`), out);
  }
});

test("prod's mode: the smoke test passes with every step ok (each engine logs in from its keytab)", { skip }, async (t) => {
  assert.ok(first.ok, first.error);
  const smoke = (await stack.outputs()).smokeTest.value as SmokeTestResult;
  console.log(`smoke test (prod mode): ${JSON.stringify(smoke)}`);
  assertSmokeAllOk(smoke, skippedParts, t);
});

/** Every secret the stack made or was given, and the keytabs' and TLS keys' bytes as they would appear if leaked. */
/** The passwords the stack made, from its secret outputs. */
async function passwords(): Promise<string[]> {
  const out = await stack.outputs();
  return [
    String(out.kerberosAdminPassword.value),
    String(out.metastoreDbPassword.value),
    String(out.sparkAuthSecret.value),
    ...Object.values((out.trinoPasswords?.value ?? {}) as Record<string, string>),
  ];
}

async function knownSecrets(): Promise<string[]> {
  const values = await passwords();
  for (const v of values) assert.ok(v.length >= 12, "a secret output is set");
  const sshKey = readFileSync(lab.privateKeyPath, "utf8")
    .split("\n")
    .filter((l) => l.length > 40 && !l.startsWith("-----"));
  const keytabs = (await on(0, 'for f in /etc/security/keytabs/*.keytab; do base64 -w0 -- "$f"; echo; done')).trim().split("\n");
  const tlsKeys = [await on(0, "cat /etc/lakehouse/tls-ca/ca.key"), await on(1, "cat /etc/lakehouse/tls/node.key")].flatMap((k) =>
    k.split("\n").filter((l) => l.length > 40 && !l.startsWith("-----")),
  );
  assert.ok(keytabs.length >= 5 && tlsKeys.length >= 8, "keytabs and TLS keys found on the hosts");
  return [...values, ...sshKey, ...keytabs, ...tlsKeys];
}

test("prod's mode: no secret in pulumi stack export or in anything the CLI printed", { skip }, async () => {
  assert.ok(first.ok, first.error);
  const secrets = await knownSecrets();
  const state = JSON.stringify(await stack.exportState());
  for (const s of secrets) assert.ok(!state.includes(s), "a secret is in the exported state");
  for (const s of secrets) assert.ok(!first.output.includes(s), "a secret is in the CLI's output");
  assert.match(state, /"ciphertext"/, "the state holds the secrets encrypted");
});

test("prod's mode: no secret on any host's process command lines, in its journal or its logs", { skip }, async () => {
  assert.ok(first.ok, first.error);
  // Values a process could be handed (passwords), not key material that lives in files on purpose.
  const secrets = await passwords();
  const scan = hostSecretScan(["/var/log", "/var/lib/trino", "/var/lib/spark", "/var/lib/lakehouse-iac", "/tmp"]);
  for (const i of [0, 1, 2]) assert.equal((await on(i, scan, `${secrets.join("\n")}\n`)).trim(), HOST_SCAN_CLEAN, lab.nodes[i].name);
});

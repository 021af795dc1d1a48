/**
 * The policy pack through the REAL engine: `pulumi preview --policy-pack policy` of the real program, run with the
 * Automation API and the Pulumi CLI of ../shared/pulumi-engine (installed on first use, ~1 s when installed).
 * No host is contacted: a preview only plans. The stacks live in a temporary file backend, and their project in a
 * temporary directory whose Pulumi.yaml is the repository's with `main` pointing at the repository root, so that
 * no Pulumi.<stack>.yaml is ever written into the repository (tests/workflows.test.ts reads every one there).
 *  - dev and prod (their stack files, policy/<stack>.json as CI passes it) pass; dev only warns about host keys;
 *  - a dev stack whose Trino runs on a JDK archive (`java.25` with url + sha512) passes: the archive's URL and
 *    digest in the install command are not mistaken for credentials;
 *  - an artifact URL with a password in it fails the preview, by the mandatory no-credentials-in-command-text;
 *  - what the previews could not check: the engine's "can't run policy … during preview" events (commands whose
 *    text or stdin is built from other resources' outputs) are counted per policy, come only from the expected
 *    policies, and are exactly the numbers the pack's preview-coverage message gives a reviewer.
 * Four previews, two at a time.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { parse } from "yaml";
import { EngineEvent, LocalWorkspace, PolicyEvent, PreviewResult, ProjectSettings, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { FAKE_SSH_KEY, ROOT, stackValues } from "./helpers/stacks";
import { ensureEngine } from "../lab/engine";

const POLICY = path.join(ROOT, "policy");
const PACK = "lakehouse-guardrails";
const REMOTE = "command:remote:Command";
const LOCAL = "command:local:Command";
const COVERAGE = "preview-coverage";
/**
 * The mandatory policies that cannot judge some commands in a preview (what they read is not known yet): the
 * only ones the engine may report as "can't run … during preview".
 */
const UNKNOWN_IN_PREVIEW = ["no-credentials-in-command-text", "stdin-commands-are-silent"];
const URL_PASSWORD = "s3cretpw";

/** `lakehouse:<key>` config: objects JSON-encoded (the program parses every value), sshPrivateKey secret. */
function stackConfig(values: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [
      `lakehouse:${k}`,
      { value: typeof v === "string" ? v : JSON.stringify(v), secret: k === "sshPrivateKey" },
    ]),
  );
}

const JDK25 = {
  version: "25.0.1+8",
  url: "http://10.77.0.1:8099/jdk/OpenJDK25U-jdk_x64_linux_hotspot_25.0.1_8.tar.gz",
  sha512: "8c1f0b5e2d4a7c93".repeat(8),
};

interface Run {
  result?: PreviewResult;
  error?: Error;
  policy: PolicyEvent[];
  /** URN → type of every resource the preview planned. */
  resources: Map<string, string>;
  seconds?: number;
}

let backend: string;
let project: string;
let ws: LocalWorkspace;
const runs = new Map<string, Promise<Run>>();

/** Creates the stack, sets its config and previews it with the pack; never rejects (a failure is in `error`). */
async function preview(name: string, values: Record<string, unknown>, policyConfig: string): Promise<Run> {
  const run: Run = { policy: [], resources: new Map() };
  const onEvent = (e: EngineEvent) => {
    if (e.policyEvent) run.policy.push(e.policyEvent);
    const m = e.resourcePreEvent?.metadata;
    if (m) run.resources.set(m.urn, m.type);
  };
  const started = Date.now();
  try {
    const stack = await Stack.create(name, ws);
    await stack.setAllConfig(stackConfig(values));
    run.result = await stack.preview({ policyPacks: [POLICY], policyPackConfigs: [policyConfig], onEvent, color: "never" });
  } catch (e) {
    run.error = e as Error;
  }
  run.seconds = (Date.now() - started) / 1000;
  return run;
}

before(async () => {
  // The CLI on PATH, or the engine of ../shared/pulumi-engine (installed on first use), as the lab uses it.
  const env = ensureEngine().env;
  backend = mkdtempSync(path.join(tmpdir(), "lakehouse-policy-backend-"));
  project = mkdtempSync(path.join(tmpdir(), "lakehouse-policy-project-"));
  const projectSettings = { ...(parse(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as ProjectSettings), main: ROOT };
  ws = await LocalWorkspace.create({
    workDir: project,
    projectSettings,
    pulumiCommand: await PulumiCommand.get({ skipVersionCheck: true }),
    envVars: {
      ...env,
      PULUMI_BACKEND_URL: `file://${backend}`,
      PULUMI_CONFIG_PASSPHRASE: "policy-engine-test-only",
      // The program is type checked by `npm run build`; ts-node checking it again would double each preview's
      // time. The pack is type checked anyway (the policy-pack runner always does).
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    },
  });

  const jdk = structuredClone(stackValues("dev")) as Record<string, any>;
  jdk.java = { "17": { package: "openjdk-17-jdk-headless", home: "/usr/lib/jvm/java-17-openjdk-amd64" }, "25": JDK25 };
  jdk.trino = { ...jdk.trino, java: "25" };
  jdk.artifacts = { trino: { version: "476" } };
  // One node is enough to fail (and previews three times faster than dev's three).
  const leaky = structuredClone(stackValues("dev")) as Record<string, any>;
  leaky.nodes = [leaky.nodes[0]];
  leaky.hdfs = { ...leaky.hdfs, replication: 1 };
  leaky.artifacts = {
    hadoop: { url: `https://mirror:${URL_PASSWORD}@mirror.example/hadoop/hadoop-{version}.tar.gz`, sha512: "0f".repeat(64) },
  };

  // Two previews at a time (2 cores), largest first; each test awaits its own.
  const jobs: Array<[string, () => Promise<Run>]> = [
    ["prod", () => preview("prod", stackValues("prod"), path.join(POLICY, "prod.json"))],
    ["dev", () => preview("dev", stackValues("dev"), path.join(POLICY, "dev.json"))],
    ["jdk", () => preview("jdk-archive", jdk, path.join(POLICY, "dev.json"))],
    ["leaky", () => preview("leaky-url", leaky, path.join(POLICY, "dev.json"))],
  ];
  const done = new Map<string, (r: Run) => void>();
  for (const [key] of jobs) runs.set(key, new Promise((resolve) => done.set(key, resolve)));
  const worker = async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) done.get(job[0])!(await job[1]());
  };
  void Promise.all([worker(), worker()]);
});

after(() => {
  for (const d of [backend, project]) if (d) rmSync(d, { recursive: true, force: true });
});

const cantRunInPreview = (e: PolicyEvent) => /can't run policy '[^']+' from policy pack '[^']+' during preview/.test(e.message);
const commandsOf = (run: Run) => [...run.resources].filter(([, t]) => t === REMOTE).map(([u]) => u);
/** The events that judge something: neither the engine's "can't run during preview" nor the coverage note. */
const verdictsOf = (run: Run) => run.policy.filter((e) => !cantRunInPreview(e) && e.policyName !== COVERAGE);

/** Policy → the commands the engine could not run it on in this preview (its "can't run … during preview" events). */
function cantRun(run: Run): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of run.policy.filter(cantRunInPreview)) out.set(e.policyName, [...(out.get(e.policyName) ?? []), e.resourceUrn ?? ""]);
  return out;
}

/**
 * The engine could not run some policies on some commands; the coverage message says so with the same numbers:
 * per policy the count of its can't-run events, out of all the commands (remote and local) the preview planned.
 */
function coverageIsTheEngines(key: string, run: Run) {
  const engine = cantRun(run);
  const notes = run.policy.filter((e) => e.policyName === COVERAGE);
  console.log(
    `${key}: can't run during preview: ${JSON.stringify(Object.fromEntries([...engine].map(([p, us]) => [p, us.length])))}; ` +
      `${COVERAGE} says: ${notes.map((e) => e.message).join(" | ")}`,
  );
  assert.deepEqual([...engine.keys()].sort(), [...UNKNOWN_IN_PREVIEW].sort(), "only the expected policies cannot run in a preview");
  const commands = [...run.resources].filter(([, t]) => t === REMOTE || t === LOCAL).map(([u]) => u);
  for (const [p, urns] of engine) {
    assert.equal(new Set(urns).size, urns.length, `${p}: one event per command`);
    assert.ok(
      urns.every((u) => commands.includes(u)),
      `${p}: only commands`,
    );
  }
  assert.equal(notes.length, 1, `one ${COVERAGE} message`);
  assert.equal(notes[0].enforcementLevel, "advisory");
  const said = new Map<string, number>();
  for (const m of notes[0].message.matchAll(/(\S+) could not check (\d+) of the (\d+) commands/g)) {
    said.set(m[1], Number(m[2]));
    assert.equal(Number(m[3]), commands.length, `${m[1]}: out of every command the preview planned`);
  }
  assert.deepEqual(
    Object.fromEntries(said),
    Object.fromEntries([...engine].map(([p, urns]) => [p, urns.length])),
    "the numbers a reviewer reads are the commands the engine could not check",
  );
  assert.match(notes[0].message, /`pulumi up` checks them before it runs them/);
}

/** A passing preview: it succeeded, planned the program's commands, ran our pack, and nothing is mandatory. */
async function passed(key: string): Promise<Run> {
  const run = await runs.get(key)!;
  console.log(`${key}: preview ${run.seconds} s, ${run.resources.size} resources, ${run.policy.length} policy reports`);
  assert.equal(run.error, undefined, `${key}: the preview failed:\n${run.error?.message}`);
  assert.ok(commandsOf(run).length > 10, `${key}: the preview planned the program's commands`);
  assert.ok(
    run.policy.every((e) => e.policyPackName === PACK),
    "only our pack reports",
  );
  assert.deepEqual(
    run.policy.filter((e) => e.enforcementLevel === "mandatory").map((e) => `${e.policyName}: ${e.message}`),
    [],
  );
  assert.match(run.result!.stdout, new RegExp(`${PACK}@v0\\.1\\.0 \\(local: ${POLICY.replace(/[/.]/g, "\\$&")}\\)`));
  return run;
}

test("dev passes; its only verdicts are advisory host-key warnings, one per command", async () => {
  const run = await passed("dev");
  const verdicts = verdictsOf(run);
  assert.deepEqual(
    verdicts.filter((e) => e.policyName !== "ssh-host-key-pinned-advisory" || e.enforcementLevel === "mandatory"),
    [],
  );
  assert.deepEqual(verdicts.map((e) => e.resourceUrn).sort(), commandsOf(run).sort());
});

test("prod passes with no verdict at all (host keys pinned)", async () => {
  const run = await passed("prod");
  assert.deepEqual(
    verdictsOf(run).map((e) => `${e.policyName}: ${e.message}`),
    [],
  );
  assert.ok(commandsOf(run).every((u) => u.startsWith("urn:pulumi:prod::")));
});

test("what the previews could not check: counted per policy, only the expected policies, and exactly as the coverage message says", async () => {
  for (const key of ["dev", "prod"]) coverageIsTheEngines(key, await passed(key));
});

test("a dev stack with a JDK archive (java.25: url + sha512) passes: its install steps carry no credential", async () => {
  const run = await passed("jdk");
  const installs = commandsOf(run).filter((u) => u.endsWith("-jdk-25-install"));
  assert.equal(installs.length, 3, "one JDK install per node");
  for (const u of installs) {
    const about = run.policy.filter((e) => e.resourceUrn === u);
    // The pack saw the install step (the host-key warning) and judged its known command text: no other report.
    assert.deepEqual(
      about.map((e) => e.policyName),
      ["ssh-host-key-pinned-advisory"],
      u,
    );
  }
});

test("an artifact URL with a password fails the preview, by the mandatory no-credentials-in-command-text", async () => {
  const run = await runs.get("leaky")!;
  assert.ok(run.error, "the preview must fail");
  const mandatory = run.policy.filter((e) => e.enforcementLevel === "mandatory");
  assert.ok(mandatory.length >= 1);
  for (const e of mandatory) {
    assert.equal(e.policyName, "no-credentials-in-command-text");
    assert.match(e.message, /hadoop.*credentials inside a URL/);
    assert.ok(!e.message.includes(URL_PASSWORD), "the message never carries the password");
  }
  const line = run.error.message.split("\n").find((l) => l.includes("[mandatory]"));
  assert.match(line ?? "", /\[mandatory\]\s+no-credentials-in-command-text\s+\(command:remote:Command: \S*hadoop\S*\)/, run.error.message);
  console.log(`the failing preview says: ${line!.trim()}`);
  assert.ok(!run.error.message.includes(URL_PASSWORD), "nor does the preview's output");
});

test("the fake SSH key never shows in the previews' output", async () => {
  for (const [key, p] of runs) {
    const run = await p;
    const text = `${run.result?.stdout ?? ""}${run.result?.stderr ?? ""}${run.error?.message ?? ""}`;
    assert.ok(text.length > 0 && !text.includes(FAKE_SSH_KEY), key);
  }
});

/**
 * The GitHub workflows say what the project promises: preview on PRs (never for forks, which get no secrets), up on
 * main one stack at a time behind approvals, both with the policy pack and the self-managed backend. actionlint
 * checks syntax and expressions but does not know pulumi/actions@v7's inputs (its dataset stops at v6), so this
 * test checks them against the inputs of v7's action.yml: a misspelt input is otherwise silently ignored.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ROOT } from "./helpers/stacks";

/** pulumi/actions v7.0.0's commit: the workflows pin it, and the inputs below are those of its action.yml. */
const PULUMI_ACTION_V7 = "8e5e406f4007fca908480587cb9893c07090f58d";
/** Inputs of pulumi/actions v7.0.0 (action.yml at PULUMI_ACTION_V7). */
const PULUMI_ACTION_V7_INPUTS = new Set([
  "command",
  "stack-name",
  "pulumi-version",
  "pulumi-version-file",
  "work-dir",
  "comment-on-pr",
  "comment-on-pr-number",
  "comment-on-summary",
  "github-token",
  "cloud-url",
  "secrets-provider",
  "parallel",
  "message",
  "config-map",
  "expect-no-changes",
  "diff",
  "replace",
  "exclude",
  "exclude-dependents",
  "target",
  "target-dependents",
  "policyPacks",
  "policyPackConfigs",
  "refresh",
  "upsert",
  "remove",
  "edit-pr-comment",
  "color",
  "exclude-protected",
  "plan",
  "suppress-outputs",
  "suppress-progress",
  "always-include-summary",
  "continue-on-error",
  "log-verbosity",
  "log-flow",
  "debug",
]);

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  "runs-on": string | string[];
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  environment?: string;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  strategy?: { "max-parallel"?: number; "fail-fast"?: boolean; matrix: { stack: string[] } };
  steps: Step[];
}
interface Workflow {
  on: Record<string, { branches?: string[] } | null>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflow = (name: string) => parse(readFileSync(path.join(ROOT, ".github/workflows", name), "utf8")) as Workflow;
const stacks = readdirSync(ROOT)
  .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => s !== undefined)
  .sort();
const pulumiSdk = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> })
  .dependencies["@pulumi/pulumi"];

function pulumiStep(job: Job): Step {
  const steps = job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"));
  assert.equal(steps.length, 1);
  assert.equal(steps[0].uses, `pulumi/actions@${PULUMI_ACTION_V7}`, "pulumi/actions v7.0.0, pinned by commit");
  return steps[0];
}

/** What both workflows do with pulumi/actions: backend, passphrase, pinned CLI, policy pack and its config. */
function checkPulumiStep(job: Job, command: string): Step {
  const s = pulumiStep(job);
  for (const k of Object.keys(s.with ?? {})) assert.ok(PULUMI_ACTION_V7_INPUTS.has(k), `pulumi/actions@v7 has no input ${k}`);
  assert.equal(s.with?.command, command);
  assert.equal(s.with?.["stack-name"], "${{ matrix.stack }}");
  assert.equal(s.with?.["cloud-url"], "${{ vars.PULUMI_BACKEND_URL }}");
  assert.equal(String(s.with?.["pulumi-version"]), pulumiSdk, "the CLI release matches @pulumi/pulumi");
  assert.equal(s.with?.policyPacks, "policy");
  assert.equal(s.with?.policyPackConfigs, "policy/${{ matrix.stack }}.json");
  assert.deepEqual(s.env, { PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}" });
  assert.deepEqual(job.strategy?.matrix.stack, stacks, "one job per Pulumi.<stack>.yaml");
  for (const st of stacks) assert.ok(existsSync(path.join(ROOT, "policy", `${st}.json`)), `policy/${st}.json`);
  const node = job.steps.find((x) => x.uses?.startsWith("actions/setup-node@"));
  assert.equal(node?.with?.["node-version"], 20);
  const runs = job.steps.map((x) => x.run).filter(Boolean);
  assert.ok(runs.indexOf("npm ci") >= 0 && job.steps.findIndex((x) => x.run === "npm ci") < job.steps.indexOf(s));
  return s;
}

test("the stacks are dev and prod", () => {
  assert.deepEqual(stacks, ["dev", "prod"]);
  assert.match(pulumiSdk, /^\d+\.\d+\.\d+$/, "@pulumi/pulumi is pinned exactly");
});

test("preview.yml: PRs to main, tests first, preview of every stack commented on the PR, skipped for forks", () => {
  const w = workflow("preview.yml");
  assert.deepEqual(Object.keys(w.on), ["pull_request"]);
  assert.deepEqual(w.permissions, { contents: "read" });
  const t = w.jobs.test;
  assert.ok(
    ["npm ci", "npm run build", "npm test"].every((r) => t.steps.some((s) => s.run === r)),
    "the test job type checks and runs the tests",
  );
  const p = w.jobs.preview;
  assert.equal(p.needs, "test");
  assert.deepEqual(p.permissions, { contents: "read", "pull-requests": "write" });
  assert.equal(p.if, "github.event.pull_request.head.repo.full_name == github.repository");
  assert.equal(p.strategy?.["fail-fast"], false, "one stack's failure does not hide the other's preview");
  const s = checkPulumiStep(p, "preview");
  assert.equal(s.with?.["comment-on-pr"], true);
  // A preview runs the PR's code: each stack's passphrase comes from its own environment (prod's behind
  // reviewers), never from a repository secret every PR job could read.
  assert.equal(p.environment, "preview-${{ matrix.stack }}");
  assert.ok(!JSON.stringify(t).includes("secrets."), "the test job, which runs the PR's code unattended, gets no secret");
  assert.ok(!JSON.stringify(w).includes("self-hosted"), "preview needs no LAN runner");
});

test("up.yml: main only, one stack at a time on the LAN runner, each behind its environment and concurrency group", () => {
  const w = workflow("up.yml");
  assert.deepEqual(w.on.push, { branches: ["main"] });
  assert.ok(!("pull_request" in w.on), "never applies from a PR");
  assert.deepEqual(w.permissions, { contents: "read" });
  const u = w.jobs.up;
  assert.deepEqual(u["runs-on"], ["self-hosted", "lakehouse-lan"]);
  assert.equal(u.strategy?.["max-parallel"], 1);
  assert.equal(u.environment, "${{ matrix.stack }}");
  assert.deepEqual(u.concurrency, { group: "pulumi-${{ matrix.stack }}", "cancel-in-progress": false });
  checkPulumiStep(u, "up");
});

test("actionlint knows the self-hosted runner label", () => {
  const cfg = parse(readFileSync(path.join(ROOT, ".github/actionlint.yaml"), "utf8")) as { "self-hosted-runner": { labels: string[] } };
  assert.deepEqual(cfg["self-hosted-runner"].labels, ["lakehouse-lan"]);
});

test("every action is pinned by commit (tag in a comment); checkout leaves no token; secrets only in jobs with an environment", () => {
  for (const f of readdirSync(path.join(ROOT, ".github/workflows"))) {
    const text = readFileSync(path.join(ROOT, ".github/workflows", f), "utf8");
    const uses = text.split("\n").filter((l) => /^\s*(-\s+)?uses:/.test(l));
    assert.ok(uses.length > 0, f);
    for (const l of uses) assert.match(l, /uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/, `${f}: ${l.trim()}`);
    const w = parse(text) as Workflow;
    for (const [name, job] of Object.entries(w.jobs)) {
      for (const st of job.steps.filter((x) => x.uses?.startsWith("actions/checkout@")))
        assert.equal(st.with?.["persist-credentials"], false, `${f} ${name}: checkout without persisted credentials`);
      if (JSON.stringify(job).includes("secrets.")) assert.ok(job.environment, `${f} ${name} reads a secret outside an environment`);
    }
  }
});

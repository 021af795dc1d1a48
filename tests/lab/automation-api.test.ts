/**
 * The lab through the real engine: when a `pulumi` CLI (with the nodejs language host and the command/random
 * provider plugins) is on PATH, `pulumi up` of a lab stack runs through the Automation API with a local file
 * backend and a passphrase secrets provider. These machines cannot download the CLI, so here it SKIPS, and
 * says so; the same checks run through the test engine in os-layer.test.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import { mkdtempSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { labConfig, readLab } from "./lab-config";

const cli = spawnSync("pulumi", ["version"], { encoding: "utf8" });
const skip =
  cli.status === 0 ? undefined : "the Pulumi CLI is not on PATH (it cannot be downloaded on this machine): Automation API lab run skipped";
if (skip) console.log(`\n*** SKIPPED: ${skip} ***\n`);

test("pulumi up on the lab through the Automation API, then a no-op second up", { skip }, async (t) => {
  const { LocalWorkspace } = pulumi.automation;
  const lab = path.resolve(__dirname, "../../lab/lab.sh");
  spawnSync("bash", [lab, "up", "--nodes", "3"], { stdio: "inherit" });
  t.after(() => void spawnSync("bash", [lab, "down"], { stdio: "inherit" }));
  const backend = mkdtempSync(path.join(tmpdir(), "lakehouse-backend-"));
  process.env.PULUMI_CONFIG_PASSPHRASE = "lab-only-passphrase";
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: "lab", workDir: path.resolve(__dirname, "../..") },
    { envVars: { PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true" } },
  );
  const values = labConfig(readLab());
  for (const [k, v] of Object.entries(values)) {
    await stack.setConfig(`lakehouse:${k}`, { value: typeof v === "string" ? v : JSON.stringify(v), secret: k === "sshPrivateKey" });
  }
  const up = await stack.up({ onOutput: (o: string) => process.stdout.write(o) });
  assert.equal(up.summary.result, "succeeded");
  const again = await stack.preview();
  assert.deepEqual(
    Object.keys(again.changeSummary).filter((k) => k !== "same"),
    [],
  );
});

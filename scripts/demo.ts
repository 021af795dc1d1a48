/**
 * The main job on a fresh Linux machine without a cluster: build the artifact mirror and a 3-host lab, then
 * provision the lakehouse onto it with `pulumi up` (the real engine, through the Automation API: a local file
 * backend and a passphrase kept 0600 under the lab's state directory), and print the stack outputs and how to
 * drive the same stack with plain `pulumi` commands. A re-run converges with no changes. Needs root.
 *
 *   npm run demo [-- --nodes 4]      provision (again)
 *   npm run demo -- --down           destroy the lab hosts AND THEIR DATA (HDFS blocks, the metastore database)
 */
import { execFileSync } from "child_process";
import { rmSync } from "fs";
import * as path from "path";
import { labServicesConfig, readLab } from "../lab/config";
import { ensureEngine } from "../lab/engine";
import { LabStack } from "../lab/stack";
import type { SmokeTestResult } from "../components/smoke-test";
import { REPO_ROOT } from "../lib/stack-file";
import type { SecurityPosture } from "../lib/security";

const STATE = path.join(process.env.LAKEHOUSE_LAB_STATE ?? "/var/lib/lakehouse-lab", "demo");
const arg = (n: string) => process.argv.includes(`--${n}`);
const nodes = arg("nodes") ? process.argv[process.argv.indexOf("--nodes") + 1] : "3";
const say = (s: string) => console.log(`[demo ${new Date().toISOString().slice(11, 19)}] ${s}`);

function sh(cmd: string, args: string[]) {
  execFileSync(cmd, args, { stdio: "inherit", cwd: REPO_ROOT });
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error("the demo builds network namespaces and containers: run it as root");
  if (arg("down")) {
    say("--down: stopping and deleting the lab hosts, with everything on them (HDFS blocks, the metastore database,");
    say("the Pulumi state of the demo stack). The cached mirror and base image stay.");
    sh("bash", ["lab/lab.sh", "down"]);
    rmSync(STATE, { recursive: true, force: true });
    return;
  }
  // The engine first: without one nothing else is worth doing.
  const engine = ensureEngine();
  say(`Pulumi engine: ${engine.version}, from ${engine.source}`);
  say(
    "A first run takes about 15 minutes on 2 cores (mirror ~3.5 min, base image ~1 min, pulumi up 7-10 min); a re-run about half a minute.",
  );
  const t0 = Date.now();
  sh("bash", ["lab/mirror.sh"]);
  sh("bash", ["lab/lab.sh", "up", "--nodes", nodes]);
  const lab = readLab();
  const { config, missing } = labServicesConfig(lab, Number(nodes) >= 4 ? "prod" : "dev");
  if (missing.length) say(`not available from this machine's registries, so left out of the lab: ${missing.join(", ")}`);
  const stack = await LabStack.open({ engine, stateDir: STATE, log: (l) => say(`  ${l}`) });
  await stack.configure(config, ["sshPrivateKey"]);
  say(`pulumi up (stack "${stack.stackName}", state in ${STATE}) ...`);
  const up = await stack.up();
  const ran = up.steps.filter((s) => s.op !== "same" && /^command:/.test(s.type) && !/-review$/.test(s.name));
  say(`${ran.length} steps ran in ${up.wallSeconds.toFixed(0)}s (whole demo ${((Date.now() - t0) / 1000).toFixed(0)}s)`);
  if (!up.ok) {
    console.error(`\npulumi up FAILED:\n${up.error}`);
    process.exit(1);
  }
  const out = await stack.outputs();
  const smoke = out.smokeTest?.value as SmokeTestResult | { status: string } | undefined;
  const smokeRan = up.steps.some((s) => s.name === "smoke-test-run" && s.op !== "same");
  if (smoke && "steps" in smoke) {
    say(
      `cross-engine smoke test (stack output smokeTest, run "${smoke.run}"${smokeRan ? "" : ", the last result: nothing changed, so it did not run again"}): ${smoke.status}${smoke.failedStep ? ` at ${smoke.failedStep}: ${smoke.detail}` : ""}`,
    );
    for (const st of smoke.steps)
      console.log(`    ${st.step.padEnd(26)} ${st.result}${st.seconds !== undefined ? ` (${st.seconds}s)` : ""}`);
  }
  const sec = out.security?.value as SecurityPosture | undefined;
  if (sec) {
    console.log(`\nSecurity (stack output security): mode ${sec.mode}`);
    if (sec.mode === "open") console.log(`  !!! ${sec.warning}`);
    for (const e of sec.enforced) console.log(`  enforced: ${e}`);
    for (const w of sec.weakened) console.log(`  WEAKENED: ${w}`);
  }
  console.log("\nStack outputs:");
  for (const [k, v] of Object.entries(out)) {
    if (k === "smokeTest" || k === "security") continue;
    console.log(`  ${k.padEnd(20)} ${v.secret ? "[secret] (pulumi stack output --show-secrets " + k + ")" : JSON.stringify(v.value)}`);
  }
  console.log(`
Drive this same stack with plain pulumi commands:
  ${stack.cliHint()}
  pulumi stack output               # what you connect to
  pulumi preview --diff             # what a change would do on the hosts
  pulumi up                         # converge (add --parallel 32: remote steps mostly wait on the hosts)
  pulumi destroy                    # stops every service; HDFS data, the metastore database and files stay on the hosts
Log in to a host: bash lab/lab.sh ssh 0      Tear the lab down (deletes its data): npm run demo -- --down`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

/**
 * The main job on a fresh Linux machine without a cluster: build the artifact mirror and a 3-host lab, then
 * provision the lakehouse onto it and print where to connect. Through `pulumi up` (Automation API, local file
 * backend) when the Pulumi CLI is installed; otherwise through the test engine (tests/harness/engine.ts),
 * which runs the same program's commands over SSH. It says which. Needs root.
 *
 *   npm run demo [-- --nodes 4] [-- --down]
 */
import { execFileSync, spawnSync } from "child_process";
import * as path from "path";
import { labServicesConfig, readLab } from "../tests/lab/lab-config";
import { parseSmokeTest } from "../components/smoke-test";
import { runProgram } from "../tests/helpers/program";

const ROOT = path.resolve(__dirname, "..");
const arg = (n: string) => process.argv.includes(`--${n}`);
const nodes = process.argv[process.argv.indexOf("--nodes") + 1] ?? "3";

function sh(cmd: string, args: string[]) {
  execFileSync(cmd, args, { stdio: "inherit", cwd: ROOT });
}

function main(): void {
  if (process.getuid?.() !== 0) throw new Error("the demo builds network namespaces and containers: run it as root");
  if (arg("down")) return sh("bash", ["lab/lab.sh", "down"]);
  const t0 = Date.now();
  sh("bash", ["lab/mirror.sh"]);
  sh("bash", ["lab/lab.sh", "up", "--nodes", process.argv.includes("--nodes") ? nodes : "3"]);
  const lab = readLab();
  const { config, missing } = labServicesConfig(lab, Number(nodes) >= 4 ? "prod" : "dev");
  if (missing.length) console.log(`\nnot available from this machine's registries, so left out of the lab: ${missing.join(", ")}\n`);
  const cli = spawnSync("pulumi", ["version"], { encoding: "utf8" }).status === 0;
  console.log(
    cli
      ? "Pulumi CLI found, but the demo applies through the test engine so that it runs the same way everywhere; see tests/lab/automation-api.test.ts for pulumi up on the lab."
      : "No Pulumi CLI on this machine: applying through the test engine (tests/harness/engine.ts), which runs the program's commands over SSH as pulumi up would.",
  );
  const r = runProgram("lab", config, ["sshPrivateKey"], { statePath: "/var/lib/lakehouse-lab/demo-state.json" });
  const ran = (r.steps ?? []).filter((s) => s.op !== "same" && s.op !== "skipped");
  console.log(`\n${ran.length} steps ran in ${((Date.now() - t0) / 1000).toFixed(0)}s${r.error ? `; FAILED: ${r.error}` : ""}`);
  if (r.error) process.exit(1);
  const smoke = (r.steps ?? []).find((s) => s.name === "smoke-test-run");
  if (smoke) {
    const res = parseSmokeTest(smoke.stdout ?? "");
    console.log(
      `\ncross-engine smoke test (the stack output smokeTest): ${res.status}${res.failedStep ? ` at ${res.failedStep}: ${res.detail}` : ""}`,
    );
    for (const st of res.steps) console.log(`  ${st.step.padEnd(26)} ${st.result}${st.seconds !== undefined ? ` (${st.seconds}s)` : ""}`);
  }
  const n1 = lab.nodes[0].host;
  console.log(`
The lakehouse runs on the lab (${lab.nodes.map((n) => `${n.name} ${n.host}`).join(", ")}):
  HDFS NameNode UI   http://${n1}:9870        fs.defaultFS hdfs://${n1}:9000
  Hive metastore     thrift://${n1}:9083      (PostgreSQL jdbc:postgresql://${n1}:5432/metastore)
  Spark master       spark://${n1}:7077       UI http://${n1}:8090
  Flink              http://${n1}:8081
${missing.includes("trino") ? "  Trino              not deployed: no server tarball with a JDK it runs on is available here" : `  Trino              http://${n1}:8080`}
Log in: bash lab/lab.sh ssh 0      Tear down: npm run demo -- --down`);
}

main();

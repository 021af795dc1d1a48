/**
 * Where the Pulumi engine comes from when the demo and the lab tests drive it: a `pulumi` CLI on PATH (the
 * normal way: the Pulumi installer), else the engine this repository's CI keeps beside it in
 * ../shared/pulumi-engine (built from source, installed once into /var/cache/lakehouse-pulumi). Neither:
 * an error that says how to install the CLI, before anything else runs.
 */
import { execFileSync, spawnSync } from "child_process";
import { existsSync } from "fs";
import * as path from "path";
import { REPO_ROOT } from "../lib/stack-file";

export const ENGINE_CACHE = process.env.LAKEHOUSE_PULUMI_HOME ?? "/var/cache/lakehouse-pulumi";
const SHARED = [path.resolve(REPO_ROOT, "../shared/pulumi-engine"), "/work/shared/pulumi-engine"];

export interface Engine {
  /** Environment for the CLI and the Automation API. */
  env: Record<string, string>;
  /** Where it came from, for the user. */
  source: string;
  version: string;
}

/** The engine's environment, installing the shared engine when no CLI is on PATH. */
export function ensureEngine(): Engine {
  const onPath = spawnSync("pulumi", ["version"], { encoding: "utf8" });
  const quiet = { PULUMI_SKIP_UPDATE_CHECK: "true" };
  if (onPath.status === 0 && !process.env.LAKEHOUSE_USE_SHARED_ENGINE) {
    return { env: { ...quiet }, source: "the pulumi CLI on PATH", version: onPath.stdout.trim() };
  }
  const shared = SHARED.find((d) => existsSync(path.join(d, "install.sh")));
  if (!shared) {
    throw new Error(
      "no Pulumi CLI: install it first (https://www.pulumi.com/docs/install/: `curl -fsSL https://get.pulumi.com | sh`), " +
        "then run this again. Nothing was changed.",
    );
  }
  execFileSync("bash", [path.join(shared, "install.sh"), ENGINE_CACHE], { stdio: ["ignore", "ignore", "inherit"] });
  const env = {
    PATH: `${ENGINE_CACHE}/bin:${process.env.PATH ?? ""}`,
    PULUMI_HOME: `${ENGINE_CACHE}/home`,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
  };
  const v = spawnSync(`${ENGINE_CACHE}/bin/pulumi`, ["version"], { encoding: "utf8", env: { ...process.env, ...env } });
  if (v.status !== 0) throw new Error(`the engine in ${ENGINE_CACHE} does not run: ${v.stderr}`);
  // The Automation API finds the CLI on PATH of this process.
  Object.assign(process.env, env);
  return { env, source: `${shared} (installed in ${ENGINE_CACHE})`, version: v.stdout.trim() };
}

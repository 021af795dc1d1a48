/**
 * The smoke test stage (opt-in, `smokeTest.enabled`): after every service and every cluster-wide step. It composes
 * the services' parts of the test (their fragments registered in services/scripts.ts, their hooks in
 * services/smoke.ts) into the generic script's call and stdin, which the SmokeTest component runs.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ClusterConfig } from "../../lib/config";
import type { ScriptPartSet } from "../../lib/script-def";
import type { Plan } from "../../lib/plan";
import type { UnionToIntersection } from "../../lib/types";
import { SERVICE_SCRIPT_PARTS } from "../../services/scripts";
import { SMOKE_PARTS } from "../../services/smoke";
import type { Host } from "../host";
import { type HostCall, hostCall } from "../remote";
import type { GeneratedSecrets } from "../service-deploy";
import { SMOKE_SCRIPT, SmokeTest, type SmokeContext, type SmokePart, type SmokeTestResult } from "../smoke-test";
import type { NodeCertificate } from "../tls";
import type { ClusterSteps } from "./steps";

/** The parts, in the order their fragments go into the script (services/scripts.ts): stdin's lines follow it. */
const PARTS: readonly SmokePart[] = SERVICE_SCRIPT_PARTS.flatMap((set: ScriptPartSet) => {
  if (!(SMOKE_SCRIPT in set.parts)) return [];
  const hooks = (SMOKE_PARTS as readonly SmokePart[]).filter((p) => p.part === set);
  if (hooks.length !== 1) throw new Error(`internal: the smoke test part in ${set.dir} has ${hooks.length} hooks in services/smoke.ts`);
  return hooks;
});
if (PARTS.length !== SMOKE_PARTS.length)
  throw new Error("internal: services/smoke.ts has a part that services/scripts.ts does not register");

/** The node the smoke test runs on: the configured one, else the first part's (the Spark master's, else the NameNode's). */
export function smokeTestNode(plan: Plan): string {
  const c = plan.config;
  if (c.smokeTest.node) return c.smokeTest.node;
  for (const p of PARTS) {
    const node = p.node?.(plan);
    if (node) return node;
  }
  throw new Error("internal: no part of the smoke test offers a node");
}

const contextOf = (plan: Plan): SmokeContext => ({ plan, node: plan.nodes.find((n) => n.name === smokeTestNode(plan))! });

/** `<user>:<keytab>` of the first owner login with a keytab on the node, one the steps make anyway first; "-": none. */
function ownerLogin(ctx: SmokeContext): string {
  const logins = PARTS.flatMap((p) => p.ownerLogins?.(ctx) ?? []).filter((l) => l.keytab !== "-");
  const l = logins.find((x) => x.loggedIn) ?? logins[0];
  return l ? `${l.user}:${l.keytab}` : "-";
}

/** Every part's parameters: a part registered in services/scripts.ts without its hook leaves some out (no compile). */
type PartsArgs = UnionToIntersection<ReturnType<(typeof SMOKE_PARTS)[number]["args"]>>;

/** The script's arguments: its own, then each part's ("-" for an engine that is off or not installed on that node). */
export function smokeTestCall(plan: Plan): HostCall {
  const c = plan.config;
  const ctx = contextOf(plan);
  const withLogin = { ...ctx, ownerLogin: ownerLogin(ctx) };
  const parts = Object.assign({}, ...PARTS.map((p) => p.args(withLogin))) as PartsArgs;
  const e = plan.endpoints;
  return hostCall(SMOKE_SCRIPT, {
    schema: c.smokeTest.schema,
    iceberg_dir: e.warehouse.iceberg,
    delta_dir: e.warehouse.delta,
    run_id: c.smokeTest.run,
    ...parts,
  });
}

/** The script's stdin: the parts' secret lines, in their order. */
export function smokeTestStdin(plan: Plan, secrets: GeneratedSecrets): pulumi.Output<string> {
  const ctx = contextOf(plan);
  const lines = PARTS.flatMap((p) => (p.stdin ? [pulumi.output(p.stdin(ctx, secrets))] : []));
  return pulumi.all(lines).apply((ls) => ls.map((l) => `${l}\n`).join(""));
}

export interface SmokeTestStageArgs {
  plan: Plan;
  config: ClusterConfig;
  hosts: Record<string, Host>;
  certificates: Record<string, NodeCertificate>;
  /** Every generated secret (StackSecrets): the test's parts take the logins they need. */
  secrets: GeneratedSecrets;
  /** The services stage's steps, all made by now. */
  steps: ClusterSteps;
  opts: pulumi.ComponentResourceOptions;
}

/** The smoke test's result, or undefined when it is off. */
export function deploySmokeTest(a: SmokeTestStageArgs): pulumi.Output<SmokeTestResult> | undefined {
  if (!a.config.smokeTest.enabled) return undefined;
  const node = smokeTestNode(a.plan);
  return new SmokeTest(
    "smoke-test",
    {
      host: a.hosts[node],
      call: smokeTestCall(a.plan),
      stdin: smokeTestStdin(a.plan, a.secrets),
      dependsOn: [...Object.values(a.steps.healthy), ...a.steps.madeOnce(), a.certificates[node].installed],
    },
    a.opts,
  ).result;
}

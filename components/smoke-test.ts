/**
 * The cross-engine smoke test: a generic runner (components/scripts/smoke-test.sh) and the services' parts of it.
 * A part is a shell fragment of its service's folder (services/<name>/scripts/parts/smoke-test.sh, with its
 * parameters in services/<name>/scripts.ts, registered in services/scripts.ts: lib/host-scripts.ts puts it in) and
 * its hook here (`SmokePart`, in services/<name>/smoke.ts, registered in services/smoke.ts): its parameters'
 * values on the test's node, and what else it brings (a secret on stdin, a default node, logins that act as the
 * warehouse owner). Nothing here names a service: adding an engine's steps adds its part, nothing else.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ScriptPartSet } from "../lib/host-scripts";
import type { NodePlan, Plan } from "../lib/model";
import { SERVICE_SCRIPT_PARTS } from "../services/scripts";
import { SMOKE_PARTS } from "../services/smoke";
import { HostCall, HostHandle, hostCall, runScript } from "./remote";
import type { GeneratedSecrets } from "./service-deploy";

/** The generic script the parts belong to. */
const SCRIPT = "smoke-test.sh";

/** What `smokeTest` (the stack output) holds. */
export interface SmokeTestResult {
  run: string;
  status: "passed" | "failed";
  /** The first step that failed, null when none did. */
  failedStep: string | null;
  detail: string;
  steps: Array<{ step: string; result: string; seconds?: number }>;
}

/** What a part's hooks may look at: the plan and the node the test runs on. */
export interface SmokeContext {
  plan: Plan;
  node: NodePlan;
}

/** With Kerberos, a user whose principal acts on HDFS as the warehouse owner, and its keytab on the test's node. */
export interface OwnerLogin {
  user: string;
  /** "-": none there (Kerberos is off, or none of the user's services runs on the node). */
  keytab: string;
  /** The part's own steps log in as it: a clean-up as this user needs no login of its own. */
  loggedIn: boolean;
}

/** A part's parameters (services/<name>/scripts.ts), each with its value. */
export type SmokeArgs<S extends ScriptPartSet> = { [P in S["parts"][typeof SCRIPT]["params"][number]]: string };

/** A service's part of the smoke test, as the generic side sees it (services/<name>/smoke.ts). */
export interface SmokePart<S extends ScriptPartSet = ScriptPartSet> {
  /** Its part's definition (services/<name>/scripts.ts): which fragment, which parameters. */
  part: S;
  /**
   * Its parameters' values. `ownerLogin`: with Kerberos, `<user>:<keytab>` of a login on the node that acts on
   * HDFS as the warehouse owner, one the steps make anyway when there is one (`ownerLogins`); "-": none.
   */
  args(ctx: SmokeContext & { ownerLogin: string }): SmokeArgs<S>;
  /** The secret its fragment reads on stdin: one line (without one, it reads nothing). */
  stdin?(ctx: SmokeContext, secrets: GeneratedSecrets): pulumi.Input<string>;
  /** Where the test runs unless `smokeTest.node` says: the first part's node that has one (its clients are there). */
  node?(plan: Plan): string | undefined;
  /** With Kerberos, the users of its service whose principals act on HDFS as the warehouse owner. */
  ownerLogins?(ctx: SmokeContext): OwnerLogin[];
}

/** The parts, in the order their fragments go into the script (services/scripts.ts): stdin's lines follow it. */
const PARTS: readonly SmokePart[] = SERVICE_SCRIPT_PARTS.flatMap((set: ScriptPartSet) => {
  if (!(SCRIPT in set.parts)) return [];
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

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
/** Every part's parameters: a part registered in services/scripts.ts without its hook leaves some out (no compile). */
type PartsArgs = UnionToIntersection<ReturnType<(typeof SMOKE_PARTS)[number]["args"]>>;

/** The script's arguments: its own, then each part's ("-" for an engine that is off or not installed on that node). */
export function smokeTestCall(plan: Plan): HostCall {
  const c = plan.config;
  const ctx = contextOf(plan);
  const withLogin = { ...ctx, ownerLogin: ownerLogin(ctx) };
  const parts = Object.assign({}, ...PARTS.map((p) => p.args(withLogin))) as PartsArgs;
  const e = plan.endpoints;
  return hostCall(SCRIPT, {
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

/**
 * The cross-engine smoke test (components/scripts/smoke-test.sh and the services' parts), opt-in per stack
 * (`smokeTest.enabled`): after every service is healthy, Trino writes Iceberg rows that Spark reads, Spark writes a
 * Delta table that Trino reads, Flink's Hive catalog lists the table; everything it made is dropped. It runs once
 * per value of `smokeTest.run`. A failure does not fail the apply: `result` says which step failed and why.
 */
export class SmokeTest extends pulumi.ComponentResource {
  readonly result: pulumi.Output<SmokeTestResult>;
  constructor(
    name: string,
    args: {
      host: HostHandle;
      plan: Plan;
      /** Every generated secret: the parts take theirs (a login), which go on stdin. */
      secrets: GeneratedSecrets;
      dependsOn: pulumi.Resource[];
    },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("lakehouse:index:SmokeTest", name, {}, opts);
    const cmd = runScript(
      `${name}-run`,
      {
        host: args.host,
        ...smokeTestCall(args.plan),
        stdin: smokeTestStdin(args.plan, args.secrets),
        secretStdin: true,
        timeoutMinutes: 30,
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.result = cmd.stdout.apply((out) => parseSmokeTest(out));
    this.registerOutputs({ result: this.result });
  }
}

/** The script's last JSON line; anything else is a failure that says what came back. */
export function parseSmokeTest(stdout: string): SmokeTestResult {
  const line = (stdout ?? "")
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .at(-1);
  try {
    if (line) return JSON.parse(line) as SmokeTestResult;
  } catch {
    // fall through
  }
  return { run: "", status: "failed", failedStep: "report", detail: `unreadable output: ${(stdout ?? "").slice(-300)}`, steps: [] };
}

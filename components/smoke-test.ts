/**
 * The cross-engine smoke test's runner: the generic script (components/scripts/smoke-test.sh) as one component, and
 * what a service's part of it is (`SmokePart`). A part is a shell fragment of its service's folder
 * (services/<name>/scripts/parts/smoke-test.sh, with its parameters in services/<name>/scripts.ts, registered in
 * services/scripts.ts: lib/host-scripts.ts puts it in) and its hook (`SmokePart`, in services/<name>/smoke.ts,
 * registered in services/smoke.ts): its parameters' values on the test's node, and what else it brings (a secret on
 * stdin, a default node, logins that act as the warehouse owner). The smoke test stage
 * (components/stages/smoke-test.ts) composes the registered parts into the script's call; nothing here reads the
 * registries or names a service.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ScriptPartSet } from "../lib/script-def";
import type { NodePlan, Plan } from "../lib/model";
import { type HostCall, type HostHandle, runScript } from "./remote";
import type { GeneratedSecrets } from "./service-deploy";

/** The generic script the parts belong to. */
export const SMOKE_SCRIPT = "smoke-test.sh";

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
export type SmokeArgs<S extends ScriptPartSet> = { [P in S["parts"][typeof SMOKE_SCRIPT]["params"][number]]: string };

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
      /** The script's call: its own arguments, then each part's (the stage's smokeTestCall). */
      call: HostCall;
      /** The parts' secret lines (a login), in their order (the stage's smokeTestStdin). */
      stdin: pulumi.Input<string>;
      dependsOn: pulumi.Resource[];
    },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("lakehouse:index:SmokeTest", name, {}, opts);
    const cmd = runScript(
      `${name}-run`,
      {
        host: args.host,
        ...args.call,
        stdin: args.stdin,
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

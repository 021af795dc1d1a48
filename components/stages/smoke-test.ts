/** The smoke test stage (opt-in, `smokeTest.enabled`): after every service and every cluster-wide step. */
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterConfig } from "../../lib/config";
import type { Plan } from "../../lib/plan";
import type { Host } from "../host";
import { SmokeTest, SmokeTestResult, smokeTestNode } from "../smoke-test";
import type { NodeCertificate } from "../tls";
import { trinoPasswordUsers } from "./needs";
import type { ClusterSteps } from "./steps";

export interface SmokeTestStageArgs {
  plan: Plan;
  config: ClusterConfig;
  hosts: Record<string, Host>;
  certificates: Record<string, NodeCertificate>;
  /** Every Trino password by user (StackSecrets.trinoPasswords). */
  trinoPasswords: pulumi.Output<Record<string, string>>;
  /** The services stage's steps, all made by now. */
  steps: ClusterSteps;
  opts: pulumi.ComponentResourceOptions;
}

/** The smoke test's result, or undefined when it is off. */
export function deploySmokeTest(a: SmokeTestStageArgs): pulumi.Output<SmokeTestResult> | undefined {
  const c = a.config;
  if (!c.smokeTest.enabled) return undefined;
  const node = smokeTestNode(a.plan);
  const first = c.trino.users[0];
  return new SmokeTest(
    "smoke-test",
    {
      host: a.hosts[node],
      plan: a.plan,
      // The first of trino.users logs in (the smoke test makes and drops a schema: it needs the rights).
      trinoCredentials: trinoPasswordUsers(c).length ? a.trinoPasswords.apply((p) => `${first}:${p[first]}`) : "",
      dependsOn: [...Object.values(a.steps.healthy), ...a.steps.madeOnce(), a.certificates[node].installed],
    },
    a.opts,
  ).result;
}

/** The smoke test stage (opt-in, `smokeTest.enabled`): after every service and every cluster-wide step. */
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterConfig } from "../../lib/config";
import type { Plan } from "../../lib/plan";
import type { Host } from "../host";
import type { GeneratedSecrets } from "../service-deploy";
import { SmokeTest, SmokeTestResult, smokeTestNode } from "../smoke-test";
import type { NodeCertificate } from "../tls";
import type { ClusterSteps } from "./steps";

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
      plan: a.plan,
      secrets: a.secrets,
      dependsOn: [...Object.values(a.steps.healthy), ...a.steps.madeOnce(), a.certificates[node].installed],
    },
    a.opts,
  ).result;
}

/**
 * The outputs stage: what the Lakehouse component registers as its outputs, and the stack's outputs (index.ts
 * exports them): each service's (its descriptor's `outputs`, services/<name>/outputs.ts), the cluster's own, and
 * the secret ones the secrets' declarations name (lib/config/secrets.ts, services/<name>/config.ts). Nothing here
 * names a service: a new output is declared by its service, not added here.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Endpoints, NodePlan, Plan } from "../../lib/plan";
import { securityPosture, type SecurityPosture } from "../../lib/security";
import { DESCRIPTORS } from "../../services";
import type { SmokeTestResult } from "../smoke-test";
import type { SecretOutputValues } from "./secrets";

/** The component's registered outputs: the endpoints users connect to (the stack's outputs: stackOutputs). */
export const lakehouseOutputs = (plan: Plan): { endpoints: Endpoints } => ({ endpoints: plan.endpoints });

/** What the stack's outputs are read from: the Lakehouse's plan, CA, smoke test and secret outputs. */
export interface OutputSources {
  plan: Plan;
  ca: { certificate: pulumi.Output<string> };
  smokeTest?: pulumi.Output<SmokeTestResult>;
  secretOutputs: SecretOutputValues;
}

/** The stack's outputs that belong to no one service (a type alias, not an interface, so that it fits StackOutputs' index signature). */
export type ClusterOutputs = {
  /** The cross-engine smoke test's result (opt-in: `smokeTest.enabled`; re-run by changing `smokeTest.run`). */
  smokeTest: pulumi.Output<SmokeTestResult> | { status: string };
  /**
   * The cluster CA's certificate (PEM, public): clients verify the cluster's services with it
   * (`pulumi stack output caCertificate > lakehouse-ca.crt`). Its key stays on `tls.caNode`.
   */
  caCertificate: pulumi.Output<string>;
  /** Which security mode the cluster runs in, what is enforced, and (loudly) what an open cluster lets anyone do. */
  security: SecurityPosture;
  /** Each node's name, address and roles. */
  nodes: Array<Pick<NodePlan, "name" | "host" | "roles">>;
};

/**
 * The stack's outputs by name: each service's (a JSON value from the plan), the cluster's, and the secret ones
 * (each a Pulumi secret: encrypted in state, hidden by `pulumi stack output` without --show-secrets).
 */
export type StackOutputs = ClusterOutputs & SecretOutputValues & { readonly [serviceOutput: string]: unknown };

/** The stack's outputs. A name offered twice is refused: one value would hide the other. */
export function stackOutputs(from: OutputSources): StackOutputs {
  const plan = from.plan;
  const services = DESCRIPTORS.flatMap((d) => Object.entries(d.outputs ?? {}).map(([name, o]): [string, unknown] => [name, o.value(plan)]));
  const cluster: ClusterOutputs = {
    smokeTest: from.smokeTest ?? { status: "not enabled (set smokeTest.enabled: true)" },
    caCertificate: from.ca.certificate,
    security: securityPosture(plan),
    nodes: plan.nodes.map((n) => ({ name: n.name, host: n.host, roles: n.roles })),
  };
  const all = [...services, ...Object.entries(cluster), ...secretEntries(from.secretOutputs)];
  const twice = all.map(([name]) => name).filter((name, i, names) => names.indexOf(name) !== i);
  if (twice.length) throw new Error(`internal: stack outputs offered twice: ${twice.join(", ")}`);
  return Object.fromEntries(all) as StackOutputs;
}

/** Each secret output under its name, wrapped as a Pulumi secret once more: secret whatever made its value. */
const secretEntries = (values: SecretOutputValues): Array<[string, pulumi.Output<unknown>]> =>
  Object.entries<pulumi.Output<unknown>>(values).map(([name, v]) => [name, pulumi.secret(v)]);

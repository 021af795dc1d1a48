/**
 * The Kerberos stage: on each node that runs a service, /etc/krb5.conf and the service users' keytabs
 * (KerberosNode), made once per node when its first service needs them, after kadmind answers for a deployed
 * realm. The KDC itself is a service (services/kerberos/component.ts KerberosKdc, made by the services stage).
 */
import type * as command from "@pulumi/command";
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterConfig } from "../../lib/config";
import type { Plan, ServicePlan } from "../../lib/plan";
import { KerberosNode } from "../../services/kerberos/component";
import type { Host } from "../host";
import { nodePlan } from "./needs";
import type { ClusterSteps } from "./steps";

/** The step a service starts after with Kerberos: its node's keytabs (undefined without Kerberos, and for the KDC). */
export type KerberosClientOf = (s: ServicePlan) => command.remote.Command | undefined;

export interface KerberosStageArgs {
  plan: Plan;
  config: ClusterConfig;
  hosts: Record<string, Host>;
  hashKey: pulumi.Output<string>;
  adminPassword: pulumi.Output<string>;
  /** The KDC's health gate is read from here (it is planned before every other service). */
  steps: ClusterSteps;
  opts: pulumi.ComponentResourceOptions;
}

/** Each service's node client (made once per node, through `steps.once`). */
export function kerberosClients(a: KerberosStageArgs): KerberosClientOf {
  const kdcId = a.plan.services.find((x) => x.kind === "kdc")?.id;
  return (s) =>
    a.config.kerberos.enabled && s.kind !== "kdc" ? a.steps.once(`kerberos-${s.node}`, () => kerberosNode(a, s.node, kdcId)) : undefined;
}

/** A node's Kerberos client, after its host's preparation and (for a deployed realm) the KDC's health gate. */
function kerberosNode(a: KerberosStageArgs, nodeName: string, kdcId: string | undefined): command.remote.Command {
  const host = a.hosts[nodeName];
  const kdcUp = kdcId ? a.steps.healthy[kdcId] : undefined;
  if (kdcId && !kdcUp) throw new Error(`internal: a service on ${nodeName} is planned before the KDC`);
  return new KerberosNode(
    `${nodeName}-kerberos`,
    {
      host,
      plan: a.plan,
      node: nodePlan(a.plan, nodeName),
      hashKey: a.hashKey,
      adminPassword: a.adminPassword,
      dependsOn: [host.prepared, ...(kdcUp ? [kdcUp] : [])],
    },
    a.opts,
  ).ready;
}

/**
 * Kerberos's deploy half: the KDC (KerberosKdc: its database made once) and, on every node that runs a service,
 * the node's Kerberos client (KerberosNode: /etc/krb5.conf and the service users' keytabs), which every instance
 * there waits for; made once per node when its first service needs it, after kadmind answers for a deployed realm.
 */
import type * as command from "@pulumi/command";
import type { DeployContext, ServiceDeploy } from "../../components/service-deploy";
import { nodeOf, type ServicePlan } from "../../lib/model";
import { KerberosKdc, KerberosNode } from "./component";

export const kerberosDeploy: ServiceDeploy<"kerberos"> = {
  components: {
    kdc: (name, args, ctx) =>
      new KerberosKdc(
        name,
        {
          ...args,
          plan: ctx.plan,
          masterPassword: ctx.generated.kerberosMasterPassword,
          adminPassword: ctx.generated.kerberosAdminPassword,
        },
        ctx.opts,
      ).healthy,
  },
  // With Kerberos, every service waits for its node's keytabs (the KDC itself excepted).
  nodeGate: (s, ctx) =>
    ctx.config.kerberos.enabled && s.kind !== "kdc" ? ctx.once(`kerberos-${s.node}`, () => kerberosClient(ctx, s)) : undefined,
};

/** The Kerberos client of `s`'s node, after its host's preparation and (for a deployed realm) the KDC's health gate. */
function kerberosClient(ctx: DeployContext, s: ServicePlan): command.remote.Command {
  const nodeName = s.node;
  const host = ctx.hosts[nodeName];
  const kdcId = ctx.plan.services.find((x) => x.kind === "kdc")?.id;
  const kdcUp = kdcId ? ctx.healthy[kdcId] : undefined;
  if (kdcId && !kdcUp) throw new Error(`internal: a service on ${nodeName} is planned before the KDC`);
  return new KerberosNode(
    `${nodeName}-kerberos`,
    {
      host,
      plan: ctx.plan,
      node: nodeOf(ctx.plan, s),
      hashKey: ctx.generated.hashKey,
      adminPassword: ctx.generated.kerberosAdminPassword,
      dependsOn: [host.prepared, ...(kdcUp ? [kdcUp] : [])],
    },
    ctx.opts,
  ).ready;
}

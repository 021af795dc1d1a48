/**
 * What Kerberos says in the stack's outputs: the output `kerberos` (its realm and where it answers), its line of
 * the output `security`, and the cluster's security mode, which its switch decides (lib/security.ts).
 */
import type { Plan } from "../../lib/model";
import type { SecurityLines, SecurityModeLine, StackOutputDecls } from "../descriptor";

export const KERBEROS_OUTPUTS: StackOutputDecls = {
  kerberos: {
    description: "With kerberos.enabled: the realm, its KDCs and admin server (host:port); without, a status saying how to turn it on.",
    value: (plan) => plan.endpoints.kerberos ?? { status: "not enabled (set kerberos.enabled: true)" },
  },
};

/** The realm, who serves it (the stack's KDC, or the external one), and the keytabs. */
export function kerberosSecurity(plan: Plan): SecurityLines {
  const k = plan.config.kerberos;
  const kdc = plan.services.find((s) => s.kind === "kdc");
  const served = kdc
    ? `KDC and kadmind on ${kdc.node}, database made once and kept on destroy`
    : `external: ${k.external!.kdcs.join(", ")}`;
  return {
    enforced: [
      `Kerberos: realm ${k.realm} (${served}); each service user has a keytab of its own principals on its node (${k.keytabDir}, 0400), made on the node through kadmin`,
    ],
    weakened: [],
  };
}

/** "kerberos" with kerberos.enabled; otherwise "open", and what anyone on the network can then do, said loudly. */
export function kerberosSecurityMode(plan: Plan): SecurityModeLine {
  if (plan.config.kerberos.enabled)
    return {
      mode: "kerberos",
      warning:
        "Kerberos mode: HDFS, the metastore and the engines authenticate every client with Kerberos, and their connections are encrypted.",
    };
  return {
    mode: "open",
    warning:
      "OPEN CLUSTER: no Kerberos. HDFS believes any user name a client claims, and the metastore's Thrift port accepts any client (any client that reaches them can read and change every table). Run it only on a network where every host is trusted.",
  };
}

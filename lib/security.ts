/**
 * What protects a cluster and what does not, from its validated config: the stack output `security`, so that
 * whoever reads the outputs (or the demo's summary) sees at once that a cluster runs open. Pure.
 *
 * Two modes: "open" (no Kerberos: HDFS and the metastore believe any client) and "kerberos" (kerberos.enabled),
 * each with its warning: the one service that declares `securityMode` (services/kerberos) says which. The
 * protections listed are the ones the program enforces in the stack's mode: the cluster's own first (its TLS,
 * its secret-bearing files), then each service's that is on (its descriptor's `security`,
 * services/<name>/outputs.ts), grouped by service in the registry's order.
 */
import type { Plan } from "./plan";
import { DESCRIPTORS, type SecurityMode, type SecurityModeLine } from "../services";

export interface SecurityPosture {
  /** "kerberos" with kerberos.enabled: every HDFS and metastore client authenticates; "open" without. */
  mode: SecurityMode;
  /** Said loudly: what anyone on the network can do to an open cluster. */
  warning: string;
  /** What is enforced, one line each. */
  enforced: string[];
  /** What is switched off in this stack's config although the program offers it. */
  weakened: string[];
}

export function securityPosture(plan: Plan): SecurityPosture {
  const lines = DESCRIPTORS.filter((d) => d.enabled(plan.config)).map((d) => d.security?.(plan) ?? { enforced: [], weakened: [] });
  return {
    ...securityMode(plan),
    enforced: [...clusterLines(plan), ...lines.flatMap((l) => l.enforced)],
    weakened: lines.flatMap((l) => l.weakened),
  };
}

/** The mode and its warning, from the one service that decides it. */
function securityMode(plan: Plan): SecurityModeLine {
  const modes = DESCRIPTORS.flatMap((d) => (d.securityMode ? [d.securityMode(plan)] : []));
  if (modes.length !== 1) throw new Error(`internal: ${modes.length} services declare the security mode; exactly one decides it`);
  return modes[0];
}

/** What every node gets whatever runs on it: its TLS identity from the cluster's CA, and 0600 secret-bearing files. */
function clusterLines(plan: Plan): string[] {
  const caNode = plan.tls.caNode;
  return [
    plan.tls.caCertificate === undefined
      ? `TLS: a cluster CA (its key on ${caNode}, never copied) signs each node's own key for its address and name; its certificate is the output caCertificate`
      : `TLS: your CA (tls.caCertificate; its key the secret tlsCaKey, installed on ${caNode} alone) signs each node's own key for its address and name; its certificate is the output caCertificate`,
    "secret-bearing files (database password, shared secrets) are 0600 and their service user's alone",
  ];
}

/** Which keytab each service user gets on a node, from the services' `principals`. Pure. */
import type { NodePlan, Plan } from "../../lib/model";
import { descriptorOf } from "../index";
import { keytabPath, principalOf } from "./config";

/** A keytab on a node: a service user's principals there. */
export interface KeytabPlan {
  user: string;
  path: string;
  /** Full principal names, `nn/cpu-node1@LAKEHOUSE.LAN`, sorted. */
  principals: string[];
}

/**
 * The keytabs of one node: for each user that runs a service here, the principals of its instances
 * (`<primary>/<node name>@<realm>`, from each service's `principals`). Empty when Kerberos is off.
 */
export function keytabsOf(plan: Plan, node: NodePlan): KeytabPlan[] {
  const k = plan.config.kerberos;
  if (!k.enabled) return [];
  const byUser = new Map<string, Set<string>>();
  for (const s of node.services) {
    const primaries = descriptorOf(s.kind).principals?.(s) ?? [];
    if (!primaries.length) continue;
    const set = byUser.get(s.user) ?? new Set<string>();
    for (const p of primaries) set.add(principalOf(k, p, node.name));
    byUser.set(s.user, set);
  }
  return [...byUser.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([user, set]) => ({ user, path: keytabPath(k, user), principals: [...set].sort() }));
}

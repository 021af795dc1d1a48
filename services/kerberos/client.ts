/**
 * Kerberos's client contract: the one module of services/kerberos that other services import at runtime. What a
 * service needs to be a Kerberos client: its principals' names, where its user's keytab lives on a node, which keytabs a node gets. Pure.
 */
import type { NodePlan, Plan } from "../../lib/model";

/** The one rule for where a service user's keytab lives on a node. */
export const keytabPath = (k: { keytabDir: string }, user: string): string => `${k.keytabDir}/${user}.keytab`;
/** A service principal's name: `<primary>/<host>@<realm>`, the host a node's name or Hadoop's `_HOST` pattern. */
export const principalOf = (k: { realm: string }, primary: string, host: string): string => `${primary}/${host}@${k.realm}`;

/** With Kerberos, `user`'s keytab on `node`; "-" without Kerberos, or when none of the user's services runs there. */
export const keytabOn = (plan: Plan, node: NodePlan, user: string): string =>
  keytabsOf(plan, node).find((k) => k.user === user)?.path ?? "-";

/** A keytab on a node: a service user's principals there. */
export interface KeytabPlan {
  user: string;
  path: string;
  /** Full principal names, `nn/cpu-node1@LAKEHOUSE.LAN`, sorted. */
  principals: string[];
}

/**
 * The keytabs of one node: for each user that runs a service here, the principals of its instances
 * (`<primary>/<node name>@<realm>`, from each instance's `principals` in the plan). Empty when Kerberos is off.
 */
export function keytabsOf(plan: Plan, node: NodePlan): KeytabPlan[] {
  const k = plan.config.kerberos;
  if (!k.enabled) return [];
  const byUser = new Map<string, Set<string>>();
  for (const s of node.services) {
    if (!s.principals?.length) continue;
    const set = byUser.get(s.user) ?? new Set<string>();
    for (const p of s.principals) set.add(principalOf(k, p, node.name));
    byUser.set(s.user, set);
  }
  return [...byUser.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([user, set]) => ({ user, path: keytabPath(k, user), principals: [...set].sort() }));
}

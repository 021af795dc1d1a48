/**
 * Kerberos's part of the smoke test (services/kerberos/scripts/parts/smoke-test.sh: the logins the other parts
 * register, before anything else), and the keytab lookup the engines' parts give their clients.
 */
import type { SmokePart } from "../../components/smoke-test";
import type { NodePlan, Plan } from "../../lib/model";
import { keytabsOf } from "./keytabs";
import { KERBEROS_SCRIPT_PARTS } from "./scripts";

/** With Kerberos, `user`'s keytab on `node`; "-" without Kerberos, or when none of the user's services runs there. */
export const keytabOn = (plan: Plan, node: NodePlan, user: string): string =>
  keytabsOf(plan, node).find((k) => k.user === user)?.path ?? "-";

export const kerberosSmoke: SmokePart<typeof KERBEROS_SCRIPT_PARTS> = {
  part: KERBEROS_SCRIPT_PARTS,
  args: () => ({}),
};
